"""Single-use e-mail tokens (e-mail verification, password reset). The database holds only
the SHA-256 of a token; using one marks it used in the same UPDATE that checks it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from alrim.store.accounts_tables import AccountTokenRow

LIFETIMES = {"reset": timedelta(hours=1), "verify": timedelta(days=2)}
RECENT = timedelta(minutes=15)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(session: Session, account_id: str, purpose: str, now: datetime) -> str:
    """A new token; earlier unused tokens of the same purpose stop working."""
    session.execute(
        update(AccountTokenRow)
        .where(
            AccountTokenRow.account_id == account_id,
            AccountTokenRow.purpose == purpose,
            AccountTokenRow.used_at.is_(None),
        )
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    session.add(
        AccountTokenRow(
            token_hash=token_hash(token),
            account_id=account_id,
            purpose=purpose,
            created_at=now,
            expires_at=now + LIFETIMES[purpose],
        )
    )
    return token


def peek(session: Session, token: str, purpose: str, now: datetime) -> str | None:
    """The account a still-valid token belongs to, without using it."""
    row = session.get(AccountTokenRow, token_hash(token))
    if row is None or row.purpose != purpose or row.used_at is not None or row.expires_at <= now:
        return None
    return row.account_id


def consume(session: Session, token: str, purpose: str, now: datetime) -> str | None:
    """Use a token once: the account id, or None when unknown, expired or already used."""
    account_id = peek(session, token, purpose, now)
    if account_id is None:
        return None
    result = session.execute(
        update(AccountTokenRow)
        .where(
            AccountTokenRow.token_hash == token_hash(token),
            AccountTokenRow.used_at.is_(None),
        )
        .values(used_at=now)
    )
    return account_id if result.rowcount == 1 else None  # type: ignore[attr-defined]


def recent_count(session: Session, account_id: str, purpose: str, now: datetime) -> int:
    """Tokens issued for this account and purpose within `RECENT` (throttles mail)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(AccountTokenRow)
            .where(
                AccountTokenRow.account_id == account_id,
                AccountTokenRow.purpose == purpose,
                AccountTokenRow.created_at > now - RECENT,
            )
        )
        or 0
    )
