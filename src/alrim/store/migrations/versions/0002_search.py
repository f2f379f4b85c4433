"""search: documents, postings, vocabulary and state of the Korean search index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 15:00:00

The index starts empty; the first search (or `alrim search --reindex`) fills it from the
catalog, and every ingest keeps it up to date.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "search_documents",
        sa.Column("doc_id", _ID, autoincrement=True, nullable=False),
        sa.Column("service_id", sa.String(length=80), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("analyzer", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("agency_name", sa.String(length=200), nullable=False),
        sa.Column("agency_type", sa.String(length=30), nullable=False),
        sa.Column("region_code", sa.String(length=5), nullable=True),
        sa.Column("region_name", sa.String(length=80), nullable=True),
        sa.Column("categories", _JSON, nullable=False),
        sa.Column("user_types", _JSON, nullable=False),
        sa.Column("period", _JSON, nullable=False),
        sa.Column("views", sa.BigInteger(), nullable=True),
        sa.Column("field_lengths", _JSON, nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("indexed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.service_id"],
            name=op.f("fk_search_documents_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("doc_id", name=op.f("pk_search_documents")),
        sa.UniqueConstraint("service_id", name=op.f("uq_search_documents_service_id")),
    )
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_documents_generation"), ["generation"], unique=False
        )

    op.create_table(
        "search_postings",
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("postings", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_search_postings")),
    )

    op.create_table(
        "search_terms",
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("df", sa.Integer(), nullable=False),
        sa.Column("name_df", sa.Integer(), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_search_terms")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("search_terms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_terms_generation"), ["generation"], unique=False
        )

    state = op.create_table(
        "search_state",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_search_state")),
    )
    op.bulk_insert(
        state,
        [
            {"key": "generation", "number": 0, "text": None},
            {"key": "epoch", "number": 0, "text": None},
            {"key": "analyzer", "number": 0, "text": None},
        ],
    )


def downgrade() -> None:
    op.drop_table("search_state")
    with op.batch_alter_table("search_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_terms_generation"))
    op.drop_table("search_terms")
    op.drop_table("search_postings")
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_documents_generation"))
    op.drop_table("search_documents")
