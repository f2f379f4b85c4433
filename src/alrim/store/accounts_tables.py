"""Tables of the accounts aggregate: accounts, sessions, one-time tokens, login failures,
encrypted profiles (+ change events), consents and the staff audit journal.

Personal values are never stored in the clear: the e-mail address is an AES-GCM token plus a
keyed blind index for lookup, the profile is one AES-GCM blob, session and one-time tokens are
stored as SHA-256 hashes, and login-failure keys are keyed hashes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from alrim.store.base import Base, JsonType, UtcDateTime, utcnow

BigIntId = BigInteger().with_variant(Integer(), "sqlite")
ACCOUNT_FK = "accounts.id"


class AccountRow(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random hex, not guessable
    email_enc: Mapped[bytes] = mapped_column(LargeBinary)
    email_index: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(10), default="citizen")  # citizen | staff | admin
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | active
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SessionRow(Base):
    __tablename__ = "account_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey(ACCOUNT_FK, ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class AccountTokenRow(Base):
    """Single-use e-mail tokens (verify, reset); only their hash is stored."""

    __tablename__ = "account_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey(ACCOUNT_FK, ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class LoginFailureRow(Base):
    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_failed_at", "key", "failed_at"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64))  # keyed hash of the e-mail or client address
    failed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class ProfileRow(Base):
    """The person's questionnaire answers (contract §1 JSON) as one AES-GCM blob."""

    __tablename__ = "account_profiles"

    account_id: Mapped[str] = mapped_column(
        ForeignKey(ACCOUNT_FK, ondelete="CASCADE"), primary_key=True
    )
    profile_enc: Mapped[bytes] = mapped_column(LargeBinary)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class ProfileEventRow(Base):
    """One row per profile save or removal: a cursor (``seq``) for notification triggers."""

    __tablename__ = "profile_events"

    seq: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey(ACCOUNT_FK, ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # saved | removed
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ConsentRow(Base):
    """Consent history: a grant or a withdrawal is a new row; the latest per purpose counts."""

    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_account_purpose", "account_id", "purpose", "id"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey(ACCOUNT_FK, ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(40))
    granted: Mapped[bool] = mapped_column(Boolean)
    wording_version: Mapped[str] = mapped_column(String(20))
    wording_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(20))  # signup | account | staff | system
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AuditRow(Base):
    """Append-only journal of staff access to a person's data (database triggers refuse
    UPDATE and DELETE). Holds opaque ids only, so it outlives an erased account."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor_id: Mapped[str] = mapped_column(String(32), index=True)
    actor_role: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[str | None] = mapped_column(String(32), index=True)
    action: Mapped[str] = mapped_column(String(40))
    purpose: Mapped[str] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
