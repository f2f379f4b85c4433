"""The normalised service record — contract §3 — and its parts.

A `Service` is what every downstream part (eligibility, search, notifications, the API) reads.
It is built once, by `alrim.catalog.normalize`, from whatever sources described the service;
nothing downstream re-parses raw open-data fields. Beside each derived field the original text
is kept in `original` so a reader can always see what the agency actually wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from alrim.domain.period import ApplicationPeriod, PeriodKind
from alrim.domain.region import Region, RegionLevel


class AgencyType(StrEnum):
    """소관기관유형 as published by gov24 (plus `other` for agency-published rows)."""

    CENTRAL = "중앙행정기관"
    SIDO = "광역시도"
    SIGUNGU = "시군구"
    EDUCATION_OFFICE = "교육청"
    PUBLIC_INSTITUTION = "공공기관"
    LOCAL_PUBLIC_ENTERPRISE = "지방공기업"
    LOCAL_FUNDED_INSTITUTION = "지방출자_출연기관"
    OTHER = "기타"

    @classmethod
    def parse(cls, value: str | None) -> AgencyType:
        if not value:
            return cls.OTHER
        v = value.strip().replace("·", "_").replace("/", "_").replace(" ", "")
        aliases = {
            "지방출자출연기관": cls.LOCAL_FUNDED_INSTITUTION,
            "지방출자_출연기관": cls.LOCAL_FUNDED_INSTITUTION,
            "시·군·구": cls.SIGUNGU,
            "시_군_구": cls.SIGUNGU,
            "광역자치단체": cls.SIDO,
            "기초자치단체": cls.SIGUNGU,
        }
        if v in aliases:
            return aliases[v]
        for member in cls:
            if member.value == v:
                return member
        return cls.OTHER


@dataclass(frozen=True, slots=True)
class Agency:
    name: str
    type: AgencyType
    code: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type.value, "code": self.code}


@dataclass(frozen=True, slots=True)
class Contact:
    """One 문의처 entry: `교육부/02-6222-6060` → name 교육부, phone 02-6222-6060."""

    name: str | None
    phone: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "phone": self.phone, "text": self.text}


@dataclass(frozen=True, slots=True)
class Source:
    dataset: str  # e.g. "gov24", "youthcenter", "agency:<publisher>"
    fetched_at: datetime | None
    endpoints: tuple[str, ...] = ()  # which endpoints/files described this service
    gaps: tuple[str, ...] = ()  # endpoints that did not have this service

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "fetched_at": self.fetched_at.isoformat() if self.fetched_at else None,
            "endpoints": list(self.endpoints),
            "gaps": list(self.gaps),
        }


@dataclass(frozen=True, slots=True)
class Service:
    service_id: str
    name: str
    agency: Agency
    region: Region | None  # None = nationwide
    categories: tuple[str, ...]
    support_types: tuple[str, ...]
    summary: str | None
    purpose: str | None
    target_text: str | None  # 지원대상
    criteria_text: str | None  # 선정기준
    benefit_text: str | None  # 지원내용
    how_to_apply: str | None  # 신청방법 (prose from serviceDetail, else the list enum)
    apply_methods: tuple[str, ...]  # 신청방법 enum values from serviceList
    documents: str | None  # 구비서류
    documents_official_check: str | None  # 공무원확인구비서류
    documents_self_check: str | None  # 본인확인필요구비서류
    receiving_agency: str | None  # 접수기관
    department: str | None  # 부서명
    contact: tuple[Contact, ...]
    apply_url: str | None
    detail_url: str | None
    legal_basis: tuple[str, ...]  # 법령
    local_laws: tuple[str, ...]  # 자치법규
    admin_rules: tuple[str, ...]  # 행정규칙
    user_types: tuple[str, ...]  # 사용자구분 (개인, 가구, 소상공인, 법인/시설/단체)
    application_period: ApplicationPeriod
    views: int | None  # 조회수
    registered_at: datetime | None
    updated_at: datetime | None
    source: Source
    # Structured eligibility facts from supportConditions: JA code → "Y" | int | None.
    # None (the attribute) means the source had no supportConditions row for the service.
    conditions: dict[str, Any] | None = None
    # Extra structured facts from other sources (e.g. 온통청년 age/income/zip codes).
    extra: dict[str, Any] = field(default_factory=dict)
    # The original text of every derived field, keyed by the source field name.
    original: dict[str, Any] = field(default_factory=dict)

    @property
    def is_nationwide(self) -> bool:
        return self.region is None

    def to_dict(self) -> dict[str, Any]:
        """The contract §3 record (plus additive fields)."""
        return {
            "service_id": self.service_id,
            "name": self.name,
            "agency": self.agency.to_dict(),
            "region": self.region.to_dict() if self.region else None,
            "categories": list(self.categories),
            "support_types": list(self.support_types),
            "summary": self.summary,
            "purpose": self.purpose,
            "target_text": self.target_text,
            "criteria_text": self.criteria_text,
            "benefit_text": self.benefit_text,
            "how_to_apply": self.how_to_apply,
            "apply_methods": list(self.apply_methods),
            "documents": self.documents,
            "documents_official_check": self.documents_official_check,
            "documents_self_check": self.documents_self_check,
            "receiving_agency": self.receiving_agency,
            "department": self.department,
            "contact": [c.to_dict() for c in self.contact],
            "apply_url": self.apply_url,
            "detail_url": self.detail_url,
            "legal_basis": list(self.legal_basis),
            "local_laws": list(self.local_laws),
            "admin_rules": list(self.admin_rules),
            "user_types": list(self.user_types),
            "application_period": self.application_period.to_dict(),
            "views": self.views,
            "registered_at": self.registered_at.isoformat() if self.registered_at else None,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "source": self.source.to_dict(),
            "conditions": dict(self.conditions) if self.conditions is not None else None,
            "extra": dict(self.extra),
            "original": dict(self.original),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Service:
        """Inverse of `to_dict` (used by the store to rebuild records)."""
        region = d.get("region")
        src = d.get("source") or {}
        return cls(
            service_id=d["service_id"],
            name=d["name"],
            agency=Agency(
                name=d["agency"]["name"],
                type=AgencyType.parse(d["agency"].get("type")),
                code=d["agency"].get("code"),
            ),
            region=Region(
                code=region["code"],
                name=region["name"],
                level=RegionLevel(region["level"]),
                sido_code=region["code"][:2],
            )
            if region
            else None,
            categories=tuple(d.get("categories") or ()),
            support_types=tuple(d.get("support_types") or ()),
            summary=d.get("summary"),
            purpose=d.get("purpose"),
            target_text=d.get("target_text"),
            criteria_text=d.get("criteria_text"),
            benefit_text=d.get("benefit_text"),
            how_to_apply=d.get("how_to_apply"),
            apply_methods=tuple(d.get("apply_methods") or ()),
            documents=d.get("documents"),
            documents_official_check=d.get("documents_official_check"),
            documents_self_check=d.get("documents_self_check"),
            receiving_agency=d.get("receiving_agency"),
            department=d.get("department"),
            contact=tuple(
                Contact(name=c.get("name"), phone=c.get("phone"), text=c.get("text", ""))
                for c in d.get("contact") or ()
            ),
            apply_url=d.get("apply_url"),
            detail_url=d.get("detail_url"),
            legal_basis=tuple(d.get("legal_basis") or ()),
            local_laws=tuple(d.get("local_laws") or ()),
            admin_rules=tuple(d.get("admin_rules") or ()),
            user_types=tuple(d.get("user_types") or ()),
            application_period=ApplicationPeriod.from_dict(
                d.get("application_period") or {"kind": PeriodKind.UNKNOWN.value}
            ),
            views=d.get("views"),
            registered_at=_dt(d.get("registered_at")),
            updated_at=_dt(d.get("updated_at")),
            source=Source(
                dataset=src.get("dataset", "unknown"),
                fetched_at=_dt(src.get("fetched_at")),
                endpoints=tuple(src.get("endpoints") or ()),
                gaps=tuple(src.get("gaps") or ()),
            ),
            conditions=d.get("conditions"),
            extra=dict(d.get("extra") or {}),
            original=dict(d.get("original") or {}),
        )


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# Fields that do not describe the service itself and so never count as a change.
VOLATILE_FIELDS: frozenset[str] = frozenset({"source", "views"})


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Names of the record fields that differ between two `to_dict()` records."""
    keys = (set(old) | set(new)) - VOLATILE_FIELDS
    return sorted(k for k in keys if old.get(k) != new.get(k))
