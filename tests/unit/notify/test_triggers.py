"""Triggers: pure functions from a change (or just the date) to candidate notifications."""

from __future__ import annotations

from datetime import date

from alrim.domain.period import ApplicationPeriod, PeriodKind
from alrim.domain.profile import Profile
from alrim.notify.triggers import (
    CLOSES_D1,
    CLOSES_D7,
    OPENS,
    audience_candidates,
    child_milestones,
    household_grew,
    life_events,
    period_reminders,
    reason_text,
    recent_move,
    status_candidates,
    turning_ages,
)

TODAY = date(2026, 11, 25)


def _period(
    start: date | None, end: date | None, kind: PeriodKind = PeriodKind.PERIOD
) -> ApplicationPeriod:
    return ApplicationPeriod(kind=kind, text=None, start=start, end=end)


def test_eligible_people_are_candidates_and_maybe_only_when_they_opted_in() -> None:
    statuses = {"A": "eligible", "B": "maybe", "C": "ineligible"}
    without = status_candidates("p1", statuses, include_maybe=False, reason="profile")
    assert [(c.service_id, c.trigger, c.window) for c in without] == [("A", "eligible", "once")]
    with_maybe = status_candidates("p1", statuses, include_maybe=True, reason="profile")
    assert {(c.service_id, c.trigger) for c in with_maybe} == {("A", "eligible"), ("B", "maybe")}


def test_audience_outcomes_become_candidates_per_person() -> None:
    out = audience_candidates(
        "S", ["a", "b", "c", "d"], [1, 0, -1, 0], maybe_ok={"d"}, reason="catalog_new"
    )
    assert [(c.account_id, c.trigger) for c in out] == [("a", "eligible"), ("d", "maybe")]


def test_closing_reminders_fire_at_d7_and_d1_with_business_day_wording() -> None:
    period = _period(date(2026, 11, 1), date(2026, 12, 2))
    (d7,) = period_reminders(period, TODAY)
    assert (d7.trigger, d7.window) == (CLOSES_D7, "2026-12-02")
    assert "7일" in d7.payload["note"] and "영업일 기준 5일" in d7.payload["note"]
    (d1,) = period_reminders(period, date(2026, 12, 1))
    assert d1.trigger == CLOSES_D1 and "내일" in d1.payload["note"]
    assert period_reminders(period, date(2026, 11, 20)) == []  # 12 days left: nothing yet


def test_a_missed_d7_day_is_caught_up_with_the_real_number_of_days() -> None:
    (late,) = period_reminders(_period(None, date(2026, 11, 30)), TODAY)
    assert late.trigger == CLOSES_D7 and late.payload["days_left"] == 5


def test_opening_reminder_the_day_before_and_not_for_closed_windows() -> None:
    period = _period(date(2026, 11, 26), date(2026, 12, 31))
    (opens,) = period_reminders(period, TODAY)
    assert opens.trigger == OPENS and "내일" in opens.payload["note"]
    assert period_reminders(_period(None, None, PeriodKind.ALWAYS), TODAY) == []
    assert period_reminders(_period(date(2026, 10, 1), date(2026, 11, 24)), TODAY) == []


def test_recurring_window_opens_on_the_first_of_a_listed_month() -> None:
    period = ApplicationPeriod(kind=PeriodKind.RECURRING, text="매년 3월", months=(3,))
    (opens,) = period_reminders(period, date(2027, 2, 28))
    assert opens.trigger == OPENS and opens.window == "2027-03-01"
    assert period_reminders(period, date(2027, 3, 10)) == []


def test_holiday_deadline_is_worded() -> None:
    (d7,) = period_reminders(_period(None, date(2026, 12, 25)), date(2026, 12, 18))
    assert "공휴일(기독탄신일)" in d7.payload["note"] and "12월 24일(목)" in d7.payload["note"]


def test_turning_an_age_limit_counts_only_on_the_birthday() -> None:
    born = date(1961, 11, 25)
    assert turning_ages(born, TODAY, {65}) == [65]
    assert turning_ages(born, date(2026, 11, 26), {65}) == []
    assert turning_ages(born, TODAY, {60}) == []
    leap = date(1960, 2, 29)  # 만 나이 turns on 1 March in common years
    assert turning_ages(leap, date(2025, 3, 1), {65}) == [65]


def test_child_milestones_and_birth() -> None:
    assert child_milestones([date(2020, 11, 25)], TODAY) == [72]  # 만 6세: school
    assert child_milestones([TODAY], TODAY) == [0]
    assert child_milestones([date(2020, 11, 24)], TODAY) == []
    assert child_milestones(None, TODAY) == []


def test_moves_and_household_growth() -> None:
    assert recent_move(date(2026, 11, 1), TODAY, 30)
    assert not recent_move(date(2026, 9, 1), TODAY, 30)
    before = Profile(as_of=TODAY, household_size=2, children_birth_dates=())
    after = Profile(as_of=TODAY, household_size=3, children_birth_dates=(date(2026, 11, 20),))
    assert household_grew(before, after)
    assert not household_grew(after, after)
    assert not household_grew(None, after)


def test_life_events_name_the_reason_for_a_rescreen() -> None:
    profile = Profile(
        as_of=TODAY,
        birth_date=date(1961, 11, 25),
        moved_in_date=date(2026, 11, 20),
        children_birth_dates=(date(2020, 11, 25),),
    )
    events = life_events(profile, TODAY, age_limits={65}, moved_within_days=30)
    assert events == ["birthday:65", "child:72", "moved"]
    same_move = life_events(
        profile, TODAY, age_limits=set(), moved_within_days=30, previous=profile
    )
    assert "moved" not in same_move  # the move was already known at the last save
    assert reason_text("birthday:65") == "만 65세가 되셨어요. 새로 받을 수 있는 서비스가 있어요."
    assert "초등학교" in (reason_text("child:72") or "")
