"""Retention: `purge(engine, now)` deletes what has outlived its purpose. Built in: expired
sessions, used or expired e-mail tokens, old login failures, sign-ups never verified within
7 days. The notification engineer registers a purger for delivered messages older than
``ALRIM_MESSAGE_RETENTION_DAYS`` (default 90) with `register_purger`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, delete, or_, select
from sqlalchemy.orm import Session

from alrim.accounts import ratelimit
from alrim.privacy.erasure import erase_person
from alrim.privacy.transaction import unit_of_work
from alrim.settings import Settings, get_settings
from alrim.store.accounts_tables import AccountRow, AccountTokenRow, SessionRow

Purger = Callable[[Session, datetime, Settings], int]
_purgers: dict[str, Purger] = {}

PENDING_SIGNUP_DAYS = 7


def register_purger(name: str, fn: Purger) -> None:
    """`fn(session, now, settings) -> rows deleted`, run by `purge` in its own transaction."""
    _purgers[name] = fn


def purge(engine: Engine, now: datetime, settings: Settings | None = None) -> dict[str, int]:
    """Run every purger (each in its own transaction); returns rows deleted per purger."""
    from datetime import timedelta

    settings = settings or get_settings()
    counts: dict[str, int] = {}
    with unit_of_work(engine) as session:
        counts["account_sessions"] = _rowcount(
            session.execute(delete(SessionRow).where(SessionRow.expires_at <= now))
        )
        counts["account_tokens"] = _rowcount(
            session.execute(
                delete(AccountTokenRow).where(
                    or_(AccountTokenRow.expires_at <= now, AccountTokenRow.used_at.is_not(None))
                )
            )
        )
        counts["login_failures"] = ratelimit.purge(session, now)
        stale = session.scalars(
            select(AccountRow.id).where(
                AccountRow.status == "pending",
                AccountRow.created_at <= now - timedelta(days=PENDING_SIGNUP_DAYS),
            )
        ).all()
    for account_id in stale:
        erase_person(engine, account_id)
    counts["pending_accounts"] = len(stale)
    for name, fn in _purgers.items():
        with unit_of_work(engine) as session:
            counts[name] = int(fn(session, now, settings) or 0)
    return counts


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
