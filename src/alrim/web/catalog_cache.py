"""The catalog summaries the pages show, kept in memory per catalog version.

Reading a summary means parsing a stored record; doing that for a few thousand services on
every results page would be slow, so the pages read them once per catalog version (checked at
most every few seconds) and then filter and sort in memory.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from alrim.services import catalog as catalog_service
from alrim.store import catalog_repo as repo
from alrim.store.db import session_scope

CHECK_EVERY = 2.0  # seconds between catalog-version checks


@dataclass(frozen=True, slots=True)
class CatalogSummaries:
    version: str
    by_id: dict[str, dict[str, Any]]
    by_views: tuple[dict[str, Any], ...]  # most viewed first

    def in_category(self, category: str) -> list[dict[str, Any]]:
        return [s for s in self.by_views if category in (s.get("categories") or ())]

    def category_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for s in self.by_views:
            for c in s.get("categories") or ():
                counts[c] = counts.get(c, 0) + 1
        return counts


_lock = threading.Lock()
_cache: dict[str, tuple[float, CatalogSummaries]] = {}


def _version(engine: Engine) -> str:
    with session_scope(engine) as session:
        return repo.get_meta(session, "catalog_version") or "empty"


def catalog_summaries(engine: Engine) -> CatalogSummaries:
    key = engine.url.render_as_string(hide_password=True)
    now = time.monotonic()
    cached = _cache.get(key)
    if cached is not None and now - cached[0] < CHECK_EVERY:
        return cached[1]
    version = _version(engine)
    if cached is not None and cached[1].version == version:
        _cache[key] = (now, cached[1])
        return cached[1]
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[1].version == version:
            return cached[1]
        listing = catalog_service.list_services(
            engine, repo.ServiceFilter(), limit=None, order="views"
        )
        built = CatalogSummaries(
            version=version,
            by_id={s["service_id"]: s for s in listing.services},
            by_views=tuple(listing.services),
        )
        _cache[key] = (now, built)
        return built
