"""Building the index in an ingest: the analysis runs beside the database writes; when it
fails, the catalog is saved, the index is left as it was and nothing keeps running."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from alrim.catalog.sources.registry import open_source
from alrim.domain.service import Service
from alrim.paths import DATA_DIR
from alrim.search.document import IndexedDocument, iter_documents
from alrim.services.ingest import ingest
from alrim.store import search_repo
from alrim.store.catalog_tables import ServiceRow
from alrim.store.db import session_scope
from alrim.store.search_tables import SearchDocumentRow

pytestmark = pytest.mark.storage

ENDPOINTS = ("serviceList", "serviceDetail", "supportConditions")


def _sample(tmp_path: Path, count: int) -> list[Path]:
    """The first `count` services of the bundled gov24 sample, as the three endpoint files."""
    rows = {
        e: json.loads(gzip.decompress((DATA_DIR / "gov24" / f"{e}_sample.json.gz").read_bytes()))[
            "data"
        ]
        for e in ENDPOINTS
    }
    ids = {r["서비스ID"] for r in rows["serviceList"][:count]}
    paths = []
    for endpoint, data in rows.items():
        path = tmp_path / f"{endpoint}.json"
        kept = [r for r in data if r["서비스ID"] in ids]
        path.write_text(json.dumps({"data": kept}, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def _analysis_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "search-analysis" and t.is_alive()]


def test_an_ingest_indexes_every_service_it_wrote(engine: Engine, tmp_path: Path) -> None:
    report = ingest(engine, open_source("gov24", paths=_sample(tmp_path, 700), complete=True))
    assert report.new == 700
    with session_scope(engine) as session:
        documents = session.scalar(select(func.count()).select_from(SearchDocumentRow))
        assert documents == 700
        assert not search_repo.needs_reconcile(session)
    assert _analysis_threads() == []


def test_a_failing_analysis_leaves_the_catalog_saved_and_the_index_untouched(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(services: Sequence[Service]) -> Iterator[IndexedDocument]:
        for n, document in enumerate(iter_documents(services)):
            if n == 450:  # after a first batch of documents was written
                raise RuntimeError("analyser crashed")
            yield document

    monkeypatch.setattr(search_repo, "iter_documents", failing)
    report = ingest(engine, open_source("gov24", paths=_sample(tmp_path, 700), complete=True))

    assert report.new == 700
    assert any("search index not updated" in note for note in report.notes)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(ServiceRow)) == 700
        assert session.scalar(select(func.count()).select_from(SearchDocumentRow)) == 0
    assert _analysis_threads() == []


def test_a_failing_write_stops_the_analysis(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(engine, open_source("gov24", paths=_sample(tmp_path, 700), complete=True))
    with session_scope(engine) as session:
        services = [Service.from_dict(r) for r in session.scalars(select(ServiceRow.record))]
    written: list[str] = []
    real_values = search_repo._document_values

    def failing_values(document: IndexedDocument, *args: Any) -> dict[str, Any]:
        if len(written) == 350:  # half-way: the analysis of the rest is still running
            raise RuntimeError("disk full")
        written.append(document.service_id)
        return real_values(document, *args)

    monkeypatch.setattr(search_repo, "_document_values", failing_values)
    with pytest.raises(RuntimeError, match="disk full"), session_scope(engine) as session:
        search_repo.index_services(session, services)
    assert _analysis_threads() == []
