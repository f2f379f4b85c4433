"""The catalog commands as a user runs them: `alrim setup / ingest / show / services`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from alrim.cli import app
from alrim.settings import get_settings

pytestmark = pytest.mark.storage


def _bind(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> Iterator[CliRunner]:
    monkeypatch.setenv("ALRIM_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> Iterator[CliRunner]:
    """A CLI bound to the test's fresh, empty database."""
    yield from _bind(monkeypatch, engine)


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch, catalog_engine: Engine) -> Iterator[CliRunner]:
    """A CLI bound to the shared database holding the bundled catalog (read-only use)."""
    yield from _bind(monkeypatch, catalog_engine)


def _run(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_setup_loads_the_bundled_catalog_once(cli: CliRunner) -> None:
    out = _run(cli, "setup")
    assert "신규 1097" in out
    assert "이미 있어요" in _run(cli, "setup")


def test_show_prints_the_contract_record(loaded: CliRunner) -> None:
    cli = loaded
    record = json.loads(_run(cli, "show", "154300000396", "--json"))
    expected = (
        "service_id",
        "name",
        "agency",
        "region",
        "categories",
        "support_types",
        "summary",
        "target_text",
        "criteria_text",
        "benefit_text",
        "how_to_apply",
        "documents",
        "contact",
        "apply_url",
        "detail_url",
        "legal_basis",
        "updated_at",
        "source",
        "application_period",
    )
    for key in expected:
        assert key in record, key
    assert record["agency"] == {"name": "농림축산식품부", "type": "중앙행정기관", "code": "1543000"}
    assert record["region"] is None  # a central ministry: nationwide
    assert record["categories"] == ["농림축산어업"]
    assert record["source"]["dataset"] == "gov24"
    assert record["application_period"]["kind"] == "varies"
    local = json.loads(_run(cli, "show", "300000000137", "--json"))
    assert local["region"]["level"] == "sigungu"


def test_show_unknown_id_is_a_clear_error(loaded: CliRunner) -> None:
    cli = loaded
    result = cli.invoke(app, ["show", "999999999999"])
    assert result.exit_code == 1
    assert "찾을 수 없어요" in result.output


def test_services_filters_by_region_and_agency_type(loaded: CliRunner) -> None:
    cli = loaded
    out = json.loads(
        _run(
            cli,
            "services",
            "--region",
            "서울 종로구",
            "--agency-type",
            "시군구",
            "--dataset",
            "gov24",
            "--json",
        )
    )
    assert out["total"] > 0
    assert all(s["region"]["name"] == "서울특별시 종로구" for s in out["services"])
    wrong = cli.invoke(app, ["services", "--region", "없는구"])
    assert wrong.exit_code == 2 and "찾지 못했어요" in wrong.output


def test_changed_since_lists_exactly_the_changed_service(cli: CliRunner, tmp_path: Path) -> None:
    import gzip

    data = Path(__file__).resolve().parents[3] / "data" / "gov24"
    rows = {}
    for endpoint in ("serviceList", "serviceDetail", "supportConditions"):
        with gzip.open(data / f"{endpoint}_sample.json.gz") as fh:
            rows[endpoint] = json.load(fh)["data"]
    rows = {e: r[:40] for e, r in rows.items()}
    _write_and_ingest(cli, tmp_path, rows)
    rows["serviceDetail"][0]["지원내용"] = "○ 내용이 바뀌었어요."
    report = _write_and_ingest(cli, tmp_path, rows)
    assert report["changed"] == 1 and report["new"] == 0
    listed = json.loads(_run(cli, "services", "--changed-since", "2000-01-01", "--json"))
    changed = [s for s in listed["services"] if any(c["kind"] == "changed" for c in s["changes"])]
    assert [s["service_id"] for s in changed] == [rows["serviceDetail"][0]["서비스ID"]]
    assert changed[0]["changes"][-1]["fields"] == ["benefit_text", "original"]


def _write_and_ingest(
    cli: CliRunner, tmp_path: Path, rows: dict[str, list[dict[str, object]]]
) -> dict[str, int]:
    files = []
    for endpoint, items in rows.items():
        path = tmp_path / f"{endpoint}.json"
        path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        files.append(str(path))
    report: dict[str, int] = json.loads(_run(cli, "ingest", "gov24", *files, "--json"))
    return report


def test_ingest_reports_bad_rows_and_keeps_the_rest(cli: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "serviceList.json"
    bad.write_text(
        json.dumps(
            {
                "data": [
                    {"서비스ID": "T1", "서비스명": "좋은 행", "소관기관명": "교육부"},
                    {"서비스명": "아이디 없음"},
                    {"서비스ID": "T2", "서비스명": "조회수 이상", "조회수": "많음"},
                ]
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    result = cli.invoke(app, ["ingest", "gov24", str(bad)])
    assert result.exit_code == 0, result.output
    assert "격리 2" in result.stdout
    assert "missing 서비스ID" in result.stdout and "조회수" in result.stdout
    assert json.loads(_run(cli, "show", "T1", "--json"))["name"] == "좋은 행"


def test_ingest_missing_file_is_a_clear_error(cli: CliRunner) -> None:
    result = cli.invoke(app, ["ingest", "gov24", "/nonexistent/file.json"])
    assert result.exit_code == 2 and "파일이 없어요" in result.output


def test_services_filters_by_category(loaded: CliRunner) -> None:
    out = json.loads(_run(loaded, "services", "--category", "임신·출산", "--limit", "0", "--json"))
    assert out["total"] > 50
    assert all("임신·출산" in s["categories"] for s in out["services"])
