"""The schema is built only by migrations: one head, and it matches the table definitions."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from alrim.store.migrate import alembic_config, downgrade, upgrade
from alrim.store.models import metadata

pytestmark = pytest.mark.storage


def test_history_has_one_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert script.get_heads() == ["0006"]


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_downgrade_to_the_catalog_and_back(engine: Engine) -> None:
    downgrade(engine, "0001")
    upgrade(engine)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_heads() == ("0006",)
