"""notify: the notification outbox, delivered messages, preferences and worker state

Revision ID: 0005
Revises: 0004
Depends on: 0004 (notifications belong to accounts)
Create Date: 2026-11-25 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_TS = sa.DateTime(timezone=True)


def _account_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["account_id"],
        ["accounts.id"],
        name=op.f(f"fk_{table}_account_id_accounts"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "notify_messages",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("message_key", sa.String(length=40), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("due_at", _TS, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", _TS, nullable=True),
        sa.Column("lease_owner", sa.String(length=60), nullable=True),
        sa.Column("in_doubt", sa.Boolean(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("provider_response", _JSON, nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("sent_at", _TS, nullable=True),
        sa.Column("dead_at", _TS, nullable=True),
        _account_fk("notify_messages"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_messages")),
        sa.UniqueConstraint("message_key", name=op.f("uq_notify_messages_message_key")),
    )
    op.create_index(
        op.f("ix_notify_messages_account_id"), "notify_messages", ["account_id"], unique=False
    )
    op.create_index(op.f("ix_notify_messages_sent_at"), "notify_messages", ["sent_at"])
    op.create_index("ix_notify_messages_status_due_at", "notify_messages", ["status", "due_at"])

    op.create_table(
        "notifications",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("idem_key", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("service_id", sa.String(length=80), nullable=False),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("window", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("payload", _JSON, nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("due_at", _TS, nullable=False),
        sa.Column("message_id", _ID, nullable=True),
        sa.Column("read_at", _TS, nullable=True),
        _account_fk("notifications"),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["notify_messages.id"],
            name=op.f("fk_notifications_message_id_notify_messages"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("idem_key", name=op.f("uq_notifications_idem_key")),
    )
    op.create_index(op.f("ix_notifications_service_id"), "notifications", ["service_id"])
    op.create_index(op.f("ix_notifications_message_id"), "notifications", ["message_id"])
    op.create_index("ix_notifications_status_due_at", "notifications", ["status", "due_at"])
    op.create_index(
        "ix_notifications_account_channel", "notifications", ["account_id", "channel", "id"]
    )

    op.create_table(
        "notify_preferences",
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("categories", _JSON, nullable=False),
        sa.Column("quiet_start", sa.Integer(), nullable=True),
        sa.Column("quiet_end", sa.Integer(), nullable=True),
        sa.Column("phone_enc", sa.LargeBinary(), nullable=True),
        sa.Column("webhook_url_enc", sa.LargeBinary(), nullable=True),
        sa.Column("webhook_secret_enc", sa.LargeBinary(), nullable=True),
        sa.Column("updated_at", _TS, nullable=False),
        _account_fk("notify_preferences"),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_notify_preferences")),
    )

    op.create_table(
        "notify_state",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
        sa.Column("last_slot", sa.String(length=40), nullable=True),
        sa.Column("started_at", _TS, nullable=True),
        sa.Column("finished_at", _TS, nullable=True),
        sa.Column("result", _JSON, nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_notify_state")),
    )


def downgrade() -> None:
    for table in ("notify_state", "notify_preferences", "notifications", "notify_messages"):
        op.drop_table(table)
