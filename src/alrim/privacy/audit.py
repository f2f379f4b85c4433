"""The staff audit journal: who read whose data, what, why and when. Rows are only ever
inserted (the database refuses UPDATE and DELETE on ``audit_log``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alrim.privacy.transaction import Bind, unit_of_work
from alrim.store.accounts_tables import AuditRow
from alrim.store.base import utcnow


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor_id: str
    actor_role: str
    subject_id: str | None
    action: str
    purpose: str
    detail: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor_role": self.actor_role,
            "subject_id": self.subject_id,
            "action": self.action,
            "purpose": self.purpose,
            "detail": self.detail,
        }


def append(
    session: Session,
    *,
    actor_id: str,
    actor_role: str,
    subject_id: str | None,
    action: str,
    purpose: str,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Insert one journal row and flush it (so a failure surfaces before any data is read)."""
    row = AuditRow(
        at=at or utcnow(),
        actor_id=actor_id,
        actor_role=actor_role,
        subject_id=subject_id,
        action=action,
        purpose=purpose,
        detail=detail or {},
    )
    session.add(row)
    session.flush()
    return _entry(row)


def entries(
    bind: Bind,
    *,
    limit: int = 100,
    before_id: int | None = None,
    subject_id: str | None = None,
    actor_id: str | None = None,
) -> list[AuditEntry]:
    """Newest first, paged with `before_id`."""
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditRow.id < before_id)
    if subject_id is not None:
        query = query.where(AuditRow.subject_id == subject_id)
    if actor_id is not None:
        query = query.where(AuditRow.actor_id == actor_id)
    with unit_of_work(bind) as session:
        return [_entry(r) for r in session.scalars(query)]


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=row.at,
        actor_id=row.actor_id,
        actor_role=row.actor_role,
        subject_id=row.subject_id,
        action=row.action,
        purpose=row.purpose,
        detail=dict(row.detail or {}),
    )
