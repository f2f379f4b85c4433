"""gov24 rows (serviceList + serviceDetail + supportConditions, joined on 서비스ID) → Service."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from alrim.catalog.conditions import parse_conditions
from alrim.catalog.periods import parse_application_period
from alrim.catalog.regions import RegionTable
from alrim.catalog.text import (
    clean_line,
    clean_text,
    parse_int,
    parse_timestamp,
    repair_url,
    split_contacts,
    split_laws,
    split_multi,
)
from alrim.domain.service import Agency, AgencyType, Contact, Service, Source

ENDPOINTS = ("serviceList", "serviceDetail", "supportConditions")
DETAIL_URL = "https://www.gov.kr/portal/rcvfvrSvc/dtlEx/{id}"

# Text fields that must be strings (or null) in the published rows.
_TEXT_FIELDS = {
    "serviceList": [
        "서비스명",
        "서비스목적요약",
        "서비스분야",
        "지원유형",
        "지원대상",
        "선정기준",
        "지원내용",
        "신청방법",
        "신청기한",
        "접수기관",
        "전화문의",
        "상세조회URL",
        "소관기관명",
        "소관기관유형",
        "소관기관코드",
        "부서명",
        "사용자구분",
    ],
    "serviceDetail": [
        "서비스명",
        "서비스목적",
        "지원유형",
        "지원대상",
        "선정기준",
        "지원내용",
        "신청방법",
        "신청기한",
        "구비서류",
        "공무원확인구비서류",
        "본인확인필요구비서류",
        "접수기관명",
        "문의처",
        "온라인신청사이트URL",
        "법령",
        "자치법규",
        "행정규칙",
        "소관기관명",
    ],
}


# Not kept in `original`: the id is the record's key and 조회수 is a counter, not content.
_NOT_ORIGINAL = frozenset({"서비스ID", "조회수"})


class RowError(ValueError):
    """A row cannot be used; the message is its quarantine reason."""


def validate_row(endpoint: str, row: Mapping[str, Any]) -> None:
    """Raise RowError for a row with values of the wrong type."""
    for field in _TEXT_FIELDS.get(endpoint, ()):
        value = row.get(field)
        if value is not None and not isinstance(value, str | int | float):
            raise RowError(f"{field}: expected text, got {type(value).__name__}")
    if endpoint == "serviceList":
        try:
            parse_int(row.get("조회수"))
        except ValueError as exc:
            raise RowError(f"조회수: {exc}") from exc
    if endpoint == "supportConditions":
        try:
            parse_conditions(dict(row))
        except ValueError as exc:
            raise RowError(str(exc)) from exc


def _first(*values: Any) -> Any:
    for v in values:
        if v is not None and not (isinstance(v, str) and not v.strip()):
            return v
    return None


def normalize_gov24(
    service_id: str,
    rows: Mapping[str, Mapping[str, Any]],
    *,
    regions: RegionTable,
    fetched_at: datetime | None,
    endpoints_in_run: tuple[str, ...] = ENDPOINTS,
) -> Service:
    """Build one Service from whichever of the three endpoint rows exist for `service_id`.

    A service missing from an endpoint that the run covered is kept with what is known and the
    gap is recorded in `source.gaps`.
    """
    lst = rows.get("serviceList") or {}
    det = rows.get("serviceDetail") or {}
    cond = rows.get("supportConditions")
    for endpoint, row in rows.items():
        validate_row(endpoint, row)

    name = clean_line(
        _first(lst.get("서비스명"), det.get("서비스명"), (cond or {}).get("서비스명"))
    )
    if not name:
        raise RowError("missing 서비스명 in every endpoint")

    agency_name = clean_line(_first(lst.get("소관기관명"), det.get("소관기관명"))) or "미상"
    agency_type = AgencyType.parse(lst.get("소관기관유형"))
    agency_code = clean_line(lst.get("소관기관코드"))
    region = regions.agency_region(agency_name, agency_code, agency_type.value)

    updated = [
        t
        for t in (parse_timestamp(lst.get("수정일시")), parse_timestamp(det.get("수정일시")))
        if t is not None
    ]
    updated_at = max(updated) if updated else None
    registered_at = parse_timestamp(lst.get("등록일시"))

    period_text = clean_line(_first(lst.get("신청기한"), det.get("신청기한")))
    reference = updated_at or registered_at or fetched_at
    period = parse_application_period(
        period_text, reference=reference.date() if reference else None
    )

    apply_methods = split_multi(lst.get("신청방법"))
    how_to_apply = clean_text(det.get("신청방법")) or (" / ".join(apply_methods) or None)
    contact_raw = _first(det.get("문의처"), lst.get("전화문의"))
    contacts = tuple(Contact(name=n, phone=p, text=t) for n, p, t in split_contacts(contact_raw))

    present = tuple(e for e in ENDPOINTS if e in rows)
    gaps = tuple(e for e in endpoints_in_run if e not in rows)

    original: dict[str, Any] = {}
    for endpoint in ENDPOINTS:
        if endpoint in rows and endpoint != "supportConditions":
            original[endpoint] = {k: v for k, v in rows[endpoint].items() if k not in _NOT_ORIGINAL}

    return Service(
        service_id=service_id,
        name=name,
        agency=Agency(name=agency_name, type=agency_type, code=agency_code),
        region=region,
        categories=split_multi(lst.get("서비스분야")),
        support_types=split_multi(_first(lst.get("지원유형"), det.get("지원유형"))),
        summary=clean_text(lst.get("서비스목적요약")),
        purpose=clean_text(_first(det.get("서비스목적"), lst.get("서비스목적요약"))),
        target_text=clean_text(_first(det.get("지원대상"), lst.get("지원대상"))),
        criteria_text=clean_text(_first(det.get("선정기준"), lst.get("선정기준"))),
        benefit_text=clean_text(_first(det.get("지원내용"), lst.get("지원내용"))),
        how_to_apply=how_to_apply,
        apply_methods=apply_methods,
        documents=clean_text(det.get("구비서류")),
        documents_official_check=clean_text(det.get("공무원확인구비서류")),
        documents_self_check=clean_text(det.get("본인확인필요구비서류")),
        receiving_agency=clean_line(_first(lst.get("접수기관"), det.get("접수기관명"))),
        department=clean_line(lst.get("부서명")),
        contact=contacts,
        apply_url=repair_url(det.get("온라인신청사이트URL")),
        detail_url=repair_url(lst.get("상세조회URL")) or DETAIL_URL.format(id=service_id),
        legal_basis=split_laws(det.get("법령")),
        local_laws=split_laws(det.get("자치법규")),
        admin_rules=split_laws(det.get("행정규칙")),
        user_types=split_multi(lst.get("사용자구분")),
        application_period=period,
        views=parse_int(lst.get("조회수")),
        registered_at=registered_at,
        updated_at=updated_at,
        source=Source(dataset="gov24", fetched_at=fetched_at, endpoints=present, gaps=gaps),
        conditions=parse_conditions(dict(cond)) if cond is not None else None,
        original=original,
    )
