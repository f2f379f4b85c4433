"""Consent per purpose: every grant or withdrawal is a new row (history kept); the latest row
for a purpose decides. Withdrawal effects (e.g. withdrawing ``matching`` erases the saved
answers) are registered by the modules that hold the data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, func, select
from sqlalchemy.orm import Session

from alrim.privacy.transaction import Bind, unit_of_work
from alrim.privacy.wording import Wording, wording_for
from alrim.store.accounts_tables import ConsentRow
from alrim.store.base import utcnow

WithdrawalEffect = Callable[[Session, str], None]
_effects: dict[str, list[WithdrawalEffect]] = {}


def register_withdrawal_effect(purpose: str, fn: WithdrawalEffect) -> None:
    """Run `fn(session, account_id)` in the same transaction whenever `purpose` is withdrawn."""
    if fn not in _effects.setdefault(purpose, []):
        _effects[purpose].append(fn)


@dataclass(frozen=True)
class ConsentState:
    purpose: str
    granted: bool
    wording_version: str
    wording_hash: str
    recorded_at: datetime
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "purpose": self.purpose,
            "granted": self.granted,
            "wording_version": self.wording_version,
            "wording_hash": self.wording_hash,
            "recorded_at": self.recorded_at.isoformat(),
            "source": self.source,
        }


def record(
    bind: Bind,
    account_id: str,
    purpose: str,
    granted: bool,
    *,
    source: str = "account",
    wording: Wording | None = None,
    at: datetime | None = None,
) -> ConsentState:
    """Append a grant or withdrawal with the wording version and text hash shown."""
    shown = wording or wording_for(purpose)
    row = ConsentRow(
        account_id=account_id,
        purpose=purpose,
        granted=granted,
        wording_version=shown.version,
        wording_hash=shown.text_hash,
        source=source,
        recorded_at=at or utcnow(),
    )
    with unit_of_work(bind) as session:
        session.add(row)
        if not granted:
            import alrim.accounts.profiles  # noqa: F401  (registers the matching effect)

            session.flush()
            for effect in _effects.get(purpose, []):
                effect(session, account_id)
    return _state(row)


def grant(bind: Bind, account_id: str, purpose: str, *, source: str = "account") -> ConsentState:
    return record(bind, account_id, purpose, True, source=source)


def withdraw(bind: Bind, account_id: str, purpose: str, *, source: str = "account") -> ConsentState:
    return record(bind, account_id, purpose, False, source=source)


def _latest_ids(account_id: str | None, purpose: str | None) -> Any:
    query = select(func.max(ConsentRow.id))
    if account_id is not None:
        query = query.where(ConsentRow.account_id == account_id)
    if purpose is not None:
        query = query.where(ConsentRow.purpose == purpose)
    return query.group_by(ConsentRow.account_id, ConsentRow.purpose)


def has_consent(bind: Bind, account_id: str, purpose: str) -> bool:
    """True when the latest recorded decision for this purpose is a grant."""
    with unit_of_work(bind) as session:
        granted = session.scalar(
            select(ConsentRow.granted)
            .where(ConsentRow.account_id == account_id, ConsentRow.purpose == purpose)
            .order_by(ConsentRow.id.desc())
            .limit(1)
        )
    return bool(granted)


def current(bind: Bind, account_id: str) -> dict[str, ConsentState]:
    """The latest decision per purpose for one person."""
    with unit_of_work(bind) as session:
        rows = session.scalars(
            select(ConsentRow).where(ConsentRow.id.in_(_latest_ids(account_id, None)))
        ).all()
    return {r.purpose: _state(r) for r in rows}


def history(bind: Bind, account_id: str) -> list[ConsentState]:
    """Every grant and withdrawal, oldest first."""
    with unit_of_work(bind) as session:
        rows = session.scalars(
            select(ConsentRow).where(ConsentRow.account_id == account_id).order_by(ConsentRow.id)
        ).all()
    return [_state(r) for r in rows]


def accounts_with_consent(engine: Engine, purpose: str) -> set[str]:
    """Every account whose latest decision for `purpose` is a grant (one query; for audiences)."""
    latest = _latest_ids(None, purpose).subquery()
    with unit_of_work(engine) as session:
        ids = session.scalars(
            select(ConsentRow.account_id).where(
                and_(ConsentRow.id.in_(select(latest)), ConsentRow.granted.is_(True))
            )
        ).all()
    return set(ids)


def _state(row: ConsentRow) -> ConsentState:
    return ConsentState(
        purpose=row.purpose,
        granted=row.granted,
        wording_version=row.wording_version,
        wording_hash=row.wording_hash,
        recorded_at=row.recorded_at,
        source=row.source,
    )
