"""A synthetic population in the profile-table schema, for benchmarks and audience previews.

    df = synthesize(1_000_000, seed=1, as_of=date(2026, 11, 25), regions=RegionTable.default())
    # optional: parameters=Parameters.load(…), tables=SynthTables.load("data/synth")

Marginals, each from a table under `data/synth/` (see `docs/synth.md`): age by 5-year band and
sex (주민등록 2024-12), 시도 populations with a documented within-시도 split over the current
시군구/일반구, household sizes (인구주택총조사), household income as a log-normal ratio to the
기준 중위소득 of the person's household size, personal statuses and household traits at
published rates, and a share of unknowns in every field (so `maybe` appears as in real use).
The draws are independent except where stated (children and `multi_child` follow the household
size; `single_person` is size 1; `new_parent` follows the youngest child).

Rows are drawn in blocks of `BLOCK` with a generator seeded by (seed, block), so a result
depends on (n, seed, as_of, tables) only. Pure apart from `SynthTables.load`.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import polars as pl

from alrim.domain.profile import BUSINESS_INDUSTRIES, BUSINESS_STAGES, INCOME_BANDS
from alrim.domain.region import Region
from alrim.eligibility.evaluate import ParameterOracle
from alrim.eligibility.profile_table import (
    PROFILE_SCHEMA,
    STATUS_BITS,
    TRAIT_BITS,
    USER_TYPE_BITS,
    conform,
)
from alrim.paths import DATA_DIR

BLOCK = 1_000_000
_EPOCH = date(1970, 1, 1).toordinal()
_YEAR = 365.2425

# Shares of unknowns (documented in docs/synth.md).
UNKNOWN = {
    "sex": 0.01,
    "birth_date": 0.02,  # half of these still state their age
    "region": 0.01,
    "household_size": 0.05,
    "income": 0.15,  # a third of these state an income band instead
    "children": 0.30,
    "moved_in_date": 0.40,
}
STATUSES_COMPLETE = 0.85
TRAITS_COMPLETE = 0.80
USER_TYPES_GIVEN = 0.70
SMALL_BUSINESS = 0.08  # of people aged 25-69
INCOME_SIGMA = 0.669  # log-normal spread: 15 % of people below 50 % of the median
INCOME_MEDIAN_RATIO = {"under_65": 1.15, "65_and_over": 0.60}
MOVED_MEAN_YEARS = 7.0


class RegionSource(Protocol):
    def sidos(self) -> list[Region]: ...
    def sigungus(self, sido_code: str) -> list[Region]: ...


@dataclass(frozen=True, slots=True)
class Rate:
    name: str
    kind: str  # status | trait
    rate: float
    age_from: int
    age_to: int
    sex: str | None


@dataclass(frozen=True, slots=True)
class SynthTables:
    """The marginal tables (read from `data/synth/`)."""

    age_sex: tuple[tuple[int, int, int, int], ...]  # (from, to, male, female)
    sido_population: dict[str, int]
    household_share: dict[int, float]  # household size → share of households
    sigungu_weight: dict[str, float]  # autonomous_gu | si | gun
    rates: tuple[Rate, ...]

    @classmethod
    def load(cls, directory: Path | str) -> SynthTables:
        root = Path(directory)

        def rows(name: str) -> list[dict[str, str]]:
            with (root / name).open(encoding="utf-8") as fh:
                return list(csv.DictReader(fh))

        return cls(
            age_sex=tuple(
                (int(r["age_from"]), int(r["age_to"]), int(r["male"]), int(r["female"]))
                for r in rows("age_sex_2024.csv")
            ),
            sido_population={
                r["sido_code"]: int(r["population"]) for r in rows("sido_population_2024.csv")
            },
            household_share={
                int(r["size"]): float(r["share_of_households"])
                for r in rows("household_size_2024.csv")
            },
            sigungu_weight={r["kind"]: float(r["weight"]) for r in rows("sigungu_weights.csv")},
            rates=tuple(
                Rate(
                    r["name"],
                    r["kind"],
                    float(r["rate"]),
                    int(r["age_from"]),
                    int(r["age_to"]),
                    r["sex"] or None,
                )
                for r in rows("rates.csv")
            ),
        )

    @classmethod
    def default(cls) -> SynthTables:
        return cls.load(DATA_DIR / "synth")


# ---------------------------------------------------------------------------------------------
# Regions: 시도 by population, then the 시군구 of the 시도 by kind.


def region_weights(regions: RegionSource, tables: SynthTables) -> tuple[list[str], np.ndarray]:
    """Every place a person can live (시군구 without 일반구, or 일반구) and its probability.

    A 시도 gets its population share; inside it, each place gets the national average size of
    its kind (자치구, 시, 군); the 일반구 of a 시 share that 시's weight equally.
    """
    codes: list[str] = []
    weights: list[float] = []
    w = tables.sigungu_weight
    for sido in regions.sidos():
        population = tables.sido_population.get(sido.code)
        if not population:
            continue
        places = regions.sigungus(sido.code)
        children: dict[str, list[Region]] = {}
        for r in places:
            if r.parent_code:
                children.setdefault(r.parent_code, []).append(r)
        local: list[tuple[str, float]] = []
        for r in places:
            if r.code in children:
                continue  # a 시 with 일반구: people live in its 구
            if r.parent_code:
                local.append((r.code, w["si"] / len(children[r.parent_code])))
            elif r.name.endswith("군"):
                local.append((r.code, w["gun"]))
            elif r.name.endswith("구"):  # a 구 without a 시 above it: a 자치구
                local.append((r.code, w["autonomous_gu"]))
            else:
                local.append((r.code, w["si"]))
        if not local:
            local = [(sido.code, 1.0)]
        total = sum(x for _, x in local)
        for code, x in local:
            codes.append(code)
            weights.append(population * x / total)
    p = np.array(weights, dtype=np.float64)
    return codes, p / p.sum()


# ---------------------------------------------------------------------------------------------
# The generator.


def _person_size_weights(tables: SynthTables) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """P(household size) for a person, by age group: size × share of households, adjusted."""
    sizes = np.array(sorted(tables.household_share), dtype=np.int64)
    base = sizes * np.array([tables.household_share[s] for s in sizes.tolist()])
    child = base * np.where(sizes == 1, 0.0, np.where(sizes == 2, 0.35, 1.2))
    old = base * np.where(sizes <= 2, 2.1, 0.4)
    return {k: (sizes, v / v.sum()) for k, v in (("child", child), ("adult", base), ("old", old))}


def synthesize(
    n: int,
    seed: int,
    as_of: date,
    regions: RegionSource,
    *,
    parameters: ParameterOracle | None = None,
    tables: SynthTables | None = None,
) -> pl.DataFrame:
    """`n` synthetic people as a profile table (see `profile_table.PROFILE_SCHEMA`).

    `parameters` (기준 중위소득) and `tables` default to the bundled ones.
    """
    if parameters is None:
        from alrim.eligibility.parameters import Parameters
        from alrim.paths import PARAMETERS_DIR

        parameters = Parameters.load(PARAMETERS_DIR)
    tables = tables or SynthTables.default()
    codes, region_p = region_weights(regions, tables)
    blocks = [
        _block(start, min(BLOCK, n - start), seed, as_of, codes, region_p, parameters, tables)
        for start in range(0, n, BLOCK)
    ]
    if not blocks:
        return conform(pl.DataFrame(schema=PROFILE_SCHEMA))
    return pl.concat(blocks, rechunk=False)


def _bernoulli(rng: np.random.Generator, p: float | np.ndarray, n: int) -> np.ndarray:
    out: np.ndarray = rng.random(n) < p
    return out


def _block(
    start: int,
    n: int,
    seed: int,
    as_of: date,
    codes: Sequence[str],
    region_p: np.ndarray,
    parameters: ParameterOracle,
    tables: SynthTables,
) -> pl.DataFrame:
    rng = np.random.default_rng([seed, start // BLOCK])
    today = as_of.toordinal() - _EPOCH

    # Age and sex.
    bands = np.array(tables.age_sex, dtype=np.int64)
    joint = bands[:, 2:4].reshape(-1).astype(np.float64)
    pick = rng.choice(joint.size, size=n, p=joint / joint.sum())
    band, female = pick // 2, (pick % 2).astype(bool)
    width = bands[band, 1] - bands[band, 0] + 1
    age = bands[band, 0] + np.floor(rng.random(n) * width).astype(np.int64)
    born = today - np.floor((age + rng.random(n)) * _YEAR).astype(np.int64)

    # Household size by age group.
    size = np.zeros(n, dtype=np.int64)
    groups = {"child": age < 18, "old": age >= 65}
    groups["adult"] = ~(groups["child"] | groups["old"])
    for name, (sizes, p) in _person_size_weights(tables).items():
        mask = groups[name]
        size[mask] = rng.choice(sizes, size=int(mask.sum()), p=p)

    # Income: a log-normal ratio to the 기준 중위소득 of the household size.
    median_ratio = np.where(
        age >= 65, INCOME_MEDIAN_RATIO["65_and_over"], INCOME_MEDIAN_RATIO["under_65"]
    )
    ratio = median_ratio * np.exp(rng.normal(0.0, INCOME_SIGMA, n))
    medians = {int(s): parameters.median_income(as_of.year, int(s)) for s in np.unique(size)}
    median = np.array([float(medians.get(s) or np.nan) for s in range(int(size.max()) + 1)])
    income = np.round(ratio * median[size])
    band_index = np.searchsorted(np.array([0.5, 0.75, 1.0, 2.0]), ratio, side="left")

    # Children: parents aged 25-59 in households of 3+ have size-2 children (at most 4).
    n_children = np.where((age >= 25) & (age <= 59) & (size >= 3), np.minimum(size - 2, 4), 0)
    low = np.maximum(age - 40, 0)
    high = np.maximum(age - 24, low)
    child_age = low[:, None] + rng.random((n, 4)) * (high - low + 1)[:, None]
    child_age.sort(axis=1)  # youngest first
    child_days = today - np.floor(child_age * _YEAR).astype(np.int64)
    youngest = np.where(n_children > 0, today - child_days[:, 0], np.iinfo(np.int64).max)
    children_known = ~_bernoulli(rng, UNKNOWN["children"], n)

    # Residence.
    moved_years = np.minimum(rng.exponential(MOVED_MEAN_YEARS, n), age + rng.random(n))
    moved = today - np.floor(moved_years * _YEAR).astype(np.int64)
    moved_known = ~_bernoulli(rng, UNKNOWN["moved_in_date"], n)

    # Statuses and traits.
    statuses = np.zeros(n, dtype=np.int32)
    traits = np.zeros(n, dtype=np.int32)
    for rate in tables.rates:
        mask = (age >= rate.age_from) & (age <= rate.age_to)
        if rate.sex is not None:
            mask &= female if rate.sex == "female" else ~female
        hit = mask & _bernoulli(rng, rate.rate, n)
        if rate.kind == "status" and rate.name in STATUS_BITS:
            statuses |= np.where(hit, STATUS_BITS[rate.name], 0).astype(np.int32)
        elif rate.kind == "trait" and rate.name in TRAIT_BITS:
            if rate.name == "newly_moved_in":
                hit = np.where(moved_known, moved_years < 1.0, hit)
            traits |= np.where(hit, TRAIT_BITS[rate.name], 0).astype(np.int32)
    new_parent = children_known & (youngest < 365)
    statuses |= np.where(new_parent, STATUS_BITS["new_parent"], 0).astype(np.int32)
    traits |= np.where(size == 1, TRAIT_BITS["single_person"], 0).astype(np.int32)
    traits |= np.where(n_children >= 3, TRAIT_BITS["multi_child"], 0).astype(np.int32)

    # Small businesses.
    business = ((age >= 25) & (age <= 69)) & _bernoulli(rng, SMALL_BUSINESS, n)
    stage = rng.choice(len(BUSINESS_STAGES), size=n, p=[0.05, 0.9, 0.05])
    industry = rng.choice(len(BUSINESS_INDUSTRIES), size=n, p=[0.25, 0.10, 0.65])
    user_types = np.where(
        business,
        USER_TYPE_BITS["individual"] | USER_TYPE_BITS["small_business"],
        USER_TYPE_BITS["individual"],
    )

    # Unknowns.
    sex_known = ~_bernoulli(rng, UNKNOWN["sex"], n)
    birth_known = ~_bernoulli(rng, UNKNOWN["birth_date"], n)
    age_stated = ~birth_known & _bernoulli(rng, 0.5, n)
    region_known = ~_bernoulli(rng, UNKNOWN["region"], n)
    size_known = ~_bernoulli(rng, UNKNOWN["household_size"], n)
    income_known = size_known & ~_bernoulli(rng, UNKNOWN["income"], n) & ~np.isnan(income)
    band_stated = ~income_known & _bernoulli(rng, 1 / 3, n)

    region = rng.choice(len(codes), size=n, p=region_p)
    # The first n_children of four drawn dates, as a list (null when unknown).
    children = (
        pl.DataFrame(
            {
                "all": pl.Series(child_days.reshape(-1).astype(np.int32))
                .cast(pl.Date)
                .reshape((n, 4))
                .cast(pl.List(pl.Date)),
                "n": n_children,
                "known": children_known,
            }
        )
        .select(pl.when(pl.col("known")).then(pl.col("all").list.head(pl.col("n"))).otherwise(None))
        .to_series()
    )
    frame = pl.DataFrame(
        [
            pl.int_range(start, start + n, eager=True).cast(pl.String).alias("person_id"),
            pl.repeat(as_of, n, eager=True, dtype=pl.Date).alias("as_of"),
            _dates(born, birth_known).alias("birth_date"),
            _ints(age, age_stated, pl.Int16).alias("age"),
            _pick(("male", "female"), female.astype(np.int64), sex_known, "sex"),
            _pick(codes, region, region_known, "region", categorical=True),
            _ints(size, size_known, pl.Int16).alias("household_size"),
            _ints(np.nan_to_num(income), income_known, pl.Int64).alias("household_income_monthly"),
            _pick(INCOME_BANDS, band_index, band_stated, "income_band"),
            pl.Series("statuses", statuses, dtype=pl.Int32),
            pl.Series("statuses_complete", _bernoulli(rng, STATUSES_COMPLETE, n)),
            pl.Series("household_traits", traits, dtype=pl.Int32),
            pl.Series("household_traits_complete", _bernoulli(rng, TRAITS_COMPLETE, n)),
            pl.Series("user_types", user_types, dtype=pl.Int8),
            pl.Series("user_types_given", _bernoulli(rng, USER_TYPES_GIVEN, n)),
            _pick(BUSINESS_STAGES, stage, business, "business_stage"),
            _pick(BUSINESS_INDUSTRIES, industry, business, "business_industry"),
            children.alias("children_birth_dates"),
            _dates(moved, moved_known).alias("moved_in_date"),
        ]
    )
    return conform(frame)


def _ints(values: np.ndarray, known: np.ndarray, dtype: type[pl.DataType]) -> pl.Series:
    """An integer column, null where not `known`."""
    return pl.Series(np.where(known, values, np.nan), nan_to_null=True).cast(dtype)


def _dates(days: np.ndarray, known: np.ndarray) -> pl.Series:
    """Days since 1970-01-01 → a Date column, null where not `known`."""
    return _ints(days, known, pl.Int32).cast(pl.Date)


def _pick(
    names: Sequence[str],
    index: np.ndarray,
    known: np.ndarray,
    column: str,
    *,
    categorical: bool = False,
) -> pl.Series:
    """`names[index]` as the schema's Enum (or Categorical) column, null where not `known`."""
    dtype = pl.Categorical() if categorical else PROFILE_SCHEMA[column]
    lookup = pl.Series(column, list(names), dtype=dtype)
    return lookup.gather(_ints(index, known, pl.UInt32))


def summary(df: pl.DataFrame) -> dict[str, Any]:
    """A few marginals of a synthetic table (for docs and sanity checks)."""
    n = df.height
    return {
        "rows": n,
        "female": df["sex"].eq("female").sum() / n,
        "age_65_plus": df.select(
            (pl.col("birth_date") <= pl.col("as_of").dt.offset_by("-65y")).sum()
        ).item()
        / n,
        "single_person": df["household_size"].eq(1).sum() / n,
        "income_known": df["household_income_monthly"].is_not_null().sum() / n,
        "disabled": df.select((pl.col("statuses") & STATUS_BITS["disabled"]) != 0).sum().item() / n,
    }
