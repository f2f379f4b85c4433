"""Both fast evaluators give exactly the reference evaluator's answers.

Random profiles (unknowns everywhere, edge birthdays, every level of region code, retired
codes) and random rule trees of every leaf kind. The vectorised audience must give the same
statuses row by row; the screener the same statuses, reasons and `missing`; `screen_all` the
same counts.
"""

from __future__ import annotations

from collections import Counter

import pytest
from elig_strategies import context, profiles, rules
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alrim.domain.profile import Profile
from alrim.eligibility import vectorized
from alrim.eligibility.evaluate import evaluate
from alrim.eligibility.model import Rule
from alrim.eligibility.profile_table import profiles_to_frame
from alrim.eligibility.screener import Screener
from alrim.eligibility.vectorized import audience_statuses, screen_all

_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _reference(rules_: list[Rule], people: list[Profile]) -> list[list[dict]]:  # type: ignore[type-arg]
    ctx = context()
    return [[evaluate(r, p, ctx).to_dict() for r in rules_] for p in people]


@_SETTINGS
@given(st.lists(profiles(), min_size=1, max_size=60), st.lists(rules(), min_size=1, max_size=6))
def test_audience_equals_reference(people: list[Profile], rules_: list[Rule]) -> None:
    ctx = context()
    frame = profiles_to_frame(people)
    expected = _reference(rules_, people)
    for j, rule in enumerate(rules_):
        got = audience_statuses(rule, frame, ctx).to_list()
        assert got == [row[j]["status"] for row in expected], rule


@_SETTINGS
@given(st.lists(profiles(), min_size=1, max_size=25), st.lists(rules(), min_size=1, max_size=8))
def test_screener_equals_reference(people: list[Profile], rules_: list[Rule]) -> None:
    ctx = context()
    screener = Screener.build(rules_, ctx)
    for person, expected in zip(people, _reference(rules_, people), strict=True):
        assert screener.check(person, include_all=True) == expected
        returned = [r for r in expected if r["status"] != "ineligible"]
        assert screener.check(person) == returned


@_SETTINGS
@given(
    st.lists(profiles(), min_size=1, max_size=60),
    st.lists(rules(), min_size=1, max_size=8),
    st.integers(5, 40),
)
def test_screen_all_counts_equal_reference(
    people: list[Profile], rules_: list[Rule], chunk: int
) -> None:
    ctx = context()
    counts = screen_all(rules_, profiles_to_frame(people), ctx, chunk_rows=chunk)
    expected = _reference(rules_, people)
    for j, row in enumerate(counts.iter_rows(named=True)):
        tally = Counter(person[j]["status"] for person in expected)
        assert row["service_id"] == rules_[j].service_id
        assert (row["eligible"], row["maybe"], row["ineligible"]) == (
            tally["eligible"],
            tally["maybe"],
            tally["ineligible"],
        ), rules_[j]


@_SETTINGS
@given(st.lists(profiles(), min_size=1, max_size=60), st.lists(rules(), min_size=1, max_size=6))
def test_audience_through_the_region_gate_equals_reference(
    people: list[Profile], rules_: list[Rule]
) -> None:
    """Large tables judge the region first and the rest only where it does not fail."""
    ctx = context()
    frame = profiles_to_frame(people)
    expected = _reference(rules_, people)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(vectorized, "_GATE_ROWS", 0)
        for j, rule in enumerate(rules_):
            got = audience_statuses(rule, frame, ctx).to_list()
            assert got == [row[j]["status"] for row in expected], rule
