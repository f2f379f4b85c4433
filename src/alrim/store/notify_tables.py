"""Tables of the notification aggregate (the transactional outbox).

- ``notifications``: one row per decided notification — (person, service, trigger, window,
  channel) — written in the transaction that decided it. ``idem_key`` is the SHA-256 of that
  tuple and is unique, so a decision taken twice inserts nothing the second time.
- ``notify_messages``: what a worker delivers. Due notifications of one person and channel are
  grouped into one message (a daily digest, or a single notification when the person chose
  "immediate"); a message is claimed, sent, retried and dead-lettered as a unit. Its
  ``message_key`` fixes the e-mail Message-ID, so a re-send after a crash can be recognised.
- ``notify_preferences``: digest or immediate, categories, quiet hours, and the contact details
  only notifications need (phone number, webhook URL and secret), encrypted with AES-GCM.
  Which channels a person uses is their consent (``notify_email`` …), not a column here.
- ``notify_state``: cursors (e.g. the last ``service_changes.id`` turned into notifications)
  and the last cron slot each scheduled job ran for.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from alrim.store.base import Base, JsonType, UtcDateTime, utcnow

BigIntId = BigInteger().with_variant(Integer(), "sqlite")
ACCOUNT_FK = "accounts.id"


class NotificationRow(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_status_due_at", "status", "due_at"),
        Index("ix_notifications_account_channel", "account_id", "channel", "id"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    idem_key: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[str] = mapped_column(ForeignKey(ACCOUNT_FK, ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10))  # email | sms | webhook | inbox
    service_id: Mapped[str] = mapped_column(String(80), index=True)
    trigger: Mapped[str] = mapped_column(String(20))  # eligible | maybe | opens | closes_d7 …
    window: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(40))  # catalog_new | profile | birthday:65 …
    payload: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    # queued → batched (in a message) → sent | dead; cancelled (consent withdrawn, withdrawn
    # service)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("notify_messages.id", ondelete="SET NULL"), index=True
    )
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # in-app inbox


class MessageRow(Base):
    __tablename__ = "notify_messages"
    __table_args__ = (Index("ix_notify_messages_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    message_key: Mapped[str] = mapped_column(String(40), unique=True)
    account_id: Mapped[str] = mapped_column(ForeignKey(ACCOUNT_FK, ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    # queued → sending (claimed, leased) → sent | queued (retry) | dead; cancelled
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(60))
    in_doubt: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error: Mapped[str | None] = mapped_column(Text)
    provider_response: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    dead_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PreferenceRow(Base):
    __tablename__ = "notify_preferences"

    account_id: Mapped[str] = mapped_column(
        ForeignKey(ACCOUNT_FK, ondelete="CASCADE"), primary_key=True
    )
    mode: Mapped[str] = mapped_column(String(10), default="digest")  # digest | immediate
    categories: Mapped[list[str]] = mapped_column(JsonType, default=list)  # empty = all
    quiet_start: Mapped[int | None] = mapped_column(Integer)  # hour KST, inclusive
    quiet_end: Mapped[int | None] = mapped_column(Integer)  # hour KST, exclusive
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    webhook_url_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    webhook_secret_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


def table_of(row_class: type[Base]) -> Table:
    """The Core table of a mapped class (typed, for bulk statements)."""
    return cast(Table, row_class.__table__)


class NotifyStateRow(Base):
    __tablename__ = "notify_state"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    last_slot: Mapped[str | None] = mapped_column(String(40))
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    result: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
