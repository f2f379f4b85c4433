"""Server-side login sessions. The cookie carries a random token; the table stores its
SHA-256, the account and a per-session CSRF token. A login always issues a new token."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from alrim.store.accounts_tables import AccountRow, SessionRow

LIFETIME = timedelta(days=14)


@dataclass(frozen=True)
class LoginSession:
    token: str  # only known right after creation (goes into the cookie)
    account_id: str
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class ActiveSession:
    account_id: str
    role: str
    csrf_token: str
    expires_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(
    session: Session, account_id: str, now: datetime, *, replaces: str | None = None
) -> LoginSession:
    """A new session (the old one, if a cookie named it, is ended: session fixation)."""
    if replaces:
        revoke(session, replaces)
    token = secrets.token_urlsafe(32)
    row = SessionRow(
        token_hash=_hash(token),
        account_id=account_id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + LIFETIME,
    )
    session.add(row)
    return LoginSession(token, account_id, row.csrf_token, row.expires_at)


def lookup(session: Session, token: str | None, now: datetime) -> ActiveSession | None:
    if not token:
        return None
    found = session.execute(
        select(SessionRow, AccountRow.role, AccountRow.status, AccountRow.password_changed_at)
        .join(AccountRow, AccountRow.id == SessionRow.account_id)
        .where(SessionRow.token_hash == _hash(token))
    ).first()
    if found is None:
        return None
    row, role, status, password_changed_at = found
    if row.expires_at <= now or status != "active" or row.created_at < password_changed_at:
        return None
    return ActiveSession(row.account_id, role, row.csrf_token, row.expires_at)


def revoke(session: Session, token: str) -> None:
    session.execute(delete(SessionRow).where(SessionRow.token_hash == _hash(token)))


def revoke_all(session: Session, account_id: str) -> int:
    result = session.execute(delete(SessionRow).where(SessionRow.account_id == account_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
