"""SQLite and PostgreSQL return the same results for the same queries.

Runs in the PostgreSQL pass of CI (ALRIM_DATABASE_URL set): the bundled catalog is loaded
into a SQLite database as well, and every query of the test set, with and without filters,
must give the same JSON on both.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from alrim.services import search as search_service
from alrim.store.db import make_engine

pytestmark = [pytest.mark.storage, pytest.mark.slow]

VARIANTS: list[dict[str, Any]] = [
    {},
    {"region": "서울특별시 종로구"},
    {"open_now": True},
    {"categories": ["주거"], "limit": 5, "offset": 3},
]


@pytest.fixture(scope="module")
def sqlite_catalog(
    catalog_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if catalog_engine.dialect.name == "sqlite":
        pytest.skip("compares against SQLite in the PostgreSQL pass (ALRIM_DATABASE_URL)")
    from alrim.services.catalog import load_bundled, setup_database

    path: Path = tmp_path_factory.mktemp("sqlite-twin") / "alrim.db"
    engine = make_engine(f"sqlite:///{path}")
    setup_database(engine)
    load_bundled(engine)
    yield engine
    engine.dispose()


def test_both_backends_return_the_same_results(
    catalog_engine: Engine, sqlite_catalog: Engine, test_queries: list[dict[str, Any]]
) -> None:
    differences = []
    for q in test_queries:
        for variant in VARIANTS:
            request = search_service.SearchRequest(
                query=q["query"], as_of=date(2026, 11, 25), **{"limit": 20, **variant}
            )
            pg = search_service.search(catalog_engine, request)
            lite = search_service.search(sqlite_catalog, request)
            if pg != lite:
                differences.append((q["query"], variant))
    assert not differences
    assert search_service.suggestions(catalog_engine, "청녀") == search_service.suggestions(
        sqlite_catalog, "청녀"
    )
