"""온통청년 (getPlcy) policies → Service.

Structured youth facts (ages, income condition, marriage/job/school codes, the 시군구 list)
are kept in `Service.extra["youth"]` for the eligibility package; the region of the service is
the smallest area containing every listed 시군구.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from alrim.catalog.normalize_gov24 import RowError
from alrim.catalog.periods import youth_application_period
from alrim.catalog.regions import RegionTable
from alrim.catalog.text import (
    clean_line,
    clean_text,
    parse_int,
    parse_timestamp,
    repair_url,
    split_multi,
)
from alrim.domain.region import Region
from alrim.domain.service import Agency, AgencyType, Service, Source

# 온통청년 대분류 → gov24 서비스분야 (the catalog's one category vocabulary).
YOUTH_CATEGORY_TO_GOV24 = {
    "일자리": "고용·창업",
    "주거": "주거·자립",
    "교육": "보육·교육",
    "교육･직업훈련": "보육·교육",
    "복지문화": "생활안정",
    "금융･복지･문화": "생활안정",
    "참여권리": "행정·안전",
    "참여･기반": "행정·안전",
}
NATIONWIDE_SHARE = 0.9  # a list covering ≥ 90 % of all 시군구 is read as nationwide


def _area(regions: RegionTable, codes: list[str]) -> Region | None:
    """Smallest region holding every code (None = nationwide or scattered over 시도)."""
    if not codes:
        return None
    all_sigungu = sum(len(regions.sigungus(s.code)) for s in regions.sidos())
    if all_sigungu and len(codes) >= NATIONWIDE_SHARE * all_sigungu:
        return None
    sidos = {c[:2] for c in codes}
    if len(codes) == 1:
        return regions.get(codes[0]) or regions.get(codes[0][:2])
    if len(sidos) == 1:
        return regions.get(next(iter(sidos)))
    return None


def _named_place_wins(
    regions: RegionTable, name: str, codes: list[str]
) -> tuple[list[str], list[str]]:
    """(codes to use, the zipCd codes they replace or []).

    A policy whose name starts with a 시군구 ("서산시 임신축하금 지원") is that 시군구's, whatever a
    single zipCd of an unrelated 시군구 says: the 2026-05-04 batch of 서산시 policies carries
    태안군's code (44825) in zipCd, while its name, its 담당 부서 and its text are 서산시's. A
    person reads the name; the code would send 서산 residents away and 태안 residents to 서산.
    """
    if len(codes) != 1:
        return codes, []
    named = regions.region_in_name(name)
    given = regions.get(codes[0])
    if named is None or named.is_sido or given is None or named.code == given.code:
        return codes, []
    if regions.covers(named, given.code) or regions.covers(given, named.code):
        return codes, []  # the 시 of a 일반구, or the other way round: not a conflict
    return [named.code], codes


def normalize_youth(
    item: Mapping[str, Any], *, regions: RegionTable, fetched_at: datetime | None
) -> Service:
    policy_id = clean_line(item.get("plcyNo"))
    if not policy_id:
        raise RowError("missing plcyNo")
    name = clean_line(item.get("plcyNm"))
    if not name:
        raise RowError("missing plcyNm")

    raw_codes = [c.strip() for c in str(item.get("zipCd") or "").split(",") if c.strip()]
    codes: list[str] = []
    for code in raw_codes:
        canonical = regions.canonical_code(code)
        if canonical and canonical not in codes:
            codes.append(canonical)
    codes, given = _named_place_wins(regions, name, codes)
    area = _area(regions, codes)

    agency_name = (
        clean_line(item.get("operInstCdNm"))
        or clean_line(item.get("sprvsnInstCdNm"))
        or clean_line(item.get("rgtrInstCdNm"))
        or "미상"
    )
    agency_region = regions.agency_region(agency_name, None, AgencyType.SIDO.value)
    if agency_region is None:
        agency_type = AgencyType.CENTRAL
    elif agency_region.is_sido:
        agency_type = AgencyType.SIDO
    else:
        agency_type = AgencyType.SIGUNGU
    youth_categories = [c for c in split_multi(item.get("lclsfNm"), ",")]
    categories = tuple(dict.fromkeys(YOUTH_CATEGORY_TO_GOV24.get(c, c) for c in youth_categories))

    def _age(key: str) -> int | None:
        try:
            value = parse_int(item.get(key))
        except ValueError as exc:
            raise RowError(f"{key}: {exc}") from exc
        return value

    def _amount(key: str) -> int | None:
        try:
            return parse_int(item.get(key))
        except ValueError as exc:
            raise RowError(f"{key}: {exc}") from exc

    youth = {
        "min_age": _age("sprtTrgtMinAge"),
        "max_age": _age("sprtTrgtMaxAge"),
        "age_limit_flag": clean_line(item.get("sprtTrgtAgeLmtYn")),
        "income_condition": clean_line(item.get("earnCndSeCd")),
        "income_min": _amount("earnMinAmt"),
        "income_max": _amount("earnMaxAmt"),
        "income_text": clean_text(item.get("earnEtcCn")),
        "marriage": clean_line(item.get("mrgSttsCd")),
        "job": split_multi(item.get("jobCd"), ","),
        "school": split_multi(item.get("schoolCd"), ","),
        "major": split_multi(item.get("plcyMajorCd"), ","),
        "special": split_multi(item.get("sbizCd"), ","),
        "region_codes": codes,
        **({"region_codes_given": given} if given else {}),
        "categories": youth_categories,
        "subcategory": clean_line(item.get("mclsfNm")),
        "keywords": list(split_multi(item.get("plcyKywdNm"), ",")),
    }

    target_parts = [
        p
        for p in (
            clean_text(item.get("addAplyQlfcCndCn")),
            clean_text(item.get("earnEtcCn")),
        )
        if p
    ]
    exclusions = clean_text(item.get("ptcpPrpTrgtCn"))
    if exclusions:
        target_parts.append("참여 제한 대상: " + exclusions)

    gov24_ref = None
    for key in ("refUrlAddr1", "refUrlAddr2"):
        url = str(item.get(key) or "")
        if "gov.kr/portal/rcvfvrSvc/dtlEx/" in url:
            gov24_ref = url.rsplit("/", 1)[-1].strip()
    if gov24_ref:
        youth["gov24_service_id"] = gov24_ref

    updated_at = parse_timestamp(item.get("lastMdfcnDt"))
    return Service(
        service_id=f"YP{policy_id}",
        name=name,
        agency=Agency(
            name=agency_name, type=agency_type, code=clean_line(item.get("sprvsnInstCd"))
        ),
        region=area,
        categories=categories,
        support_types=(),
        summary=clean_text(item.get("plcyExplnCn")),
        purpose=clean_text(item.get("plcyExplnCn")),
        target_text="\n".join(target_parts) or None,
        criteria_text=clean_text(item.get("srngMthdCn")),
        benefit_text=clean_text(item.get("plcySprtCn")),
        how_to_apply=clean_text(item.get("plcyAplyMthdCn")),
        apply_methods=(),
        documents=clean_text(item.get("sbmsnDcmntCn")),
        documents_official_check=None,
        documents_self_check=None,
        receiving_agency=clean_line(item.get("operInstCdNm")),
        department=None,
        contact=(),
        apply_url=repair_url(item.get("aplyUrlAddr")),
        detail_url=repair_url(item.get("refUrlAddr1")) or repair_url(item.get("refUrlAddr2")),
        legal_basis=(),
        local_laws=(),
        admin_rules=(),
        user_types=("개인",),
        application_period=youth_application_period(dict(item)),
        views=parse_int(item.get("inqCnt")) if str(item.get("inqCnt") or "").isdigit() else None,
        registered_at=parse_timestamp(item.get("frstRegDt")),
        updated_at=updated_at,
        source=Source(dataset="youthcenter", fetched_at=fetched_at, endpoints=("youth",)),
        conditions=None,
        extra={"youth": youth, "notes": clean_text(item.get("etcMttrCn"))},
        original={
            "youth": {
                k: v
                for k, v in item.items()
                if k not in ("inqCnt", "zipCd") and isinstance(v, str | int | float | type(None))
            }
        },
    )
