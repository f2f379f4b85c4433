"""Hypothesis strategies: profiles with unknowns everywhere, and random rule trees.

Shared by the vectorised-evaluator tests. Region codes come from the real region table (every
level, 일반구, 세종, the 2026 codes, retired codes), and some people live under a divided old 구
(`Profile.region_candidates`); dates cluster on the edges that matter (birthday today /
tomorrow, 29 February, month ends).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from hypothesis import strategies as st

from alrim.catalog.regions import RegionTable
from alrim.domain.profile import (
    BUSINESS_INDUSTRIES,
    BUSINESS_STAGES,
    HOUSEHOLD_TRAIT_CODES,
    INCOME_BANDS,
    ORG_INDUSTRIES,
    ORG_TYPES,
    STATUS_CODES,
    USER_TYPES,
    Profile,
)
from alrim.eligibility.evaluate import Context
from alrim.eligibility.model import (
    AgeMonthsRange,
    AgeRange,
    All,
    AnyOf,
    BornBetween,
    BusinessIndustryIn,
    BusinessStageIn,
    ChildAgeRange,
    ChildBornBetween,
    ChildrenCount,
    Criterion,
    Flag,
    HouseholdSize,
    HouseholdTraitIn,
    IncomeBandIn,
    IncomeRatio,
    LivesIn,
    Not,
    NotReceiving,
    OrganizationIndustryIn,
    OrganizationTypeIn,
    Provenance,
    ProvenanceKind,
    ResidenceDuration,
    Rule,
    SexIn,
    StatusIn,
    UserTypeIn,
)
from alrim.eligibility.parameters import Parameters
from alrim.paths import PARAMETERS_DIR

AS_OF_DAYS = (
    date(2026, 11, 25),
    date(2024, 2, 29),
    date(2025, 2, 28),
    date(2025, 3, 1),
    date(2026, 12, 31),
    date(2027, 1, 1),  # no 기준 중위소득 for 2027: income falls back to the band
)
FACTS = ("basic_livelihood", "kindergarten", "veteran_family")
SERVICE_IDS = ("S1", "S2", "S3", "S4")


@cache
def context() -> Context:
    return Context(regions=RegionTable.default(), parameters=Parameters.load(PARAMETERS_DIR))


@cache
def region_codes() -> tuple[str, ...]:
    """Codes of every kind: 시도, 시군구, 시 with 일반구 and its 구, 세종, new and retired codes."""
    table = RegionTable.default()
    sidos = [r.code for r in table.sidos()]
    picked = {"11", "41", "36", "12", "28", "41110", "41111", "41113", "41130", "36110"}
    picked |= {"11110", "11680", "12110", "12210", "28125", "28155", "28275", "28290", "41591"}
    picked |= {"43111"}
    sigungus = [r.code for s in sidos for r in table.sigungus(s)]
    picked |= set(sigungus[::9])
    retired = [c for c in table.retired_codes() if len(c) in (2, 5)]
    picked |= set(retired[::15]) | {"29110", "46110", "28110", "28260"}
    picked |= set(sidos)
    return tuple(sorted(picked))


# (region, candidates) of people under a divided old 구: 인천 서구 and 중구 as the parser gives
# them, and a made-up 시 + 일반구 pair where a candidate alone cannot always tell.
DIVIDED = (("28", ("28275", "28290")), ("28", ("28125", "28155")), ("41", ("41110", "41111")))

_PROV = Provenance(ProvenanceKind.RULE, "tests")


def _edge_birth(as_of: date, years: int, shift: int) -> date:
    try:
        day = as_of.replace(year=as_of.year - years)
    except ValueError:  # 29 February in a common year
        day = date(as_of.year - years, 2, 28)
    return day + timedelta(days=shift)


@st.composite
def birth_dates(draw: st.DrawFn, as_of: date) -> date:
    kind = draw(st.sampled_from(("edge", "leap", "any", "month")))
    if kind == "edge":  # birthday yesterday / today / tomorrow, N years ago
        years = draw(st.integers(0, 100))
        return _edge_birth(as_of, years, draw(st.integers(-1, 1)))
    if kind == "leap":
        year = draw(st.sampled_from((1948, 1960, 1984, 2000, 2004, 2020, 2024)))
        return date(year, 2, 29) + timedelta(days=draw(st.integers(-1, 1)))
    if kind == "month":  # infants: a few months around a month edge
        months = draw(st.integers(0, 40))
        base = as_of - timedelta(days=round(months * 30.44))
        return base + timedelta(days=draw(st.integers(-2, 2)))
    return draw(st.dates(date(1915, 1, 1), as_of + timedelta(days=400)))


def _maybe(draw: st.DrawFn, strategy: st.SearchStrategy, p_none: float = 0.3):  # type: ignore[no-untyped-def,type-arg]
    return None if draw(st.floats(0, 1)) < p_none else draw(strategy)


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    as_of = draw(st.sampled_from(AS_OF_DAYS))
    birth = _maybe(draw, birth_dates(as_of))
    age = _maybe(draw, st.integers(0, 110), 0.5) if birth is None else None
    size = _maybe(draw, st.integers(1, 11))
    income = _maybe(
        draw,
        st.one_of(
            st.integers(0, 15_000_000),
            # exactly on a ratio edge for some size: 50 / 100 / 150 % of a median
            st.sampled_from((1_282_119, 2_564_238, 4_199_292, 2_099_646, 1_196_006, 0)),
        ),
    )
    band = _maybe(draw, st.sampled_from(INCOME_BANDS), 0.6)
    children = _maybe(draw, st.lists(birth_dates(as_of), max_size=3).map(tuple), 0.4)
    facts = draw(st.dictionaries(st.sampled_from(FACTS), st.booleans(), max_size=2))
    user_types_given = draw(st.booleans())
    user_types = (
        frozenset(draw(st.sets(st.sampled_from(USER_TYPES), min_size=1)))
        if user_types_given
        else frozenset({"individual"})
    )
    region = _maybe(draw, st.sampled_from(region_codes()), 0.15)
    candidates: tuple[str, ...] = ()
    if region is not None and draw(st.integers(0, 5)) == 0:
        region, candidates = draw(st.sampled_from(DIVIDED))
    return Profile(
        as_of=as_of,
        birth_date=birth,
        age=age,
        sex=_maybe(draw, st.sampled_from(("male", "female"))),
        region=region,
        region_candidates=candidates,
        household_size=size,
        household_income_monthly=income,
        income_band=band,
        statuses=frozenset(draw(st.sets(st.sampled_from(list(STATUS_CODES)), max_size=3))),
        statuses_complete=draw(st.booleans()),
        household_traits=frozenset(
            draw(st.sets(st.sampled_from(list(HOUSEHOLD_TRAIT_CODES)), max_size=2))
        ),
        household_traits_complete=draw(st.booleans()),
        user_types=user_types,
        user_types_given=user_types_given,
        business_stage=_maybe(draw, st.sampled_from(BUSINESS_STAGES), 0.5),
        business_industry=_maybe(draw, st.sampled_from(BUSINESS_INDUSTRIES), 0.5),
        organization_type=_maybe(draw, st.sampled_from(ORG_TYPES), 0.5),
        organization_industry=_maybe(draw, st.sampled_from(ORG_INDUSTRIES), 0.5),
        receiving=frozenset(draw(st.sets(st.sampled_from(SERVICE_IDS), max_size=1))),
        children_birth_dates=children,
        moved_in_date=_maybe(draw, birth_dates(as_of), 0.5),
        facts=facts,
    )


def _bounds(draw: st.DrawFn, low: int, high: int) -> tuple[int | None, int | None]:
    a = _maybe(draw, st.integers(low, high), 0.35)
    b = _maybe(draw, st.integers(low, high), 0.35)
    if a is not None and b is not None and a > b and draw(st.booleans()):
        a, b = b, a
    return a, b


def _subset(draw: st.DrawFn, names: tuple[str, ...] | list[str]) -> frozenset[str]:
    return frozenset(draw(st.sets(st.sampled_from(list(names)))))


@st.composite
def leaves(draw: st.DrawFn) -> Criterion:
    kind = draw(st.integers(0, 20))
    label = f"조건{kind}"
    if kind == 0:
        lo, hi = _bounds(draw, 0, 100)
        return AgeRange(label, _PROV, min_years=lo, max_years=hi)
    if kind == 1:
        lo, hi = _bounds(draw, 0, 60)
        return AgeMonthsRange(label, _PROV, min_months=lo, max_months=hi)
    if kind == 2:
        lo, hi = _bounds(draw, 0, 100)
        return ChildAgeRange(label, _PROV, min_months=lo, max_months=hi)
    if kind == 3:
        return SexIn(label, _PROV, allowed=_subset(draw, ("male", "female")))
    if kind == 4:
        areas = draw(st.lists(st.sampled_from(region_codes()), max_size=3))
        return LivesIn(label, _PROV, areas=tuple(areas))
    if kind == 5:
        return ResidenceDuration(label, _PROV, min_months=draw(st.integers(0, 120)))
    if kind == 6:
        return UserTypeIn(label, _PROV, allowed=_subset(draw, USER_TYPES))
    if kind == 7:
        hi = _maybe(draw, st.sampled_from((50.0, 60.0, 100.0, 150.0, 75.5, 200.0)))
        lo = _maybe(draw, st.sampled_from((0.0, 50.0, 100.0, 200.0)), 0.6)
        return IncomeRatio(
            label, _PROV, max_percent=hi, min_percent=lo, min_inclusive=draw(st.booleans())
        )
    if kind == 8:
        return IncomeBandIn(label, _PROV, allowed=_subset(draw, INCOME_BANDS))
    if kind == 9:
        group = _subset(draw, list(STATUS_CODES))
        allowed = frozenset(draw(st.sets(st.sampled_from(sorted(group))))) if group else group
        return StatusIn(label, _PROV, allowed=allowed, group=group, none_ok=draw(st.booleans()))
    if kind == 10:
        group = _subset(draw, list(HOUSEHOLD_TRAIT_CODES))
        allowed = frozenset(draw(st.sets(st.sampled_from(sorted(group))))) if group else group
        return HouseholdTraitIn(
            label, _PROV, allowed=allowed, group=group, none_ok=draw(st.booleans())
        )
    if kind == 11:
        return BusinessStageIn(label, _PROV, allowed=_subset(draw, BUSINESS_STAGES))
    if kind == 12:
        return BusinessIndustryIn(label, _PROV, allowed=_subset(draw, BUSINESS_INDUSTRIES))
    if kind == 13:
        return OrganizationTypeIn(label, _PROV, allowed=_subset(draw, ORG_TYPES))
    if kind == 14:
        return OrganizationIndustryIn(label, _PROV, allowed=_subset(draw, ORG_INDUSTRIES))
    if kind == 15:
        lo, hi = _bounds(draw, 1, 8)
        return HouseholdSize(label, _PROV, min_size=lo, max_size=hi)
    if kind == 16:
        lo, hi = _bounds(draw, 0, 3)
        return ChildrenCount(label, _PROV, min_count=lo, max_count=hi)
    if kind == 17:
        return NotReceiving(label, _PROV, service_ids=_subset(draw, SERVICE_IDS))
    if kind in (18, 19):
        day = st.sampled_from(AS_OF_DAYS).flatmap(birth_dates)
        earliest, latest = _maybe(draw, day, 0.35), _maybe(draw, day, 0.35)
        if kind == 18:
            return BornBetween(label, _PROV, earliest=earliest, latest=latest)
        return ChildBornBetween(label, _PROV, earliest=earliest, latest=latest)
    fact = draw(st.sampled_from((*FACTS, "never_asked")))
    return Flag(label, _PROV, fact=fact, question=f"{fact}인가요?")


def trees(max_leaves: int = 6) -> st.SearchStrategy[Criterion]:
    return st.recursive(
        leaves(),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3).map(lambda xs: All(tuple(xs))),
            st.lists(inner, max_size=3).map(lambda xs: AnyOf(tuple(xs))),
            inner.map(Not),
        ),
        max_leaves=max_leaves,
    )


@st.composite
def rules(draw: st.DrawFn, flat_only: bool = False) -> Rule:
    sid = draw(st.sampled_from((*SERVICE_IDS, "S9")))
    if flat_only or draw(st.booleans()):
        items = tuple(draw(st.lists(leaves(), max_size=5)))
    else:
        items = tuple(draw(st.lists(trees(), max_size=3)))
    return Rule(service_id=sid, criteria=All(items), origin="hand")
