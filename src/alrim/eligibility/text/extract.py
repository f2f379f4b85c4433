"""Read a service's own texts into criteria with their spans.

Fields are read in order of trust: 지원대상 (`target_text`), then 선정기준 (`criteria_text`),
then — for 온통청년 policies — the labelled 대상 lines of 지원내용 or 정책설명 (`youth_target`),
then the name (`name`, for obvious cases like "65세 이상 폐렴구균") and the summary (`summary`,
always weak). Within a field each mention is judged by `context.judge`; then

* in one field, explicit findings of one dimension that say different things (two ages, two
  income limits, disjoint regions, an opener and a limit) are all made weak;
* across fields the earlier field wins: a later explicit finding that repeats it is dropped,
  one that disagrees is made weak;
* a service only for businesses or organisations (사용자구분 without 개인/가구) keeps person
  criteria weak;
* a 시군구 service whose text requires its own 시군구 *and* a wider region ("부부 모두
  전남광주통합특별시에 6개월 이상 거주 … 신청자는 여수시에 주소") keeps only its own region:
  residence conditions add up, so the wider one is made weak.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

from alrim.domain.region import Region, RegionLevel
from alrim.domain.service import Service
from alrim.eligibility.compile_ja import is_flagged
from alrim.eligibility.model import AgeRange, BornBetween, ChildAgeRange, ChildBornBetween, LivesIn
from alrim.eligibility.text.age import read_ages, read_birth_dates
from alrim.eligibility.text.context import judge
from alrim.eligibility.text.finding import Strength, TextFinding
from alrim.eligibility.text.income import read_income
from alrim.eligibility.text.mention import Mention, criterion_key, text_span
from alrim.eligibility.text.openers import read_openers
from alrim.eligibility.text.outline import Outline, mask_laws
from alrim.eligibility.text.region import RegionResolver, read_regions
from alrim.eligibility.text.residence import read_durations
from alrim.eligibility.text.sex import read_sex
from alrim.eligibility.text.statuses import read_statuses
from alrim.eligibility.text.target_group import read_target_group
from alrim.eligibility.text.youth_target import target_lines

FIELDS: tuple[str, ...] = ("target_text", "criteria_text", "name", "summary")
PERSON_DIMENSIONS = frozenset(
    {"age", "age_months", "sex", "income", "household", "status", "fact", "residence_duration"}
)
_CONSISTENT_DIMENSIONS = frozenset({"age", "age_months", "income", "residence_duration", "sex"})
_PEOPLE_USER_TYPES = ("개인", "가구")
_BUSINESS_USER_TYPE = "소상공인"
_FOUNDER_CODE = "JA1101"  # (개인)사업자 상태: 예비창업자


def read_field(
    text: str,
    field: str,
    *,
    name: str = "",
    service_region: Region | None = None,
    regions: RegionResolver | None = None,
) -> list[TextFinding]:
    """Findings in one text (strength judged; field-level consistency applied)."""
    masked = mask_laws(text)
    mentions: list[Mention] = []
    mentions.extend(read_ages(text, field, name))
    age_lines = {text.count("\n", 0, m.start) for m in mentions}
    mentions.extend(read_birth_dates(text, field, name, age_lines))
    mentions.extend(read_income(text, field))
    mentions.extend(read_durations(text, field))
    mentions.extend(read_regions(text, field, service_region, regions))
    mentions.extend(read_sex(text, masked, field))
    mentions.extend(read_statuses(text, masked, field))
    mentions.extend(read_openers(text, field))
    mentions.sort(key=lambda m: (m.start, m.end))

    outline = Outline(text)
    by_item: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        item = outline.item_at(m.start)
        if item is not None:
            by_item[item.index].append(m)

    # A service for a minor ("6세 이상 18세 미만의 장애인"): statuses such as 장애인 describe
    # the minor, and a parent may apply — keep them weak.
    youth_lines = {text.count("\n", 0, m.start) for m in mentions if m.subject == "youth"}
    adult_ages = any(
        m.dimension == "age" and m.subject == "" and not m.weak and not m.opens for m in mentions
    )
    if youth_lines and not adult_ages:
        # Only a minor's age in the text ("24세 이하 장애 아동·청소년 - 장애인 …"): every
        # status line may describe the minor.
        youth_lines = {text.count("\n", 0, m.start) for m in mentions}
    findings: list[TextFinding] = []
    for m in mentions:
        strength, why = judge(m, outline, by_item)
        if strength is None:
            continue
        if (
            strength == "explicit"
            and m.dimension == "status"
            and not m.opens
            and text.count("\n", 0, m.start) in youth_lines
        ):
            strength, why = "weak", "the service is for a child; the status may be the child's"
        findings.append(
            TextFinding(
                dimension=m.dimension,
                criterion=m.criterion,
                strength=Strength(strength),
                span=text_span(field, text, m.start, m.end),
                opens=m.opens,
                why=why,
            )
        )
    return _consistent(_dedupe(findings))


def _key(f: TextFinding) -> tuple[str, object]:
    if f.opens:
        return f.dimension, "open"
    return f.dimension, criterion_key(f.criterion)


def _dedupe(findings: list[TextFinding]) -> list[TextFinding]:
    """One finding per (dimension, criterion), explicit preferred, first span kept."""
    best: dict[tuple[str, object], TextFinding] = {}
    order: list[tuple[str, object]] = []
    for f in findings:
        k = _key(f)
        if k not in best:
            best[k] = f
            order.append(k)
        elif f.explicit and not best[k].explicit:
            best[k] = f
    return [best[k] for k in order]


def _weaken(f: TextFinding, why: str) -> TextFinding:
    if not f.explicit:
        return f
    return replace(f, strength=Strength.WEAK, why=why)


def _nested(a: LivesIn, b: LivesIn) -> bool:
    return any(x.startswith(y) or y.startswith(x) for x in a.areas for y in b.areas)


def _consistent(findings: list[TextFinding]) -> list[TextFinding]:
    explicit: dict[str, list[TextFinding]] = defaultdict(list)
    for f in findings:
        if f.explicit:
            explicit[_group(f)].append(f)
    conflicted: set[int] = set()
    for group, items in explicit.items():
        openers = [f for f in items if f.opens]
        limits = [f for f in items if not f.opens]
        if openers and limits:
            conflicted.update(id(f) for f in items)
            continue
        if group == "region":
            for i, a in enumerate(limits):
                for b in limits[i + 1 :]:
                    ca, cb = a.criterion, b.criterion
                    if isinstance(ca, LivesIn) and isinstance(cb, LivesIn) and not _nested(ca, cb):
                        conflicted.update((id(a), id(b)))
        elif group.split(":")[0] in _CONSISTENT_DIMENSIONS and len(limits) > 1:
            conflicted.update(id(f) for f in limits)
    return [
        _weaken(f, "the text gives different values") if id(f) in conflicted else f
        for f in findings
    ]


def _group(f: TextFinding) -> str:
    """Consistency group: child ages are compared with child ages, person ages with ages."""
    if isinstance(f.criterion, ChildAgeRange):
        return "age:child"
    if isinstance(f.criterion, ChildBornBetween):
        return "age:child-born"
    if isinstance(f.criterion, BornBetween):
        return "age:born"
    if isinstance(f.criterion, AgeRange):
        return "age"
    return f.dimension


def _for_people(service: Service) -> bool:
    """Is the service open to people (개인/가구)? A 소상공인 service that ticks 예비창업자
    (JA1101) is too: a person about to start a business applies as themself (see
    `compile`), so "장애인 예비창업자" speaks of the person."""
    if not service.user_types:
        return True
    if any(t in _PEOPLE_USER_TYPES for t in service.user_types):
        return True
    return _BUSINESS_USER_TYPE in service.user_types and is_flagged(
        (service.conditions or {}).get(_FOUNDER_CODE)
    )


_REMEMBER_AT_MOST = 50_000  # distinct place-like words; far more than a full catalog has


class _RememberedResolver:
    """A region table whose `try_resolve` answers are remembered: the same words ("관내",
    "도내 청년" …) are looked up for thousands of services, and a miss also ranks suggestions.
    The table is immutable, so the answer for a query never changes. Every other attribute
    (`sidos`, `sigungus` for the target-group reader) is the table's own."""

    def __init__(self, table: RegionResolver) -> None:
        self._table = table
        self._answers: dict[str | None, Region | None] = {}

    def try_resolve(self, query: str | None) -> Region | None:
        if query not in self._answers:
            if len(self._answers) >= _REMEMBER_AT_MOST:
                self._answers.clear()
            self._answers[query] = self._table.try_resolve(query)
        return self._answers[query]

    def get(self, code: str) -> Region | None:
        return self._table.get(code)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._table, name)


_REMEMBERED: dict[int, tuple[RegionResolver, _RememberedResolver]] = {}


def _remembered(regions: RegionResolver | None) -> RegionResolver | None:
    """One remembering wrapper per table (the same wrapper every call, so per-table caches
    keyed by identity downstream keep working)."""
    if regions is None or isinstance(regions, _RememberedResolver):
        return regions
    held = _REMEMBERED.get(id(regions))
    if held is None or held[0] is not regions:
        held = (regions, _RememberedResolver(regions))
        _REMEMBERED[id(regions)] = held
    return held[1]


def extract_text_criteria(
    service: Service, regions: RegionResolver | None = None
) -> list[TextFinding]:
    """Every criterion read from the service's texts, explicit or weak, with its exact span.

    `regions` resolves region names ("서울시민", "경상남도 거주"); without it only the
    service's own region can be named (관내, "성동구민" for a 성동구 service).
    """
    regions = _remembered(regions)
    people = _for_people(service)
    result: list[TextFinding] = []
    seen: dict[str, list[TextFinding]] = defaultdict(list)  # explicit findings so far, by group
    for field, text, weak in _texts(service):
        found = read_field(
            text,
            field,
            name=service.name,
            service_region=service.region,
            regions=regions,
        )
        for f in found:
            if weak:
                f = _weaken(f, "read from the summary")
            if field == "name" and f.opens:
                f = _weaken(f, "an opener in the name (often part of a programme name)")
            if not people and f.dimension in PERSON_DIMENSIONS:
                f = _weaken(f, "the service is for businesses or organisations")
            earlier = seen.get(_group(f), [])
            if earlier:
                if any(_key(e) == _key(f) for e in earlier):
                    continue  # said already, by a field read earlier
                if f.explicit and _disagrees(f, earlier):
                    f = _weaken(f, f"disagrees with {earlier[0].span.field}")
            elif any(_key(r) == _key(f) for r in result):
                continue
            result.append(f)
        for f in result:
            if f.explicit and f.span.field == field:
                seen[_group(f)].append(f)
    result = _own_region_binds(result, service.region)
    target = read_target_group(service, result, regions)  # a group no field can express
    if target is not None:
        result.append(target)
    return result


def _around(areas: tuple[str, ...], region: Region) -> bool:
    """Do `areas` hold `region` and more (its 시도, the 시 of a 일반구, or a list of 시군구
    with it — "전남도" = the 22 시군구 of the former 전라남도)?"""
    if areas == (region.code,):
        return False
    return any(a in (region.code, region.sido_code, region.parent_code) for a in areas)


def _own_region_binds(findings: list[TextFinding], own: Region | None) -> list[TextFinding]:
    """Explicit region limits that only widen a 시군구 service's own region are made weak when
    the text also requires that 시군구: both must hold, so the narrower one is the condition.
    "가구 구성원 모두 주소지가 곡성군 … 나머지 가구 구성원(배우자 및 자녀)은 전남도에 주소가
    있으면 신청 가능" is for people who live in 곡성군, not anywhere in 전남."""
    if own is None or own.level is not RegionLevel.SIGUNGU:
        return findings
    limits = [
        f
        for f in findings
        if f.explicit
        and not f.opens
        and f.dimension == "region"
        and isinstance(f.criterion, LivesIn)
    ]

    def areas(f: TextFinding) -> tuple[str, ...]:
        return f.criterion.areas if isinstance(f.criterion, LivesIn) else ()

    if not any(areas(f) == (own.code,) for f in limits):
        return findings
    wider = {id(f) for f in limits if _around(areas(f), own)}
    return [
        _weaken(f, "the text also requires the service's own region; both must hold")
        if id(f) in wider
        else f
        for f in findings
    ]


def _texts(service: Service) -> list[tuple[str, str, bool]]:
    """(field, text, weak) in order of trust. A 온통청년 policy's 대상 lines (`youth_target`)
    come after 지원대상 and 선정기준, read as explicitly as they are; the whole summary after
    the name, weak."""
    texts: list[tuple[str, str, bool]] = []
    for field in FIELDS:
        text = getattr(service, field, None)
        if text:
            texts.append((field, text, field == "summary"))
        if field == "criteria_text":
            lines = target_lines(service)
            if lines is not None:
                texts.append((lines[0], lines[1], False))
    return texts


def _disagrees(f: TextFinding, earlier: list[TextFinding]) -> bool:
    if f.dimension == "region":
        ca = f.criterion
        return not all(
            isinstance(ca, LivesIn)
            and isinstance(e.criterion, LivesIn)
            and _nested(ca, e.criterion)
            for e in earlier
            if not e.opens
        )
    # Several statuses are read as all required, so a new one does not disagree.
    return f.dimension not in ("status", "household", "fact")
