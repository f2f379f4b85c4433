"""`alrim search` and GET /api/v1/search: the contract §4 JSON, suggestions, errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from alrim.api.app import create_app
from alrim.api.routers import search as search_router
from alrim.settings import get_settings

pytestmark = pytest.mark.storage


@pytest.fixture
def cli(catalog_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from alrim.cli import app

    url = catalog_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("ALRIM_DATABASE_URL", url)
    get_settings.cache_clear()
    runner = CliRunner()

    def run(*args: str) -> Any:
        return runner.invoke(app, ["search", *args])

    yield run
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def client(catalog_engine: Engine) -> TestClient:
    app = create_app(engine=catalog_engine)
    if not any(getattr(r, "path", "") == "/api/v1/search" for r in app.routes):
        app.include_router(search_router.router, prefix="/api/v1")
    return TestClient(app)


def test_cli_prints_the_contract_json(cli: Any) -> None:
    result = cli("어르신 틀니", "--json", "--limit", "3", "--as-of", "2026-11-25")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["query"] == "어르신 틀니"
    assert len(data["results"]) == 3
    first = data["results"][0]
    assert {"service_id", "name", "score"} <= set(first)
    assert "틀니" in first["name"]
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_cli_filters_and_did_you_mean(cli: Any) -> None:
    result = cli("청년월셰", "--json", "--region", "부산광역시", "--open-now")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["did_you_mean"] == "청년월세"
    assert all(hit["open_now"] for hit in data["results"])


def test_cli_human_output_and_suggest(cli: Any) -> None:
    result = cli("청년월셰")
    assert result.exit_code == 0
    assert "청년월세" in result.output and "찾으셨나요" in result.output
    suggested = cli("--suggest", "ㅊㄴㅇㅅ", "--json")
    assert json.loads(suggested.output)["words"][0] == "청년월세"


def test_cli_refuses_bad_input_with_a_message(cli: Any) -> None:
    assert cli().exit_code == 2
    bad = cli("청년", "--region", "없는동네구")
    assert bad.exit_code == 2 and "오류" in bad.output


def test_api_search_has_the_same_shape(client: TestClient, cli: Any) -> None:
    response = client.get(
        "/api/v1/search", params={"q": "어르신 틀니", "limit": 3, "as_of": "2026-11-25"}
    )
    assert response.status_code == 200
    api = response.json()
    from_cli = json.loads(
        cli("어르신 틀니", "--json", "--limit", "3", "--as-of", "2026-11-25").output
    )
    assert api == from_cli


def test_api_filters_and_errors(client: TestClient) -> None:
    ok = client.get("/api/v1/search", params={"q": "지원", "user_type": "small_business"})
    assert ok.status_code == 200 and ok.json()["results"]
    missing = client.get("/api/v1/search")
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "q"
    bad_region = client.get("/api/v1/search", params={"q": "청년", "region": "없는동네구"})
    assert bad_region.status_code == 422
    assert bad_region.json()["error"]["field"] == "region"


def test_api_suggest(client: TestClient) -> None:
    response = client.get("/api/v1/search/suggest", params={"q": "청녀", "limit": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["words"][0] == "청년" and len(body["services"]) <= 5
