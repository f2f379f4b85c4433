"""Korean calendar facts for reminders: public holidays (`holidays` KR), business days, and the
Korean wording of a deadline ("마감까지 7일(영업일 기준 5일) 남았어요", "마감일이 공휴일이에요").
Pure: every function takes the days it talks about."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

WEEKDAYS_KO = ("월", "화", "수", "목", "금", "토", "일")


@lru_cache(maxsize=32)
def _holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("KR", years=year, language="ko").items())


def holiday_name(day: date) -> str | None:
    """The public holiday (공휴일, 대체공휴일 included) on `day`, or None."""
    return _holidays(day.year).get(day)


def is_business_day(day: date) -> bool:
    """Weekdays that are not public holidays (when agencies take applications)."""
    return day.weekday() < 5 and holiday_name(day) is None


def business_days_between(start: date, end: date) -> int:
    """Business days in (start, end] — how many working days are left until `end`."""
    if end <= start:
        return 0
    return sum(1 for i in range(1, (end - start).days + 1) if is_business_day(start + timedelta(i)))


def previous_business_day(day: date) -> date:
    """The last business day before `day`."""
    day -= timedelta(days=1)
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


def ko_day(day: date) -> str:
    """2026-12-25 → 12월 25일(금)."""
    return f"{day.month}월 {day.day}일({WEEKDAYS_KO[day.weekday()]})"


def deadline_note(end: date, today: date) -> str:
    """Citizen-facing wording of a deadline seen from `today` (해요체)."""
    days = (end - today).days
    if days < 0:
        return f"{ko_day(end)}에 마감됐어요."
    if days == 0:
        head = f"오늘({ko_day(end)}) 마감이에요."
    elif days == 1:
        head = f"내일({ko_day(end)}) 마감이에요."
    else:
        work = business_days_between(today, end)
        head = f"{ko_day(end)} 마감이에요. 마감까지 {days}일(영업일 기준 {work}일) 남았어요."
    name = holiday_name(end)
    if name is not None:
        before = previous_business_day(end)
        return (
            f"{head} 마감일이 공휴일({name})이에요. 방문·우편 접수는 전 영업일인 "
            f"{ko_day(before)}까지 해 두는 게 안전해요."
        )
    if end.weekday() >= 5:
        before = previous_business_day(end)
        return (
            f"{head} 마감일이 주말이에요. 방문 접수는 전 영업일인 {ko_day(before)}까지 "
            "해 두는 게 안전해요."
        )
    return head


def opening_note(start: date, today: date) -> str:
    days = (start - today).days
    when = "내일" if days == 1 else ("오늘" if days == 0 else f"{days}일 뒤")
    note = f"{when}({ko_day(start)})부터 신청할 수 있어요."
    if not is_business_day(start):
        reason = holiday_name(start) or "주말"
        note += (
            f" 시작일이 {reason}이라 방문 접수는 다음 영업일부터일 수 있어요. "
            "온라인 신청은 기관 안내를 확인해 주세요."
        )
    return note
