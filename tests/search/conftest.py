"""Fixtures for the search tests: the bundled catalog, searched as a person would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine

from alrim.services import search as search_service

AS_OF = date(2026, 11, 25)
QUERIES_FILE = Path(__file__).with_name("queries.yaml")

SearchFn = Callable[..., dict[str, Any]]


@pytest.fixture(scope="session")
def test_queries() -> list[dict[str, Any]]:
    data = yaml.safe_load(QUERIES_FILE.read_text(encoding="utf-8"))
    return list(data["queries"])


@pytest.fixture
def search(catalog_engine: Engine) -> SearchFn:
    """search("청년 월세", region=..., limit=...) → the contract §4 JSON."""

    def run(query: str, **kw: Any) -> dict[str, Any]:
        kw.setdefault("as_of", AS_OF)
        kw.setdefault("limit", 10)
        return search_service.search(
            catalog_engine, search_service.SearchRequest(query=query, **kw)
        )

    return run
