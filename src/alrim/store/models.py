"""Imports every table module so `Base.metadata` is complete (Alembic, tests)."""

from __future__ import annotations

from alrim.store import accounts_tables, api_tables, catalog_tables, notify_tables, search_tables
from alrim.store.base import Base

metadata = Base.metadata

__all__ = [
    "accounts_tables",
    "api_tables",
    "catalog_tables",
    "metadata",
    "notify_tables",
    "search_tables",
]
