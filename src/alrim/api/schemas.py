"""Response schemas of the open API (pydantic schema families, FastAPI style).

They document the wire format in OpenAPI 3.1 (and let schemathesis check every response).
Handlers build plain dicts from the catalog and eligibility services and return them as JSON
directly, so these models describe the shapes; they are not a second copy of the data. Every
object allows additional properties: within v1 the API may add fields, never drop or rename.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from alrim.domain.period import PeriodKind
from alrim.domain.service import AgencyType


class Open(BaseModel):
    """A JSON object that may grow new fields within the version."""

    model_config = ConfigDict(extra="allow")


# ── errors ──────────────────────────────────────────────────────────────────────────────


class ErrorDetail(Open):
    code: str = Field(description="Stable machine-readable code, e.g. `not_found`.")
    message: str = Field(description="What went wrong, in Korean (해요체).")
    field: str | None = Field(description="The parameter or profile field at fault, if any.")
    suggestions: list[str] | None = Field(
        default=None, description="Close matches (e.g. region names), when there are some."
    )


class ErrorBody(Open):
    error: ErrorDetail


# ── catalog ─────────────────────────────────────────────────────────────────────────────


class AgencyRef(Open):
    name: str
    type: AgencyType
    code: str | None


class RegionRef(Open):
    code: str = Field(description="2-digit 시도 or 5-digit 시군구 code.")
    name: str
    level: Literal["sido", "sigungu"]


class ApplicationPeriodOut(Open):
    kind: PeriodKind
    start: date | None
    end: date | None
    text: str | None


class ContactOut(Open):
    name: str | None
    phone: str | None
    text: str


class SourceOut(Open):
    dataset: str
    fetched_at: datetime | None


class ServiceBase(Open):
    service_id: str
    name: str
    agency: AgencyRef
    region: RegionRef | None = Field(description="Null: nationwide.")
    categories: list[str]
    support_types: list[str]
    summary: str | None
    application_period: ApplicationPeriodOut
    updated_at: datetime | None


class ServiceSummary(ServiceBase):
    """One row of the service list."""

    views: int | None
    status: Literal["active", "withdrawn"]
    last_changed_at: datetime


class ServicePublic(ServiceBase):
    """The service record of contract §3 (plus additive fields)."""

    target_text: str | None
    criteria_text: str | None
    benefit_text: str | None
    how_to_apply: str | None
    documents: str | None
    contact: list[ContactOut]
    apply_url: str | None
    detail_url: str | None
    legal_basis: list[str]
    source: SourceOut


class ServiceFields(Open):
    """A service record reduced to the fields asked for with `?fields=`."""

    service_id: str


class ServicePage(Open):
    total: int = Field(description="Services matching the filters (all pages).")
    limit: int
    results: list[ServiceSummary]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: last.")


class CategoryOut(Open):
    name: str
    count: int = Field(description="Active services in the category.")


class CategoryList(Open):
    results: list[CategoryOut]


class AgencyOut(Open):
    key: str = Field(description="The agency code, or `name:<name>` when it has none.")
    code: str | None
    name: str
    type: AgencyType
    region_code: str | None
    services: int = Field(description="Active services of the agency.")


class AgencyList(Open):
    results: list[AgencyOut]


class SigunguOut(Open):
    code: str
    name: str
    level: Literal["sigungu"]


class SidoOut(Open):
    code: str
    name: str
    level: Literal["sido"]
    sigungu: list[SigunguOut]


class RegionList(Open):
    results: list[SidoOut]


# ── change feed ─────────────────────────────────────────────────────────────────────────


class ChangeKind(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    WITHDRAWN = "withdrawn"
    RESTORED = "restored"


class ChangeOut(Open):
    id: int = Field(description="Position in the change log (increasing).")
    service_id: str
    kind: ChangeKind
    fields: list[str] = Field(description="Names of the record fields that changed.")
    version: int = Field(description="The service's version after the change.")
    at: datetime
    run_id: int | None


class ChangePage(Open):
    results: list[ChangeOut]
    next_cursor: str = Field(
        description="Where to continue: pass as `cursor` now (if `has_more`) or at the next sync."
    )
    has_more: bool


# ── eligibility (contract §2) ───────────────────────────────────────────────────────────


class Reason(Open):
    criterion: str
    outcome: Literal["pass", "fail", "unknown"]
    text: str
    source: Any = None


class ServiceEligibility(Open):
    service_id: str
    status: Literal["eligible", "maybe", "ineligible"]
    reasons: list[Reason]
    missing: list[str] | None = None


class EligibilityResult(Open):
    as_of: date
    catalog_version: str | None
    results: list[ServiceEligibility]
