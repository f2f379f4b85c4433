"""The synthetic population: the schema, the seed, and the published marginals it follows."""

from __future__ import annotations

from datetime import date
from functools import cache

import polars as pl
import pytest

from alrim.catalog.regions import RegionTable
from alrim.eligibility.parameters import Parameters
from alrim.eligibility.profile_table import PROFILE_SCHEMA, STATUS_BITS, TRAIT_BITS
from alrim.eligibility.synth import SynthTables, region_weights, synthesize
from alrim.paths import PARAMETERS_DIR

DAY = date(2026, 11, 25)


@cache
def people(n: int = 200_000, seed: int = 7) -> pl.DataFrame:
    return synthesize(
        n, seed, DAY, RegionTable.default(), parameters=Parameters.load(PARAMETERS_DIR)
    )


def share(df: pl.DataFrame, expr: pl.Expr) -> float:
    return float(df.select(expr.cast(pl.Float64).mean()).item())


def test_schema_and_size() -> None:
    df = synthesize(1234, 1, DAY, RegionTable.default(), parameters=Parameters.load(PARAMETERS_DIR))
    assert df.height == 1234
    assert df.schema == PROFILE_SCHEMA
    assert df["person_id"].n_unique() == 1234


def test_same_seed_same_people_other_seed_other_people() -> None:
    params = Parameters.load(PARAMETERS_DIR)
    a = synthesize(500, 3, DAY, RegionTable.default(), parameters=params)
    b = synthesize(500, 3, DAY, RegionTable.default(), parameters=params)
    c = synthesize(500, 4, DAY, RegionTable.default(), parameters=params)
    assert a.equals(b)
    assert not a.equals(c)


def test_age_and_sex_follow_the_registration_figures() -> None:
    df = people()
    tables = SynthTables.default()
    total = sum(m + f for *_, m, f in tables.age_sex)
    female = sum(f for *_, f in tables.age_sex) / total
    over_65 = sum(m + f for lo, _, m, f in tables.age_sex if lo >= 65) / total
    known = df.filter(pl.col("sex").is_not_null() & pl.col("birth_date").is_not_null())
    assert share(known, pl.col("sex") == "female") == pytest.approx(female, abs=0.01)
    cutoff = date(DAY.year - 65, DAY.month, DAY.day)
    assert share(known, pl.col("birth_date") <= cutoff) == pytest.approx(over_65, abs=0.01)


def test_places_are_current_and_seoul_has_its_share() -> None:
    df = people()
    regions = RegionTable.default()
    codes = df["region"].drop_nulls().unique().cast(pl.String).to_list()
    assert all(regions.get(c) is not None for c in codes)
    tables = SynthTables.default()
    seoul = tables.sido_population["11"] / sum(tables.sido_population.values())
    known = df.filter(pl.col("region").is_not_null())
    got = share(known, pl.col("region").cast(pl.String).str.starts_with("11"))
    assert got == pytest.approx(seoul, abs=0.01)


def test_people_live_in_a_gu_not_in_the_si_above_it() -> None:
    codes, weights = region_weights(RegionTable.default(), SynthTables.default())
    assert weights.sum() == pytest.approx(1.0)
    assert "41110" not in codes  # 수원시 has 일반구
    assert {"41111", "41113", "41115", "41117", "36110"} <= set(codes)


def test_statuses_traits_and_unknowns() -> None:
    df = people()
    disabled = (pl.col("statuses") & STATUS_BITS["disabled"]) != 0
    assert share(df, disabled) == pytest.approx(0.051, abs=0.005)
    single = (pl.col("household_traits") & TRAIT_BITS["single_person"]) != 0
    assert share(df.filter(single), pl.col("household_size") == 1) == 1.0
    assert share(df, pl.col("household_income_monthly").is_null()) == pytest.approx(0.19, abs=0.03)
    assert share(df, pl.col("birth_date").is_null()) == pytest.approx(0.02, abs=0.005)
    assert 0.1 < share(df, pl.col("statuses_complete").not_()) < 0.2


def test_income_spread_around_the_median() -> None:
    df = people().filter(pl.col("household_income_monthly").is_not_null())
    params = Parameters.load(PARAMETERS_DIR)
    medians = {s: params.median_income(DAY.year, s) for s in range(1, 9)}
    ratio = pl.col("household_income_monthly") / pl.col("household_size").replace_strict(medians)
    poor = share(df, ratio <= 0.5)
    assert poor == pytest.approx(0.16, abs=0.03)  # 상대적 빈곤율 about 15 %
