"""Staff access to a person's data (주민센터 counter, administrators).

Every function here takes the acting staff account and a purpose, writes the audit row
first — in the same transaction, flushed before any personal value is read — and only then
returns data. If the journal cannot be written, nothing is returned. Citizens are refused.
These are the only functions that read another person's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from alrim.accounts.identity import email_indexes
from alrim.accounts.profiles import decode
from alrim.accounts.service import Account, to_account
from alrim.privacy import audit, consent
from alrim.privacy.keys import keyring
from alrim.privacy.transaction import unit_of_work
from alrim.store.accounts_tables import AccountRow, ProfileRow

STAFF_ROLES = frozenset({"staff", "admin"})
MIN_PURPOSE = 4


class AccessDenied(PermissionError):
    pass


@dataclass(frozen=True)
class PersonView:
    account: Account
    profile: dict[str, Any] | None
    consents: dict[str, bool]
    audit_id: int


def _check(actor: Account, purpose: str) -> str:
    if actor.role not in STAFF_ROLES or actor.status != "active":
        raise AccessDenied("only active staff or admin accounts may read a person's data")
    purpose = purpose.strip()
    if len(purpose) < MIN_PURPOSE:
        raise ValueError("a purpose (why the data is needed) is required")
    return purpose


def find_person(engine: Engine, actor: Account, email: str, purpose: str) -> str | None:
    """The account id registered with `email` (audited as a lookup, found or not)."""
    purpose = _check(actor, purpose)
    with unit_of_work(engine) as session:
        subject = session.scalar(
            select(AccountRow.id).where(AccountRow.email_index.in_(email_indexes(keyring(), email)))
        )
        audit.append(
            session,
            actor_id=actor.id,
            actor_role=actor.role,
            subject_id=subject,
            action="lookup_by_email",
            purpose=purpose,
            detail={"found": subject is not None},
        )
    return subject


def read_person(engine: Engine, actor: Account, subject_id: str, purpose: str) -> PersonView | None:
    """The person's account, saved answers and consents, after journaling the read."""
    purpose = _check(actor, purpose)
    ring = keyring()
    with unit_of_work(engine) as session:
        entry = audit.append(
            session,
            actor_id=actor.id,
            actor_role=actor.role,
            subject_id=subject_id,
            action="read_person",
            purpose=purpose,
            detail={"fields": ["account", "profile", "consents"]},
        )
        row = session.get(AccountRow, subject_id)
        if row is None:
            return None
        profile_row = session.get(ProfileRow, subject_id)
        return PersonView(
            account=to_account(ring, row),
            profile=decode(ring, subject_id, profile_row.profile_enc) if profile_row else None,
            consents={p: s.granted for p, s in consent.current(session, subject_id).items()},
            audit_id=entry.id,
        )


def read_audit_journal(
    engine: Engine, actor: Account, *, limit: int = 100, before_id: int | None = None
) -> list[audit.AuditEntry]:
    """The journal itself (admins only; reading it is journaled too)."""
    if actor.role != "admin" or actor.status != "active":
        raise AccessDenied("only administrators may read the audit journal")
    with unit_of_work(engine) as session:
        audit.append(
            session,
            actor_id=actor.id,
            actor_role=actor.role,
            subject_id=None,
            action="read_audit_journal",
            purpose="감사 기록 확인",
        )
        return audit.entries(session, limit=limit, before_id=before_id)
