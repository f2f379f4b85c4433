"""A web app over the bundled catalog, driven with Starlette's TestClient."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def web_app(catalog_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    from alrim.api.app import create_app
    from alrim.settings import Settings

    var_dir: Path = tmp_path_factory.mktemp("web-var")
    settings = Settings(
        var_dir=var_dir,
        database_url=str(catalog_engine.url.render_as_string(hide_password=False)),
        rate_limit_anonymous=100_000,
    )
    app = create_app(settings, catalog_engine)
    app.state.web_today = TODAY
    return app


@pytest.fixture
def client(web_app: FastAPI) -> Iterator[TestClient]:
    """A fresh visitor (own cookie jar) per test."""
    with TestClient(web_app, follow_redirects=False) as c:
        yield c
