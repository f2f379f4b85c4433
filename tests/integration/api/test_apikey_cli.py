"""`alrim apikey create | list | revoke` as an operator runs them, and the key working (then
not) against the API."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, select
from starlette.testclient import TestClient
from typer.testing import CliRunner

from alrim.cli import app
from alrim.settings import get_settings
from alrim.store.api_tables import ApiKeyRow
from alrim.store.db import session_scope

pytestmark = pytest.mark.storage


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> Iterator[CliRunner]:
    monkeypatch.setenv("ALRIM_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _run(cli: CliRunner, *args: str, code: int = 0) -> str:
    result = cli.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def test_create_list_revoke(cli: CliRunner, engine: Engine, make_app: Any) -> None:
    created = json.loads(
        _run(cli, "apikey", "create", "--name", "토스 파트너", "--rate-limit", "5", "--json")
    )
    key = created["key"]
    assert key.startswith("alrim_") and created["rate_limit"] == 5

    with session_scope(engine) as s:  # only the hash is stored
        row = s.scalars(select(ApiKeyRow)).one()
        assert key not in (row.key_hash, row.prefix, row.name) and row.prefix == key[:12]

    listing = _run(cli, "apikey", "list")
    assert "토스 파트너" in listing and "limit=5" in listing and key not in listing
    assert created["prefix"] in listing

    with TestClient(make_app(engine)) as client:
        r = client.get("/api/v1/regions", headers={"X-API-Key": key})
        assert r.status_code == 200 and r.headers["x-ratelimit-limit"] == "5"
        out = _run(cli, "apikey", "revoke", str(created["id"]))
        assert "폐기" in out
        assert client.get("/api/v1/regions", headers={"X-API-Key": key}).status_code == 401

    rows = json.loads(_run(cli, "apikey", "list", "--json"))
    assert rows[0]["revoked_at"] is not None and "key" not in rows[0]
    assert json.loads(_run(cli, "apikey", "list", "--active", "--json")) == []


def test_plain_create_shows_the_key_once(cli: CliRunner) -> None:
    out = _run(cli, "apikey", "create", "--name", "civic app")
    match = re.search(r"key: (alrim_\S+)", out)
    assert match is not None and "한 번만" in out
    key = match.group(1)
    listing = _run(cli, "apikey", "list")
    assert key[:12] in listing and key not in listing


def test_errors_are_friendly(cli: CliRunner) -> None:
    assert "없어요" in _run(cli, "apikey", "revoke", "999", code=2)
    assert "name" in _run(cli, "apikey", "create", "--name", "  ", code=2)
