"""Imports every table module so `Base.metadata` is complete (Alembic, tests)."""

from __future__ import annotations

from alrim.store import catalog_tables
from alrim.store.base import Base

metadata = Base.metadata

__all__ = ["catalog_tables", "metadata"]
