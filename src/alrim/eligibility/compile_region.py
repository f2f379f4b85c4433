"""Where a service applies → one `LivesIn` reading.

gov24 services carry no region field: the catalog derives the region from the agency
(`service.region`, a 시도 or 시군구; None = nationwide). A 시군구's service is for that 시군구's
residents (or businesses registered there). 온통청년 policies list their 시군구 explicitly
(`extra["youth"]["region_codes"]`, current codes); a list that covers every 시군구 of a 시도 is
written as the 시도, one that covers the whole country is no restriction. A policy that lists
none is its agency's when the agency is local ("인천광역시 동구 …" → 제물포구), and a policy
only for 재외동포 (its 추가자격조건: "재외동포 청년만 신청 가능 (국내 거주 청년 … 해당 안됨)") is
for people living abroad: `Not(LivesIn(every 시도))`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from alrim.domain.region import Region
from alrim.domain.service import AgencyType, Service
from alrim.eligibility.model import LivesIn, Not, Provenance, ProvenanceKind, TextSpan
from alrim.eligibility.readings import Reading, open_, restricted, silent

YOUTH_REGION_REF = "온통청년 정책 지역(zipCd)"
MAX_NAMES_IN_LABEL = 3
# Agencies whose region limits a policy (a central ministry's policy is nationwide).
LOCAL_AGENCY_TYPES = frozenset(
    {
        AgencyType.SIDO,
        AgencyType.SIGUNGU,
        AgencyType.EDUCATION_OFFICE,
        AgencyType.LOCAL_PUBLIC_ENTERPRISE,
        AgencyType.LOCAL_FUNDED_INSTITUTION,
    }
)
# "재외동포 청년만", "재외동포에 한함", "국내 거주 청년은 … 해당 안됨 / 불가 / 제외".
_OVERSEAS_ONLY = re.compile(
    r"재외동포[^\n.]{0,15}?(?:만|에\s*한[해함하정])"
    r"|국내\s*거주[^\n]{0,30}?(?:해당\s*안|불가|제외|아님|아닙|안\s*됨|할\s*수\s*없)"
)


class RegionLookup(Protocol):
    """The part of `alrim.catalog.regions.RegionTable` the compiler needs."""

    def get(self, code: str) -> Region | None: ...
    def sidos(self) -> list[Region]: ...
    def sigungus(self, sido_code: str) -> list[Region]: ...


def _suffix(personal: bool) -> str:
    return "거주" if personal else "소재"


def read_agency_region(service: Service, *, personal: bool = True) -> Reading:
    """The agency's region; nationwide agencies give an OPEN reading."""
    region = service.region
    ref = f"소관기관 {service.agency.name}"
    if region is None:
        return open_("region", "전국", ref)
    label = f"{region.name} {_suffix(personal)}"
    criterion = LivesIn(
        label=label, provenance=Provenance(ProvenanceKind.REGION, ref), areas=(region.code,)
    )
    return restricted("region", criterion, label, ref)


def _leaves(sigungus: Sequence[Region]) -> list[Region]:
    """시군구 that have no 일반구 under them (a 시 with 구 is covered by its 구)."""
    parents = {r.parent_code for r in sigungus if r.parent_code}
    return [r for r in sigungus if r.code not in parents]


def collapse_codes(codes: Sequence[str], regions: RegionLookup) -> tuple[str, ...] | None:
    """Replace fully listed 시도 by their 2-digit code; None when every 시도 is fully listed."""
    listed = list(dict.fromkeys(c for c in codes if c))
    chosen = set(listed)
    out: list[str] = []
    full_sidos: set[str] = set()
    sidos = regions.sidos()
    for sido in sidos:
        if sido.code in chosen:
            full_sidos.add(sido.code)
            continue
        leaves = _leaves(regions.sigungus(sido.code))
        if leaves and all(r.code in chosen or r.parent_code in chosen for r in leaves):
            full_sidos.add(sido.code)
    if sidos and len(full_sidos) == len(sidos):
        return None
    for sido in sidos:
        if sido.code in full_sidos:
            out.append(sido.code)
    out.extend(c for c in listed if c[:2] not in full_sidos)
    return tuple(out)


def areas_label(areas: Sequence[str], regions: RegionLookup, *, personal: bool = True) -> str:
    names = []
    for code in areas:
        region = regions.get(code)
        names.append(region.name if region is not None else code)
    few = len(names) <= MAX_NAMES_IN_LABEL
    where = "·".join(names) if few else f"{names[0]} 등 {len(names)}곳"
    return f"{where} {_suffix(personal)}"


def read_youth_region(
    codes: Sequence[str], regions: RegionLookup, *, fallback: Region | None = None
) -> Reading:
    """The 시군구 a 온통청년 policy lists (one `LivesIn` with all of them)."""
    if not codes:
        if fallback is None:
            return silent("region")
        label = f"{fallback.name} 거주"
        criterion = LivesIn(
            label=label,
            provenance=Provenance(ProvenanceKind.SOURCE, YOUTH_REGION_REF),
            areas=(fallback.code,),
        )
        return restricted("region", criterion, label, YOUTH_REGION_REF)
    areas = collapse_codes(codes, regions)
    if areas is None:
        return open_("region", "전국", YOUTH_REGION_REF)
    label = areas_label(areas, regions)
    criterion = LivesIn(
        label=label, provenance=Provenance(ProvenanceKind.SOURCE, YOUTH_REGION_REF), areas=areas
    )
    return restricted("region", criterion, label, YOUTH_REGION_REF)


# --- 온통청년: the policy's region ----------------------------------------------------------


def agency_area(service: Service, regions: RegionLookup | Any) -> Region | None:
    """The region of a local agency (`RegionTable.agency_region`); None for a nationwide one
    or a region table that cannot place agencies."""
    if service.agency.type not in LOCAL_AGENCY_TYPES:
        return None
    find = getattr(regions, "agency_region", None)
    if find is None:
        return None
    found = find(service.agency.name, service.agency.code, service.agency.type.value)
    return found if isinstance(found, Region) else None


def overseas_span(service: Service) -> TextSpan | None:
    """Where a 온통청년 policy's 추가자격조건 says it is only for 재외동포 (None if it does not)."""
    text = service.target_text or ""
    if "재외동포" not in text and "재외동포" not in (service.name or ""):
        return None
    m = _OVERSEAS_ONLY.search(text)
    if m is None:
        return None
    return TextSpan("target_text", m.start(), m.end(), m.group(0))


def read_overseas(span: TextSpan, regions: RegionLookup) -> Reading:
    ref = "target_text"
    prov = Provenance(ProvenanceKind.TEXT, ref, span)
    home = LivesIn(label="국내 거주", provenance=prov, areas=tuple(r.code for r in regions.sidos()))
    label = "해외 거주(재외동포)"
    return restricted("region", Not(home, label=label), label, ref)


def read_youth_policy_region(
    service: Service, codes: Sequence[str], regions: RegionLookup
) -> Reading:
    """A 온통청년 policy's region: 재외동포 only → abroad; its 시군구 list; no list → the
    agency's region when the agency is local (provenance `region`), else nothing."""
    span = overseas_span(service)
    if span is not None:
        return read_overseas(span, regions)
    if codes:
        return read_youth_region(codes, regions, fallback=service.region)
    if service.region is not None:
        return read_youth_region(codes, regions, fallback=service.region)
    area = agency_area(service, regions)
    if area is None:
        return silent("region")
    ref = f"소관기관 {service.agency.name}"
    label = f"{area.name} 거주"
    criterion = LivesIn(
        label=label, provenance=Provenance(ProvenanceKind.REGION, ref), areas=(area.code,)
    )
    return restricted("region", criterion, label, ref)
