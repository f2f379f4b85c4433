"""One person against every service, fast: the rules compiled into NumPy arrays per leaf kind.

`Screener.build(rules, ctx)` lays the leaves of every rule of the common shape — an `All` of
leaves — side by side, one slot per leaf, grouped by kind with their parameters as arrays
(age bounds, status bitmasks, region areas …). `screen(profile)` computes every leaf's
outcome with a handful of array operations per kind and each service's outcome as the minimum
over its slots (Kleene `All`). Rules of any other shape fall back to the reference evaluator.

Reasons are built only for the services returned, from the leaf outcomes and sentences
prepared at build time (`evaluate._sentence` for each leaf and outcome). The part of a sentence
that depends on the person (the detail in brackets: "지금 만 32세") is the same for every leaf of
a kind with a given outcome, so it is asked of the reference evaluator (`evaluate_leaf`) once
per kind and outcome. Results are exactly the reference's `ServiceResult.to_dict()`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from alrim.domain.profile import (
    BUSINESS_INDUSTRIES,
    BUSINESS_STAGES,
    INCOME_BANDS,
    ORG_INDUSTRIES,
    ORG_TYPES,
    Profile,
    full_months,
)
from alrim.eligibility.evaluate import (
    Context,
    Reason,
    ServiceResult,
    _band_of,
    _sentence,
    _years_before,
    evaluate,
    evaluate_leaf,
    income_ratio,
    missing_of,
    negated_reason,
    select_leaves,
)
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
    ResidenceDuration,
    Rule,
    SexIn,
    Status,
    StatusIn,
    UserTypeIn,
)
from alrim.eligibility.profile_table import SEXES, STATUS_BITS, TRAIT_BITS, USER_TYPE_BITS
from alrim.eligibility.vectorized import FAIL, OUTCOME_VALUE, PASS, UNKNOWN, RegionLookup

_BIG = 1 << 40  # an open bound
_OUTCOME_NAME = ("fail", "unknown", "pass")  # by outcome + 1
_STATUS_NAME = ("ineligible", "maybe", "eligible")  # by outcome + 1
_BLANK_DAY = date(2000, 1, 1)


def _bits(values: frozenset[str], names: Sequence[str]) -> int:
    return sum(1 << i for i, name in enumerate(names) if name in values)


def _bound(value: float | None, open_value: float) -> float:
    return open_value if value is None else value


def _in(value: float, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    return (value >= low) & (value <= high)


def _tri(ok: Any) -> np.ndarray:
    """1 where `ok`, -1 elsewhere."""
    out: np.ndarray = np.asarray(ok).astype(np.int8) * np.int8(2) - np.int8(1)
    return out


def _unknown(n: int) -> np.ndarray:
    return np.zeros(n, dtype=np.int8)


_EXPLAINING_KEPT = 100_000  # remembered (rule, outcomes) → explaining leaves


@dataclass(frozen=True, slots=True)
class _Person:
    """What the leaf kinds read from a profile, computed once per screening."""

    profile: Profile
    age: int | None
    months: int | None
    child_months: np.ndarray | None  # months of the children born by as_of
    child_days: np.ndarray | None  # birth dates (ordinals) of the children born by as_of
    ratio: float | None
    band: int | None  # index into INCOME_BANDS

    @classmethod
    def of(cls, p: Profile, ctx: Context) -> _Person:
        children = days = None
        if p.children_birth_dates is not None:
            born = [b for b in p.children_birth_dates if b <= p.as_of]
            children = np.array([full_months(b, p.as_of) for b in born], dtype=np.int64)
            days = np.array([b.toordinal() for b in born], dtype=np.int64)
        band = _band_of(p, ctx)
        return cls(
            profile=p,
            age=p.age_on(),
            months=p.age_in_months(),
            child_months=children,
            child_days=days,
            ratio=income_ratio(p, ctx),
            band=INCOME_BANDS.index(band) if band is not None else None,
        )


@dataclass
class _Kind:
    """The leaves of one kind: their slots and parameter arrays, and how to judge them."""

    leaf_type: type
    slots: list[int] = field(default_factory=list)
    leaves: list[Any] = field(default_factory=list)
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    judge: Callable[[_Kind, _Person, Screener], np.ndarray] | None = None
    groups: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    index: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


# ---------------------------------------------------------------------------------------------
# Per-kind compilation (arrays) and judgement (profile → outcomes).


def _prep_range(kind: _Kind, low: str, high: str) -> None:
    kind.arrays["lo"] = np.array([_bound(getattr(x, low), -_BIG) for x in kind.leaves])
    kind.arrays["hi"] = np.array([_bound(getattr(x, high), _BIG) for x in kind.leaves])
    kind.arrays["has_lo"] = np.array([getattr(x, low) is not None for x in kind.leaves])
    kind.arrays["has_hi"] = np.array([getattr(x, high) is not None for x in kind.leaves])


def _judge_age(kind: _Kind, person: _Person, _: Screener) -> np.ndarray:
    if person.age is None:
        return _unknown(len(kind.slots))
    return _tri(_in(person.age, kind.arrays["lo"], kind.arrays["hi"]))


def _judge_age_months(kind: _Kind, person: _Person, _: Screener) -> np.ndarray:
    a = kind.arrays
    if person.months is not None:
        return _tri(_in(person.months, a["lo"], a["hi"]))
    if person.age is None:
        return _unknown(len(kind.slots))
    first, last = person.age * 12, person.age * 12 + 11
    sure = _in(first, a["lo"], a["hi"]) & _in(last, a["lo"], a["hi"])
    out = (a["has_hi"] & (first > a["hi"])) | (a["has_lo"] & (last < a["lo"]))
    return np.where(sure, PASS, np.where(out, FAIL, UNKNOWN)).astype(np.int8)


def _judge_child_age(kind: _Kind, person: _Person, _: Screener) -> np.ndarray:
    months = person.child_months
    if months is None:
        return _unknown(len(kind.slots))
    if months.size == 0:
        return np.full(len(kind.slots), FAIL, dtype=np.int8)
    a = kind.arrays
    hit = (months[None, :] >= a["lo"][:, None]) & (months[None, :] <= a["hi"][:, None])
    return _tri(hit.any(axis=1))


def _prep_dates(kind: _Kind) -> None:
    a = kind.arrays
    a["lo"] = np.array([x.earliest.toordinal() if x.earliest else -_BIG for x in kind.leaves])
    a["hi"] = np.array([x.latest.toordinal() if x.latest else _BIG for x in kind.leaves])
    a["has_lo"] = np.array([x.earliest is not None for x in kind.leaves])
    a["has_hi"] = np.array([x.latest is not None for x in kind.leaves])


def _judge_born_between(kind: _Kind, person: _Person, _: Screener) -> np.ndarray:
    p, a = person.profile, kind.arrays
    if p.birth_date is not None:
        return _tri(_in(p.birth_date.toordinal(), a["lo"], a["hi"]))
    if p.age is None:
        return _unknown(len(kind.slots))
    # 만 나이 a on as_of bounds the birth date to (as_of − (a+1)년, as_of − a년].
    latest = _years_before(p.as_of, p.age).toordinal()
    earliest = (_years_before(p.as_of, p.age + 1) + timedelta(days=1)).toordinal()
    sure = _in(earliest, a["lo"], a["hi"]) & _in(latest, a["lo"], a["hi"])
    out = (a["has_hi"] & (earliest > a["hi"])) | (a["has_lo"] & (latest < a["lo"]))
    return np.where(sure, PASS, np.where(out, FAIL, UNKNOWN)).astype(np.int8)


def _judge_child_born_between(kind: _Kind, person: _Person, _: Screener) -> np.ndarray:
    days = person.child_days
    if days is None:
        return _unknown(len(kind.slots))
    a = kind.arrays
    hit = (days[None, :] >= a["lo"][:, None]) & (days[None, :] <= a["hi"][:, None])
    return _tri(hit.any(axis=1))


def _judge_children_count(kind: _Kind, person: _Person, _: Screener) -> np.ndarray:
    if person.child_months is None:
        return _unknown(len(kind.slots))
    return _tri(_in(person.child_months.size, kind.arrays["lo"], kind.arrays["hi"]))


def _judge_household_size(kind: _Kind, person: _Person, _: Screener) -> np.ndarray:
    size = person.profile.household_size
    if size is None:
        return _unknown(len(kind.slots))
    return _tri(_in(size, kind.arrays["lo"], kind.arrays["hi"]))


def _prep_choice(kind: _Kind, names: Sequence[str]) -> None:
    kind.arrays["mask"] = np.array([_bits(x.allowed, names) for x in kind.leaves], dtype=np.int64)


def _choice_judge(attribute: str, names: Sequence[str]) -> Callable[..., np.ndarray]:
    def judge(kind: _Kind, person: _Person, _: Screener) -> np.ndarray:
        value = getattr(person.profile, attribute)
        if value is None:
            return _unknown(len(kind.slots))
        bit = 1 << names.index(value) if value in names else 0
        return _tri((kind.arrays["mask"] & bit) != 0)

    return judge


def _judge_user_type(kind: _Kind, person: _Person, _: Screener) -> np.ndarray:
    p = person.profile
    held = _bits(p.user_types, list(USER_TYPE_BITS))
    hit = (kind.arrays["mask"] & held) != 0
    if p.user_types_given:
        return _tri(hit)
    return np.where(hit, PASS, UNKNOWN).astype(np.int8)


def _prep_membership(kind: _Kind, bits: dict[str, int]) -> None:
    names = list(bits)
    kind.arrays["allowed"] = np.array([_bits(x.allowed, names) for x in kind.leaves], np.int64)
    kind.arrays["group"] = np.array([_bits(x.group, names) for x in kind.leaves], np.int64)
    kind.arrays["none_ok"] = np.array([x.none_ok for x in kind.leaves], dtype=bool)


def _membership_judge(attribute: str, complete: str, bits: dict[str, int]) -> Callable[..., Any]:
    names = list(bits)

    def judge(kind: _Kind, person: _Person, _: Screener) -> np.ndarray:
        p = person.profile
        held = _bits(getattr(p, attribute), names)
        a = kind.arrays
        hit = (a["allowed"] & held) != 0
        if not getattr(p, complete):
            return np.where(hit, PASS, UNKNOWN).astype(np.int8)
        other = (a["group"] & held) != 0
        return _tri(hit | (~other & a["none_ok"]))

    return judge


def _groups_by_length(lists: Sequence[Sequence[int]]) -> list[tuple[np.ndarray, np.ndarray]]:
    """(positions, matrix) per list length: the lists of that length, one per matrix column."""
    by_length: dict[int, list[int]] = {}
    for i, items in enumerate(lists):
        by_length.setdefault(len(items), []).append(i)
    return [
        (
            np.array(rows, dtype=np.int64),
            np.array([lists[i] for i in rows], dtype=np.int64).reshape(len(rows), length).T.copy(),
        )
        for length, rows in sorted(by_length.items())
    ]


def _prep_region(kind: _Kind) -> None:
    areas: dict[str, int] = {}
    lists = [[areas.setdefault(a, len(areas)) for a in leaf.areas] for leaf in kind.leaves]
    kind.arrays["area_codes"] = np.array(list(areas), dtype=object)
    kind.groups = _groups_by_length(lists)


def _judge_region(kind: _Kind, person: _Person, screener: Screener) -> np.ndarray:
    if person.profile.region is None:
        return _unknown(len(kind.slots))
    per_place = [_region_in(kind, place, screener) for place in person.profile.places()]
    if len(per_place) == 1:
        return per_place[0]
    # A divided old 구: pass where every candidate passes, fail where every one fails.
    stacked = np.stack(per_place)
    low, high = stacked.min(axis=0), stacked.max(axis=0)
    return np.where(low == PASS, PASS, np.where(high == FAIL, FAIL, UNKNOWN)).astype(np.int8)


def _region_in(kind: _Kind, place: str, screener: Screener) -> np.ndarray:
    """Each region leaf's outcome for a person living in `place`: the best over its areas."""
    covers = screener._area_outcomes(place, kind.arrays["area_codes"])
    out = np.full(len(kind.slots), FAIL, dtype=np.int8)  # no area at all fails, as in the reference
    for rows, matrix in kind.groups:
        if matrix.shape[0]:
            out[rows] = covers[matrix].max(axis=0)
    return out


def _judge_residence(kind: _Kind, person: _Person, _: Screener) -> np.ndarray:
    p = person.profile
    if p.moved_in_date is None:
        return _unknown(len(kind.slots))
    return _tri(full_months(p.moved_in_date, p.as_of) >= kind.arrays["min"])


def _prep_income(kind: _Kind, screener: Screener) -> None:
    a = kind.arrays
    a["max"] = np.array([_bound(x.max_percent, np.nan) for x in kind.leaves], dtype=np.float64)
    a["min"] = np.array([_bound(x.min_percent, np.nan) for x in kind.leaves], dtype=np.float64)
    a["incl"] = np.array([x.min_inclusive for x in kind.leaves], dtype=bool)
    # Only a band known: the reference's answer for each band, asked once per leaf.
    table = np.zeros((len(kind.leaves), len(INCOME_BANDS)), dtype=np.int8)
    for j, band in enumerate(INCOME_BANDS):
        probe = Profile(as_of=_BLANK_DAY, income_band=band)
        for i, leaf in enumerate(kind.leaves):
            table[i, j] = OUTCOME_VALUE[evaluate_leaf(leaf, probe, screener.ctx).outcome]
    a["bands"] = table


def _judge_income(kind: _Kind, person: _Person, _: Screener) -> np.ndarray:
    a = kind.arrays
    r = person.ratio
    if r is not None:
        with np.errstate(invalid="ignore"):
            under = np.isnan(a["max"]) | ~(r > a["max"])
            over = np.isnan(a["min"]) | np.where(a["incl"], r >= a["min"], r > a["min"])
        return _tri(under & over)
    if person.profile.income_band is not None:
        return np.ascontiguousarray(a["bands"][:, INCOME_BANDS.index(person.profile.income_band)])
    return _unknown(len(kind.slots))


def _judge_income_band(kind: _Kind, person: _Person, _: Screener) -> np.ndarray:
    if person.band is None:
        return _unknown(len(kind.slots))
    return _tri((kind.arrays["mask"] & (1 << person.band)) != 0)


def _judge_not_receiving(kind: _Kind, person: _Person, _: Screener) -> np.ndarray:
    received = person.profile.receiving
    out = np.full(len(kind.slots), PASS, dtype=np.int8)
    if received:
        for i, leaf in enumerate(kind.leaves):
            if received & leaf.service_ids:
                out[i] = FAIL
    return out


def _prep_flag(kind: _Kind) -> None:
    facts: dict[str, int] = {}
    kind.arrays["fact"] = np.array([facts.setdefault(x.fact, len(facts)) for x in kind.leaves])
    kind.arrays["names"] = np.array(list(facts), dtype=object)


def _judge_flag(kind: _Kind, person: _Person, _: Screener) -> np.ndarray:
    known = person.profile.facts
    if not known:
        return _unknown(len(kind.slots))
    values = np.array(
        [OUTCOME_VALUE[_flag_outcome(known.get(f))] for f in kind.arrays["names"]], dtype=np.int8
    )
    return values[kind.arrays["fact"]]


def _flag_outcome(value: bool | None) -> Outcome:
    if value is None:
        return Outcome.UNKNOWN
    return Outcome.PASS if value else Outcome.FAIL


_PREP: dict[type, Callable[[_Kind, Screener], None]] = {
    AgeRange: lambda k, s: _prep_range(k, "min_years", "max_years"),
    AgeMonthsRange: lambda k, s: _prep_range(k, "min_months", "max_months"),
    ChildAgeRange: lambda k, s: _prep_range(k, "min_months", "max_months"),
    ChildrenCount: lambda k, s: _prep_range(k, "min_count", "max_count"),
    BornBetween: lambda k, s: _prep_dates(k),
    ChildBornBetween: lambda k, s: _prep_dates(k),
    HouseholdSize: lambda k, s: _prep_range(k, "min_size", "max_size"),
    SexIn: lambda k, s: _prep_choice(k, SEXES),
    LivesIn: lambda k, s: _prep_region(k),
    ResidenceDuration: lambda k, s: k.arrays.update(min=np.array([x.min_months for x in k.leaves])),
    UserTypeIn: lambda k, s: _prep_choice(k, list(USER_TYPE_BITS)),
    IncomeRatio: _prep_income,
    IncomeBandIn: lambda k, s: _prep_choice(k, INCOME_BANDS),
    StatusIn: lambda k, s: _prep_membership(k, STATUS_BITS),
    HouseholdTraitIn: lambda k, s: _prep_membership(k, TRAIT_BITS),
    BusinessStageIn: lambda k, s: _prep_choice(k, BUSINESS_STAGES),
    BusinessIndustryIn: lambda k, s: _prep_choice(k, BUSINESS_INDUSTRIES),
    OrganizationTypeIn: lambda k, s: _prep_choice(k, ORG_TYPES),
    OrganizationIndustryIn: lambda k, s: _prep_choice(k, ORG_INDUSTRIES),
    NotReceiving: lambda k, s: None,
    Flag: lambda k, s: _prep_flag(k),
}

_JUDGE: dict[type, Callable[[_Kind, _Person, Screener], np.ndarray]] = {
    AgeRange: _judge_age,
    AgeMonthsRange: _judge_age_months,
    ChildAgeRange: _judge_child_age,
    ChildrenCount: _judge_children_count,
    BornBetween: _judge_born_between,
    ChildBornBetween: _judge_child_born_between,
    HouseholdSize: _judge_household_size,
    SexIn: _choice_judge("sex", SEXES),
    LivesIn: _judge_region,
    ResidenceDuration: _judge_residence,
    UserTypeIn: _judge_user_type,
    IncomeRatio: _judge_income,
    IncomeBandIn: _judge_income_band,
    StatusIn: _membership_judge("statuses", "statuses_complete", STATUS_BITS),
    HouseholdTraitIn: _membership_judge(
        "household_traits", "household_traits_complete", TRAIT_BITS
    ),
    BusinessStageIn: _choice_judge("business_stage", BUSINESS_STAGES),
    BusinessIndustryIn: _choice_judge("business_industry", BUSINESS_INDUSTRIES),
    OrganizationTypeIn: _choice_judge("organization_type", ORG_TYPES),
    OrganizationIndustryIn: _choice_judge("organization_industry", ORG_INDUSTRIES),
    NotReceiving: _judge_not_receiving,
    Flag: _judge_flag,
}


def _branches(criterion: Criterion) -> bool:
    """Whether a tree has an any/not (so not every leaf explains its outcome)."""
    if isinstance(criterion, AnyOf | Not):
        return True
    if isinstance(criterion, All):
        return any(_branches(c) for c in criterion.items)
    return False


def _compilable(criterion: Criterion) -> bool:
    if isinstance(criterion, All | AnyOf):
        return all(_compilable(c) for c in criterion.items)
    if isinstance(criterion, Not):
        return _compilable(criterion.item)
    return type(criterion) in _JUDGE


@dataclass
class _Layout:
    """Every node of every rule gets a slot; the children of a node sit side by side."""

    initial: list[int] = field(default_factory=list)  # slot values before judging
    leaves: list[tuple[int, Leaf]] = field(default_factory=list)
    combos: list[tuple[int, int, int, int, int]] = field(default_factory=list)  # slot, op, s, n, h
    negations: list[tuple[int, int, int]] = field(default_factory=list)  # slot, child, height

    def alloc(self, n: int) -> int:
        start = len(self.initial)
        self.initial.extend([PASS] * n)
        return start

    def place(
        self, node: Criterion, slot: int, order: list[int], nodes: dict[int, int] | None = None
    ) -> int:
        """Lay out `node` (already given `slot`); returns its height; leaf slots → `order`;
        every node's slot → `nodes` (by id), for reasons of rules with any/not."""
        if nodes is not None:
            nodes[id(node)] = slot
        if isinstance(node, Not):
            child = self.alloc(1)
            height = self.place(node.item, child, order, nodes) + 1
            self.negations.append((slot, child, height))
            return height
        if isinstance(node, All | AnyOf):
            op = _ALL if isinstance(node, All) else _ANY
            n = len(node.items)
            if n == 0:  # the reference: an empty All passes, an empty AnyOf fails
                self.initial[slot] = PASS if op == _ALL else FAIL
                return 0
            block = self.alloc(n)
            heights = [self.place(c, block + j, order, nodes) for j, c in enumerate(node.items)]
            height = 1 + max(heights)
            self.combos.append((slot, op, block, n, height))
            return height
        assert isinstance(node, Leaf)
        self.leaves.append((slot, node))
        order.append(slot)
        return 0


_ALL, _ANY = 0, 1


# ---------------------------------------------------------------------------------------------
# The screener.


@dataclass
class Screening:
    """One profile's outcome (1 / 0 / -1) for every service, in the order of the rules."""

    profile: Profile
    outcomes: np.ndarray  # int8 per service
    slots: np.ndarray  # int8 per node slot (compiled services)
    fallback: dict[int, ServiceResult]  # results of the services judged by the reference

    def statuses(self) -> list[Status]:
        return [Status(_STATUS_NAME[o + 1]) for o in self.outcomes.tolist()]


class Screener:
    """All services compiled for fast screening of one profile at a time."""

    def __init__(self, rules: Sequence[Rule], ctx: Context) -> None:
        self.rules = tuple(rules)
        self.ctx = ctx
        self.service_ids = tuple(r.service_id for r in self.rules)
        self._index: dict[str, list[int]] = {}
        for i, sid in enumerate(self.service_ids):
            self._index.setdefault(sid, []).append(i)
        self._regions = RegionLookup(ctx)
        self._covers: dict[tuple[str, int], np.ndarray] = {}
        fallback = [i for i, r in enumerate(self.rules) if not _compilable(r.criteria)]
        self._fallback = fallback
        layout = _Layout()
        roots = layout.alloc(len(self.rules))
        self._order: dict[int, list[int]] = {}  # service → its leaf slots, in reason order
        # Rules with an any/not somewhere: every node's slot, to pick the explaining leaves
        # exactly as the reference does (`select_leaves`).
        self._nodes: dict[int, dict[int, int]] = {}
        skip = set(fallback)
        for i, rule in enumerate(self.rules):
            if i not in skip:
                self._order[i] = []
                nodes: dict[int, int] | None = {} if _branches(rule.criteria) else None
                layout.place(rule.criteria, roots + i, self._order[i], nodes)
                if nodes is not None:
                    self._nodes[i] = nodes
        # Per branched rule: its nodes' slots; the leaves that explain it depend only on their
        # outcomes, so the choice is remembered per (rule, outcomes) — people repeat them.
        self._node_slots = {
            i: np.array(sorted(set(nodes.values())), dtype=np.int64)
            for i, nodes in self._nodes.items()
        }
        self._explaining: dict[tuple[int, bytes], tuple[list[tuple[Leaf, bool]], np.ndarray]] = {}
        self._roots = np.arange(roots, roots + len(self.rules))
        self._initial = np.array(layout.initial, dtype=np.int8)
        self._levels = self._plan_levels(layout)
        self._kinds: dict[type, _Kind] = {}
        for slot, leaf in layout.leaves:
            kind = self._kinds.setdefault(type(leaf), _Kind(type(leaf)))
            kind.slots.append(slot)
            kind.leaves.append(leaf)
        for kind in self._kinds.values():
            kind.index = np.array(kind.slots, dtype=np.int64)
            kind.judge = _JUDGE[kind.leaf_type]
            _PREP[kind.leaf_type](kind, self)
        self._prepare_reasons(layout)

    @classmethod
    def build(cls, rules: Sequence[Rule], ctx: Context) -> Screener:
        return cls(rules, ctx)

    @property
    def fallback_ids(self) -> tuple[str, ...]:
        """Services judged by the reference evaluator (a leaf kind without an array form)."""
        return tuple(self.service_ids[i] for i in self._fallback)

    @staticmethod
    def _plan_levels(layout: _Layout) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """Bottom-up steps: (min | max, node slots, child-slot matrix) or (neg, slots, child)."""
        steps: list[tuple[str, np.ndarray, np.ndarray]] = []
        heights = {c[4] for c in layout.combos} | {n[2] for n in layout.negations}
        for height in sorted(heights):
            for op, name in ((_ALL, "min"), (_ANY, "max")):
                nodes = [c for c in layout.combos if c[4] == height and c[1] == op]
                for width in sorted({c[3] for c in nodes}):
                    same = [c for c in nodes if c[3] == width]
                    slots = np.array([c[0] for c in same], dtype=np.int64)
                    starts = np.array([c[2] for c in same], dtype=np.int64)
                    # One row per child position, so the reduction runs along axis 0.
                    matrix = np.arange(width, dtype=np.int64)[:, None] + starts[None, :]
                    steps.append((name, slots, matrix))
            negs = [n for n in layout.negations if n[2] == height]
            if negs:
                slots = np.array([n[0] for n in negs], dtype=np.int64)
                steps.append(("neg", slots, np.array([n[1] for n in negs], dtype=np.int64)))
        return steps

    # -- reasons prepared at build time -------------------------------------------------------

    def _prepare_reasons(self, layout: _Layout) -> None:
        """Per leaf slot: criterion name, provenance, the three sentences, the facts missing."""
        blank = Profile(as_of=_BLANK_DAY, user_types=frozenset())
        n = len(layout.initial)
        kinds = {t: k for k, t in enumerate(self._kinds)}
        self._leaf: dict[int, Leaf] = dict(layout.leaves)
        self._slot_kind = np.full(n, -1, dtype=np.int64)
        self._criterion: list[str] = [""] * n
        self._source: list[dict[str, Any]] = [{}] * n
        self._texts: list[str] = [""] * (3 * n)  # slot * 3 + outcome + 1
        self._missing: list[tuple[str, ...]] = [()] * n
        for slot, leaf in layout.leaves:
            self._slot_kind[slot] = kinds[type(leaf)]
            self._criterion[slot] = leaf.kind
            self._source[slot] = leaf.provenance.to_dict()
            for o in (Outcome.FAIL, Outcome.UNKNOWN, Outcome.PASS):
                self._texts[3 * slot + OUTCOME_VALUE[o] + 1] = _sentence(leaf, o)
            # The facts that would settle the leaf when unknown (the reference's `missing`).
            self._missing[slot] = evaluate_leaf(leaf, blank, self.ctx).missing
        order = [self._order.get(i, []) for i in range(len(self.rules))]
        self._order_ptr = np.cumsum([0] + [len(o) for o in order]).astype(np.int64)
        self._order_flat = np.array([s for o in order for s in o], dtype=np.int64)

    # -- screening ----------------------------------------------------------------------------

    def _area_outcomes(self, place: str, area_codes: np.ndarray) -> np.ndarray:
        key = (place, id(area_codes))
        hit = self._covers.get(key)
        if hit is None:
            hit = np.array([self._regions.cover(a, place) for a in area_codes], dtype=np.int8)
            self._covers[key] = hit
        return hit

    def screen(self, profile: Profile) -> Screening:
        person = _Person.of(profile, self.ctx)
        slots = self._initial.copy()
        for kind in self._kinds.values():
            assert kind.judge is not None
            slots[kind.index] = kind.judge(kind, person, self)
        for op, nodes, index in self._levels:
            if op == "min":
                slots[nodes] = slots[index].min(axis=0)
            elif op == "max":
                slots[nodes] = slots[index].max(axis=0)
            else:
                slots[nodes] = -slots[index]
        outcomes = slots[self._roots]
        fallback: dict[int, ServiceResult] = {}
        for i in self._fallback:
            result = evaluate(self.rules[i], profile, self.ctx)
            fallback[i] = result
            outcomes[i] = {"eligible": PASS, "maybe": UNKNOWN, "ineligible": FAIL}[result.status]
        for sid in profile.receiving:
            outcomes[self._index.get(sid, [])] = FAIL
        return Screening(profile, outcomes, slots, fallback)

    def check(self, profile: Profile, *, include_all: bool = False) -> list[dict[str, Any]]:
        """Contract §2 `results`: eligible and maybe services (every one with `include_all`)."""
        return self.results(self.screen(profile), include_all=include_all)

    def results(self, screening: Screening, *, include_all: bool = False) -> list[dict[str, Any]]:
        """The contract §2 entries of the services wanted, in the order of the rules."""
        outcomes = screening.outcomes
        profile = screening.profile
        wanted = np.arange(len(outcomes)) if include_all else np.flatnonzero(outcomes >= 0)
        # Every reason of every wanted service in one gather: slot, outcome, sentence index.
        ptr = self._order_ptr
        lengths = ptr[wanted + 1] - ptr[wanted]
        ends = np.cumsum(lengths)
        shift = np.repeat(ptr[wanted] - (ends - lengths), lengths)
        slots_ = self._order_flat[np.arange(int(ends[-1]) if ends.size else 0) + shift]
        outs = screening.slots[slots_]
        slot_list, out_list = slots_.tolist(), outs.tolist()
        text_list = (slots_ * 3 + outs + 1).tolist()
        codes = self._slot_kind[slots_] * 3 + outs + 1
        kind_out = codes.tolist()
        suffix = self._suffixes(profile, codes, slots_)
        crit, src, texts, names = self._criterion, self._source, self._texts, _OUTCOME_NAME
        ids, status = self.service_ids, _STATUS_NAME
        reasons = [
            {
                "criterion": crit[s],
                "outcome": names[o + 1],
                "text": texts[t] + suffix[k],
                "source": dict(src[s]),  # a copy, as `Reason.to_dict` gives
            }
            for s, o, t, k in zip(slot_list, out_list, text_list, kind_out, strict=True)
        ]
        starts = (ends - lengths).tolist()
        special = (
            set(screening.fallback)
            | {i for sid in profile.receiving for i in self._index.get(sid, ())}
            | (self._nodes.keys() & set(wanted.tolist()))
        )
        out = [
            {"service_id": ids[i], "status": status[o + 1], "reasons": reasons[a:b]}
            for i, o, a, b in zip(
                wanted.tolist(), outcomes[wanted].tolist(), starts, ends.tolist(), strict=True
            )
        ]
        maybes = np.flatnonzero(outcomes[wanted] == UNKNOWN).tolist()
        for j in maybes:
            missing: dict[str, None] = {}
            for k in range(starts[j], int(ends[j])):
                if out_list[k] == UNKNOWN:
                    missing.update(dict.fromkeys(self._missing[slot_list[k]]))
            out[j]["missing"] = list(missing)
        if special:
            for j, i in enumerate(wanted.tolist()):
                if i in screening.fallback:
                    out[j] = screening.fallback[i].to_dict()
                elif i in self._nodes and self.service_ids[i] not in profile.receiving:
                    out[j] = self._branched_result(
                        i, int(outcomes[i]), screening.slots, profile, suffix
                    )
                elif i in special:
                    out[j] = evaluate(self.rules[i], profile, self.ctx).to_dict()
        return out

    def _branched_result(
        self,
        i: int,
        outcome: int,
        slots: np.ndarray,
        profile: Profile,
        suffixes: dict[int, str] | None = None,
    ) -> dict[str, Any]:
        """A rule with any/not: the reference's choice of explaining leaves, from the slots.
        `suffixes` holds the sentence ends already worked out for this person (filled in)."""
        names = (Outcome.FAIL, Outcome.UNKNOWN, Outcome.PASS)
        key = (i, slots[self._node_slots[i]].tobytes())
        explaining = self._explaining.get(key)
        if explaining is None:
            nodes = self._nodes[i]
            selected = select_leaves(
                self.rules[i].criteria, lambda n: names[int(slots[nodes[id(n)]]) + 1]
            )
            positions = np.array([nodes[id(leaf)] for leaf, _ in selected], dtype=np.int64)
            if len(self._explaining) >= _EXPLAINING_KEPT:
                self._explaining.clear()  # bounded; a dict operation is atomic under the GIL
            self._explaining[key] = explaining = (selected, positions)
        selected, positions = explaining
        outs = slots[positions] if positions.size else np.zeros(0, dtype=np.int8)
        codes = self._slot_kind[positions] * 3 + outs + 1
        suffix = {} if suffixes is None else suffixes
        if positions.size:
            self._suffixes(profile, codes, positions, suffix)
        reasons: list[Reason] = []
        for (leaf, negated), pos, o, code in zip(
            selected, positions.tolist(), outs.tolist(), codes.tolist(), strict=True
        ):
            reason = Reason(
                criterion=self._criterion[pos],
                outcome=names[o + 1],
                text=self._texts[3 * pos + o + 1] + suffix[code],
                source=leaf.provenance,
                missing=self._missing[pos] if o == UNKNOWN else (),
            )
            reasons.append(negated_reason(reason, leaf) if negated else reason)
        result: dict[str, Any] = {
            "service_id": self.service_ids[i],
            "status": _STATUS_NAME[outcome + 1],
            "reasons": [r.to_dict() for r in reasons],
        }
        if outcome == UNKNOWN:
            result["missing"] = list(missing_of(reasons))
        return result

    def _suffixes(
        self,
        profile: Profile,
        codes: np.ndarray,
        slots: np.ndarray,
        known: dict[int, str] | None = None,
    ) -> dict[int, str]:
        """Per (kind, outcome) code: the person-dependent end of the sentence ("(지금 만 32세)").

        The detail in brackets depends on the person and the kind of leaf only, so it is
        asked of the reference evaluator once, on one leaf of that kind and outcome. `known`
        (the ends already worked out for this person) is filled in and returned.
        """
        out: dict[int, str] = {} if known is None else known
        code_list = codes.tolist()
        if all(code in out for code in code_list):
            return out
        unique, first = np.unique(codes, return_index=True)
        for code, slot in zip(unique.tolist(), slots[first].tolist(), strict=True):
            if code in out:
                continue
            text = evaluate_leaf(self._leaf[slot], profile, self.ctx).text
            out[code] = text[len(self._texts[3 * slot + code % 3]) :]
        return out
