"""The vectorised evaluator: a whole table of profiles against a rule, as Polars expressions.

Same rule model, same semantics as the per-person reference (`evaluate.py`): every criterion
becomes an Int8 column of outcomes — 1 pass, 0 unknown, -1 fail — and the combinators are
Kleene's: `All` = min, `AnyOf` = max, `Not` = negation. No Python runs per row.

- `audience(rule, df, ctx)` — one service over a profile table (see `profile_table`).
- `screen_all(rules, df, ctx)` — eligible / maybe / ineligible counts of every service over a
  table, in row chunks, sharing the work between services (identical criteria are computed
  once; the region of a service is applied to per-region counts, not to every row).

How the facts are read, so the results equal the reference exactly:

- Ages compare dates, not computed ages: for a fixed `as_of`, "만 N세 이상" is "born on or
  before the latest date that has N full years on as_of" (`months_threshold`), which handles
  29 February like `full_years`. A table with several `as_of` days is split by day.
- Region containment is asked of `ctx.regions.covers` once per (area, place code that may be
  in the table: every current code, plus any other code found there) and applied with `is_in`
  — whatever the region table says, the vector says. A person under a divided old 구 (the
  optional `region_candidates` column, see `profile_table`) has the place key "28275|28290":
  pass where every candidate passes, fail where every one fails, else unknown, as in the
  reference. A local service judges its region first and the rest of the rule only on the
  rows its region does not rule out.
- Income ratio uses `ctx.parameters.median_income(year, size)` for the sizes present (a small
  lookup), computed as the reference does (`income * 100.0 / median`). An income band alone
  is judged by asking the reference evaluator about each of the five bands.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np
import polars as pl

from alrim.domain.profile import INCOME_BANDS, Profile
from alrim.eligibility.evaluate import Context, evaluate_leaf
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
    StatusIn,
    UserTypeIn,
    leaves,
)
from alrim.eligibility.profile_table import (
    CANDIDATES,
    FACT_PREFIX,
    STATUS_BITS,
    TRAIT_BITS,
    USER_TYPE_BITS,
    conform,
    fact_column,
    fact_columns,
)

PASS, UNKNOWN, FAIL = 1, 0, -1
OUTCOME_VALUE = {Outcome.PASS: PASS, Outcome.UNKNOWN: UNKNOWN, Outcome.FAIL: FAIL}
STATUS_DTYPE = pl.Enum(["ineligible", "maybe", "eligible"])

_P = pl.lit(PASS, pl.Int8)
_U = pl.lit(UNKNOWN, pl.Int8)
_F = pl.lit(FAIL, pl.Int8)

# Names of the helper columns added to a table before judging it.
_RATIO = "__ratio"
_REGION_KEY = "__region"

# Joins the candidates of a divided old 구 into one place key ("28275|28290").
PLACE_SEPARATOR = "|"


def combine_places(outcomes: Sequence[int]) -> int:
    """`evaluate.combine_places` on 1 / 0 / -1: pass if all pass, fail if all fail."""
    if min(outcomes) == PASS:
        return PASS
    if max(outcomes) == FAIL:
        return FAIL
    return UNKNOWN


# ---------------------------------------------------------------------------------------------
# Date thresholds.


def months_threshold(as_of: date, months: int) -> date | bool:
    """The latest birth date with at least `months` full months on `as_of` (`full_months`).

    A date `b` has `full_months(b, as_of) >= months` exactly when `b <= threshold`. True means
    every representable date qualifies, False that none does.
    """
    index = as_of.year * 12 + (as_of.month - 1) - months
    year, month0 = divmod(index, 12)
    if year < 1:
        return False
    if year > 9999:
        return True
    day = min(as_of.day, calendar.monthrange(year, month0 + 1)[1])
    return date(year, month0 + 1, day)


def _at_least(column: pl.Expr, as_of: date, months: int) -> pl.Expr:
    """`full_months(column, as_of) >= months` for a non-null date column."""
    threshold = months_threshold(as_of, months)
    if isinstance(threshold, bool):
        return pl.lit(threshold)
    return column <= pl.lit(threshold, pl.Date)


def _months_between(column: pl.Expr, as_of: date, low: int | None, high: int | None) -> pl.Expr:
    """`low <= full_months(column, as_of) <= high` (either bound may be None)."""
    cond = pl.lit(True)
    if low is not None:
        cond = cond & _at_least(column, as_of, low)
    if high is not None:
        cond = cond & ~_at_least(column, as_of, high + 1)
    return cond


def _in_range(value: pl.Expr, low: float | None, high: float | None) -> pl.Expr:
    cond = pl.lit(True)
    if low is not None:
        cond = cond & (value >= low)
    if high is not None:
        cond = cond & (value <= high)
    return cond


def _date_between(column: pl.Expr, earliest: date | None, latest: date | None) -> pl.Expr:
    cond = pl.lit(True)
    if earliest is not None:
        cond = cond & (column >= pl.lit(earliest, pl.Date))
    if latest is not None:
        cond = cond & (column <= pl.lit(latest, pl.Date))
    return cond


def _tri(known: pl.Expr, ok: pl.Expr) -> pl.Expr:
    """Unknown where not `known`; else pass where `ok`, fail elsewhere."""
    return pl.when(~known).then(_U).when(ok).then(_P).otherwise(_F)


def _mask(values: frozenset[str], bits: dict[str, int]) -> int:
    return sum(bits[v] for v in values if v in bits)


# ---------------------------------------------------------------------------------------------
# What the compiler needs to know about a table (and may ask the region/parameter oracles).


class FrameFacts:
    """The few facts about a table (of one `as_of` day) that the expressions depend on.

    Each is computed from the table the first time a criterion needs it.
    """

    def __init__(self, df: pl.DataFrame, as_of: date, known_places: Sequence[str] = ()) -> None:
        self.df = df
        self.as_of = as_of
        self.known_places = tuple(known_places)
        self.facts = frozenset(c[len(FACT_PREFIX) :] for c in fact_columns(df))

    @classmethod
    def of(cls, df: pl.DataFrame, as_of: date, known_places: Sequence[str] = ()) -> FrameFacts:
        return cls(df, as_of, known_places)

    @cached_property
    def has_candidates(self) -> bool:
        """Does anybody live under a divided old 구 (a non-empty `region_candidates`)?"""
        if CANDIDATES not in self.df.columns:
            return False
        column = self.df.get_column(CANDIDATES)
        if column.null_count() == column.len():
            return False
        return bool(column.list.len().max())

    @cached_property
    def place(self) -> pl.Expr:
        """Each row's place key: the region, or the candidates of a divided old 구 joined.
        The plain Categorical region when nobody has candidates."""
        if not self.has_candidates:
            return pl.col("region")
        candidates = pl.col(CANDIDATES)
        return (
            pl.when(candidates.list.len() > 0)
            .then(candidates.list.join(PLACE_SEPARATOR))
            .otherwise(pl.col("region").cast(pl.String))
        )

    @cached_property
    def regions(self) -> tuple[str, ...]:
        """Place keys that may be present: the known places, and any other key found.

        Scanning for codes outside a known list is much cheaper than listing the distinct
        values of a large column.
        """
        place = self.place.alias(_REGION_KEY)
        others = (
            self.df.lazy()
            .select(place)
            .filter(
                pl.col(_REGION_KEY).is_not_null()
                & ~pl.col(_REGION_KEY).is_in(list(self.known_places))
            )
        )
        found = others.unique().collect().get_column(_REGION_KEY).cast(pl.String).to_list()
        return self.known_places + tuple(c for c in found if c not in self.known_places)

    @cached_property
    def sizes(self) -> tuple[int, ...]:
        """Every household size from the smallest to the largest present."""
        low, high = self.df.select(
            pl.col("household_size").min().alias("lo"), pl.col("household_size").max().alias("hi")
        ).row(0)
        return () if low is None else tuple(range(low, high + 1))

    @cached_property
    def ages(self) -> tuple[int, ...]:
        """Stated ages (`age` column) present."""
        return tuple(self.df.get_column("age").unique().drop_nulls().to_list())

    @cached_property
    def has_receiving(self) -> bool:
        """Does anybody list a service already received?"""
        longest = self.df.select(pl.col("receiving").list.len().max()).item()
        return bool(longest)


@dataclass
class RegionLookup:
    """`ctx.regions.covers`, asked once per (area code, place code) and remembered."""

    ctx: Context
    _cache: dict[tuple[str, str], int] = field(default_factory=dict)
    vectors: dict[Any, np.ndarray] = field(default_factory=dict)  # used by `screen_all`

    @cached_property
    def known_places(self) -> tuple[str, ...]:
        """Every current 시도 and 시군구 code, when the region table can list them."""
        table: Any = self.ctx.regions
        if not (hasattr(table, "sidos") and hasattr(table, "sigungus")):
            return ()
        codes: list[str] = []
        for sido in table.sidos():
            codes.append(sido.code)
            codes.extend(r.code for r in table.sigungus(sido.code))
        return tuple(dict.fromkeys(codes))

    def cover(self, area_code: str, place: str) -> int:
        key = (area_code, place)
        hit = self._cache.get(key)
        if hit is None:
            area = self.ctx.regions.get(area_code)
            covered = self.ctx.regions.covers(area, place) if area is not None else None
            hit = UNKNOWN if covered is None else (PASS if covered else FAIL)
            self._cache[key] = hit
        return hit

    def outcome(self, areas: Sequence[str], place: str) -> int:
        """The reference's `_region` outcome for a person in `place` (a place key): the best
        over `areas`; for the candidates of a divided old 구, combined over the candidates."""
        if PLACE_SEPARATOR in place:
            return combine_places([self.outcome(areas, c) for c in place.split(PLACE_SEPARATOR)])
        return max((self.cover(a, place) for a in areas), default=FAIL)


# ---------------------------------------------------------------------------------------------
# The expression compiler.


class ExprCompiler:
    """Turns criteria into Int8 outcome expressions for tables described by `frame`.

    With `prepared=True` the income ratio is read from a helper column that `prepare()` adds
    (worth it when many criteria read it).
    """

    def __init__(
        self,
        frame: FrameFacts,
        ctx: Context,
        regions: RegionLookup | None = None,
        *,
        prepared: bool = False,
    ) -> None:
        self.frame = frame
        self.ctx = ctx
        self.regions = regions or RegionLookup(ctx)
        self.prepared = prepared
        self._band_cache: dict[IncomeRatio, tuple[list[str], list[str]]] = {}
        self._leaf: dict[type, Callable[[Any], pl.Expr]] = {
            AgeRange: self._age,
            AgeMonthsRange: self._age_months,
            ChildAgeRange: self._child_age,
            BornBetween: self._born_between,
            ChildBornBetween: self._child_born_between,
            SexIn: self._sex,
            LivesIn: self._region,
            ResidenceDuration: self._residence,
            UserTypeIn: self._user_type,
            IncomeRatio: self._income,
            IncomeBandIn: self._income_band,
            StatusIn: self._status,
            HouseholdTraitIn: self._household,
            BusinessStageIn: lambda leaf: self._one_of("business_stage", leaf.allowed),
            BusinessIndustryIn: lambda leaf: self._one_of("business_industry", leaf.allowed),
            OrganizationTypeIn: lambda leaf: self._one_of("organization_type", leaf.allowed),
            OrganizationIndustryIn: lambda leaf: self._one_of(
                "organization_industry", leaf.allowed
            ),
            HouseholdSize: self._household_size,
            ChildrenCount: self._children_count,
            NotReceiving: self._not_receiving,
            Flag: self._flag,
        }

    # -- trees --------------------------------------------------------------------------------

    def rule(self, rule: Rule) -> pl.Expr:
        """The outcome of a rule, including "already receiving this service" → fail."""
        expr = self.criterion(rule.criteria)
        if self.frame.has_receiving:
            received = pl.col("receiving").list.contains(pl.lit(rule.service_id))
            expr = pl.when(received.fill_null(False)).then(_F).otherwise(expr)
        return expr

    def criterion(self, criterion: Criterion) -> pl.Expr:
        if isinstance(criterion, All):
            if not criterion.items:
                return _P
            return pl.min_horizontal([self.criterion(c) for c in criterion.items])
        if isinstance(criterion, AnyOf):
            if not criterion.items:
                return _F
            return pl.max_horizontal([self.criterion(c) for c in criterion.items])
        if isinstance(criterion, Not):
            return -self.criterion(criterion.item)
        return self.leaf(criterion)

    def leaf(self, leaf: Leaf) -> pl.Expr:
        judge = self._leaf.get(type(leaf))
        if judge is None:
            raise NotImplementedError(f"no vectorised form for {type(leaf).__name__}")
        return judge(leaf)

    # -- derived values -----------------------------------------------------------------------

    def prepare(self) -> list[pl.Expr]:
        """Helper columns for `prepared=True`: the income ratio."""
        return [self._ratio_expr().alias(_RATIO)]

    def ratio(self) -> pl.Expr:
        return pl.col(_RATIO) if self.prepared else self._ratio_expr()

    def _ratio_expr(self) -> pl.Expr:
        year = self.frame.as_of.year
        medians = {s: self.ctx.parameters.median_income(year, s) for s in self.frame.sizes}
        known = {s: float(m) for s, m in medians.items() if m and s >= 0}
        if not known:
            return pl.lit(None, pl.Float64)
        # The median per household size, as a lookup table indexed by the size.
        table = pl.Series([known.get(s) for s in range(max(known) + 1)], dtype=pl.Float64)
        size = pl.col("household_size")
        if min(self.frame.sizes) >= 0 and max(self.frame.sizes) == max(known):
            index = size.cast(pl.UInt32)
        else:
            index = pl.when(size.is_between(0, max(known))).then(size).cast(pl.UInt32)
        median = pl.lit(table).gather(index)
        return pl.col("household_income_monthly").cast(pl.Float64) * 100.0 / median

    # -- leaves -------------------------------------------------------------------------------

    def _age(self, leaf: AgeRange) -> pl.Expr:
        born = pl.col("birth_date")
        low = None if leaf.min_years is None else leaf.min_years * 12
        high = None if leaf.max_years is None else leaf.max_years * 12 + 11
        by_birth = _months_between(born, self.frame.as_of, low, high)
        age = pl.col("age")
        return (
            pl.when(born.is_not_null() & by_birth)
            .then(_P)
            .when(born.is_not_null())
            .then(_F)
            .when(age.is_null())
            .then(_U)
            .when(_in_range(age, leaf.min_years, leaf.max_years))
            .then(_P)
            .otherwise(_F)
        )

    def _age_months(self, leaf: AgeMonthsRange) -> pl.Expr:
        born = pl.col("birth_date")
        lo, hi = leaf.min_months, leaf.max_months
        by_birth = _months_between(born, self.frame.as_of, lo, hi)
        # Only whole years known: the months lie in [age*12, age*12 + 11].
        first = pl.col("age").cast(pl.Int32) * 12
        last = first + 11
        surely_out = pl.lit(False)
        if hi is not None:
            surely_out = surely_out | (first > hi)
        if lo is not None:
            surely_out = surely_out | (last < lo)
        return (
            pl.when(born.is_not_null() & by_birth)
            .then(_P)
            .when(born.is_not_null())
            .then(_F)
            .when(pl.col("age").is_null())
            .then(_U)
            .when(_in_range(first, lo, hi) & _in_range(last, lo, hi))
            .then(_P)
            .when(surely_out)
            .then(_F)
            .otherwise(_U)
        )

    def _child_age(self, leaf: ChildAgeRange) -> pl.Expr:
        as_of = self.frame.as_of
        child = pl.element()
        cond = (child <= pl.lit(as_of, pl.Date)) & _months_between(
            child, as_of, leaf.min_months, leaf.max_months
        )
        children = pl.col("children_birth_dates")
        return _tri(children.is_not_null(), children.list.eval(cond).list.any())

    def _born_between(self, leaf: BornBetween) -> pl.Expr:
        born = pl.col("birth_date")
        # Only 만 나이 known: the reference's answer for each age present.
        by_age: dict[Outcome, list[int]] = {Outcome.PASS: [], Outcome.FAIL: []}
        for stated in self.frame.ages:
            probe = Profile(as_of=self.frame.as_of, age=stated)
            outcome = evaluate_leaf(leaf, probe, self.ctx).outcome
            by_age.get(outcome, []).append(stated)
        age = pl.col("age")
        return (
            pl.when(born.is_not_null() & _date_between(born, leaf.earliest, leaf.latest))
            .then(_P)
            .when(born.is_not_null())
            .then(_F)
            .when(age.is_in(by_age[Outcome.PASS]))
            .then(_P)
            .when(age.is_in(by_age[Outcome.FAIL]))
            .then(_F)
            .otherwise(_U)
        )

    def _child_born_between(self, leaf: ChildBornBetween) -> pl.Expr:
        child = pl.element()
        cond = (child <= pl.lit(self.frame.as_of, pl.Date)) & _date_between(
            child, leaf.earliest, leaf.latest
        )
        children = pl.col("children_birth_dates")
        return _tri(children.is_not_null(), children.list.eval(cond).list.any())

    def _children_count(self, leaf: ChildrenCount) -> pl.Expr:
        children = pl.col("children_birth_dates")
        born = children.list.eval(pl.element() <= pl.lit(self.frame.as_of, pl.Date)).list.sum()
        return _tri(children.is_not_null(), _in_range(born, leaf.min_count, leaf.max_count))

    def _sex(self, leaf: SexIn) -> pl.Expr:
        return self._one_of("sex", leaf.allowed)

    def _one_of(self, column: str, allowed: frozenset[str]) -> pl.Expr:
        col = pl.col(column)
        values = sorted(v for v in allowed if v in _ENUM_VALUES[column])
        return _tri(col.is_not_null(), col.is_in(values))

    def _region(self, leaf: LivesIn) -> pl.Expr:
        passing, unknown = [], []
        for place in self.frame.regions:
            outcome = self.regions.outcome(leaf.areas, place)
            if outcome == PASS:
                passing.append(place)
            elif outcome == UNKNOWN:
                unknown.append(place)
        region = self.frame.place
        return (
            pl.when(region.is_in(passing))
            .then(_P)
            .when(region.is_null() | region.is_in(unknown))
            .then(_U)
            .otherwise(_F)
        )

    def _residence(self, leaf: ResidenceDuration) -> pl.Expr:
        moved = pl.col("moved_in_date")
        return _tri(moved.is_not_null(), _at_least(moved, self.frame.as_of, leaf.min_months))

    def _user_type(self, leaf: UserTypeIn) -> pl.Expr:
        mask = _mask(leaf.allowed, USER_TYPE_BITS)
        return (
            pl.when((pl.col("user_types") & mask) != 0)
            .then(_P)
            .when(~pl.col("user_types_given"))
            .then(_U)
            .otherwise(_F)
        )

    def _income(self, leaf: IncomeRatio) -> pl.Expr:
        ratio = self.ratio()
        ok = pl.lit(True)
        if leaf.max_percent is not None:
            ok = ok & (ratio <= leaf.max_percent)
        if leaf.min_percent is not None:
            ok = ok & (
                (ratio >= leaf.min_percent) if leaf.min_inclusive else (ratio > leaf.min_percent)
            )
        passing, failing = self._band_outcomes(leaf)
        band = pl.col("income_band")
        return (
            pl.when(ratio.is_not_null() & ok)
            .then(_P)
            .when(ratio.is_not_null())
            .then(_F)
            .when(band.is_in(passing))
            .then(_P)
            .when(band.is_in(failing))
            .then(_F)
            .otherwise(_U)
        )

    def _band_outcomes(self, leaf: IncomeRatio) -> tuple[list[str], list[str]]:
        """Bands that pass / fail the leaf when only the band is known (asked of the reference)."""
        hit = self._band_cache.get(leaf)
        if hit is None:
            passing, failing = [], []
            for band in INCOME_BANDS:
                probe = Profile(as_of=self.frame.as_of, income_band=band)
                outcome = evaluate_leaf(leaf, probe, self.ctx).outcome
                if outcome is Outcome.PASS:
                    passing.append(band)
                elif outcome is Outcome.FAIL:
                    failing.append(band)
            hit = self._band_cache[leaf] = (passing, failing)
        return hit

    def _income_band(self, leaf: IncomeBandIn) -> pl.Expr:
        ratio = self.ratio()
        # `_band_of`: band k holds ratios in (edge k, edge k+1]; allowed bands as ratio runs.
        edges = (None, 50.0, 75.0, 100.0, 200.0, None)
        inside = pl.lit(False)
        k = 0
        while k < len(INCOME_BANDS):
            if INCOME_BANDS[k] not in leaf.allowed:
                k += 1
                continue
            end = k
            while end + 1 < len(INCOME_BANDS) and INCOME_BANDS[end + 1] in leaf.allowed:
                end += 1
            low, high = edges[k], edges[end + 1]
            run = pl.lit(True)
            if low is not None:
                run = run & (ratio > low)
            if high is not None:
                run = run & (ratio <= high)
            inside = inside | run
            k = end + 1
        band = pl.col("income_band")
        stated = sorted(b for b in leaf.allowed if b in INCOME_BANDS)
        return (
            pl.when(ratio.is_not_null() & inside)
            .then(_P)
            .when(ratio.is_not_null())
            .then(_F)
            .when(band.is_in(stated))
            .then(_P)
            .when(band.is_not_null())
            .then(_F)
            .otherwise(_U)
        )

    def _status(self, leaf: StatusIn) -> pl.Expr:
        return _membership("statuses", "statuses_complete", leaf, STATUS_BITS)

    def _household(self, leaf: HouseholdTraitIn) -> pl.Expr:
        return _membership("household_traits", "household_traits_complete", leaf, TRAIT_BITS)

    def _household_size(self, leaf: HouseholdSize) -> pl.Expr:
        size = pl.col("household_size")
        return _tri(size.is_not_null(), _in_range(size, leaf.min_size, leaf.max_size))

    def _not_receiving(self, leaf: NotReceiving) -> pl.Expr:
        if not self.frame.has_receiving or not leaf.service_ids:
            return _P
        received = (
            pl.col("receiving").list.eval(pl.element().is_in(sorted(leaf.service_ids))).list.any()
        )
        return pl.when(received.fill_null(False)).then(_F).otherwise(_P)

    def _flag(self, leaf: Flag) -> pl.Expr:
        if leaf.fact not in self.frame.facts:
            return _U
        value = pl.col(fact_column(leaf.fact))
        return _tri(value.is_not_null(), value)


_ENUM_VALUES: dict[str, tuple[str, ...]] = {}


def _enum_values() -> None:
    from alrim.eligibility.profile_table import PROFILE_SCHEMA

    for name, dtype in PROFILE_SCHEMA.items():
        if isinstance(dtype, pl.Enum):
            _ENUM_VALUES[name] = tuple(dtype.categories.to_list())


_enum_values()


def _membership(
    column: str,
    complete: str,
    leaf: StatusIn | HouseholdTraitIn,
    bits: dict[str, int],
) -> pl.Expr:
    held = pl.col(column)
    allowed, group = _mask(leaf.allowed, bits), _mask(leaf.group, bits)
    return (
        pl.when((held & allowed) != 0)
        .then(_P)
        .when(~pl.col(complete))
        .then(_U)
        .when((held & group) != 0)
        .then(_F)
        .otherwise(_P if leaf.none_ok else _F)
    )


# ---------------------------------------------------------------------------------------------
# One rule over a table.


def _single_day(df: pl.DataFrame) -> date | None:
    low, high = df.select(pl.col("as_of").min().alias("lo"), pl.col("as_of").max().alias("hi")).row(
        0
    )
    return low if low == high else None


def _by_day(df: pl.DataFrame) -> Iterator[tuple[date, pl.DataFrame, pl.Series | None]]:
    """(as_of, rows of that day, their positions — None when the table has one day only)."""
    day = _single_day(df)
    if day is not None or df.height == 0:
        yield day or date.min, df, None
        return
    indexed = df.with_row_index("__row")
    for part in indexed.partition_by("as_of", maintain_order=True):
        yield part["as_of"][0], part.drop("__row"), part["__row"]


def audience(rule: Rule, df: pl.DataFrame, ctx: Context) -> pl.Series:
    """Each row's outcome for `rule`: Int8 1 pass (eligible), 0 unknown (maybe), -1 fail."""
    df = conform(df)
    parts: list[pl.Series] = []
    positions: list[pl.Series] = []
    regions = RegionLookup(ctx)
    for day, part, rows in _by_day(df):
        facts = FrameFacts.of(part, day, regions.known_places)
        # The income ratio once per row, when criteria read it.
        income = any(isinstance(c, IncomeRatio | IncomeBandIn) for c in leaves(rule.criteria))
        compiler = ExprCompiler(facts, ctx, regions, prepared=income)
        parts.append(_judge(rule, part, compiler))
        if rows is not None:
            positions.append(rows)
    if not positions:
        return parts[0] if parts else pl.Series(rule.service_id, [], dtype=pl.Int8)
    out = pl.DataFrame({"row": pl.concat(positions), "v": pl.concat(parts)}).sort("row")
    return out["v"].alias(rule.service_id)


# Below this many rows the region gate costs more than it saves.
_GATE_ROWS = 50_000


def _judge(rule: Rule, part: pl.DataFrame, compiler: ExprCompiler) -> pl.Series:
    """The rule's outcomes over `part` (one `as_of` day).

    Most services are local: their region fails for almost everybody, and then the rule fails
    whatever the rest says (`All` = min). So the region leaves are judged first, and the rest
    of the rule only on the rows they leave standing.
    """
    name = rule.service_id
    regional = [c for c in rule.criteria.items if isinstance(c, LivesIn)]
    if regional and part.height >= _GATE_ROWS:
        gate = pl.min_horizontal([compiler.leaf(c) for c in regional]) > FAIL
        keep = part.select(gate.alias("keep")).to_series().arg_true()
        if keep.len() < part.height // 2:
            values = _evaluate(rule, part.select(_columns(rule, part))[keep], compiler)
            failed = pl.Series(name, [FAIL], dtype=pl.Int8).extend_constant(FAIL, part.height - 1)
            return failed.scatter(keep, values)
    return _evaluate(rule, part, compiler)


_LEAF_COLUMNS: dict[type, tuple[str, ...]] = {
    AgeRange: ("birth_date", "age"),
    AgeMonthsRange: ("birth_date", "age"),
    ChildAgeRange: ("children_birth_dates",),
    BornBetween: ("birth_date", "age"),
    ChildBornBetween: ("children_birth_dates",),
    SexIn: ("sex",),
    LivesIn: ("region", CANDIDATES),
    ResidenceDuration: ("moved_in_date",),
    UserTypeIn: ("user_types", "user_types_given"),
    IncomeRatio: ("household_income_monthly", "household_size", "income_band"),
    IncomeBandIn: ("household_income_monthly", "household_size", "income_band"),
    StatusIn: ("statuses", "statuses_complete"),
    HouseholdTraitIn: ("household_traits", "household_traits_complete"),
    BusinessStageIn: ("business_stage",),
    BusinessIndustryIn: ("business_industry",),
    OrganizationTypeIn: ("organization_type",),
    OrganizationIndustryIn: ("organization_industry",),
    HouseholdSize: ("household_size",),
    ChildrenCount: ("children_birth_dates",),
    NotReceiving: ("receiving",),
}


def _columns(rule: Rule, part: pl.DataFrame) -> list[str]:
    """The columns the rule reads (every column for a leaf kind not listed)."""
    wanted = {"as_of", "receiving"}
    for leaf in leaves(rule.criteria):
        if isinstance(leaf, Flag):
            wanted.add(fact_column(leaf.fact))
        elif type(leaf) in _LEAF_COLUMNS:
            wanted.update(_LEAF_COLUMNS[type(leaf)])
        else:
            return part.columns
    return [c for c in part.columns if c in wanted]


def _evaluate(rule: Rule, part: pl.DataFrame, compiler: ExprCompiler) -> pl.Series:
    frame = part.lazy()
    if compiler.prepared:
        frame = frame.with_columns(compiler.prepare())
    column = frame.select(pl.col("as_of"), compiler.rule(rule).alias(rule.service_id))
    return column.collect().get_column(rule.service_id)


def to_statuses(outcomes: pl.Series) -> pl.Series:
    """Outcomes (1/0/-1) as statuses (eligible / maybe / ineligible)."""
    return outcomes.replace_strict(
        [PASS, UNKNOWN, FAIL], ["eligible", "maybe", "ineligible"], return_dtype=STATUS_DTYPE
    )


def audience_statuses(rule: Rule, df: pl.DataFrame, ctx: Context) -> pl.Series:
    return to_statuses(audience(rule, df, ctx))


# ---------------------------------------------------------------------------------------------
# Every rule over a table: counts.


def leaf_key(leaf: Leaf) -> tuple[Any, ...]:
    """What a leaf tests, without its label or provenance (equal keys give equal outcomes)."""
    skip = {"label", "provenance", "kind"}
    return (
        type(leaf).__name__,
        *(getattr(leaf, f.name) for f in fields(leaf) if f.name not in skip),
    )


def _is_flat(rule: Rule) -> bool:
    return all(not isinstance(c, All | AnyOf | Not) for c in rule.criteria.items)


@dataclass(frozen=True, slots=True)
class _Plan:
    """How `screen_all` computes each rule: a signature of shared leaves plus region leaves."""

    leaves: list[Leaf]  # distinct non-region leaves (by key), column i = leaves[i]
    signatures: list[tuple[int, ...]]  # distinct sets of leaf columns
    signature_of: list[int]  # per rule: its signature (or -1 for a "whole" rule)
    areas_of: list[list[tuple[str, ...]]]  # per rule: the areas of each of its region leaves


def _plan(rules: Sequence[Rule]) -> _Plan:
    keys: dict[tuple[Any, ...], int] = {}
    distinct: list[Leaf] = []
    sigs: dict[tuple[int, ...], int] = {}
    signature_of: list[int] = []
    areas_of: list[list[tuple[str, ...]]] = []
    for rule in rules:
        if not _is_flat(rule):
            signature_of.append(-1)
            areas_of.append([])
            continue
        cols: set[int] = set()
        areas: list[tuple[str, ...]] = []
        for leaf in rule.criteria.items:
            assert isinstance(leaf, Leaf)
            if isinstance(leaf, LivesIn):
                areas.append(leaf.areas)
                continue
            key = leaf_key(leaf)
            if key not in keys:
                keys[key] = len(distinct)
                distinct.append(leaf)
            cols.add(keys[key])
        sig = tuple(sorted(cols))
        signature_of.append(sigs.setdefault(sig, len(sigs)))
        areas_of.append(areas)
    return _Plan(distinct, list(sigs), signature_of, areas_of)


def screen_all(
    rules: Sequence[Rule],
    df: pl.DataFrame,
    ctx: Context,
    *,
    memory_budget: int = 1 << 30,
    chunk_rows: int | None = None,
) -> pl.DataFrame:
    """Counts per service — `service_id, eligible, maybe, ineligible` — over every row of `df`.

    Rows are judged in chunks sized so the per-chunk outcome columns (one byte per row per
    distinct criterion and per distinct criteria set) stay within `memory_budget` bytes.
    Polars spreads each chunk's columns and group sums over every core.
    """
    df = conform(df)
    plan = _plan(rules)
    # Per row and chunk: one byte per distinct leaf, per signature and per whole rule, twice
    # over (the outcome columns and the comparisons summed per region).
    whole = sum(1 for s in plan.signature_of if s < 0)
    width = len(plan.leaves) + len(plan.signatures) + whole + 16
    rows = chunk_rows or max(10_000, memory_budget // (width * 2))
    regions = RegionLookup(ctx)
    totals = {
        "eligible": [0] * len(rules),
        "maybe": [0] * len(rules),
        "ineligible": [0] * len(rules),
    }
    for start in range(0, df.height, rows):
        chunk = df.slice(start, rows)
        for day, part, _ in _by_day(chunk):
            _screen_part(rules, plan, part, day, ctx, regions, totals)
    return pl.DataFrame(
        {
            "service_id": [r.service_id for r in rules],
            "eligible": pl.Series(totals["eligible"], dtype=pl.Int64),
            "maybe": pl.Series(totals["maybe"], dtype=pl.Int64),
            "ineligible": pl.Series(totals["ineligible"], dtype=pl.Int64),
        }
    )


def _screen_part(
    rules: Sequence[Rule],
    plan: _Plan,
    part: pl.DataFrame,
    day: date,
    ctx: Context,
    regions: RegionLookup,
    totals: dict[str, list[int]],
) -> None:
    frame = FrameFacts.of(part, day, regions.known_places)
    compiler = ExprCompiler(frame, ctx, regions, prepared=True)
    received: set[str] = set()
    if frame.has_receiving:
        received = set(part["receiving"].explode().drop_nulls().unique().to_list())

    # Columns: one per distinct leaf, then one per signature (min of its leaves), then one per
    # "whole" rule (not flat, or received by someone in this part).
    leaf_cols = [compiler.leaf(leaf).alias(f"l{i}") for i, leaf in enumerate(plan.leaves)]
    sig_cols: list[pl.Expr] = []
    for j, sig in enumerate(plan.signatures):
        if not sig:
            expr = _P
        elif len(sig) == 1:
            expr = pl.col(f"l{sig[0]}")
        else:
            expr = pl.min_horizontal([pl.col(f"l{i}") for i in sig])
        sig_cols.append(expr.alias(f"s{j}"))
    whole: dict[int, str] = {}
    for k, rule in enumerate(rules):
        if plan.signature_of[k] < 0 or rule.service_id in received:
            whole[k] = f"w{k}"
            leaf_cols.append(compiler.rule(rule).alias(whole[k]))
    sig_cols += [pl.col(name) for name in whole.values()]

    outcome_names = [f"s{j}" for j in range(len(plan.signatures))] + list(whole.values())
    grouped = (
        part.lazy()
        .with_columns(compiler.prepare())
        .select(frame.place.cast(pl.String).alias(_REGION_KEY), *leaf_cols)
        .select(pl.col(_REGION_KEY), *sig_cols)
        .group_by(_REGION_KEY)
        .agg(
            pl.len().alias("__n"),
            *[(pl.col(n) == PASS).sum().alias(f"{n}_e") for n in outcome_names],
            *[(pl.col(n) == UNKNOWN).sum().alias(f"{n}_m") for n in outcome_names],
        )
        .sort(_REGION_KEY, nulls_last=True)
        .collect()
    )
    places: tuple[str | None, ...] = tuple(grouped[_REGION_KEY].to_list())
    total = int(grouped["__n"].sum())

    def matrix(suffix: str, names: Sequence[str]) -> np.ndarray:
        if not names:
            return np.zeros((0, len(places)), dtype=np.int64)
        cols = grouped.select([f"{n}_{suffix}" for n in names])
        return cols.to_numpy().T.astype(np.int64)

    sig_names = [f"s{j}" for j in range(len(plan.signatures))]
    sig_e, sig_m = matrix("e", sig_names), matrix("m", sig_names)
    flat = [k for k in range(len(rules)) if k not in whole]
    if flat:
        index = np.array([plan.signature_of[k] for k in flat])
        place_out = np.stack([_place_vector(plan.areas_of[k], places, regions) for k in flat])
        e, m = sig_e[index], sig_m[index]
        eligible = ((place_out == PASS) * e).sum(axis=1)
        maybe = ((place_out == PASS) * m + (place_out == UNKNOWN) * (e + m)).sum(axis=1)
        for k, el, ma in zip(flat, eligible.tolist(), maybe.tolist(), strict=True):
            _add(totals, k, el, ma, total)
    if whole:
        names = list(whole.values())
        whole_e, whole_m = matrix("e", names).sum(axis=1), matrix("m", names).sum(axis=1)
        for k, el, ma in zip(whole, whole_e.tolist(), whole_m.tolist(), strict=True):
            _add(totals, k, el, ma, total)


def _add(totals: dict[str, list[int]], k: int, eligible: int, maybe: int, total: int) -> None:
    totals["eligible"][k] += eligible
    totals["maybe"][k] += maybe
    totals["ineligible"][k] += total - eligible - maybe


def _place_vector(
    areas: list[tuple[str, ...]], places: tuple[str | None, ...], regions: RegionLookup
) -> np.ndarray:
    """The combined outcome of a rule's region leaves for people in each of `places`."""
    key = (tuple(areas), places)
    hit = regions.vectors.get(key)
    if hit is None:
        hit = np.array([_place_outcome(areas, p, regions) for p in places], dtype=np.int8)
        regions.vectors[key] = hit
    return hit


def _place_outcome(areas: list[tuple[str, ...]], place: str | None, regions: RegionLookup) -> int:
    """The combined outcome of a rule's region leaves for people living in `place`."""
    if not areas:
        return PASS
    if place is None:
        return UNKNOWN
    return min(regions.outcome(a, place) for a in areas)
