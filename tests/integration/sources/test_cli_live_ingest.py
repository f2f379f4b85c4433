"""`alrim ingest gov24 --api-key …` end to end against a local server playing the API."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_open_data_server import FakeOpenData
from sqlalchemy import Engine
from typer.testing import CliRunner

from alrim.cli import app
from alrim.paths import REPO_ROOT
from alrim.settings import get_settings

pytestmark = pytest.mark.storage
KEY = "cli-test-key"


@pytest.fixture
def server() -> Iterator[FakeOpenData]:
    rows: dict[str, list[Any]] = {}
    for endpoint in ("serviceList", "serviceDetail", "supportConditions"):
        path = REPO_ROOT / "data" / "gov24" / f"{endpoint}_sample.json.gz"
        with gzip.open(path) as fh:
            rows[endpoint] = json.load(fh)["data"][:150]
    fake = FakeOpenData(rows=rows, key=KEY).start()
    yield fake
    fake.stop()


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> Iterator[CliRunner]:
    monkeypatch.setenv("ALRIM_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_live_ingest_pages_through_every_endpoint_and_keeps_the_key_secret(
    cli: CliRunner, server: FakeOpenData, tmp_path: Path
) -> None:
    result = cli.invoke(
        app,
        [
            "ingest", "gov24", "--api-key", KEY, "--base-url", server.base_url,
            "--checkpoint", str(tmp_path / "ck"), "--json",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["new"] == 150 and report["quarantined"] == 0
    assert report["complete"] is True  # the server's totalCount matched the rows read
    assert {r.endpoint for r in server.requests} == {
        "serviceList",
        "serviceDetail",
        "supportConditions",
    }
    saved = list((tmp_path / "ck").rglob("*.json"))
    assert saved, "pages are checkpointed for a resumable run"
    assert all(KEY not in p.read_text(encoding="utf-8") for p in saved)
    assert KEY not in result.output


def test_wrong_key_is_a_clear_failure_that_withdraws_nothing(
    cli: CliRunner, server: FakeOpenData
) -> None:
    result = cli.invoke(
        app, ["ingest", "gov24", "--api-key", "wrong", "--base-url", server.base_url, "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["complete"] is False and report["withdrawn"] == 0
    assert any("key" in n.lower() or "401" in n or "인증" in n for n in report["notes"])
