"""Storage side of delivery: group due notifications into messages, claim messages with a
lease, and record what happened.

Claiming is one atomic statement on both backends: PostgreSQL picks rows with ``FOR UPDATE
SKIP LOCKED`` (two workers never get the same row, and neither waits for the other); SQLite
runs the same ``UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING`` under its single-writer
lock. A claimed message is ``sending`` with ``lease_until``; a message still ``sending`` after
its lease — its worker died or hung — can be claimed again, and is then flagged ``in_doubt``:
the dead worker may have handed it over, so it is reconciled before any re-send.

Results are written only by the lease owner (``WHERE lease_owner = :me``), so a worker whose
lease ran out cannot overwrite what another worker decided.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, TextClause, bindparam, select, text, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from alrim.store.base import UtcDateTime
from alrim.store.db import is_postgres, session_scope
from alrim.store.notify_tables import MessageRow, NotificationRow, NotifyStateRow, table_of


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    key: str
    account_id: str
    channel: str
    attempts: int
    in_doubt: bool
    lease_until: datetime


def backoff(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Seconds before try `attempt + 1`: exponential (base·2^(attempt−1)), capped, with
    jitter (uniformly 50–100 % of it) so failed messages do not come back in lockstep."""
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    return delay * rng.uniform(0.5, 1.0)


# ---------------------------------------------------------------------------------------------
# Batching: due notifications → messages (one per person and channel: the digest).


def _lock_sqlite(session: Session) -> None:
    """Take SQLite's write lock first, so the reads below see what we then write on."""
    stmt = sqlite.insert(NotifyStateRow).values(name="batch", cursor=0)
    session.execute(stmt.on_conflict_do_nothing(index_elements=["name"]))


def batch_due(engine: Engine, now: datetime, *, limit: int = 5000) -> int:
    """Group due, queued notifications into messages; returns messages created."""
    with session_scope(engine) as session:
        pg = is_postgres(engine)
        if not pg:
            _lock_sqlite(session)
        query = (
            select(NotificationRow.id, NotificationRow.account_id, NotificationRow.channel)
            .where(NotificationRow.status == "queued", NotificationRow.due_at <= now)
            .order_by(NotificationRow.account_id, NotificationRow.channel, NotificationRow.id)
            .limit(limit)
        )
        if pg:
            query = query.with_for_update(skip_locked=True)
        rows = session.execute(query).all()
        if not rows:
            return 0
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        for nid, account_id, channel in rows:
            groups[(account_id, channel)].append(nid)
        if len(rows) == limit and len(groups) > 1:
            groups.pop((rows[-1][1], rows[-1][2]))  # may continue past the limit: next time
        keys = {group: secrets.token_hex(16) for group in groups}
        session.execute(
            table_of(MessageRow).insert(),
            [
                {
                    "message_key": keys[(account_id, channel)],
                    "account_id": account_id,
                    "channel": channel,
                    "status": "queued",
                    "due_at": now,
                    "attempts": 0,
                    "in_doubt": False,
                    "created_at": now,
                }
                for account_id, channel in groups
            ],
        )
        ids = dict(
            session.execute(
                select(MessageRow.message_key, MessageRow.id).where(
                    MessageRow.message_key.in_(list(keys.values()))
                )
            ).all()
        )
        session.execute(
            update(table_of(NotificationRow))
            .where(table_of(NotificationRow).c.id == bindparam("nid"))
            .values(status="batched", message_id=bindparam("mid")),
            [
                {"nid": nid, "mid": ids[keys[group]]}
                for group, members in groups.items()
                for nid in members
            ],
        )
        return len(groups)


# ---------------------------------------------------------------------------------------------
# Claiming.

_CLAIM_SQLITE = text(
    """
    UPDATE notify_messages SET
        in_doubt = CASE WHEN status = 'sending' THEN 1 ELSE in_doubt END,
        status = 'sending', lease_until = :until, lease_owner = :owner
    WHERE id IN (
        SELECT id FROM notify_messages
        WHERE (status = 'queued' AND due_at <= :now)
           OR (status = 'sending' AND lease_until < :now)
        ORDER BY due_at, id LIMIT :n
    )
    RETURNING id, message_key, account_id, channel, attempts, in_doubt
    """
)

_CLAIM_PG = text(
    """
    WITH picked AS (
        SELECT id FROM notify_messages
        WHERE (status = 'queued' AND due_at <= :now)
           OR (status = 'sending' AND lease_until < :now)
        ORDER BY due_at, id LIMIT :n
        FOR UPDATE SKIP LOCKED
    )
    UPDATE notify_messages AS m SET
        in_doubt = (m.status = 'sending') OR m.in_doubt,
        status = 'sending', lease_until = :until, lease_owner = :owner
    FROM picked WHERE m.id = picked.id
    RETURNING m.id, m.message_key, m.account_id, m.channel, m.attempts, m.in_doubt
    """
)


def _typed(stmt: TextClause) -> TextClause:
    return stmt.bindparams(
        bindparam("now", type_=UtcDateTime()), bindparam("until", type_=UtcDateTime())
    )


def claim(
    engine: Engine, now: datetime, *, owner: str, limit: int, lease_seconds: float
) -> list[Claimed]:
    """Claim up to `limit` due messages for `owner` until now + lease."""
    until = now + timedelta(seconds=lease_seconds)
    stmt = _typed(_CLAIM_PG if is_postgres(engine) else _CLAIM_SQLITE)
    params = {"now": now, "until": until, "owner": owner, "n": limit}
    with engine.begin() as connection:
        rows = connection.execute(stmt, params).all()
    claimed = [
        Claimed(int(r[0]), str(r[1]), str(r[2]), str(r[3]), int(r[4]), bool(r[5]), until)
        for r in rows
    ]
    claimed.sort(key=lambda c: c.id)
    return claimed


# ---------------------------------------------------------------------------------------------
# Recording results (only by the lease owner).


def _owned(message_id: int, owner: str) -> Any:
    return (
        (MessageRow.id == message_id)
        & (MessageRow.lease_owner == owner)
        & (MessageRow.status == "sending")
    )


def mark_sent(
    engine: Engine, message_id: int, owner: str, now: datetime, response: dict[str, Any]
) -> bool:
    with engine.begin() as connection:
        if is_postgres(engine):
            # The commit need not wait for the WAL flush: if PostgreSQL itself crashed now the
            # message would come back `sending` → in doubt → reconciled, never sent twice.
            connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
        done = connection.execute(
            update(table_of(MessageRow))
            .where(_owned(message_id, owner))
            .values(
                status="sent",
                sent_at=now,
                lease_until=None,
                in_doubt=False,
                provider_response=response,
                last_error=None,
            )
        )
        if not done.rowcount:
            return False
        connection.execute(
            update(table_of(NotificationRow))
            .where(NotificationRow.message_id == message_id)
            .values(status="sent")
        )
        return True


def mark_sent_many(
    engine: Engine, results: Sequence[tuple[int, dict[str, Any]]], owner: str, now: datetime
) -> int:
    """Record several handed-over messages in one transaction (what the worker does while a
    batch flows: one commit per group, not per message). Returns how many were ours."""
    if not results:
        return 0
    ids = [message_id for message_id, _ in results]
    messages = table_of(MessageRow)
    with engine.begin() as connection:
        if is_postgres(engine):
            connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
        connection.execute(
            update(messages)
            .where(
                messages.c.id == bindparam("mid"),
                messages.c.lease_owner == owner,
                messages.c.status == "sending",
            )
            .values(
                status="sent",
                sent_at=now,
                lease_until=None,
                in_doubt=False,
                provider_response=bindparam("resp"),
                last_error=None,
            ),
            [{"mid": message_id, "resp": response} for message_id, response in results],
        )
        ours = select(MessageRow.id).where(
            MessageRow.id.in_(ids),
            MessageRow.status == "sent",
            MessageRow.lease_owner == owner,
            MessageRow.sent_at == now,
        )
        marked = list(connection.scalars(ours))
        if marked:
            connection.execute(
                update(table_of(NotificationRow))
                .where(NotificationRow.message_id.in_(marked))
                .values(status="sent")
            )
    return len(marked)


def mark_failed(
    engine: Engine,
    message: Claimed,
    owner: str,
    now: datetime,
    *,
    error: str,
    response: dict[str, Any],
    in_doubt: bool,
    max_attempts: int,
    retry_in: float,
) -> str:
    """Record a failed try: back to the queue after `retry_in` seconds, or dead-lettered
    when this was try number `max_attempts`. Returns the new status."""
    attempts = message.attempts + 1
    dead = attempts >= max_attempts
    values: dict[str, Any] = {
        "attempts": attempts,
        "last_error": error[:2000],
        "provider_response": response,
        "lease_until": None,
        "in_doubt": in_doubt,
    }
    if dead:
        values.update(status="dead", dead_at=now)
    else:
        values.update(status="queued", due_at=now + timedelta(seconds=retry_in))
    with session_scope(engine) as session:
        done = session.execute(update(MessageRow).where(_owned(message.id, owner)).values(values))
        if done.rowcount and dead:  # type: ignore[attr-defined]
            session.execute(
                update(NotificationRow)
                .where(NotificationRow.message_id == message.id)
                .values(status="dead")
            )
    return "dead" if dead else "queued"


def mark_cancelled(engine: Engine, message_id: int, owner: str, reason: str) -> None:
    with session_scope(engine) as session:
        session.execute(
            update(MessageRow)
            .where(_owned(message_id, owner))
            .values(status="cancelled", lease_until=None, last_error=reason[:2000])
        )
        session.execute(
            update(NotificationRow)
            .where(NotificationRow.message_id == message_id)
            .values(status="cancelled")
        )


def release(engine: Engine, ids: Sequence[int], owner: str) -> None:
    """Give back claimed messages that were not tried (as they were: queued, same doubt)."""
    if not ids:
        return
    with session_scope(engine) as session:
        session.execute(
            update(MessageRow)
            .where(
                MessageRow.id.in_(list(ids)),
                MessageRow.lease_owner == owner,
                MessageRow.status == "sending",
            )
            .values(status="queued", lease_until=None)
        )


def requeue_dead(engine: Engine, message_ids: Sequence[int], now: datetime) -> int:
    """Send dead-lettered messages again (an operator's decision): tries start over."""
    with session_scope(engine) as session:
        result = session.execute(
            update(MessageRow)
            .where(MessageRow.id.in_(list(message_ids)), MessageRow.status == "dead")
            .values(status="queued", due_at=now, attempts=0, dead_at=None, in_doubt=False)
        )
        session.execute(
            update(NotificationRow)
            .where(
                NotificationRow.message_id.in_(list(message_ids)),
                NotificationRow.status == "dead",
            )
            .values(status="batched")
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
