"""The index follows the catalog: an ingest re-analyses exactly the services it changed."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select

from alrim.catalog.sources.registry import open_source
from alrim.paths import DATA_DIR
from alrim.services import search as search_service
from alrim.services.ingest import ingest
from alrim.store import search_repo
from alrim.store.db import session_scope
from alrim.store.search_tables import SearchDocumentRow, SearchStateRow, SearchTermRow

pytestmark = pytest.mark.storage

SERVICES = {
    "rent": {"name": "청년 월세 지원", "summary": "무주택 청년에게 월세를 지원해요."},
    "dentures": {"name": "어르신 틀니 지원", "summary": "65세 이상 어르신에게 틀니 비용을 드려요."},
    "heating": {"name": "겨울 난방비 지원", "summary": "저소득 가구에 난방비를 드려요."},
}


def _template() -> dict[str, dict[str, Any]]:
    """The first real row of each gov24 endpoint in the bundled sample."""
    out = {}
    for endpoint in ("serviceList", "serviceDetail", "supportConditions"):
        path = DATA_DIR / "gov24" / f"{endpoint}_sample.json.gz"
        out[endpoint] = json.loads(gzip.decompress(path.read_bytes()))["data"][0]
    return out


TEMPLATE = _template()


def _write(tmp_path: Path, services: dict[str, dict[str, Any]], views: int = 10) -> list[Path]:
    """gov24-shaped files holding `services` (real rows with another id, name and summary)."""
    rows: dict[str, list[dict[str, Any]]] = {e: [] for e in TEMPLATE}
    for n, (key, s) in enumerate(sorted(services.items()), start=1):
        sid = f"TEST{n:08d}"
        for endpoint, template in TEMPLATE.items():
            row = {**template, "서비스ID": sid, "서비스명": s["name"]}
            if endpoint == "serviceList":
                row.update(서비스목적요약=s["summary"], 조회수=s.get("views", views))
                row.update(지원대상=s["summary"], 선정기준=None, 지원내용=key)
            if endpoint == "serviceDetail":
                row.update(서비스목적=s["summary"], 지원대상=s["summary"], 선정기준=None)
                row.update(지원내용=key)
            rows[endpoint].append(row)
    paths = []
    for endpoint, data in rows.items():
        path = tmp_path / f"{endpoint}.json"
        path.write_text(json.dumps({"data": data}, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def _ingest(engine: Engine, paths: list[Path]) -> Any:
    return ingest(engine, open_source("gov24", paths=paths, complete=True))


def _names(engine: Engine, query: str) -> list[str]:
    result = search_service.search(
        engine, search_service.SearchRequest(query=query, as_of=date(2026, 11, 25))
    )
    return [hit["name"] for hit in result["results"]]


def _indexed_at(engine: Engine) -> dict[str, Any]:
    with session_scope(engine) as session:
        rows = session.execute(select(SearchDocumentRow.name, SearchDocumentRow.indexed_at))
        return {name: at for name, at in rows}


def test_ingest_indexes_changes_withdrawals_and_restores(engine: Engine, tmp_path: Path) -> None:
    _ingest(engine, _write(tmp_path, SERVICES))
    assert _names(engine, "틀니") == ["어르신 틀니 지원"]
    before = _indexed_at(engine)

    changed = {**SERVICES, "dentures": {"name": "어르신 의치 지원", "summary": "의치 비용"}}
    report = _ingest(engine, _write(tmp_path, changed))
    assert report.changed == 1
    assert _names(engine, "의치") == ["어르신 의치 지원"]
    assert "어르신 틀니 지원" not in _names(engine, "틀니")
    after = _indexed_at(engine)
    # Only the changed service was analysed again.
    assert after["청년 월세 지원"] == before["청년 월세 지원"]
    assert after["겨울 난방비 지원"] == before["겨울 난방비 지원"]

    without_heating = {k: v for k, v in changed.items() if k != "heating"}
    assert _ingest(engine, _write(tmp_path, without_heating)).withdrawn == 1
    assert _names(engine, "난방비") == []

    assert _ingest(engine, _write(tmp_path, changed)).restored == 1
    assert _names(engine, "난방비") == ["겨울 난방비 지원"]


def test_new_views_reorder_equal_services(engine: Engine, tmp_path: Path) -> None:
    twins = {
        "a": {"name": "청년 월세 지원", "summary": "월세 지원", "views": 5},
        "b": {"name": "청년 월세 지원", "summary": "월세 지원", "views": 50},
    }
    _ingest(engine, _write(tmp_path, twins))
    first = search_service.search(
        engine, search_service.SearchRequest(query="청년 월세", as_of=date(2026, 11, 25))
    )["results"]
    assert [h["views"] for h in first] == [50, 5]
    twins["a"]["views"] = 500
    _ingest(engine, _write(tmp_path, twins))
    again = search_service.search(
        engine, search_service.SearchRequest(query="청년 월세", as_of=date(2026, 11, 25))
    )["results"]
    assert [h["views"] for h in again] == [500, 50]


def _drop_index(engine: Engine) -> None:
    """As if the services had been written before the search index existed."""
    with session_scope(engine) as session:
        session.execute(delete(SearchDocumentRow))
        session.execute(delete(SearchTermRow))


def test_reindex_builds_a_missing_index(engine: Engine, tmp_path: Path) -> None:
    _ingest(engine, _write(tmp_path, SERVICES))
    _drop_index(engine)
    outcome = search_service.reindex(engine)
    assert outcome["indexed"] == 3 and outcome["documents"] == 3
    assert _names(engine, "틀니") == ["어르신 틀니 지원"]


def test_a_new_process_completes_a_missing_index_before_searching(
    engine: Engine, tmp_path: Path
) -> None:
    _ingest(engine, _write(tmp_path, SERVICES))
    _drop_index(engine)
    search_service.forget_snapshots()  # a process that has not searched yet
    assert _names(engine, "틀니") == ["어르신 틀니 지원"]


def test_an_analyser_change_rebuilds_the_index(engine: Engine, tmp_path: Path) -> None:
    _ingest(engine, _write(tmp_path, SERVICES))
    assert _names(engine, "난방비") == ["겨울 난방비 지원"]
    with session_scope(engine) as session:
        state = session.get(SearchStateRow, search_repo.ANALYZER)
        assert state is not None
        state.text = "rules0-kiwi0.0"
    outcome = search_service.reindex(engine)
    assert outcome["rebuilt"] and outcome["documents"] == 3
    # The process's snapshot starts over (new epoch) and still finds everything.
    assert _names(engine, "난방비") == ["겨울 난방비 지원"]
    assert _names(engine, "틀니") == ["어르신 틀니 지원"]
