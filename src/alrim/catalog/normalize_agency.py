"""Rows of the Alrim agency publishing format (docs/agency-format.md) → Service.

The source has already validated each row (`alrim.catalog.sources.agency_file`); here it is only
mapped onto the service record. Structured conditions, named as in the citizen profile, are kept
in `extra["agency_conditions"]` for the eligibility compiler.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from alrim.catalog.normalize_gov24 import RowError
from alrim.catalog.periods import parse_application_period
from alrim.catalog.regions import RegionTable
from alrim.catalog.text import clean_line, clean_text, repair_url, split_contacts, split_laws
from alrim.domain.region import Region
from alrim.domain.service import Agency, AgencyType, Contact, Service, Source

USER_TYPE_LABELS = {
    "individual": "개인",
    "household": "가구",
    "small_business": "소상공인",
    "organization": "법인/시설/단체",
}
_NATIONWIDE_TYPES = {AgencyType.CENTRAL, AgencyType.PUBLIC_INSTITUTION}


def _region(regions: RegionTable, value: str | None) -> Region | None:
    if not value:
        return None
    region = regions.try_resolve(value)
    if region is None:
        raise RowError(f"region: unknown region {value!r} / 지역을 찾을 수 없어요")
    return region


def normalize_agency(
    data: Mapping[str, Any], *, regions: RegionTable, fetched_at: datetime | None
) -> Service:
    publisher = data.get("publisher") or {}
    code = clean_line(publisher.get("code"))
    local_id = clean_line(data.get("id"))
    name = clean_line(data.get("name"))
    if not (code and local_id and name):
        raise RowError("publisher.code, id and name are required")
    agency_type = AgencyType.parse(publisher.get("type"))
    region = _region(regions, data.get("region")) or (
        None if agency_type in _NATIONWIDE_TYPES else _region(regions, publisher.get("region"))
    )
    updated = data.get("updated_at")
    updated_at = datetime.fromisoformat(str(updated)).replace(tzinfo=UTC) if updated else fetched_at
    period = parse_application_period(
        clean_line(data.get("application_period")),
        reference=updated_at.date() if updated_at else None,
    )
    documents = data.get("documents") or []
    contacts = tuple(
        Contact(name=n, phone=p, text=t) for n, p, t in split_contacts(data.get("contact"))
    )
    return Service(
        service_id=f"AG-{code}-{local_id}",
        name=name,
        agency=Agency(name=clean_line(publisher.get("name")) or code, type=agency_type, code=code),
        region=region,
        categories=tuple(data.get("categories") or ()),
        support_types=tuple(data.get("support_types") or ()),
        summary=clean_text(data.get("summary")),
        purpose=clean_text(data.get("summary")),
        target_text=clean_text(data.get("target")),
        criteria_text=clean_text(data.get("criteria")),
        benefit_text=clean_text(data.get("benefit")),
        how_to_apply=clean_text(data.get("how_to_apply")),
        apply_methods=(),
        documents=clean_text("\n".join(f"- {d}" for d in documents)) if documents else None,
        documents_official_check=None,
        documents_self_check=None,
        receiving_agency=clean_line(publisher.get("name")),
        department=None,
        contact=contacts,
        apply_url=repair_url(data.get("apply_url")),
        detail_url=repair_url(data.get("detail_url")),
        legal_basis=split_laws("||".join(data.get("legal_basis") or [])),
        local_laws=(),
        admin_rules=(),
        user_types=tuple(USER_TYPE_LABELS.get(u, u) for u in data.get("user_types") or ()),
        application_period=period,
        views=None,
        registered_at=None,
        updated_at=updated_at,
        source=Source(
            dataset=f"agency:{code}", fetched_at=fetched_at, endpoints=("agency",), gaps=()
        ),
        conditions=None,
        extra={"agency_conditions": data.get("conditions")} if data.get("conditions") else {},
        original={"agency": {k: v for k, v in data.items() if k != "publisher"}},
    )
