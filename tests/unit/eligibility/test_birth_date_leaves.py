"""Birth-date criteria ("1961.12.31. 이전 출생", "2018.1.1. 이후 출생 자녀")."""

from __future__ import annotations

from datetime import date

import pytest

from alrim.domain.profile import Profile
from alrim.eligibility.evaluate import Context, evaluate
from alrim.eligibility.model import (
    All,
    BornBetween,
    ChildBornBetween,
    Outcome,
    Provenance,
    ProvenanceKind,
    Rule,
    Status,
)
from alrim.eligibility.parameters import Parameters

SRC = Provenance(ProvenanceKind.RULE, "rules/test/T.yaml")
TODAY = date(2026, 11, 25)


class _NoRegions:
    def get(self, code: str) -> None:
        return None

    def covers(self, area: object, place_code: str | None) -> bool | None:
        return None


CTX = Context(_NoRegions(), Parameters())


def _judge(*items: object, **profile: object) -> tuple[Status, tuple[str, ...], list[Outcome]]:
    rule = Rule("T", All(tuple(items)), origin="hand")  # type: ignore[arg-type]
    result = evaluate(rule, Profile(as_of=TODAY, **profile), CTX)  # type: ignore[arg-type]
    return result.status, result.missing, [r.outcome for r in result.reasons]


BORN_BY_1961 = BornBetween("1961.12.31. 이전 출생", SRC, latest=date(1961, 12, 31))


@pytest.mark.parametrize(
    ("born", "status"),
    [(date(1961, 12, 31), Status.ELIGIBLE), (date(1962, 1, 1), Status.INELIGIBLE)],
)
def test_born_by_a_date_is_judged_on_the_birth_date_not_the_age(born: date, status: Status) -> None:
    # Born 1961-12-31 is 만 64 on 2026-11-25, yet inside "1961.12.31. 이전 출생".
    assert _judge(BORN_BY_1961, birth_date=born)[0] is status


@pytest.mark.parametrize(
    ("age", "status"),
    [
        (65, Status.ELIGIBLE),  # born 1960-11-26 … 1961-11-25: all before the cut-off
        (63, Status.INELIGIBLE),  # born 1962-11-26 … 1963-11-25: all after it
        (64, Status.MAYBE),  # born 1961-11-26 … 1962-11-25: straddles 1961-12-31
    ],
)
def test_an_age_alone_bounds_the_birth_date(age: int, status: Status) -> None:
    result = _judge(BORN_BY_1961, age=age)
    assert result[0] is status
    if status is Status.MAYBE:
        assert result[1] == ("birth_date",)


def test_a_29_february_birthday_bounds_correctly() -> None:
    # 만 24세 on 2025-02-28: born 2000-02-29 (turns 25 only on 1 March) … 2001-02-28.
    profile = Profile(as_of=date(2025, 2, 28), age=24)
    for earliest, status in [
        (date(2000, 2, 29), Status.ELIGIBLE),
        (date(2000, 3, 1), Status.MAYBE),
    ]:
        leaf = BornBetween("출생일 기준", SRC, earliest=earliest)
        assert evaluate(Rule("T", All((leaf,)), origin="hand"), profile, CTX).status is status


def test_a_child_born_in_the_window_counts_and_unborn_children_do_not() -> None:
    leaf = ChildBornBetween("2018.1.1. 이후 출생 자녀", SRC, earliest=date(2018, 1, 1))
    assert _judge(leaf, children_birth_dates=(date(2015, 1, 1), date(2019, 5, 5)))[0] is (
        Status.ELIGIBLE
    )
    assert _judge(leaf, children_birth_dates=(date(2027, 1, 1),))[0] is Status.INELIGIBLE
    assert _judge(leaf)[1] == ("children_birth_dates",)
