""" "Download my data": one JSON document with everything held about the person. Other
modules add their part with `register_exporter(name, fn)` (the notification tables: settings,
messages, channels)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alrim.privacy import audit, consent
from alrim.privacy.keys import keyring
from alrim.privacy.transaction import unit_of_work
from alrim.privacy.wording import wording_for
from alrim.store.accounts_tables import AccountRow, ProfileRow, SessionRow
from alrim.store.base import utcnow

FORMAT = "alrim-person-export/1"
Exporter = Callable[[Session, str], Any]
_exporters: dict[str, Exporter] = {}


def register_exporter(name: str, fn: Exporter) -> None:
    """`fn(session, account_id)` returns JSON-serialisable data, exported under `name`."""
    _exporters[name] = fn


def export_person(
    engine: Engine, account_id: str, *, now: datetime | None = None
) -> dict[str, Any]:
    from alrim.accounts.profiles import decode
    from alrim.accounts.service import to_account

    ring = keyring()
    with unit_of_work(engine) as session:
        row = session.get(AccountRow, account_id)
        if row is None:
            raise KeyError(account_id)
        profile_row = session.get(ProfileRow, account_id)
        sessions = session.scalars(
            select(SessionRow)
            .where(SessionRow.account_id == account_id)
            .order_by(SessionRow.created_at)
        ).all()
        out: dict[str, Any] = {
            "format": FORMAT,
            "exported_at": (now or utcnow()).isoformat(),
            "account": to_account(ring, row).to_dict(),
            "profile": (
                {
                    "answers": decode(ring, account_id, profile_row.profile_enc),
                    "version": profile_row.version,
                    "updated_at": profile_row.updated_at.isoformat(),
                }
                if profile_row is not None
                else None
            ),
            "consents": [
                {**c.to_dict(), "wording": _wording_text(c.purpose, c.wording_hash)}
                for c in consent.history(session, account_id)
            ],
            "sessions": [
                {"created_at": s.created_at.isoformat(), "expires_at": s.expires_at.isoformat()}
                for s in sessions
            ],
            "staff_access": [
                {k: v for k, v in e.to_dict().items() if k != "actor_id"}
                for e in audit.entries(session, subject_id=account_id, limit=10_000)
            ],
        }
        for name, fn in _exporters.items():
            out[name] = fn(session, account_id)
    return out


def _wording_text(purpose: str, text_hash: str) -> str | None:
    """The text the person agreed to, when it is the current wording (hash matches)."""
    try:
        wording = wording_for(purpose)
    except KeyError:
        return None
    return wording.text if wording.text_hash == text_hash else None
