"""Hand-made services, conditions, regions and text findings for the compile tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alrim.catalog.conditions import AGE_CODES, FLAG_CODES
from alrim.domain.period import ApplicationPeriod, PeriodKind
from alrim.domain.region import Region, RegionLevel
from alrim.domain.service import Agency, AgencyType, Service, Source
from alrim.eligibility.model import Criterion, Provenance, ProvenanceKind, TextSpan


def conditions(*flagged: str, age: tuple[int | None, int | None] = (None, None)) -> dict[str, Any]:
    """A typed supportConditions row: the given codes ticked, every other code not."""
    unknown = set(flagged) - set(FLAG_CODES)
    assert not unknown, f"not JA flag codes: {unknown}"
    row: dict[str, Any] = {code: code in flagged for code in FLAG_CODES}
    row[AGE_CODES[0]], row[AGE_CODES[1]] = age
    return row


# Every code of a group, for "all ticked" rows.
STATUS_ALL = [
    "JA0301",
    "JA0302",
    "JA0303",
    "JA0313",
    "JA0314",
    "JA0315",
    "JA0316",
    "JA0317",
    "JA0318",
    "JA0319",
    "JA0320",
    "JA0326",
    "JA0327",
    "JA0328",
    "JA0329",
    "JA0330",
]
HOUSEHOLD_ALL = ["JA0401", "JA0402", "JA0403", "JA0404", "JA0411", "JA0412", "JA0413", "JA0414"]
INCOME_ALL = ["JA0201", "JA0202", "JA0203", "JA0204", "JA0205"]
SEX_ALL = ["JA0101", "JA0102"]
# What most personal services tick: every sex, income, status (+해당사항없음), household.
OPEN_PERSONAL = (*SEX_ALL, *INCOME_ALL, *STATUS_ALL, "JA0322", *HOUSEHOLD_ALL, "JA0410")


def region(code: str, name: str) -> Region:
    level = RegionLevel.SIDO if len(code) == 2 else RegionLevel.SIGUNGU
    return Region(code=code, name=name, level=level, sido_code=code[:2])


JONGNO = region("11110", "서울특별시 종로구")
SEOUL = region("11", "서울특별시")


def service(
    service_id: str = "T00000000001",
    *,
    cond: dict[str, Any] | None = None,
    user_types: tuple[str, ...] = ("개인",),
    area: Region | None = None,
    agency: str = "테스트부",
    extra: dict[str, Any] | None = None,
    target_text: str | None = None,
) -> Service:
    return Service(
        service_id=service_id,
        name="테스트 서비스",
        agency=Agency(
            name=agency,
            type=AgencyType.SIGUNGU if area is not None else AgencyType.CENTRAL,
        ),
        region=area,
        categories=(),
        support_types=(),
        summary=None,
        purpose=None,
        target_text=target_text,
        criteria_text=None,
        benefit_text=None,
        how_to_apply=None,
        apply_methods=(),
        documents=None,
        documents_official_check=None,
        documents_self_check=None,
        receiving_agency=None,
        department=None,
        contact=(),
        apply_url=None,
        detail_url=None,
        legal_basis=(),
        local_laws=(),
        admin_rules=(),
        user_types=user_types,
        application_period=ApplicationPeriod(kind=PeriodKind.UNKNOWN, text=None),
        views=None,
        registered_at=None,
        updated_at=None,
        source=Source(dataset="gov24", fetched_at=None),
        conditions=cond,
        extra=extra or {},
    )


class FakeRegions:
    """A tiny region table: 서울 (종로구, 중구) and 경기 (수원시 with 장안구, 성남시)."""

    def __init__(self) -> None:
        self._regions = {
            r.code: r
            for r in (
                SEOUL,
                JONGNO,
                region("11140", "서울특별시 중구"),
                region("41", "경기도"),
                Region("41110", "경기도 수원시", RegionLevel.SIGUNGU, "41"),
                Region("41111", "경기도 수원시 장안구", RegionLevel.SIGUNGU, "41", "41110"),
                region("41130", "경기도 성남시"),
            )
        }

    def get(self, code: str) -> Region | None:
        return self._regions.get(code)

    def sidos(self) -> list[Region]:
        return [r for r in self._regions.values() if len(r.code) == 2]

    def sigungus(self, sido_code: str) -> list[Region]:
        return [r for r in self._regions.values() if len(r.code) == 5 and r.sido_code == sido_code]

    def covers(self, area: Region | None, place_code: str | None) -> bool | None:
        if area is None:
            return True
        if place_code is None or place_code not in self._regions:
            return None
        place = self._regions[place_code]
        if len(area.code) == 2:
            return place.sido_code == area.code
        if len(place.code) == 2:
            return None
        return place.code == area.code or place.parent_code == area.code


@dataclass(frozen=True, slots=True)
class Finding:
    """A hand-made text finding with the fields the merge reads."""

    dimension: str
    criterion: Criterion | None
    strength: str = "explicit"
    opens: bool = False
    span: TextSpan | None = None


def text_prov(text: str, field: str = "target_text", start: int = 0) -> Provenance:
    span = TextSpan(field=field, start=start, end=start + len(text), text=text)
    return Provenance(ProvenanceKind.TEXT, field, span)
