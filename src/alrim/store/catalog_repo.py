"""Reads and writes of the catalog aggregate. No business rules: those live in services/."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from alrim.domain.service import VOLATILE_FIELDS, Service
from alrim.store.catalog_tables import (
    AgencyRow,
    CatalogMetaRow,
    IngestRunRow,
    QuarantinedRow,
    RegionRow,
    ServiceChangeRow,
    ServiceRow,
    ServiceVersionRow,
)


def content_hash(record: dict[str, Any]) -> str:
    stable = {k: v for k, v in record.items() if k not in VOLATILE_FIELDS}
    blob = json.dumps(stable, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def agency_key(service: Service) -> str:
    return service.agency.code or f"name:{service.agency.name}"


@dataclass(frozen=True, slots=True)
class StoredState:
    hash: str
    status: str
    version: int


def stored_states(session: Session, dataset: str) -> dict[str, StoredState]:
    rows = session.execute(
        select(
            ServiceRow.service_id, ServiceRow.content_hash, ServiceRow.status, ServiceRow.version
        ).where(ServiceRow.dataset == dataset)
    )
    return {r[0]: StoredState(r[1], r[2], r[3]) for r in rows}


def service_columns(service: Service, record: dict[str, Any]) -> dict[str, Any]:
    period = service.application_period
    return {
        "service_id": service.service_id,
        "dataset": service.source.dataset,
        "name": service.name[:500],
        "agency_key": agency_key(service),
        "agency_type": service.agency.type.value,
        "region_code": service.region.code if service.region else None,
        "sido_code": service.region.sido_code if service.region else None,
        "categories": list(service.categories),
        "support_types": list(service.support_types),
        "user_types": list(service.user_types),
        "views": service.views,
        "period_kind": period.kind.value,
        "period_start": period.start,
        "period_end": period.end,
        "updated_at": service.updated_at,
        "record": record,
    }


def upsert_agencies(session: Session, services: Iterable[Service], now: datetime) -> None:
    wanted: dict[str, Service] = {}
    for s in services:
        wanted.setdefault(agency_key(s), s)
    if not wanted:
        return
    existing = {
        row.key: row
        for row in session.scalars(select(AgencyRow).where(AgencyRow.key.in_(list(wanted))))
    }
    for key, s in wanted.items():
        region_code = s.region.code if s.region else None
        row = existing.get(key)
        if row is None:
            session.add(
                AgencyRow(
                    key=key,
                    code=s.agency.code,
                    name=s.agency.name,
                    type=s.agency.type.value,
                    region_code=region_code,
                    updated_at=now,
                )
            )
        elif (row.name, row.type, row.region_code) != (
            s.agency.name,
            s.agency.type.value,
            region_code,
        ):
            row.name, row.type, row.region_code, row.updated_at = (
                s.agency.name,
                s.agency.type.value,
                region_code,
                now,
            )


def get_service_row(session: Session, service_id: str) -> ServiceRow | None:
    row = session.get(ServiceRow, service_id)
    if row is None and service_id != service_id.upper():
        row = session.get(ServiceRow, service_id.upper())
    return row


def get_service(session: Session, service_id: str) -> Service | None:
    row = get_service_row(session, service_id)
    return Service.from_dict(row.record) if row else None


@dataclass(frozen=True, slots=True)
class ServiceFilter:
    region_codes: Sequence[str] | None = None  # services limited to these (plus nationwide)
    include_nationwide: bool = True
    agency_types: Sequence[str] | None = None
    categories: Sequence[str] | None = None
    dataset: str | None = None
    status: str | None = "active"
    open_on: date | None = None  # open on this day (상시 included)
    closing_by: date | None = None  # has an end date between open_on and this day
    changed_since: datetime | None = None
    ids: Sequence[str] | None = None


def _apply_filter(stmt: Select[Any], f: ServiceFilter) -> Select[Any]:
    if f.status:
        stmt = stmt.where(ServiceRow.status == f.status)
    if f.dataset:
        stmt = stmt.where(ServiceRow.dataset == f.dataset)
    if f.ids is not None:
        stmt = stmt.where(ServiceRow.service_id.in_(list(f.ids)))
    if f.region_codes is not None:
        codes = list(f.region_codes)
        conds = [ServiceRow.region_code.in_(codes)]
        if f.include_nationwide:
            conds.append(ServiceRow.region_code.is_(None))
        stmt = stmt.where(or_(*conds))
    if f.agency_types:
        stmt = stmt.where(ServiceRow.agency_type.in_(list(f.agency_types)))
    if f.categories:
        # JSON containment differs per backend; categories are few, so match on text.
        like = [
            func.cast(ServiceRow.categories, _text_type()).like(f'%"{c}"%') for c in f.categories
        ]
        stmt = stmt.where(or_(*like))
    if f.open_on is not None:
        day = f.open_on
        stmt = stmt.where(
            or_(
                ServiceRow.period_kind == "always",
                (ServiceRow.period_kind.in_(["period", "until_budget"]))
                & or_(ServiceRow.period_start.is_(None), ServiceRow.period_start <= day)
                & or_(ServiceRow.period_end.is_(None), ServiceRow.period_end >= day),
            )
        )
    if f.closing_by is not None:
        start = f.open_on or date.min
        stmt = stmt.where(
            ServiceRow.period_end.is_not(None),
            ServiceRow.period_end >= start,
            ServiceRow.period_end <= f.closing_by,
        )
    if f.changed_since is not None:
        stmt = stmt.where(ServiceRow.last_changed_at >= f.changed_since)
    return stmt


def _text_type() -> Any:
    from sqlalchemy import Text

    return Text()


def list_service_rows(
    session: Session,
    f: ServiceFilter,
    *,
    limit: int | None = None,
    after_id: str | None = None,
    order: str = "id",
) -> list[ServiceRow]:
    stmt = _apply_filter(select(ServiceRow), f)
    if after_id is not None:
        stmt = stmt.where(ServiceRow.service_id > after_id)
    if order == "views":
        stmt = stmt.order_by(ServiceRow.views.desc().nulls_last(), ServiceRow.service_id)
    elif order == "deadline":
        stmt = stmt.order_by(ServiceRow.period_end.asc().nulls_last(), ServiceRow.service_id)
    else:
        stmt = stmt.order_by(ServiceRow.service_id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def count_services(session: Session, f: ServiceFilter) -> int:
    stmt = _apply_filter(select(func.count()).select_from(ServiceRow), f)
    return int(session.scalar(stmt) or 0)


def all_active_services(session: Session) -> list[Service]:
    rows = session.scalars(
        select(ServiceRow.record)
        .where(ServiceRow.status == "active")
        .order_by(ServiceRow.service_id)
    )
    return [Service.from_dict(r) for r in rows]


def changes_since(
    session: Session, since: datetime | None, *, after_id: int = 0, limit: int = 1000
) -> list[ServiceChangeRow]:
    stmt = select(ServiceChangeRow).where(ServiceChangeRow.id > after_id)
    if since is not None:
        stmt = stmt.where(ServiceChangeRow.at >= since)
    return list(session.scalars(stmt.order_by(ServiceChangeRow.id).limit(limit)))


def versions_of(session: Session, service_id: str) -> list[ServiceVersionRow]:
    return list(
        session.scalars(
            select(ServiceVersionRow)
            .where(ServiceVersionRow.service_id == service_id)
            .order_by(ServiceVersionRow.version)
        )
    )


def list_runs(session: Session, limit: int = 20) -> list[IngestRunRow]:
    return list(session.scalars(select(IngestRunRow).order_by(IngestRunRow.id.desc()).limit(limit)))


def quarantined(session: Session, run_id: int | None = None) -> list[QuarantinedRow]:
    stmt = select(QuarantinedRow).order_by(QuarantinedRow.id)
    if run_id is not None:
        stmt = stmt.where(QuarantinedRow.run_id == run_id)
    return list(session.scalars(stmt))


def list_agencies(session: Session) -> list[AgencyRow]:
    return list(session.scalars(select(AgencyRow).order_by(AgencyRow.type, AgencyRow.name)))


def list_regions(session: Session) -> list[RegionRow]:
    return list(session.scalars(select(RegionRow).order_by(RegionRow.code)))


def get_meta(session: Session, key: str) -> str | None:
    row = session.get(CatalogMetaRow, key)
    return row.value if row else None


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(CatalogMetaRow, key)
    if row is None:
        session.add(CatalogMetaRow(key=key, value=value))
    else:
        row.value = value
