"""Shared fixtures: a fresh database per test (SQLite file, or a PostgreSQL database when
ALRIM_DATABASE_URL points at one), and a session-wide catalog loaded from the bundled data."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from alrim.store.db import make_engine

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"


def _database_url() -> str | None:
    return os.environ.get("ALRIM_DATABASE_URL") or None


def _fresh_engine(tmp_dir: Path) -> Iterator[Engine]:
    url = _database_url()
    if url and url.startswith("postgresql"):
        base = make_url(url)
        name = f"alrim_t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine = make_engine(base.set(database=name).render_as_string(hide_password=False))
        try:
            yield engine
        finally:
            engine.dispose()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        engine = make_engine(f"sqlite:///{tmp_dir / 'alrim.db'}")
        try:
            yield engine
        finally:
            engine.dispose()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty, migrated database for one test."""
    from alrim.services.catalog import setup_database

    for eng in _fresh_engine(tmp_path):
        setup_database(eng)
        yield eng


@pytest.fixture(scope="session")
def catalog_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database holding the bundled catalog. Read-only: do not write to it in tests."""
    from alrim.services.catalog import load_bundled, setup_database

    for eng in _fresh_engine(tmp_path_factory.mktemp("catalog")):
        setup_database(eng)
        load_bundled(eng, DATA_DIR)
        yield eng


@pytest.fixture(scope="session")
def regions():  # type: ignore[no-untyped-def]
    from alrim.catalog.regions import RegionTable

    return RegionTable.default()
