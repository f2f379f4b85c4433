"""Where the person must live: "관내 거주", "성동구에 주민등록을 둔", "서울시민", "도내 거주",
"주소지가 경기도인", "제주특별자치도 거주" → `LivesIn`.

A named region is resolved with the region table (`try_resolve`); a bare "시에"/"군에"/"관내"/
"도내" means the service's own region (or its 시도). Names next to 소재 (where a business or
school is), 출신, 외, 타/다른 … are not where the person lives and are skipped; sub-시군구 areas
(읍·면·동, "농어촌 지역") cannot be expressed and are skipped.

A name of a former 시도 that is now only part of a current one means the former area: "광주
거주하는 … 청년" (written before 2026-07-01) is the five 구 of the former 광주광역시, not all of
전남광주통합특별시 — the region table's `covers` tells which current 시군구 the old area holds.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from functools import lru_cache
from typing import Any, Protocol, cast

from alrim.domain.region import Region, RegionLevel
from alrim.eligibility.model import LivesIn
from alrim.eligibility.text.mention import Mention, provenance


class RegionResolver(Protocol):
    def try_resolve(self, query: str | None) -> Region | None: ...
    def get(self, code: str) -> Region | None: ...


_NAME = re.compile(
    r"(?<![가-힣])((?:[가-힣]{1,8}(?:특별자치도|특별자치시|통합특별시|특별시|광역시)\s*)?"
    r"[가-힣]{1,6}(?:특별자치도|특별자치시|통합특별시|특별시|광역시|도|시|군|구))"
    r"(?=(?:\s*(?:민|구민|시민|군민|도민))|(?:에서|에|의|내|관내|\s*내에?|\s*관내)?)"
)
_SHORT_SIDO = re.compile(
    r"(?<![가-힣])(서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주)"
    r"(?=\s*(?:에|에서|내에?|\s)?\s*(?:거주|주민등록|주소))"
)
_LIVED_AFTER = re.compile(
    r"^\s*(?:에서|에|내에?|\s*관내에?|의)?\s*(?:[가-힣()（）0-9.\s]{0,14}?)"
    r"(?:거주|주민등록|주소|실거주|살고|전입)"
)
_CITIZEN = re.compile(
    r"^\s*(?:민|구민|시민|군민|도민)(?![가-힣]*(?:회|센터|안전|의\s*날|대학|체육))"
)
_ADDRESS_BEFORE = re.compile(
    r"(?:주소지?|주민등록(?:상)?(?:\s*주소지?)?)\s*(?:가|이|를|상|지)?\s*$"
)
_NOT_HOME = re.compile(
    r"소재|출신|출생신고|사업장|직장|학교|외\s|이외|외의|타\s|다른|전출|자매결연|대학"
)
_NOT_REGION_WORDS = re.compile(
    r"^(?:해당|각|전|시도|시군|시군구|지자체|지방|광역|기초|자치|해당시|시·도|우리|본|동|읍|면|"
    r"소재|관할|인근|연접|도시|신도시|구도|수도|제도|정도|용도|비율|온도|속도|한도|제주도민|가구|"
    r"연구|요구|도구|기구|출구|입구|지구|권역|구역|농어촌|중구|동구|서구|남구|북구)$"
)
_BARE_HERE = re.compile(
    r"(?<![가-힣·ㆍ.,/])(?:우리\s*)?(관내|군내|도내|시내|구내|(?:시|군|구|도)(?=\s*(?:에|로|내)))"
    r"(?:\s*(?:에서|에|로|내에?))?\s*(?:[가-힣0-9.\s]{0,12}?)"
    r"(거주|주민등록|주소|실거주|전입)"
)


def _label(region: Region) -> str:
    return f"{region.name} 거주"


def _service_sido(service_region: Region | None, regions: RegionResolver | None) -> Region | None:
    if service_region is None:
        return None
    if service_region.level is RegionLevel.SIDO:
        return service_region
    if regions is None:
        return None
    return regions.get(service_region.sido_code)


def _resolve(
    name: str, service_region: Region | None, regions: RegionResolver | None
) -> Region | None:
    compact = name.replace(" ", "")
    if service_region is not None:
        own = service_region.name.replace(" ", "")
        short = service_region.name.split()[-1]
        if compact in (own, short) or own.endswith(compact):
            return service_region
    if regions is None:
        return None
    if service_region is not None and len(compact) <= 4:
        sido = _service_sido(service_region, regions)
        if sido is not None:
            found = regions.try_resolve(f"{sido.name} {name}")
            if found is not None:
                return found
    if _NOT_REGION_WORDS.match(compact):
        return None
    return regions.try_resolve(name)


@lru_cache(maxsize=4096)
def _former_part(name: str, sido: Region, regions: Any) -> tuple[Region, ...] | None:
    """The current 시군구 of the area `name` gives when it names a former 시도 that is only part
    of `sido` today ("광주", "전라남도" → parts of 전남광주통합특별시), else None (the name is
    the whole 시도). Uses the table's `covers` and `sigungus` when it has them."""
    covers = getattr(regions, "covers", None)
    sigungus = getattr(regions, "sigungus", None)
    if covers is None or sigungus is None or sido.level is not RegionLevel.SIDO:
        return None
    places = [r for r in sigungus(sido.code) if r.parent_code is None]
    inside = tuple(r for r in places if covers(r, name) is not False)
    if not inside or len(inside) == len(places):
        return None
    return inside


def _areas_label(parts: tuple[Region, ...]) -> str:
    names = [r.name for r in parts]
    where = "·".join(names) if len(names) <= 3 else f"{names[0]} 등 {len(names)}곳"
    return f"{where} 거주"


_NAME_LIST = re.compile(r"(?:(?<![가-힣])[가-힣]{2,4}[ \t]*,[ \t]*){2,}$")


def _list_areas(
    listed: str,
    last: str,
    last_region: Region,
    service_region: Region | None,
    regions: RegionResolver | None,
) -> list[Region] | None:
    suffix = last[-1]
    out: list[Region] = []
    for word in re.findall(r"[가-힣]{2,4}", listed):
        found = _resolve(word + suffix, service_region, regions)
        if found is None:
            return None
        out.append(found)
    return [*out, last_region]


def read_regions(
    text: str,
    field: str,
    service_region: Region | None,
    regions: RegionResolver | None,
) -> Iterator[Mention]:
    taken: list[tuple[int, int]] = []

    def emit(start: int, end: int, region: Region, name: str = "") -> Mention:
        taken.append((start, end))
        prov = provenance(field, text, start, end)
        table = cast(Hashable, regions)  # a region table is hashable (by identity)
        parts = _former_part(name, region, table) if name and regions is not None else None
        if parts is not None:
            areas, label = tuple(r.code for r in parts), _areas_label(parts)
        else:
            areas, label = (region.code,), _label(region)
        crit = LivesIn(label=label, provenance=prov, areas=areas)
        return Mention("region", crit, start, end)

    for m in _BARE_HERE.finditer(text):
        word = m.group(1)
        if text[m.end(1) : m.end(1) + 1] == "외":  # 관내외 = anywhere
            continue
        if _NOT_HOME.search(text[max(0, m.start() - 8) : m.end()]) or re.match(
            r"[^\n]{0,12}(?:사실이\s*없|이력이\s*없|하지\s*않)", text[m.end() : m.end() + 24]
        ):
            continue
        if word in ("도내", "도"):
            target = _service_sido(service_region, regions)
        elif word in ("관내", "군내", "시내", "구내"):
            target = service_region
        else:
            target = service_region if service_region is not None else None
            if target is not None and not target.name.endswith(word):
                target = None
        if target is not None:
            yield emit(m.start(), m.end(), target)

    for pattern in (_NAME, _SHORT_SIDO):
        for m in pattern.finditer(text):
            start, end = m.start(1), m.end(1)
            if any(a <= start < b for a, b in taken):
                continue
            name = m.group(1).strip()
            if _NOT_REGION_WORDS.match(name.replace(" ", "")):
                continue
            after = text[end : end + 24]
            before = text[max(0, start - 14) : start]
            citizen = _CITIZEN.match(after)
            lived = _LIVED_AFTER.match(after) or _ADDRESS_BEFORE.search(before)
            if not (citizen or lived):
                continue
            window = before[-6:] + text[start:end] + after[:10]
            if _NOT_HOME.search(window):
                continue
            region = _resolve(name, service_region, regions)
            if region is None:
                continue
            span_end = end + citizen.end() if citizen else end
            listed = _NAME_LIST.search(text[max(0, start - 40) : start])
            if listed:
                # "영양, 봉화, 고령, 성주, 청송군 거주": every name, with the last one's suffix.
                areas = _list_areas(listed.group(0), name, region, service_region, regions)
                if areas is None:
                    continue
                list_start = start - len(listed.group(0))
                taken.append((list_start, span_end))
                prov = provenance(field, text, list_start, span_end)
                label = ", ".join(a.name.split()[-1] for a in areas) + " 거주"
                crit = LivesIn(label=label, provenance=prov, areas=tuple(a.code for a in areas))
                yield Mention("region", crit, list_start, span_end)
                continue
            yield emit(start, span_end, region, name)
