"""Fixtures for the open API: an app on the bundled catalog with limits high enough not to
get in the way (tests about limits build their own), and a factory for custom settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.testclient import TestClient

from alrim.api.app import create_app
from alrim.settings import Settings

HIGH_LIMIT = 1_000_000


def api_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "rate_limit_anonymous": HIGH_LIMIT,
        "rate_limit_keyed": HIGH_LIMIT,
        "api_key_cache_seconds": 0,
        "redis_url": None,
        "cors_origins": [],
    }
    values.update(overrides)
    return Settings(**values)


AppFactory = Callable[..., FastAPI]


@pytest.fixture
def make_app() -> AppFactory:
    def build(engine: Engine, **overrides: Any) -> FastAPI:
        return create_app(api_settings(**overrides), engine)

    return build


@pytest.fixture(scope="module")
def catalog_app(catalog_engine: Engine) -> FastAPI:
    return create_app(api_settings(), catalog_engine)


@pytest.fixture(scope="module")
def client(catalog_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(catalog_app) as c:
        yield c
