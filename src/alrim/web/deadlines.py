"""The deadline badge of a card (상시 / D-7 / 마감 …), computed from `application_period`.

Pure: the day to judge on is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from alrim.domain.period import ApplicationPeriod, PeriodKind

CLOSING_SOON_DAYS = 14


@dataclass(frozen=True, slots=True)
class Deadline:
    label: str  # what the badge says: 상시, D-7, 오늘 마감, 마감, 예정 …
    tone: str  # KRDS badge colour: primary | danger | warning | gray | information | success
    open_now: bool | None
    days_left: int | None  # until the end date; None when there is no known end
    description: str  # a sentence for screen readers and print

    @property
    def closing_soon(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= CLOSING_SOON_DAYS

    @property
    def closed(self) -> bool:
        return self.open_now is False and self.label == "마감"

    def sort_key(self) -> tuple[int, int]:
        """Soonest deadline first; then open without end, then unknown, closed last."""
        if self.closed:
            return (3, 0)
        if self.days_left is not None and self.days_left >= 0:
            return (0, self.days_left)
        if self.open_now:
            return (1, 0)
        return (2, 0)


def deadline_of(period: ApplicationPeriod | dict[str, Any] | None, today: date) -> Deadline:
    if period is None:
        period = ApplicationPeriod(kind=PeriodKind.UNKNOWN, text=None)
    elif isinstance(period, dict):
        period = ApplicationPeriod.from_dict(period)
    open_now = period.is_open(today)
    days = period.days_left(today)
    kind = period.kind
    if kind is PeriodKind.ALWAYS:
        return Deadline("상시", "success", True, None, "언제든 신청할 수 있어요.")
    if kind is PeriodKind.CLOSED or (days is not None and days < 0):
        return Deadline("마감", "gray", False, days, "신청 기간이 끝났어요.")
    if period.start is not None and today < period.start:
        when = f"{period.start.month}월 {period.start.day}일"
        return Deadline("신청 예정", "information", False, days, f"{when}부터 신청할 수 있어요.")
    if days is not None:
        end = f"{period.end.month}월 {period.end.day}일" if period.end else ""
        if days == 0:
            return Deadline("오늘 마감", "danger", True, 0, "오늘 신청이 마감돼요.")
        tone = "danger" if days <= 7 else ("warning" if days <= CLOSING_SOON_DAYS else "primary")
        return Deadline(
            f"D-{days}", tone, True, days, f"{end}까지 신청할 수 있어요 ({days}일 남음)."
        )
    if kind is PeriodKind.UNTIL_BUDGET:
        return Deadline("예산 소진 시", "primary", open_now, None, "예산이 다 쓰일 때까지 받아요.")
    if kind is PeriodKind.RECURRING:
        months = ", ".join(f"{m}월" for m in period.months)
        if open_now:
            return Deadline("신청 중", "primary", True, None, f"매년 {months}에 신청해요.")
        text = f"매년 {months}에 신청해요." if months else "정해진 때에 신청해요."
        return Deadline("정기 모집", "information", open_now, None, text)
    if kind is PeriodKind.VARIES:
        return Deadline("공고 확인", "information", None, None, "기관 공고에서 기간을 확인하세요.")
    return Deadline("기간 확인", "information", open_now, None, "신청 기간을 확인해 주세요.")
