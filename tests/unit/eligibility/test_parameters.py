"""Dated parameters: 기준 중위소득 by year and household size, the 8인 이상 rule, lookups."""

from __future__ import annotations

from datetime import date

import pytest

from alrim.eligibility.parameters import ParameterError, Parameters
from alrim.paths import REPO_ROOT

SHIPPED = REPO_ROOT / "parameters"


@pytest.fixture(scope="module")
def params() -> Parameters:
    return Parameters.load(SHIPPED)


@pytest.mark.parametrize(
    ("year", "size", "expected"),
    [
        (2024, 1, 2_228_445),
        (2024, 4, 5_729_913),
        (2025, 2, 3_932_658),
        (2025, 6, 8_064_805),
        (2026, 1, 2_564_238),
        (2026, 4, 6_494_738),
        (2026, 6, 8_555_952),
        (2026, 7, 9_515_150),
    ],
)
def test_median_income_matches_the_published_table(
    params: Parameters, year: int, size: int, expected: int
) -> None:
    assert params.median_income(year, size) == expected


def test_median_income_1_to_6_match_the_shared_csv(params: Parameters) -> None:
    csv = REPO_ROOT.parent / "shared" / "data" / "gov24" / "median_income_kr_2024_2026.csv"
    if not csv.exists():
        pytest.skip("shared data not beside the repository")
    for line in csv.read_text(encoding="utf-8").splitlines()[1:]:
        year, size, value, *_ = line.split(",")
        if value and int(size) <= 6:
            assert params.median_income(int(year), int(size)) == int(value), (year, size)


@pytest.mark.parametrize(
    ("year", "size", "expected"),
    [
        # 고시 footnotes: "8인가구: 9,411,619원" (2024), "8인가구: 9,912,051원" (2025).
        (2024, 8, 9_411_619),
        (2025, 8, 9_912_051),
        # 2026: 7인 + (7인 − 6인) per extra member = 9,515,150 + 959,198 × n.
        (2026, 8, 10_474_348),
        (2026, 10, 9_515_150 + 3 * 959_198),
    ],
)
def test_households_over_7_add_the_7_minus_6_step(
    params: Parameters, year: int, size: int, expected: int
) -> None:
    assert params.median_income(year, size) == expected


def test_a_year_not_covered_has_no_median_rather_than_a_neighbour(params: Parameters) -> None:
    assert params.median_income(2023, 4) is None
    assert params.median_income(2028, 4) is None
    assert params.latest_median_income_year() == 2027


def test_2027_without_a_7_person_figure_gives_none_for_7_and_larger(params: Parameters) -> None:
    assert params.median_income(2027, 4) == 6_929_885
    assert params.median_income(2027, 7) is None
    assert params.median_income(2027, 9) is None  # never stepped from the 6인 value


def test_household_size_below_one_has_no_median(params: Parameters) -> None:
    assert params.median_income(2026, 0) is None


def test_value_is_the_one_in_force_on_the_day(params: Parameters) -> None:
    assert params.value("child_allowance.age_under", date(2025, 12, 31)) == 8
    assert params.value("child_allowance.age_under", date(2026, 1, 1)) == 9
    assert params.value("child_allowance.monthly_amount", date(2026, 11, 25)) == 100_000
    assert params.value("child_allowance.age_under", date(2018, 1, 1)) is None


def test_value_reaches_into_a_table_and_yearly_values_expire(params: Parameters) -> None:
    on = date(2026, 11, 25)
    assert params.value("basic_pension.selection_threshold.single", on) == 2_470_000
    assert params.value("basic_pension.selection_threshold.couple", on) == 3_952_000
    assert params.value("basic_pension.selection_threshold.single", date(2027, 3, 1)) is None
    assert params.value("parent_benefit.monthly_amount.months_0_11", on) == 1_000_000


def test_unknown_names_raise_instead_of_reading_as_no_value(params: Parameters) -> None:
    with pytest.raises(KeyError):
        params.value("basic_pension.selection_treshold", date(2026, 1, 1))
    with pytest.raises(KeyError):
        params.value("basic_pension.selection_threshold.widowed", date(2026, 1, 1))


def test_reference_names_the_notice(params: Parameters) -> None:
    assert "제2025-135호" in (params.reference("median_income", date(2026, 5, 1)) or "")


def _one(text: str) -> Parameters:
    return Parameters.from_texts([("x", text, "parameters/x.yaml")])


def test_an_explicit_null_ends_a_parameter() -> None:
    p = _one("description: d\nvalues:\n  2020-01-01: 5\n  2022-01-01: null\n")
    assert p.value("x", date(2021, 6, 1)) == 5
    assert p.value("x", date(2023, 1, 1)) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("description: d\nvalue: {2020-01-01: 1}\n", "unknown key 'value'"),
        ("values: {2020-01-01: 1}\n", "'description' is required"),
        ("description: d\nvalues: {soon: 1}\n", "not a date"),
        (
            "description: d\nvalues: {2020-01-01: {value: 1, refrence: x}}\n",
            "unknown key 'refrence'",
        ),
        ("description: d\nperiod: month\nvalues: {2020-01-01: 1}\n", "'period'"),
    ],
)
def test_malformed_files_name_the_file_and_key(text: str, message: str) -> None:
    with pytest.raises(ParameterError) as err:
        _one(text)
    assert "parameters/x.yaml" in str(err.value)
    assert message in str(err.value)
