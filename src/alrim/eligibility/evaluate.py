"""The per-person evaluator: walk a rule, three-valued (Kleene), with a reason per leaf.

Unknown is not false: a criterion whose facts are missing is `unknown`, and a result with an
unknown and no failure is `maybe`, listing the facts (`missing`) that would settle it.
This is the reference semantics; the vectorised evaluators must agree with it exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from alrim.domain.profile import Profile, full_months
from alrim.eligibility.facts import facts_for
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
    Leaf,
    LivesIn,
    Not,
    NotReceiving,
    OrganizationIndustryIn,
    OrganizationTypeIn,
    Outcome,
    Provenance,
    ProvenanceKind,
    ResidenceDuration,
    Rule,
    SexIn,
    Status,
    StatusIn,
    UserTypeIn,
)


class RegionOracle(Protocol):
    def covers(self, area: Any, place_code: str | None) -> bool | None: ...
    def get(self, code: str) -> Any: ...


class ParameterOracle(Protocol):
    def median_income(self, year: int, household_size: int) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Context:
    regions: RegionOracle
    parameters: ParameterOracle


@dataclass(frozen=True, slots=True)
class Reason:
    criterion: str
    outcome: Outcome
    text: str
    source: Provenance
    missing: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "outcome": self.outcome.value,
            "text": self.text,
            "source": self.source.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class ServiceResult:
    service_id: str
    status: Status
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "service_id": self.service_id,
            "status": self.status.value,
            "reasons": [r.to_dict() for r in self.reasons],
        }
        if self.status is Status.MAYBE:
            d["missing"] = list(self.missing)
        return d


# ---------------------------------------------------------------------------------------------
# Korean sentences.

INCOME_BAND_RANGES: dict[str, tuple[float, float]] = {
    # band → (lowest ratio, highest ratio) in percent; bounds are the published band edges.
    "0-50": (0.0, 50.0),
    "51-75": (50.0, 75.0),
    "76-100": (75.0, 100.0),
    "101-200": (100.0, 200.0),
    "200+": (200.0, float("inf")),
}


def _sentence(leaf: Leaf, outcome: Outcome, detail: str | None = None) -> str:
    label = leaf.label
    if outcome is Outcome.PASS:
        text = f"{label} 조건에 맞아요"
    elif outcome is Outcome.FAIL:
        text = f"{label} 조건에 맞지 않아요"
    else:
        text = f"{label} 조건인지 확인이 필요해요"
    return f"{text} ({detail})" if detail else text


# ---------------------------------------------------------------------------------------------
# Leaf evaluation: each returns (outcome, detail-for-the-sentence).

LeafResult = tuple[Outcome, str | None]


def _in_range(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _age(leaf: AgeRange, p: Profile, _: Context) -> LeafResult:
    age = p.age_on()
    if age is None:
        return Outcome.UNKNOWN, "나이를 알려주세요"
    ok = _in_range(age, leaf.min_years, leaf.max_years)
    return (Outcome.PASS if ok else Outcome.FAIL), f"지금 만 {age}세"


def _age_months(leaf: AgeMonthsRange, p: Profile, _: Context) -> LeafResult:
    months = p.age_in_months()
    if months is None:
        age = p.age_on()
        if age is not None:
            # Whole years bound the months: [age*12, age*12+11].
            lo, hi = age * 12, age * 12 + 11
            if _in_range(lo, leaf.min_months, leaf.max_months) and _in_range(
                hi, leaf.min_months, leaf.max_months
            ):
                return Outcome.PASS, f"만 {age}세"
            if (leaf.max_months is not None and lo > leaf.max_months) or (
                leaf.min_months is not None and hi < leaf.min_months
            ):
                return Outcome.FAIL, f"만 {age}세"
        return Outcome.UNKNOWN, "생년월일을 알려주세요"
    ok = _in_range(months, leaf.min_months, leaf.max_months)
    return (Outcome.PASS if ok else Outcome.FAIL), f"지금 {months}개월"


def _child_age(leaf: ChildAgeRange, p: Profile, _: Context) -> LeafResult:
    if p.children_birth_dates is None:
        return Outcome.UNKNOWN, "자녀의 생년월일을 알려주세요"
    if any(
        _in_range(full_months(b, p.as_of), leaf.min_months, leaf.max_months)
        for b in p.children_birth_dates
        if b <= p.as_of
    ):
        return Outcome.PASS, None
    return Outcome.FAIL, "해당 나이의 자녀가 없어요"


def _date_in(day: date, earliest: date | None, latest: date | None) -> bool:
    return (earliest is None or day >= earliest) and (latest is None or day <= latest)


def _years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (29 Feb → 28 Feb in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _born_between(leaf: BornBetween, p: Profile, _: Context) -> LeafResult:
    if p.birth_date is not None:
        ok = _date_in(p.birth_date, leaf.earliest, leaf.latest)
        born = p.birth_date
        detail = f"{born.year}년 {born.month}월 {born.day}일 출생"
        return (Outcome.PASS if ok else Outcome.FAIL), detail
    if p.age is not None:
        # 만 나이 a on as_of bounds the birth date to (as_of − (a+1)년, as_of − a년].
        latest = _years_before(p.as_of, p.age)
        earliest = _years_before(p.as_of, p.age + 1) + timedelta(days=1)
        if _date_in(earliest, leaf.earliest, leaf.latest) and _date_in(
            latest, leaf.earliest, leaf.latest
        ):
            return Outcome.PASS, f"만 {p.age}세"
        if (leaf.latest is not None and earliest > leaf.latest) or (
            leaf.earliest is not None and latest < leaf.earliest
        ):
            return Outcome.FAIL, f"만 {p.age}세"
    return Outcome.UNKNOWN, "생년월일을 알려주세요"


def _child_born_between(leaf: ChildBornBetween, p: Profile, _: Context) -> LeafResult:
    if p.children_birth_dates is None:
        return Outcome.UNKNOWN, "자녀의 생년월일을 알려주세요"
    if any(_date_in(b, leaf.earliest, leaf.latest) for b in p.children_birth_dates if b <= p.as_of):
        return Outcome.PASS, None
    return Outcome.FAIL, "해당 기간에 태어난 자녀가 없어요"


def _sex(leaf: SexIn, p: Profile, _: Context) -> LeafResult:
    if p.sex is None:
        return Outcome.UNKNOWN, None
    return (Outcome.PASS if p.sex in leaf.allowed else Outcome.FAIL), None


def _region_outcome(areas: tuple[str, ...], place: str, ctx: Context) -> Outcome:
    """Does a person living in `place` live in any of `areas`?"""
    any_unknown = False
    for code in areas:
        area = ctx.regions.get(code)
        covered = ctx.regions.covers(area, place) if area is not None else None
        if covered:
            return Outcome.PASS
        if covered is None:
            any_unknown = True
    return Outcome.UNKNOWN if any_unknown else Outcome.FAIL


def combine_places(outcomes: Iterable[Outcome]) -> Outcome:
    """A person who lives in exactly one of several places: pass if every place passes, fail
    if every place fails, otherwise unknown."""
    seen = set(outcomes)
    if seen == {Outcome.PASS}:
        return Outcome.PASS
    if seen == {Outcome.FAIL}:
        return Outcome.FAIL
    return Outcome.UNKNOWN


def places_name(p: Profile, ctx: Context, *, either: bool = True) -> str:
    """The divided old 구's successors in words: "인천광역시 서해구 또는 검단구" (`either`) or
    "인천광역시 서해구·검단구" (to ask which)."""
    names = [getattr(ctx.regions.get(c), "name", c) for c in p.region_candidates]
    sido = getattr(ctx.regions.get(p.region or ""), "name", None)
    prefix = f"{sido} " if sido else ""
    rest = [n[len(prefix) :] if prefix and n.startswith(prefix) else n for n in names[1:]]
    if not either:
        return "·".join(names[:1] + rest)
    if not rest:
        return names[0]
    return f"{', '.join(names[:1] + rest[:-1])} 또는 {rest[-1]}"


def _region(leaf: LivesIn, p: Profile, ctx: Context) -> LeafResult:
    if p.region is None:
        return Outcome.UNKNOWN, "사는 곳을 알려주세요"
    if p.region_candidates:
        # A divided old 구: the person lives in one of the candidates, we do not know which.
        outcome = combine_places(_region_outcome(leaf.areas, c, ctx) for c in p.region_candidates)
        if outcome is Outcome.UNKNOWN:
            return outcome, f"{places_name(p, ctx, either=False)} 중 어디에 사는지 알려주세요"
        return outcome, f"사는 곳: {places_name(p, ctx)}"
    outcome = _region_outcome(leaf.areas, p.region, ctx)
    if outcome is Outcome.UNKNOWN:
        return outcome, "사는 시군구를 알려주세요"
    place = ctx.regions.get(p.region)
    return outcome, f"사는 곳: {getattr(place, 'name', p.region)}"


def _residence(leaf: ResidenceDuration, p: Profile, _: Context) -> LeafResult:
    if p.moved_in_date is None:
        return Outcome.UNKNOWN, "전입한 날짜를 알려주세요"
    months = full_months(p.moved_in_date, p.as_of)
    ok = months >= leaf.min_months
    return (Outcome.PASS if ok else Outcome.FAIL), f"거주 {max(months, 0)}개월"


def _user_type(leaf: UserTypeIn, p: Profile, _: Context) -> LeafResult:
    if p.user_types & leaf.allowed:
        return Outcome.PASS, None
    if not p.user_types_given:
        return Outcome.UNKNOWN, None
    return Outcome.FAIL, None


def income_ratio(p: Profile, ctx: Context) -> float | None:
    """Household income as a percentage of 기준 중위소득 for its size and the year of as_of."""
    if p.household_income_monthly is None or p.household_size is None:
        return None
    median = ctx.parameters.median_income(p.as_of.year, p.household_size)
    if not median:
        return None
    return p.household_income_monthly * 100.0 / median


def income_bounds(p: Profile, ctx: Context) -> tuple[float, float] | None:
    """The range the person's income ratio lies in: exact from income, or from the band."""
    ratio = income_ratio(p, ctx)
    if ratio is not None:
        return ratio, ratio
    if p.income_band is not None:
        return INCOME_BAND_RANGES[p.income_band]
    return None


def _ratio_ok(value: float, leaf: IncomeRatio) -> bool:
    if leaf.max_percent is not None and value > leaf.max_percent:
        return False
    if leaf.min_percent is not None:
        if leaf.min_inclusive:
            return value >= leaf.min_percent
        return value > leaf.min_percent
    return True


def _no_income_detail(p: Profile, ctx: Context) -> str:
    known = p.household_income_monthly is not None and p.household_size is not None
    if known and not ctx.parameters.median_income(p.as_of.year, p.household_size or 1):
        return f"{p.as_of.year}년 기준 중위소득 자료가 아직 없어요"
    return "가구원 수와 월 소득을 알려주세요"


def _income(leaf: IncomeRatio, p: Profile, ctx: Context) -> LeafResult:
    bounds = income_bounds(p, ctx)
    if bounds is None:
        return Outcome.UNKNOWN, _no_income_detail(p, ctx)
    low, high = bounds
    exact = low == high
    detail = f"기준 중위소득의 {low:.0f}%" if exact else f"기준 중위소득 {p.income_band}% 구간"
    # A band is an interval: pass if every value in it passes, fail if none does.
    lo_ok, hi_ok = _ratio_ok(low, leaf), _ratio_ok(min(high, 1e9), leaf)
    if exact:
        return (Outcome.PASS if lo_ok else Outcome.FAIL), detail
    if leaf.max_percent is not None and low >= leaf.max_percent and not lo_ok:
        return Outcome.FAIL, detail
    if lo_ok and hi_ok:
        return Outcome.PASS, detail
    if leaf.min_percent is not None and high <= leaf.min_percent and not hi_ok:
        return Outcome.FAIL, detail
    return Outcome.UNKNOWN, detail


def _band_of(p: Profile, ctx: Context) -> str | None:
    ratio = income_ratio(p, ctx)
    if ratio is None:
        return p.income_band
    if ratio <= 50:
        return "0-50"
    if ratio <= 75:
        return "51-75"
    if ratio <= 100:
        return "76-100"
    if ratio <= 200:
        return "101-200"
    return "200+"


def _income_band(leaf: IncomeBandIn, p: Profile, ctx: Context) -> LeafResult:
    band = _band_of(p, ctx)
    if band is None:
        return Outcome.UNKNOWN, _no_income_detail(p, ctx)
    return (Outcome.PASS if band in leaf.allowed else Outcome.FAIL), f"기준 중위소득 {band}%"


def _membership(
    held: frozenset[str],
    complete: bool,
    allowed: frozenset[str],
    group: frozenset[str],
    none_ok: bool,
) -> Outcome:
    if held & allowed:
        return Outcome.PASS
    if not complete:
        return Outcome.UNKNOWN
    if held & group:
        return Outcome.FAIL
    return Outcome.PASS if none_ok else Outcome.FAIL


def _status(leaf: StatusIn, p: Profile, _: Context) -> LeafResult:
    return _membership(
        p.statuses, p.statuses_complete, leaf.allowed, leaf.group, leaf.none_ok
    ), None


def _household(leaf: HouseholdTraitIn, p: Profile, _: Context) -> LeafResult:
    outcome = _membership(
        p.household_traits, p.household_traits_complete, leaf.allowed, leaf.group, leaf.none_ok
    )
    return outcome, None


def _one_of(value: str | None, allowed: frozenset[str]) -> Outcome:
    if value is None:
        return Outcome.UNKNOWN
    return Outcome.PASS if value in allowed else Outcome.FAIL


def _business_stage(leaf: BusinessStageIn, p: Profile, _: Context) -> LeafResult:
    return _one_of(p.business_stage, leaf.allowed), None


def _business_industry(leaf: BusinessIndustryIn, p: Profile, _: Context) -> LeafResult:
    return _one_of(p.business_industry, leaf.allowed), None


def _org_type(leaf: OrganizationTypeIn, p: Profile, _: Context) -> LeafResult:
    return _one_of(p.organization_type, leaf.allowed), None


def _org_industry(leaf: OrganizationIndustryIn, p: Profile, _: Context) -> LeafResult:
    return _one_of(p.organization_industry, leaf.allowed), None


def _household_size(leaf: HouseholdSize, p: Profile, _: Context) -> LeafResult:
    if p.household_size is None:
        return Outcome.UNKNOWN, None
    ok = _in_range(p.household_size, leaf.min_size, leaf.max_size)
    return (Outcome.PASS if ok else Outcome.FAIL), f"가구원 {p.household_size}명"


def _children_count(leaf: ChildrenCount, p: Profile, _: Context) -> LeafResult:
    if p.children_birth_dates is None:
        return Outcome.UNKNOWN, None
    n = sum(1 for b in p.children_birth_dates if b <= p.as_of)
    ok = _in_range(n, leaf.min_count, leaf.max_count)
    return (Outcome.PASS if ok else Outcome.FAIL), f"자녀 {n}명"


def _not_receiving(leaf: NotReceiving, p: Profile, _: Context) -> LeafResult:
    if p.receiving & leaf.service_ids:
        return Outcome.FAIL, "이미 받고 있어요"
    return Outcome.PASS, None


def _flag(leaf: Flag, p: Profile, _: Context) -> LeafResult:
    value = p.facts.get(leaf.fact)
    if value is None:
        return Outcome.UNKNOWN, None
    return (Outcome.PASS if value else Outcome.FAIL), None


_EVALUATORS: dict[type, Callable[[Any, Profile, Context], LeafResult]] = {
    AgeRange: _age,
    AgeMonthsRange: _age_months,
    ChildAgeRange: _child_age,
    BornBetween: _born_between,
    ChildBornBetween: _child_born_between,
    SexIn: _sex,
    LivesIn: _region,
    ResidenceDuration: _residence,
    UserTypeIn: _user_type,
    IncomeRatio: _income,
    IncomeBandIn: _income_band,
    StatusIn: _status,
    HouseholdTraitIn: _household,
    BusinessStageIn: _business_stage,
    BusinessIndustryIn: _business_industry,
    OrganizationTypeIn: _org_type,
    OrganizationIndustryIn: _org_industry,
    HouseholdSize: _household_size,
    ChildrenCount: _children_count,
    NotReceiving: _not_receiving,
    Flag: _flag,
}


def evaluate_leaf(leaf: Leaf, profile: Profile, ctx: Context) -> Reason:
    outcome, detail = _EVALUATORS[type(leaf)](leaf, profile, ctx)
    if outcome is not Outcome.UNKNOWN:
        missing: tuple[str, ...] = ()
    elif isinstance(leaf, Flag):
        missing = (f"facts.{leaf.fact}",)
    else:
        missing = facts_for(leaf)[:1]
    return Reason(
        criterion=leaf.kind,
        outcome=outcome,
        text=_sentence(leaf, outcome, detail),
        source=leaf.provenance,
        missing=missing,
    )


_FLIP = {Outcome.PASS: Outcome.FAIL, Outcome.FAIL: Outcome.PASS, Outcome.UNKNOWN: Outcome.UNKNOWN}


def node_outcome(
    criterion: Criterion, profile: Profile, ctx: Context, out: dict[Any, Any]
) -> Outcome:
    """Kleene outcome of a criterion tree; `out` receives every node's outcome (by id) and
    every leaf's `Reason` (by id, under key `("r", id)`)."""
    if isinstance(criterion, All):
        outcomes = [node_outcome(c, profile, ctx, out) for c in criterion.items]
        if Outcome.FAIL in outcomes:
            result = Outcome.FAIL
        else:
            result = Outcome.UNKNOWN if Outcome.UNKNOWN in outcomes else Outcome.PASS
    elif isinstance(criterion, AnyOf):
        outcomes = [node_outcome(c, profile, ctx, out) for c in criterion.items]
        if Outcome.PASS in outcomes:
            result = Outcome.PASS
        else:
            result = Outcome.UNKNOWN if Outcome.UNKNOWN in outcomes else Outcome.FAIL
    elif isinstance(criterion, Not):
        result = _FLIP[node_outcome(criterion.item, profile, ctx, out)]
    else:
        reason = evaluate_leaf(criterion, profile, ctx)
        out[("r", id(criterion))] = reason
        result = reason.outcome
    out[id(criterion)] = result
    return result


def select_leaves(
    criterion: Criterion, outcome_of: Callable[[Criterion], Outcome], negated: bool = False
) -> list[tuple[Leaf, bool]]:
    """The leaves whose reasons explain the outcome, in tree order, with their negation.

    Every child of an `All` explains it. An `AnyOf` that passed is explained by its passing
    children only, one still unknown by its unknown children only (the failed alternatives are
    not what would change the answer), one that failed by all of them. Under a `Not` the
    reasons read the other way round (`negated`).
    """
    if isinstance(criterion, All):
        return [x for c in criterion.items for x in select_leaves(c, outcome_of, negated)]
    if isinstance(criterion, AnyOf):
        result = outcome_of(criterion)
        keep = criterion.items
        if result is not Outcome.FAIL:
            keep = tuple(c for c in criterion.items if outcome_of(c) is result)
        return [x for c in keep for x in select_leaves(c, outcome_of, negated)]
    if isinstance(criterion, Not):
        return select_leaves(criterion.item, outcome_of, not negated)
    return [(criterion, negated)]


def negated_reason(reason: Reason, leaf: Leaf) -> Reason:
    """A leaf's reason read under a `Not`: meeting it is what excludes the person."""
    outcome = _FLIP[reason.outcome]
    detail = (
        reason.text[reason.text.index(" (") + 2 : -1]
        if reason.text.endswith(")") and " (" in reason.text
        else None
    )
    if outcome is Outcome.PASS:
        text = f"{leaf.label}에 해당하지 않아요"
    elif outcome is Outcome.FAIL:
        text = f"{leaf.label}에 해당하면 받을 수 없어요"
    else:
        text = f"{leaf.label}에 해당하는지 확인이 필요해요"
    if detail:
        text = f"{text} ({detail})"
    return Reason(reason.criterion, outcome, text, reason.source, reason.missing)


def missing_of(reasons: Iterable[Reason]) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for r in reasons:
        if r.outcome is Outcome.UNKNOWN:
            for m in r.missing:
                found.setdefault(m, None)
    return tuple(found)


_RECEIVING = Provenance(ProvenanceKind.SOURCE, "profile.receiving")


def evaluate(rule: Rule, profile: Profile, ctx: Context) -> ServiceResult:
    """Judge one service for one person, with the reasons that explain the outcome."""
    computed: dict[Any, Any] = {}
    outcome = node_outcome(rule.criteria, profile, ctx, computed)
    reasons: list[Reason] = []
    for leaf, negated in select_leaves(rule.criteria, lambda n: computed[id(n)]):
        reason = computed[("r", id(leaf))]
        reasons.append(negated_reason(reason, leaf) if negated else reason)
    if rule.service_id in profile.receiving:
        reasons.append(Reason("receiving", Outcome.FAIL, "이미 받고 있는 서비스예요", _RECEIVING))
        outcome = Outcome.FAIL
    status = {
        Outcome.PASS: Status.ELIGIBLE,
        Outcome.UNKNOWN: Status.MAYBE,
        Outcome.FAIL: Status.INELIGIBLE,
    }[outcome]
    missing = missing_of(reasons) if status is Status.MAYBE else ()
    return ServiceResult(rule.service_id, status, tuple(reasons), missing)
