"""Tables of the catalog aggregate: regions, agencies, services, versions and changes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from alrim.store.base import Base, JsonType, UtcDateTime, utcnow

BigIntId = BigInteger().with_variant(Integer(), "sqlite")


class RegionRow(Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    level: Mapped[str] = mapped_column(String(10))
    sido_code: Mapped[str] = mapped_column(String(2), index=True)
    parent_code: Mapped[str | None] = mapped_column(String(5))


class AgencyRow(Base):
    __tablename__ = "agencies"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)  # code, or "name:<name>"
    code: Mapped[str | None] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    type: Mapped[str] = mapped_column(String(30), index=True)
    region_code: Mapped[str | None] = mapped_column(String(5))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ServiceRow(Base):
    __tablename__ = "services"

    service_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    dataset: Mapped[str] = mapped_column(String(60), index=True)
    name: Mapped[str] = mapped_column(String(500))
    agency_key: Mapped[str] = mapped_column(ForeignKey("agencies.key"), index=True)
    agency_type: Mapped[str] = mapped_column(String(30), index=True)
    region_code: Mapped[str | None] = mapped_column(String(5), index=True)
    sido_code: Mapped[str | None] = mapped_column(String(2), index=True)
    categories: Mapped[list[str]] = mapped_column(JsonType, default=list)
    support_types: Mapped[list[str]] = mapped_column(JsonType, default=list)
    user_types: Mapped[list[str]] = mapped_column(JsonType, default=list)
    views: Mapped[int | None] = mapped_column(BigInteger)
    period_kind: Mapped[str] = mapped_column(String(20), index=True)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date, index=True)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(12), default="active", index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JsonType)
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ServiceVersionRow(Base):
    """Every distinct content of a service, kept forever (a field change makes a new row)."""

    __tablename__ = "service_versions"
    __table_args__ = (UniqueConstraint("service_id", "version"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("services.service_id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_runs.id"))
    content_hash: Mapped[str] = mapped_column(String(64))
    record: Mapped[dict[str, Any]] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ServiceChangeRow(Base):
    """The change log: what notifications and the partner change feed are driven by."""

    __tablename__ = "service_changes"
    __table_args__ = (Index("ix_service_changes_at_id", "at", "id"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_runs.id"), index=True)
    service_id: Mapped[str] = mapped_column(String(80), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # new | changed | withdrawn | restored
    fields: Mapped[list[str]] = mapped_column(JsonType, default=list)
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class IngestRunRow(Base):
    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    dataset: Mapped[str] = mapped_column(String(60), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(12), default="running")
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    counts: Mapped[dict[str, int]] = mapped_column(JsonType, default=dict)
    notes: Mapped[list[str]] = mapped_column(JsonType, default=list)


class QuarantinedRow(Base):
    __tablename__ = "quarantined_rows"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ingest_runs.id"), index=True)
    dataset: Mapped[str] = mapped_column(String(60))
    endpoint: Mapped[str] = mapped_column(String(40))
    ref: Mapped[str] = mapped_column(String(500))
    service_key: Mapped[str | None] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class CatalogMetaRow(Base):
    """Small key/value facts about the catalog (e.g. its version, for results)."""

    __tablename__ = "catalog_meta"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
