"""Failed-login throttling, per e-mail address and per client address (both stored only as
keyed hashes). Counts apply whether or not the address has an account, so a lockout
reveals nothing about who is registered."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from alrim.privacy.crypto import Keyring
from alrim.store.accounts_tables import LoginFailureRow

WINDOW = timedelta(minutes=15)
MAX_PER_EMAIL = 5
MAX_PER_CLIENT = 30


def email_key(ring: Keyring, normalized_email: str) -> str:
    return ring.mac(normalized_email.encode("utf-8"), "login-email")


def client_key(ring: Keyring, client: str) -> str:
    return ring.mac(client.encode("utf-8"), "login-client")


def _count(session: Session, key: str, now: datetime) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(LoginFailureRow)
            .where(LoginFailureRow.key == key, LoginFailureRow.failed_at > now - WINDOW)
        )
        or 0
    )


def is_locked(session: Session, keys: dict[str, str], now: datetime) -> bool:
    """`keys`: {"email": …, "client": …} (either may be absent)."""
    if "email" in keys and _count(session, keys["email"], now) >= MAX_PER_EMAIL:
        return True
    return "client" in keys and _count(session, keys["client"], now) >= MAX_PER_CLIENT


def record_failure(session: Session, keys: dict[str, str], now: datetime) -> None:
    for key in keys.values():
        session.add(LoginFailureRow(key=key, failed_at=now))


def clear(session: Session, key: str) -> None:
    session.execute(delete(LoginFailureRow).where(LoginFailureRow.key == key))


def purge(session: Session, now: datetime) -> int:
    result = session.execute(
        delete(LoginFailureRow).where(LoginFailureRow.failed_at <= now - WINDOW)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
