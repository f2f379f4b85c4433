"""The outbox: candidate notifications become rows, in the caller's transaction.

Each candidate fans out to the person's channels. A row's idempotency key is the SHA-256 of
(person, service, trigger, window, channel) under a unique constraint, and rows are written
with insert-or-ignore (``ON CONFLICT DO NOTHING`` on SQLite and PostgreSQL alike), so the same
decision taken twice writes nothing the second time — whoever takes it.

When a row is due: the inbox and webhooks at once; e-mail and SMS at the next daily digest
(default 09:00 KST) unless the person chose "immediate"; never inside the person's quiet hours,
and SMS never 21:00–08:00 KST (deferred to the end of the quiet time, not dropped).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert
from sqlalchemy.orm import Session

from alrim.notify.preferences import (
    IMMEDIATE,
    INBOX,
    SMS,
    WEBHOOK,
    Reach,
    ReachTable,
)
from alrim.notify.schedule import KST
from alrim.notify.triggers import Candidate
from alrim.store.notify_tables import NotificationRow, table_of

SMS_QUIET = (21, 8)  # no SMS from 21:00 to 08:00 KST
CHUNK = 20_000


def idem_key(account_id: str, service_id: str, trigger: str, window: str, channel: str) -> str:
    raw = f"{account_id}|{service_id}|{trigger}|{window}|{channel}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def in_quiet(moment: datetime, start: int, end: int) -> bool:
    hour = moment.astimezone(KST).hour
    return (start <= hour < end) if start < end else (hour >= start or hour < end)


def after_quiet(moment: datetime, start: int, end: int) -> datetime:
    """`moment`, or the end of the quiet hours (KST) it falls in."""
    if not in_quiet(moment, start, end):
        return moment
    local = moment.astimezone(KST)
    resume = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if resume <= local:
        resume += timedelta(days=1)
    return resume.astimezone(UTC)


def next_digest(now: datetime, hour: int) -> datetime:
    """The next digest time (today at `hour` KST if still ahead, else tomorrow)."""
    local = now.astimezone(KST)
    at = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if at <= local:
        at += timedelta(days=1)
    return at.astimezone(UTC)


def due_time(channel: str, reach: Reach, now: datetime, digest_hour: int) -> datetime:
    if channel in (INBOX, WEBHOOK):
        return now
    due = now if reach.prefs.mode == IMMEDIATE else next_digest(now, digest_hour)
    p = reach.prefs
    if p.quiet_start is not None and p.quiet_end is not None:
        due = after_quiet(due, p.quiet_start, p.quiet_end)
    if channel == SMS:
        due = after_quiet(due, *SMS_QUIET)
    return due


def plan_rows(
    candidates: Iterable[Candidate],
    reach: ReachTable,
    now: datetime,
    *,
    digest_hour: int,
    categories: Mapping[str, Sequence[str]] | None = None,
) -> list[dict[str, Any]]:
    """Rows to insert: one per candidate and reachable channel (category choices applied)."""
    rows: list[dict[str, Any]] = []
    due_cache: dict[tuple[str, int], datetime] = {}  # by id: Reach objects are interned
    sha256 = hashlib.sha256
    for c in candidates:
        r = reach.get(c.account_id)
        if r is None:
            continue
        if categories is not None and not r.prefs.wants(categories.get(c.service_id, ())):
            continue
        prefix = f"{c.account_id}|{c.service_id}|{c.trigger}|{c.window}|"
        for channel in r.channels:
            key = (channel, id(r))
            due = due_cache.get(key)
            if due is None:
                due = due_cache[key] = due_time(channel, r, now, digest_hour)
            rows.append(
                {
                    "idem_key": sha256((prefix + channel).encode("utf-8")).hexdigest(),
                    "account_id": c.account_id,
                    "channel": channel,
                    "service_id": c.service_id,
                    "trigger": c.trigger,
                    "window": c.window,
                    "reason": c.reason[:40],
                    "payload": c.payload,
                    "status": "queued",
                    "created_at": now,
                    "due_at": due,
                }
            )
    return rows


COLUMNS = (
    "idem_key",
    "account_id",
    "channel",
    "service_id",
    "trigger",
    "window",
    "reason",
    "payload",
    "status",
    "created_at",
    "due_at",
)
_QUOTED = ", ".join(f'"{c}"' for c in COLUMNS)


def _sqlite_time(moment: datetime) -> str:
    """The text SQLAlchemy's DateTime stores on SQLite (UTC, microseconds)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _tuples(rows: Sequence[dict[str, Any]], *, sqlite_times: bool) -> list[tuple[Any, ...]]:
    """Rows as driver tuples: payload JSON and timestamps converted once per distinct value."""
    payloads: dict[int, str] = {}
    times: dict[datetime, Any] = {}

    def payload(value: dict[str, Any]) -> str:
        if not value:
            return "{}"
        key = id(value)
        text = payloads.get(key)
        if text is None:
            text = payloads[key] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return text

    def moment(value: datetime) -> Any:
        out = times.get(value)
        if out is None:
            out = times[value] = _sqlite_time(value) if sqlite_times else value
        return out

    return [
        (
            r["idem_key"],
            r["account_id"],
            r["channel"],
            r["service_id"],
            r["trigger"],
            r["window"],
            r["reason"],
            payload(r["payload"]),
            r["status"],
            moment(r["created_at"]),
            moment(r["due_at"]),
        )
        for r in rows
    ]


def insert_rows(bind: Session | Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Insert-or-ignore `rows` in the caller's transaction; returns how many were new.

    Bulk path straight to the driver: SQLite ``executemany`` of ``INSERT … ON CONFLICT
    (idem_key) DO NOTHING``; PostgreSQL ``COPY`` into a temporary table, then one ``INSERT …
    SELECT … ON CONFLICT (idem_key) DO NOTHING``."""
    if not rows:
        return 0
    connection = bind.connection() if isinstance(bind, Session) else bind
    dialect = connection.dialect.name
    if dialect == "postgresql":
        return _insert_postgres(connection, rows)
    if dialect != "sqlite":  # pragma: no cover - the two supported backends are handled
        result = connection.execute(insert(table_of(NotificationRow)), list(rows))
        return int(result.rowcount or 0)
    sql = (
        f"INSERT INTO notifications ({_QUOTED}) VALUES ({', '.join('?' for _ in COLUMNS)}) "
        "ON CONFLICT (idem_key) DO NOTHING"
    )
    raw = connection.connection.dbapi_connection
    assert raw is not None
    before = raw.total_changes
    cursor = raw.cursor()
    if len(rows) > CHUNK:  # a big audience: let the random-key index pages stay in memory
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        values = _tuples(rows, sqlite_times=True)
        values.sort()  # key order: the unique index is filled page by page, not at random
        for start in range(0, len(values), CHUNK):
            cursor.executemany(sql, values[start : start + CHUNK])
    finally:
        cursor.close()
    return int(raw.total_changes - before)


def _insert_postgres(connection: Connection, rows: Sequence[dict[str, Any]]) -> int:
    raw: Any = connection.connection.dbapi_connection  # psycopg 3: COPY needs the driver
    load = f"notify_load_{secrets.token_hex(4)}"
    with raw.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE {load} (LIKE notifications INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        with cursor.copy(f"COPY {load} ({_QUOTED}) FROM STDIN") as copy:
            for row in _tuples(rows, sqlite_times=False):
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO notifications ({_QUOTED}) SELECT {_QUOTED} FROM {load} "
            "ON CONFLICT (idem_key) DO NOTHING"
        )
        inserted = int(cursor.rowcount or 0)
        cursor.execute(f"DROP TABLE {load}")
    return inserted


def write_candidates(
    session: Session,
    candidates: Iterable[Candidate],
    reach: ReachTable,
    now: datetime,
    *,
    digest_hour: int,
    categories: Mapping[str, Sequence[str]] | None = None,
) -> int:
    rows = plan_rows(candidates, reach, now, digest_hour=digest_hour, categories=categories)
    return insert_rows(session, rows)
