"""Korean business days and the worker's small cron."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from alrim.notify.calendar_kr import (
    business_days_between,
    deadline_note,
    holiday_name,
    is_business_day,
    previous_business_day,
)
from alrim.notify.schedule import Cron, CronError, parse_schedule, slot


def test_public_holidays_and_business_days() -> None:
    assert holiday_name(date(2026, 9, 25)) == "추석"
    assert not is_business_day(date(2026, 10, 5))  # 개천절 대체 휴일 (Monday)
    assert is_business_day(date(2026, 10, 6))
    assert business_days_between(date(2026, 9, 23), date(2026, 9, 30)) == 3  # 추석 연휴
    assert previous_business_day(date(2026, 12, 25)) == date(2026, 12, 24)


def test_deadline_on_a_weekend_says_so() -> None:
    note = deadline_note(date(2026, 11, 29), date(2026, 11, 25))  # a Sunday
    assert "주말" in note and "11월 27일(금)" in note


def test_cron_fields_and_matching_in_kst() -> None:
    cron = Cron.parse("30 9 * * 1-5")
    assert cron.matches(datetime(2026, 11, 25, 0, 30, tzinfo=UTC))  # Wed 09:30 KST
    assert not cron.matches(datetime(2026, 11, 28, 0, 30, tzinfo=UTC))  # Saturday
    every5 = Cron.parse("*/5 * * * *")
    assert every5.minutes == frozenset(range(0, 60, 5))
    assert Cron.parse("0 6 1,15 * *").days == frozenset({1, 15})


def test_slot_is_the_last_firing_minute() -> None:
    cron = Cron.parse("0 6 * * *")
    morning = slot(cron, datetime(2026, 11, 25, 3, 0, tzinfo=UTC))  # 12:00 KST
    assert morning == "2026-11-24T21:00+00:00"  # 06:00 KST today
    assert slot(cron, datetime(2026, 11, 25, 4, 0, tzinfo=UTC)) == morning  # same slot
    assert slot(cron, datetime(2026, 11, 25, 21, 1, tzinfo=UTC)) != morning  # next day


@pytest.mark.parametrize("bad", ["* * * *", "61 * * * *", "a * * * *", "5-1 * * * *"])
def test_bad_cron_is_refused(bad: str) -> None:
    with pytest.raises(CronError):
        Cron.parse(bad)


def test_schedule_overrides_and_off() -> None:
    schedule = parse_schedule("daily=15 4 * * *;purge=off")
    assert schedule["purge"] is None
    daily = schedule["daily"]
    assert daily is not None and daily.hours == frozenset({4})
    with pytest.raises(CronError):
        parse_schedule("nightly=0 1 * * *")
