"""Date expressions inside a 신청기한 text: find them, then turn them into calendar dates.

This module only reads *where dates are written*; what the whole text means (상시, 공고 참조…)
is decided in `alrim.catalog.periods`. It knows the shapes found in gov24 and 온통청년 data:

    2025.3.4.~2025.3.31.      2023-01-16~2023-02-10      2025-3.~2025.11.      2026.7~8월
    '26. 2. 25.(수) ~ 3. 12.(목)       2025. 4. ~ 6.      2026년 3월 ~ 12월       3월 4일
    2025년 5월 초 ~ 6월 중순       신청년도 7.1.~ 신청년도 7.31.       1, 4, 7, 10월       4/10월

A written date is a `DatePart` (year may be missing, day may be missing); a `DateSpan` is one
date or one ``A ~ B`` range. `resolve_span` gives the calendar dates of a span once the year is
known — from the text itself, carried from an earlier date in the same text, or from a
reference date (the day the text was last edited). Pure functions, no clock.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

Part = Literal["early", "mid", "late"]
YearSource = Literal["text", "carried", "reference"]

WEEKDAYS = "월화수목금토일"  # date.weekday(): 0 = 월요일

# Words that stand for "the year in question" without naming it (신청년도 7.1. = every year).
_GENERIC_YEAR = r"(?:신청\s*년도|사업\s*당해\s*연도|당해\s*연도|해당\s*연도|당\s*년도|당년|매\s*년)"

# A year written in the text: 2026. / 2026년 / 2026- / '26. / 26년
_YEAR = (
    r"(?:(?P<y4>(?:19|20)\d{2})\s*(?:년|[.\-/])"
    r"|'\s?(?P<y2>\d{2})\s*(?:년|[.\-/])?"
    r"|(?P<yk>\d{2})\s*년)\s*"
)
# Words after a number that say it is not a month/day (1차, 2026-1학기, 1.5개월, 09:00 …).
_NOT_DATE_AFTER = (
    r"(?!\s*(?:학기|학년|차|회|기\b|분기|개월|년|주|시간|시\b|세|명|원|만|천|억|%|배|:))"
)
_PART = r"(?:\s*(?P<part>초순|상순|중순|하순|초|중순|말|중|경))?"
_WEEKDAY = r"(?:\s*\(\s*(?P<wd>[월화수목금토일])\s*\))?"

# 2026.3.4. / 2026년 3월 4일 / '26. 2. 25.(수) / 2026. 4. / 2026-12 / 2026. 3월
_YEARFUL = re.compile(
    rf"(?<![\d'.])(?P<generic>{_GENERIC_YEAR}\s*)?{_YEAR}"
    rf"(?P<m>\d{{1,2}})(?!\d){_NOT_DATE_AFTER}"
    rf"(?:\s*(?:월|[.\-/])\s*(?P<d>\d{{1,2}})(?!\d){_NOT_DATE_AFTER}(?!\s*월)\s*(?:일|\.)?"
    rf"|\s*(?:월|[.\-/])?)"
    rf"{_PART}{_WEEKDAY}"
)
# 3월 4일 / 3. 12.(목) / 3월 / 3월말 / the 1 in "1~2월", the 4 in "4/10월", the 2 in "2, 5, 8, 11월"
_YEARLESS = re.compile(
    rf"(?<![\d'.:\-])(?P<generic>{_GENERIC_YEAR}\s*)?"
    rf"(?P<m>\d{{1,2}})(?!\d)"
    rf"(?:\s*월\s*(?P<d>\d{{1,2}})\s*일"
    rf"|\s*\.\s*(?P<d2>\d{{1,2}})(?!\d){_NOT_DATE_AFTER}\s*\.?"
    rf"|\s*월"
    rf"|(?=(?:\s*[,/·~]\s*\d{{1,2}})+\s*월))"
    rf"{_PART}{_WEEKDAY}"
)
# After "A ~" where A is month-level: "6." / "12" (2025. 4. ~ 6.)
_BARE_MONTH_END = re.compile(rf"(?P<m>\d{{1,2}})(?!\d){_NOT_DATE_AFTER}(?!\s*일)\s*[.월]?{_PART}")
# After "A ~" where A is day-level: "20일" (same month)
_BARE_DAY_END = re.compile(r"(?P<d>\d{1,2})\s*일")
# "~", with a time of day before it ignored: "2024. 3. 28.(목) 10:00 ~ 2024. 11. 30.(토)"
_RANGE_SEP = re.compile(r"\s*(?:\d{1,2}:\d{2}\s*(?:부터)?\s*)?[~∼〜～]\s*")
_AFTER = re.compile(r"\s*(?P<word>이후|부터|까지)")
_OPEN_START = re.compile(r"[~∼〜～]\s*$")


@dataclass(frozen=True, slots=True)
class DatePart:
    """A date as written: the year may be missing, and so may the day."""

    month: int
    year: int | None = None
    day: int | None = None
    part: Part | None = None  # 초 / 중순 / 말 after a month
    weekday: int | None = None  # 0 = 월요일, as written in "(수)"
    generic_year: bool = False  # 신청년도 / 당해연도 / 매년 …: the year is "each year"


@dataclass(frozen=True, slots=True)
class DateSpan:
    """One written date or one ``A ~ B`` range, with where it stood in the text."""

    start: DatePart
    end: DatePart | None
    pos: int
    stop: int
    tail: str | None = None  # 이후 / 부터 / 까지 right after it
    open_end: bool = False  # "A ~" followed by no date (공고일 ~ 예산 소진 시)
    open_start: bool = False  # "~ B" with no date before the "~"


@dataclass(frozen=True, slots=True)
class ResolvedSpan:
    start: date
    end: date
    year_source: YearSource
    month_level: bool  # an end point was a month (or 초/중순/말), not a day
    clamped: bool  # a day that does not exist (2월 30일) was moved to the month's last day
    weekday_mismatch: bool


def _part(value: str | None) -> Part | None:
    if value in ("초", "초순", "상순"):
        return "early"
    if value == "중순":
        return "mid"
    if value in ("말", "하순"):
        return "late"
    return None


def _year_of(m: re.Match[str]) -> int | None:
    if m.group("y4"):
        return int(m.group("y4"))
    two = m.group("y2") or m.group("yk")
    return 2000 + int(two) if two else None


def _part_from_match(m: re.Match[str], *, yearful: bool) -> DatePart | None:
    month = int(m.group("m"))
    if not 1 <= month <= 12:
        return None
    groups = m.groupdict()
    day_text = groups.get("d") or groups.get("d2")
    day = int(day_text) if day_text else None
    if day is not None and not 1 <= day <= 31:
        return None
    wd = groups.get("wd")
    return DatePart(
        month=month,
        year=_year_of(m) if yearful else None,
        day=day,
        part=_part(groups.get("part")),
        weekday=WEEKDAYS.index(wd) if wd else None,
        generic_year=bool(groups.get("generic")),
    )


def _atom_at(text: str, pos: int) -> tuple[DatePart, int] | None:
    for regex, yearful in ((_YEARFUL, True), (_YEARLESS, False)):
        m = regex.match(text, pos)
        if m:
            part = _part_from_match(m, yearful=yearful)
            if part is not None:
                return part, m.end()
    return None


def _range_end_at(text: str, pos: int, start: DatePart) -> tuple[DatePart, int] | None:
    atom = _atom_at(text, pos)
    if atom is not None:
        return atom
    if start.day is None:
        m = _BARE_MONTH_END.match(text, pos)
        if m and 1 <= int(m.group("m")) <= 12:
            return DatePart(month=int(m.group("m")), part=_part(m.group("part"))), m.end()
    else:
        m = _BARE_DAY_END.match(text, pos)
        if m and 1 <= int(m.group("d")) <= 31:
            return DatePart(month=start.month, year=start.year, day=int(m.group("d"))), m.end()
    return None


def find_spans(text: str) -> list[DateSpan]:
    """Every date and date range written in `text`, left to right."""
    spans: list[DateSpan] = []
    pos = 0
    while pos < len(text):
        atom = _atom_at(text, pos)
        if atom is None:
            pos += 1
            continue
        start, stop = atom
        begin = pos
        end: DatePart | None = None
        open_end = False
        sep = _RANGE_SEP.match(text, stop)
        if sep:
            ended = _range_end_at(text, sep.end(), start)
            if ended is not None:
                end, stop = ended
            else:
                open_end = True
        tail = _AFTER.match(text, stop)
        open_start = not spans and _OPEN_START.search(text[:begin]) is not None
        spans.append(
            DateSpan(
                start,
                end,
                begin,
                stop,
                tail.group("word") if tail else None,
                open_end=open_end,
                open_start=open_start,
            )
        )
        pos = stop
    return spans


def span_months(span: DateSpan) -> tuple[int, ...]:
    """The months of the year a span covers (a range wraps past December)."""
    first = span.start.month
    if span.end is None:
        if span.tail == "이후":
            return tuple(range(first, 13))
        return (first,)
    last = span.end.month
    if last >= first:
        return tuple(range(first, last + 1))
    return (*range(first, 13), *range(1, last + 1))


def is_dated(span: DateSpan) -> bool:
    """True when the text itself names a year for this span."""
    return span.start.year is not None or (span.end is not None and span.end.year is not None)


def has_day(span: DateSpan) -> bool:
    return span.start.day is not None or (span.end is not None and span.end.day is not None)


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _first_date(year: int, p: DatePart) -> tuple[date, bool]:
    """The first day a written date can mean; True when a non-existent day was clamped."""
    if p.day is not None:
        last = _last_day(year, p.month)
        return date(year, p.month, min(p.day, last)), p.day > last
    day = {"early": 1, "mid": 11, "late": 21, None: 1}[p.part]
    return date(year, p.month, day), False


def _last_date(year: int, p: DatePart) -> tuple[date, bool]:
    last = _last_day(year, p.month)
    if p.day is not None:
        return date(year, p.month, min(p.day, last)), p.day > last
    day = {"early": 10, "mid": 20, "late": last, None: last}[p.part]
    return date(year, p.month, day), False


def _weekday_year(p: DatePart, year: int) -> int:
    """Among year, year+1, year-1, the first where the written weekday matches the date."""
    if p.weekday is None or p.day is None:
        return year
    for candidate in (year, year + 1, year - 1):
        if p.day <= _last_day(candidate, p.month) and (
            date(candidate, p.month, p.day).weekday() == p.weekday
        ):
            return candidate
    return year


def _weekday_agrees(p: DatePart, d: date) -> bool:
    return p.weekday is None or p.day is None or d.day != p.day or d.weekday() == p.weekday


def _key(p: DatePart) -> tuple[int, int]:
    return p.month, p.day or 0


def resolve_span(
    span: DateSpan, *, carried_year: int | None, reference: date | None
) -> ResolvedSpan | None:
    """Calendar dates for a span, or None when no year can be had for it.

    The year comes from the text, else from `carried_year` (an earlier date in the same text),
    else from `reference` (with a written weekday allowed to move it by one year). A range end
    without a year takes the start's year, plus one when its month/day comes before the start's
    (``2025.12.20 ~ 1.10`` ends in 2026).
    """
    start, end = span.start, span.end
    source: YearSource = "text"
    if start.year is not None:
        y_start = start.year
    elif end is not None and end.year is not None:
        y_start = end.year - 1 if _key(start) > _key(end) else end.year
    elif carried_year is not None:
        y_start, source = carried_year, "carried"
    elif reference is not None:
        y_start, source = _weekday_year(start, reference.year), "reference"
    else:
        return None

    if end is None:
        end_part, y_end = None, y_start
    else:
        end_part = end
        if end.year is not None:
            y_end = end.year
        else:
            y_end = y_start + 1 if _key(end) < _key(start) else y_start
            if source == "reference":
                y_end = _weekday_year(replace(end, year=None), y_end)

    first, clamped_a = _first_date(y_start, start)
    if end_part is None:
        last, clamped_b = _last_date(y_start, start)
    else:
        last, clamped_b = _last_date(y_end, end_part)
    month_level = start.day is None or (end_part is not None and end_part.day is None)
    mismatch = not _weekday_agrees(start, first) or (
        end_part is not None and not _weekday_agrees(end_part, last)
    )
    return ResolvedSpan(
        start=first,
        end=last,
        year_source=source,
        month_level=month_level,
        clamped=clamped_a or clamped_b,
        weekday_mismatch=mismatch,
    )
