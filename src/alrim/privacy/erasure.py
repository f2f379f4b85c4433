"""Erasure ("delete my data"): one transaction that runs every registered eraser (the
notification tables register theirs) and then deletes the account's own rows. Nothing that
identifies the person remains; the staff audit journal keeps only the opaque account id."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from alrim.accounts import ratelimit
from alrim.accounts.identity import decrypt_email
from alrim.privacy.crypto import CryptoError
from alrim.privacy.keys import keyring
from alrim.privacy.transaction import unit_of_work
from alrim.store.accounts_tables import (
    AccountRow,
    AccountTokenRow,
    ConsentRow,
    LoginFailureRow,
    ProfileEventRow,
    ProfileRow,
    SessionRow,
)

Eraser = Callable[[Session, str], int | None]
_erasers: dict[str, Eraser] = {}


def register_eraser(fn: Eraser, *, name: str | None = None) -> None:
    """Register `fn(session, account_id) -> rows deleted` to run, in the erasure transaction,
    before the account row goes (so tables that reference accounts can clean up first)."""
    _erasers[name or f"{fn.__module__}.{fn.__qualname__}"] = fn


def registered_erasers() -> list[str]:
    return list(_erasers)


def erase_person(engine: Engine | Session, account_id: str) -> dict[str, int]:
    """Delete everything held about the person. Returns rows deleted per table/eraser."""
    counts: dict[str, int] = {}
    with unit_of_work(engine) as session:
        account = session.get(AccountRow, account_id)
        for name, fn in _erasers.items():
            counts[name] = int(fn(session, account_id) or 0)
        if account is not None:
            try:
                email = decrypt_email(keyring(), account_id, account.email_enc)
                key = ratelimit.email_key(keyring(), email)
                counts["login_failures"] = _delete(
                    session, delete(LoginFailureRow).where(LoginFailureRow.key == key)
                )
            except CryptoError:
                pass  # keys lost: the failures expire on their own within minutes
        for table in (
            SessionRow,
            AccountTokenRow,
            ConsentRow,
            ProfileEventRow,
            ProfileRow,
        ):
            counts[table.__tablename__] = _delete(
                session,
                delete(table).where(table.account_id == account_id),
            )
        counts["accounts"] = _delete(session, delete(AccountRow).where(AccountRow.id == account_id))
    return counts


def _delete(session: Session, statement: object) -> int:
    result = session.execute(statement)  # type: ignore[call-overload]
    return int(result.rowcount or 0)
