"""Profiles ↔ table: a table says exactly what the profiles said, unknowns included."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from elig_strategies import profiles
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alrim.domain.profile import Profile
from alrim.eligibility.profile_table import (
    PROFILE_SCHEMA,
    ProfileTableError,
    conform,
    frame_to_profiles,
    profiles_to_frame,
    read_profiles,
    write_profiles,
)

DAY = date(2026, 11, 25)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(profiles(), max_size=20))
def test_round_trip_keeps_every_fact(people: list[Profile]) -> None:
    assert frame_to_profiles(profiles_to_frame(people)) == people


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_files_keep_unknown_apart_from_none(tmp_path: Path, suffix: str) -> None:
    people = [
        Profile(as_of=DAY, children_birth_dates=(), facts={"basic_livelihood": False}),
        Profile(as_of=DAY),  # children unknown, fact unknown
        Profile(
            as_of=DAY,
            birth_date=date(2000, 2, 29),
            sex="female",
            region="41111",
            household_size=9,
            household_income_monthly=12_345_678,
            statuses=frozenset({"disabled", "job_seeker"}),
            statuses_complete=True,
            household_traits=frozenset({"no_home"}),
            user_types=frozenset({"individual", "small_business"}),
            user_types_given=True,
            business_stage="operating",
            receiving=frozenset({"000000465790", "WII000001410"}),
            children_birth_dates=(date(2024, 2, 29), date(2025, 1, 1)),
            moved_in_date=date(2026, 1, 2),
            facts={"basic_livelihood": True},
        ),
        # Under a divided old 구 (인천 서구): the 시도 and the two successors.
        Profile(as_of=DAY, region="28", region_candidates=("28275", "28290")),
    ]
    path = tmp_path / f"people{suffix}"
    write_profiles(profiles_to_frame(people, ids=["a", "b", "c", "d"]), path)
    table = read_profiles(path)
    assert table["person_id"].to_list() == ["a", "b", "c", "d"]
    assert frame_to_profiles(table) == people


def test_a_partial_table_is_filled_with_unknowns_and_defaults() -> None:
    raw = pl.DataFrame({"birth_date": [date(1950, 1, 1)], "region": ["11110"]})
    table = conform(raw, as_of=DAY)
    assert table.schema == PROFILE_SCHEMA
    (person,) = frame_to_profiles(table)
    assert person == Profile(as_of=DAY, birth_date=date(1950, 1, 1), region="11110")


def test_a_column_of_the_wrong_type_is_named() -> None:
    raw = pl.DataFrame({"as_of": [DAY], "household_size": ["three"]})
    with pytest.raises(ProfileTableError, match="household_size"):
        conform(raw)


def test_a_table_without_as_of_needs_a_day() -> None:
    with pytest.raises(ProfileTableError, match="as_of"):
        conform(pl.DataFrame({"region": ["11"]}))


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(ProfileTableError, match="status"):
        profiles_to_frame([Profile(as_of=DAY, statuses=frozenset({"astronaut"}))])
