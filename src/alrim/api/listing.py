"""Catalog reads the open API needs beyond `alrim.services.catalog`: keyset pages in several
stable orders, the support-type and user-type filters, facet counts, the change-log pages and
the batches of the bulk export. No HTTP types here; the routers turn these into responses.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from threading import Lock
from typing import Any, cast

import orjson
from sqlalchemy import ColumnElement, Connection, Engine, Select, and_, func, or_, select

from alrim.services.catalog import summary_of
from alrim.store import catalog_repo as repo
from alrim.store.catalog_repo import _apply_filter  # shared filter semantics
from alrim.store.catalog_tables import AgencyRow, ServiceChangeRow, ServiceRow
from alrim.store.db import session_scope


class SortOrder(StrEnum):
    """Stable orders of the service list; every one ends on `service_id` as a tie-breaker."""

    SERVICE_ID = "service_id"
    NAME = "name"
    VIEWS = "views"  # most viewed first
    DEADLINE = "deadline"  # soonest application end first; no end date last


@dataclass(frozen=True, slots=True)
class ListFilter:
    """The catalog filter plus what `ServiceFilter` does not have (yet)."""

    base: repo.ServiceFilter
    support_types: Sequence[str] | None = None  # "현금" also matches "현금(감면)" …
    user_types: Sequence[str] | None = None  # stored labels: 개인, 가구, 소상공인 …


@dataclass(frozen=True, slots=True)
class Page:
    total: int
    rows: list[dict[str, Any]]
    last_key: list[Any] | None  # sort key of the last row, when another page may follow


def _json_list_has_any(column: Any, values: Sequence[str], *, group: bool) -> ColumnElement[bool]:
    """Rows whose JSON list column holds one of `values`. A text match (portable, and the
    lists are short) on both spellings a backend may store: UTF-8 (PostgreSQL's JSONB) and
    `\\uXXXX` escapes (SQLite's JSON text). With `group`, "현금" also matches "현금(…)"."""
    text = func.cast(column, repo._text_type())
    conds: list[ColumnElement[bool]] = []
    for value in values:
        for ascii_only in (False, True):
            tokens = [json.dumps(value, ensure_ascii=ascii_only)]
            if group:  # `"현금(` : the sub-kinds, without their closing quote
                tokens.append(json.dumps(value + "(", ensure_ascii=ascii_only)[:-1])
            conds.extend(text.like(f"%{_escape_like(t)}%", escape="\\") for t in tokens)
    return or_(*conds)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(stmt: Select[Any], f: ListFilter) -> Select[Any]:
    stmt = _apply_filter(stmt, replace(f.base, categories=None))
    if f.base.categories:
        stmt = stmt.where(_json_list_has_any(ServiceRow.categories, f.base.categories, group=False))
    if f.support_types:
        stmt = stmt.where(_json_list_has_any(ServiceRow.support_types, f.support_types, group=True))
    if f.user_types:
        stmt = stmt.where(_json_list_has_any(ServiceRow.user_types, f.user_types, group=False))
    return stmt


_SORT_COLUMNS: dict[SortOrder, tuple[Any, bool]] = {  # column, descending
    SortOrder.NAME: (ServiceRow.name, False),
    SortOrder.VIEWS: (ServiceRow.views, True),
    SortOrder.DEADLINE: (ServiceRow.period_end, False),
}


def _sort_key(row: Any, order: SortOrder) -> list[Any]:
    """The cursor position of a page row (a result of `_PAGE_COLUMNS`)."""
    if order is SortOrder.SERVICE_ID:
        return [row.service_id]
    value = getattr(row, _SORT_COLUMNS[order][0].key)
    if isinstance(value, date):
        value = value.isoformat()
    return [value, row.service_id]


def _after(order: SortOrder, key: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after `key` in `order` (nulls sort last)."""
    if order is SortOrder.SERVICE_ID:
        return ServiceRow.service_id > str(key[0])
    column, descending = _SORT_COLUMNS[order]
    value, last_id = key[0], str(key[1])
    if value is None:
        return and_(column.is_(None), ServiceRow.service_id > last_id)
    if order is SortOrder.DEADLINE:
        value = date.fromisoformat(str(value))
    beyond = column < value if descending else column > value
    return or_(beyond, and_(column == value, ServiceRow.service_id > last_id), column.is_(None))


def _ordered(stmt: Select[Any], order: SortOrder) -> Select[Any]:
    if order is SortOrder.SERVICE_ID:
        return stmt.order_by(ServiceRow.service_id)
    column, descending = _SORT_COLUMNS[order]
    first = column.desc() if descending else column.asc()
    return stmt.order_by(first.nulls_last(), ServiceRow.service_id)


def validate_key(order: SortOrder, key: Sequence[Any]) -> bool:
    """Whether a decoded cursor position has the shape of a key of `order`."""
    if order is SortOrder.SERVICE_ID:
        return len(key) == 1 and isinstance(key[0], str)
    if len(key) != 2 or not isinstance(key[1], str):
        return False
    value = key[0]
    if value is None:
        return True
    if order is SortOrder.VIEWS:
        return isinstance(value, int) and not isinstance(value, bool)
    if order is SortOrder.DEADLINE:
        try:
            date.fromisoformat(str(value))
        except ValueError:
            return False
        return isinstance(value, str)
    return isinstance(value, str)


_PAGE_COLUMNS = (
    ServiceRow.service_id,
    ServiceRow.name,
    ServiceRow.views,
    ServiceRow.status,
    ServiceRow.last_changed_at,
    ServiceRow.period_end,
    ServiceRow.content_hash,
)


def _record_text() -> Any:
    """The record column as JSON text: decoded with orjson, several times faster than the
    standard library the JSON column type uses (records are large)."""
    return func.cast(ServiceRow.record, repo._text_type())


class SummaryCache:
    """Service summaries by (service_id, content_hash), without the fields that change
    without a new content hash (views, status, last_changed_at): a page then reads small
    columns only, and decodes a record only the first time its content is seen."""

    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        self._entries: dict[tuple[str, str], dict[str, Any]] = {}
        self._lock = Lock()

    def get(self, service_id: str, content_hash: str) -> dict[str, Any] | None:
        return self._entries.get((service_id, content_hash))

    def put(self, service_id: str, content_hash: str, summary: dict[str, Any]) -> None:
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()
            self._entries[(service_id, content_hash)] = summary


_summaries = SummaryCache()


def _summaries_for(conn: Connection, page: Sequence[Any]) -> dict[str, dict[str, Any]]:
    """Summaries of the page rows from the cache, decoding the records it does not hold."""
    out: dict[str, dict[str, Any]] = {}
    missing: dict[str, Any] = {}
    for row in page:
        cached = _summaries.get(row.service_id, row.content_hash)
        if cached is None:
            missing[row.service_id] = row
        else:
            out[row.service_id] = cached
    if missing:
        stmt = select(ServiceRow.service_id, ServiceRow.content_hash, _record_text()).where(
            ServiceRow.service_id.in_(list(missing))
        )
        for service_id, content_hash, text in conn.execute(stmt):
            row = missing[service_id]
            summary = summary_of(
                ServiceRow(
                    service_id=service_id,
                    name=row.name,
                    record=orjson.loads(text),
                    views=row.views,
                    status=row.status,
                    last_changed_at=row.last_changed_at,
                )
            )
            _summaries.put(service_id, content_hash, summary)
            out[service_id] = summary
    return out


def service_page(
    engine: Engine, f: ListFilter, *, order: SortOrder, after: Sequence[Any] | None, limit: int
) -> Page:
    """One page of service summaries in `order`, after the row whose key is `after`."""
    with engine.connect() as conn:  # Core, not an ORM session: a third less overhead
        total = int(conn.scalar(_filtered(select(func.count()).select_from(ServiceRow), f)) or 0)
        stmt = _filtered(cast("Select[Any]", select(*_PAGE_COLUMNS)), f)
        if after is not None:
            stmt = stmt.where(_after(order, after))
        found = conn.execute(_ordered(stmt, order).limit(limit + 1)).all()
        page = found[:limit]
        summaries = _summaries_for(conn, page)
    rows = []
    for row in page:
        summary = dict(summaries[row.service_id])
        summary["views"] = row.views
        summary["status"] = row.status
        summary["last_changed_at"] = row.last_changed_at.isoformat()
        rows.append(summary)
    last_key = _sort_key(page[-1], order) if len(found) > limit and page else None
    return Page(total=total, rows=rows, last_key=last_key)


def service_record(engine: Engine, service_id: str) -> dict[str, Any] | None:
    """The stored contract §3 record (as `Service.to_dict()` wrote it), without rebuilding it.
    Ids are matched as given, then upper-cased (as the catalog does)."""
    wanted = service_id.strip()
    with engine.connect() as conn:
        text = conn.scalar(select(_record_text()).where(ServiceRow.service_id == wanted))
        if text is None and wanted != wanted.upper():
            upper = wanted.upper()
            text = conn.scalar(select(_record_text()).where(ServiceRow.service_id == upper))
    record: dict[str, Any] | None = orjson.loads(text) if text is not None else None
    return record


# ── facets (cached per catalog version) ─────────────────────────────────────────────────

_cache: dict[tuple[int, str], tuple[str | None, Any]] = {}
_cache_lock = Lock()


def catalog_version(engine: Engine) -> str | None:
    with session_scope(engine) as session:
        return repo.get_meta(session, "catalog_version")


def _cached(engine: Engine, name: str, version: str | None, build: Any) -> Any:
    key = (id(engine), name)
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] == version and version is not None:
        return hit[1]
    value = build()
    with _cache_lock:
        _cache[key] = (version, value)
    return value


def category_counts(engine: Engine) -> list[tuple[str, int]]:
    """Every 서비스분야 with its number of active services, most services first."""

    def build() -> list[tuple[str, int]]:
        counts: Counter[str] = Counter()
        with session_scope(engine) as session:
            for cats in session.scalars(
                select(ServiceRow.categories).where(ServiceRow.status == "active")
            ):
                counts.update(cats or [])
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    result: list[tuple[str, int]] = _cached(engine, "categories", catalog_version(engine), build)
    return result


def agencies_with_counts(engine: Engine, types: Sequence[str] | None) -> list[dict[str, Any]]:
    with session_scope(engine) as session:
        counts = dict(
            session.execute(
                select(ServiceRow.agency_key, func.count())
                .where(ServiceRow.status == "active")
                .group_by(ServiceRow.agency_key)
            ).all()
        )
        stmt = select(AgencyRow).order_by(AgencyRow.type, AgencyRow.name, AgencyRow.key)
        if types:
            stmt = stmt.where(AgencyRow.type.in_(list(types)))
        return [
            {
                "key": a.key,
                "code": a.code,
                "name": a.name,
                "type": a.type,
                "region_code": a.region_code,
                "services": int(counts.get(a.key, 0)),
            }
            for a in session.scalars(stmt)
        ]


# ── change feed ─────────────────────────────────────────────────────────────────────────


def change_page(
    engine: Engine, *, since: Any, after_id: int, limit: int
) -> tuple[list[dict[str, Any]], bool]:
    """Change-log entries after `after_id` (and at or after `since`), oldest first, and
    whether more follow."""
    with session_scope(engine) as session:
        rows = repo.changes_since(session, since, after_id=after_id, limit=limit + 1)
        out = [
            {
                "id": r.id,
                "service_id": r.service_id,
                "kind": r.kind,
                "fields": list(r.fields or []),
                "version": r.version,
                "at": r.at.isoformat(),
                "run_id": r.run_id,
            }
            for r in rows[:limit]
        ]
        return out, len(rows) > limit


def last_change_id(engine: Engine) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.max(ServiceChangeRow.id))) or 0)


# ── bulk export ─────────────────────────────────────────────────────────────────────────


def export_batches(
    engine: Engine, *, statuses: Sequence[str], batch: int = 200
) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """(status, record) of every service, by service_id, `batch` rows per query and session:
    memory stays constant whatever the catalog's size."""
    after = ""
    while True:
        with session_scope(engine) as session:
            rows = session.execute(
                select(ServiceRow.service_id, ServiceRow.status, ServiceRow.record)
                .where(ServiceRow.status.in_(list(statuses)), ServiceRow.service_id > after)
                .order_by(ServiceRow.service_id)
                .limit(batch)
            ).all()
        if not rows:
            return
        yield [(r[1], r[2]) for r in rows]
        after = rows[-1][0]
        if len(rows) < batch:
            return
