"""catalog: regions, agencies, services, versions, changes, runs, quarantine

Revision ID: 0001
Revises:
Create Date: 2026-11-25 11:56:35.962114
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "agencies",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("region_code", sa.String(length=5), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_agencies")),
    )
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agencies_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_agencies_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_agencies_type"), ["type"], unique=False)

    op.create_table(
        "catalog_meta",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_catalog_meta")),
    )
    op.create_table(
        "ingest_runs",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("dataset", sa.String(length=60), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column(
            "counts",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "notes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_runs")),
    )
    with op.batch_alter_table("ingest_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ingest_runs_dataset"), ["dataset"], unique=False)

    op.create_table(
        "regions",
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("sido_code", sa.String(length=2), nullable=False),
        sa.Column("parent_code", sa.String(length=5), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_regions")),
    )
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_regions_sido_code"), ["sido_code"], unique=False)

    op.create_table(
        "quarantined_rows",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("run_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("dataset", sa.String(length=60), nullable=False),
        sa.Column("endpoint", sa.String(length=40), nullable=False),
        sa.Column("ref", sa.String(length=500), nullable=False),
        sa.Column("service_key", sa.String(length=80), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["ingest_runs.id"], name=op.f("fk_quarantined_rows_run_id_ingest_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantined_rows")),
    )
    with op.batch_alter_table("quarantined_rows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quarantined_rows_run_id"), ["run_id"], unique=False)

    op.create_table(
        "service_changes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("run_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("service_id", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column(
            "fields",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["ingest_runs.id"], name=op.f("fk_service_changes_run_id_ingest_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_changes")),
    )
    with op.batch_alter_table("service_changes", schema=None) as batch_op:
        batch_op.create_index("ix_service_changes_at_id", ["at", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_changes_run_id"), ["run_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_service_changes_service_id"), ["service_id"], unique=False
        )

    op.create_table(
        "services",
        sa.Column("service_id", sa.String(length=80), nullable=False),
        sa.Column("dataset", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("agency_key", sa.String(length=120), nullable=False),
        sa.Column("agency_type", sa.String(length=30), nullable=False),
        sa.Column("region_code", sa.String(length=5), nullable=True),
        sa.Column("sido_code", sa.String(length=2), nullable=True),
        sa.Column(
            "categories",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "support_types",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "user_types",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("views", sa.BigInteger(), nullable=True),
        sa.Column("period_kind", sa.String(length=20), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column(
            "record",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_key"], ["agencies.key"], name=op.f("fk_services_agency_key_agencies")
        ),
        sa.PrimaryKeyConstraint("service_id", name=op.f("pk_services")),
    )
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_services_agency_key"), ["agency_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_services_agency_type"), ["agency_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_services_dataset"), ["dataset"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_services_last_changed_at"), ["last_changed_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_services_period_end"), ["period_end"], unique=False)
        batch_op.create_index(batch_op.f("ix_services_period_kind"), ["period_kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_services_region_code"), ["region_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_services_sido_code"), ["sido_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_services_status"), ["status"], unique=False)

    op.create_table(
        "service_versions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("service_id", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "record",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["ingest_runs.id"], name=op.f("fk_service_versions_run_id_ingest_runs")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.service_id"],
            name=op.f("fk_service_versions_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_versions")),
        sa.UniqueConstraint("service_id", "version", name=op.f("uq_service_versions_service_id")),
    )
    with op.batch_alter_table("service_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_versions_service_id"), ["service_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("service_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_versions_service_id"))

    op.drop_table("service_versions")
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_services_status"))
        batch_op.drop_index(batch_op.f("ix_services_sido_code"))
        batch_op.drop_index(batch_op.f("ix_services_region_code"))
        batch_op.drop_index(batch_op.f("ix_services_period_kind"))
        batch_op.drop_index(batch_op.f("ix_services_period_end"))
        batch_op.drop_index(batch_op.f("ix_services_last_changed_at"))
        batch_op.drop_index(batch_op.f("ix_services_dataset"))
        batch_op.drop_index(batch_op.f("ix_services_agency_type"))
        batch_op.drop_index(batch_op.f("ix_services_agency_key"))

    op.drop_table("services")
    with op.batch_alter_table("service_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_changes_service_id"))
        batch_op.drop_index(batch_op.f("ix_service_changes_run_id"))
        batch_op.drop_index("ix_service_changes_at_id")

    op.drop_table("service_changes")
    with op.batch_alter_table("quarantined_rows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarantined_rows_run_id"))

    op.drop_table("quarantined_rows")
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regions_sido_code"))

    op.drop_table("regions")
    with op.batch_alter_table("ingest_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ingest_runs_dataset"))

    op.drop_table("ingest_runs")
    op.drop_table("catalog_meta")
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agencies_type"))
        batch_op.drop_index(batch_op.f("ix_agencies_name"))
        batch_op.drop_index(batch_op.f("ix_agencies_code"))

    op.drop_table("agencies")
