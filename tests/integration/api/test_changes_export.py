"""The change feed after real ingests (an app syncing incrementally sees each change once) and
the bulk exports of the whole catalog."""

from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from starlette.testclient import TestClient

from alrim.catalog.sources.gov24_files import Gov24FileSource
from alrim.services.ingest import ingest
from alrim.store.catalog_tables import ServiceRow
from alrim.store.db import session_scope

pytestmark = pytest.mark.storage

DATA = Path(__file__).resolve().parents[3] / "data" / "gov24"
ENDPOINTS = ("serviceList", "serviceDetail", "supportConditions")
FIRST_RUN = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)
SECOND_RUN = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def _rows(n: int) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for endpoint in ENDPOINTS:
        with gzip.open(DATA / f"{endpoint}_sample.json.gz") as fh:
            out[endpoint] = json.load(fh)["data"][:n]
    return out


def _ingest(engine: Engine, tmp: Path, rows: dict[str, list[dict[str, Any]]], at: datetime) -> Any:
    paths = {}
    for endpoint, data in rows.items():
        path = tmp / f"{endpoint}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        paths[endpoint] = path
    return ingest(engine, Gov24FileSource(paths, complete=True), now=lambda: at)


def _sync(client: TestClient, cursor: str | None, limit: int = 4, **params: Any) -> Any:
    """Read the feed to its end, as a partner app does; returns (entries, cursor, pages)."""
    entries: list[dict[str, Any]] = []
    pages = 0
    while True:
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        r = client.get("/api/v1/changes", params=query)
        assert r.status_code == 200, r.text
        body = r.json()
        entries.extend(body["results"])
        cursor = body["next_cursor"]
        pages += 1
        assert len(body["results"]) <= limit
        if not body["has_more"]:
            return entries, cursor, pages


def test_change_feed_paging_after_a_real_ingest(
    engine: Engine, tmp_path: Path, make_app: Any
) -> None:
    rows = _rows(10)
    _ingest(engine, tmp_path, rows, FIRST_RUN)
    with TestClient(make_app(engine)) as client:
        entries, cursor, pages = _sync(client, None)
        assert pages == 3  # 10 entries, 4 a page
        assert [e["kind"] for e in entries] == ["new"] * 10
        assert len({e["service_id"] for e in entries}) == 10
        assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)

        # Nothing new: the same position comes back, and nothing is repeated.
        again, same_cursor, _ = _sync(client, cursor)
        assert again == []

        # One service changes in the next run.
        target = rows["serviceDetail"][3]
        target["지원내용"] = "○ 월 30만원을 지원합니다."
        report = _ingest(engine, tmp_path, rows, SECOND_RUN)
        assert report.changed == 1
        news, cursor, _ = _sync(client, same_cursor)
        assert len(news) == 1
        change = news[0]
        assert change["service_id"] == target["서비스ID"]
        assert change["kind"] == "changed"
        assert change["fields"] == ["benefit_text", "original"]
        assert change["version"] == 2
        assert datetime.fromisoformat(change["at"]) == SECOND_RUN

        # A service that leaves the (complete) dataset is reported withdrawn.
        gone = {e: r.pop(0) for e, r in rows.items()}
        _ingest(engine, tmp_path, rows, SECOND_RUN + timedelta(days=1))
        news, _, _ = _sync(client, cursor)
        assert [(e["kind"], e["service_id"]) for e in news] == [
            ("withdrawn", gone["serviceList"]["서비스ID"])
        ]

        # `since` starts from a time instead of a position.
        since = (FIRST_RUN + timedelta(days=1)).isoformat()
        later, since_cursor, _ = _sync(client, None, since=since)
        assert [e["kind"] for e in later] == ["changed", "withdrawn"]
        assert _sync(client, since_cursor)[0] == []

        # The service list can be narrowed the same way.
        changed = client.get("/api/v1/services", params={"changed_since": since, "status": "all"})
        assert {r["service_id"] for r in changed.json()["results"]} == {
            target["서비스ID"],
            gone["serviceList"]["서비스ID"],
        }


def test_since_after_everything_gives_a_cursor_that_skips_the_past(
    engine: Engine, tmp_path: Path, make_app: Any
) -> None:
    rows = _rows(3)
    _ingest(engine, tmp_path, rows, FIRST_RUN)
    with TestClient(make_app(engine)) as client:
        empty, cursor, _ = _sync(client, None, since="2026-11-10T00:00:00+09:00")
        assert empty == []
        rows["serviceDetail"][0]["지원내용"] = "바뀐 지원내용"
        _ingest(engine, tmp_path, rows, SECOND_RUN)
        news, _, _ = _sync(client, cursor)
        assert [e["kind"] for e in news] == ["changed"]  # not the three old "new" entries


def test_bad_change_cursors_are_422(engine: Engine, make_app: Any) -> None:
    with TestClient(make_app(engine)) as client:
        services_cursor = client.get("/api/v1/services", params={"limit": 1}).json()
        for cursor in ("garbage", "eyJ2IjoxfQ"):
            r = client.get("/api/v1/changes", params={"cursor": cursor})
            assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_cursor"
        assert services_cursor["next_cursor"] is None  # empty catalog: one page
        r = client.get("/api/v1/changes", params={"since": "yesterday"})
        assert r.status_code == 422 and r.json()["error"]["field"] == "since"


def _active_count(engine: Engine) -> int:
    with session_scope(engine) as s:
        return int(
            s.scalar(
                select(func.count()).select_from(ServiceRow).where(ServiceRow.status == "active")
            )
            or 0
        )


def test_csv_export_is_the_whole_catalog_in_excel_friendly_utf8(
    client: TestClient, catalog_engine: Engine
) -> None:
    with client.stream("GET", "/api/v1/export.csv", headers={"Accept-Encoding": "identity"}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/csv")
        assert "alrim-services.csv" in r.headers["content-disposition"]
        chunks = list(r.iter_raw())
    assert len(chunks) > 5  # streamed in batches, not built in memory
    raw = b"".join(chunks)
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(table) == _active_count(catalog_engine)
    assert len({row["service_id"] for row in table}) == len(table)
    assert all(row["status"] == "active" for row in table)
    youth = next(row for row in table if row["service_id"] == "000000465790")
    assert youth["name"] == "유아학비 (누리과정) 지원" and youth["agency_name"] == "교육부"


def test_jsonl_export_has_one_contract_record_per_line(
    client: TestClient, catalog_engine: Engine
) -> None:
    r = client.get("/api/v1/export.jsonl")
    assert r.status_code == 200
    lines = r.content.decode("utf-8").splitlines()
    assert len(lines) == _active_count(catalog_engine)
    records = [json.loads(line) for line in lines]
    assert [x["service_id"] for x in records] == sorted(x["service_id"] for x in records)
    for key in ("service_id", "name", "agency", "application_period", "source", "detail_url"):
        assert key in records[0]
    detail = client.get(f"/api/v1/services/{records[0]['service_id']}").json()
    assert {**detail, "status": "active"} == records[0]


def test_exports_have_etags_and_status_selection(client: TestClient) -> None:
    r = client.get("/api/v1/export.jsonl", params={"status": "all"})
    etag = r.headers["etag"]
    again = client.get(
        "/api/v1/export.jsonl", params={"status": "all"}, headers={"If-None-Match": etag}
    )
    assert again.status_code == 304 and again.content == b""
    other = client.get("/api/v1/export.jsonl", headers={"If-None-Match": etag})
    assert other.status_code == 200  # another selection is another representation
    withdrawn = client.get("/api/v1/export.csv", params={"status": "withdrawn"})
    rows = list(csv.DictReader(io.StringIO(withdrawn.content.decode("utf-8-sig"))))
    assert all(row["status"] == "withdrawn" for row in rows)
    assert len(r.content.splitlines()) == len(other.content.splitlines()) + len(rows)
