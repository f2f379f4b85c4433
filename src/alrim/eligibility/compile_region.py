"""Where a service applies → one `LivesIn` reading.

gov24 services carry no region field: the catalog derives the region from the agency
(`service.region`, a 시도 or 시군구; None = nationwide). A 시군구's service is for that 시군구's
residents (or businesses registered there). 온통청년 policies list their 시군구 explicitly
(`extra["youth"]["region_codes"]`, current codes); a list that covers every 시군구 of a 시도 is
written as the 시도, one that covers the whole country is no restriction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from alrim.domain.region import Region
from alrim.domain.service import Service
from alrim.eligibility.model import LivesIn, Provenance, ProvenanceKind
from alrim.eligibility.readings import Reading, open_, restricted, silent

YOUTH_REGION_REF = "온통청년 정책 지역(zipCd)"
MAX_NAMES_IN_LABEL = 3


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
