"""Ingest into the catalog: idempotency, exact change records, quarantine, withdrawal, gaps."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from alrim.catalog.sources.gov24_files import Gov24FileSource
from alrim.services.catalog import get_service
from alrim.services.ingest import ingest
from alrim.store import catalog_repo as repo
from alrim.store.catalog_tables import ServiceChangeRow, ServiceRow, ServiceVersionRow
from alrim.store.db import session_scope

pytestmark = pytest.mark.storage

DATA = Path(__file__).resolve().parents[2] / "data" / "gov24"


def _rows(endpoint: str, n: int = 30) -> list[dict[str, Any]]:
    with gzip.open(DATA / f"{endpoint}_sample.json.gz") as fh:
        data: list[dict[str, Any]] = json.load(fh)["data"]
    return data[:n]


def _write(tmp: Path, rows: dict[str, list[dict[str, Any]]]) -> dict[str, Path]:
    paths = {}
    for endpoint, data in rows.items():
        path = tmp / f"{endpoint}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        paths[endpoint] = path
    return paths


def _source(
    tmp: Path, rows: dict[str, list[dict[str, Any]]], complete: bool = False
) -> Gov24FileSource:
    return Gov24FileSource(_write(tmp, rows), complete=complete)


def _all3(n: int = 30) -> dict[str, list[dict[str, Any]]]:
    return {e: _rows(e, n) for e in ("serviceList", "serviceDetail", "supportConditions")}


def test_same_data_twice_records_no_change(engine: Engine, tmp_path: Path) -> None:
    rows = _all3()
    first = ingest(engine, _source(tmp_path, rows))
    assert first.new == 30 and first.quarantined == 0
    second = ingest(engine, _source(tmp_path, rows))
    assert (second.new, second.changed, second.withdrawn, second.unchanged) == (0, 0, 0, 30)
    with session_scope(engine) as s:
        assert len(s.scalars(select(ServiceVersionRow)).all()) == 30
        assert len(s.scalars(select(ServiceChangeRow)).all()) == 30  # the 30 "new" events only


def test_changing_one_field_records_exactly_that_field(engine: Engine, tmp_path: Path) -> None:
    rows = _all3()
    ingest(engine, _source(tmp_path, rows))
    target = rows["serviceDetail"][3]
    target["지원내용"] = "○ 월 30만원을 지원합니다."
    report = ingest(engine, _source(tmp_path, rows))
    assert report.changed == 1 and report.unchanged == 29
    sid = target["서비스ID"]
    with session_scope(engine) as s:
        change = s.scalars(
            select(ServiceChangeRow).where(
                ServiceChangeRow.service_id == sid, ServiceChangeRow.kind == "changed"
            )
        ).one()
        # The derived field and the original text beside it; nothing else.
        assert change.fields == ["benefit_text", "original"]
        assert [v.version for v in repo.versions_of(s, sid)] == [1, 2]
    service = get_service(engine, sid)
    assert service is not None and service.benefit_text == "○ 월 30만원을 지원합니다."


def test_views_alone_are_not_a_change(engine: Engine, tmp_path: Path) -> None:
    rows = _all3(5)
    ingest(engine, _source(tmp_path, rows))
    rows["serviceList"][0]["조회수"] = 999_999
    report = ingest(engine, _source(tmp_path, rows))
    assert report.changed == 0
    with session_scope(engine) as s:
        row = s.get(ServiceRow, rows["serviceList"][0]["서비스ID"])
        assert row is not None and row.views == 999_999


def test_bad_rows_are_quarantined_with_reasons_and_the_rest_kept(
    engine: Engine, tmp_path: Path
) -> None:
    rows = _all3(10)
    rows["serviceList"].append({"서비스명": "아이디 없는 행"})  # missing 서비스ID
    rows["supportConditions"][2]["JA0110"] = "스무살"  # wrong type
    rows["serviceList"][4]["조회수"] = "many"  # wrong type
    rows["serviceDetail"].append(["not", "an", "object"])  # type: ignore[arg-type]
    report = ingest(engine, _source(tmp_path, rows))
    reasons = " | ".join(q["reason"] or "" for q in report.quarantine)
    assert report.quarantined == 4, reasons
    assert "서비스ID" in reasons and "JA0110" in reasons and "조회수" in reasons
    # Every service is still there; the one with bad conditions has none, and says so.
    assert report.ingested == 10
    bad_cond = get_service(engine, rows["supportConditions"][2]["서비스ID"])
    assert bad_cond is not None and bad_cond.conditions is None
    assert "supportConditions" in bad_cond.source.gaps
    with session_scope(engine) as s:
        stored = repo.quarantined(s, report.run_id)
        assert len(stored) == 4 and all(q.reason for q in stored)


def test_a_service_missing_from_one_endpoint_is_kept_with_the_gap(
    engine: Engine, tmp_path: Path
) -> None:
    rows = _all3(5)
    missing_id = rows["serviceDetail"].pop(1)["서비스ID"]
    ingest(engine, _source(tmp_path, rows))
    service = get_service(engine, missing_id)
    assert service is not None
    assert service.source.gaps == ("serviceDetail",)
    assert service.target_text  # taken from serviceList
    assert service.documents is None  # only serviceDetail has 구비서류


def test_complete_run_withdraws_absent_services_and_restores_returning_ones(
    engine: Engine, tmp_path: Path
) -> None:
    rows = _all3(8)
    ingest(engine, _source(tmp_path, rows, complete=True))
    gone = {e: r.pop(0) for e, r in rows.items()}
    report = ingest(engine, _source(tmp_path, rows, complete=True))
    assert report.withdrawn == 1
    sid = gone["serviceList"]["서비스ID"]
    with session_scope(engine) as s:
        row = s.get(ServiceRow, sid)
        assert row is not None and row.status == "withdrawn"
    for e, r in rows.items():
        r.insert(0, gone[e])
    report = ingest(engine, _source(tmp_path, rows, complete=True))
    assert report.restored == 1 and report.withdrawn == 0


def test_partial_run_withdraws_nothing(engine: Engine, tmp_path: Path) -> None:
    rows = _all3(8)
    ingest(engine, _source(tmp_path, rows))
    smaller = {e: r[:3] for e, r in rows.items()}
    report = ingest(engine, _source(tmp_path, smaller, complete=False))
    assert report.withdrawn == 0


def test_cp949_csv_export_is_read(engine: Engine, tmp_path: Path) -> None:
    import csv

    rows = _rows("serviceList", 5)
    path = tmp_path / "serviceList_export.csv"
    with path.open("w", encoding="cp949", errors="replace", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = ingest(engine, Gov24FileSource([path]))
    assert report.ingested == 5
    service = get_service(engine, rows[0]["서비스ID"])
    assert service is not None and service.name == rows[0]["서비스명"].strip()


def test_bundled_catalog_is_complete_for_the_contract(catalog_engine: Engine) -> None:
    """Every bundled service has the contract §3 fields filled where the data has them."""
    with session_scope(catalog_engine) as s:
        services = repo.all_active_services(s)
    gov24 = [x for x in services if x.source.dataset == "gov24"]
    assert len(gov24) == 1097
    for service in gov24:
        record = service.to_dict()
        for key in ("service_id", "name", "agency", "categories", "application_period", "source"):
            assert record[key], (service.service_id, key)
        assert record["source"]["dataset"] == "gov24"
        assert record["detail_url"].startswith("https://")
    local = [x for x in gov24 if x.agency.type.value == "시군구"]
    assert len(local) == 645 and all(x.region and len(x.region.code) == 5 for x in local)


def test_a_rejected_row_does_not_withdraw_its_service(engine: Engine, tmp_path: Path) -> None:
    rows = _all3(6)
    ingest(engine, _source(tmp_path, rows, complete=True))
    rows["serviceList"][1]["조회수"] = "not a number"
    rows["serviceDetail"][1]["지원대상"] = {"bad": "type"}
    rows["supportConditions"][1]["JA0101"] = "maybe"
    report = ingest(engine, _source(tmp_path, rows, complete=True))
    assert report.quarantined == 3 and report.withdrawn == 0
    with session_scope(engine) as s:
        row = s.get(ServiceRow, rows["serviceList"][1]["서비스ID"])
        assert row is not None and row.status == "active"


def test_agency_file_services_are_ingested_with_their_region(engine: Engine) -> None:
    from alrim.catalog.sources.agency_file import AgencyFileSource

    path = Path(__file__).resolve().parents[2] / "data" / "agency" / "example_seoul_housing.yaml"
    report = ingest(engine, AgencyFileSource(path))
    assert report.ingested >= 3 and report.quarantined == 0
    service = get_service(engine, "AG-EXAMPLE_SH-youth-rent-2027")
    assert service is not None
    assert service.region is not None and service.region.code == "11"
    assert service.application_period.kind.value == "period"
    assert service.extra["agency_conditions"]["age_min"] == 19
