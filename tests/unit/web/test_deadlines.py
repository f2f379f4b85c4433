from __future__ import annotations

from datetime import date

import pytest

from alrim.web.deadlines import deadline_of

TODAY = date(2026, 11, 25)


def _period(kind: str, start: str | None = None, end: str | None = None, **extra: object) -> dict:
    return {"kind": kind, "start": start, "end": end, "text": "원문", **extra}


@pytest.mark.parametrize(
    ("period", "label", "open_now"),
    [
        (_period("always"), "상시", True),
        (_period("closed"), "마감", False),
        (_period("period", "2026-11-01", "2026-12-02"), "D-7", True),
        (_period("period", "2026-11-01", "2026-11-25"), "오늘 마감", True),
        (_period("period", "2026-01-01", "2026-11-24"), "마감", False),
        (_period("period", "2026-12-01", "2026-12-31"), "신청 예정", False),
        (_period("until_budget"), "예산 소진 시", True),
        (_period("recurring", months=[11]), "신청 중", True),
        (_period("recurring", months=[3]), "정기 모집", False),
        (_period("varies"), "공고 확인", None),
        (None, "기간 확인", None),
    ],
)
def test_badge_follows_the_application_period(
    period: dict | None, label: str, open_now: bool | None
) -> None:
    d = deadline_of(period, TODAY)
    assert d.label == label
    assert d.open_now is open_now


def test_closing_soon_is_within_two_weeks_and_sorts_first() -> None:
    soon = deadline_of(_period("period", None, "2026-12-01"), TODAY)
    later = deadline_of(_period("period", None, "2027-03-01"), TODAY)
    always = deadline_of(_period("always"), TODAY)
    closed = deadline_of(_period("closed"), TODAY)
    assert soon.closing_soon and not later.closing_soon and not always.closing_soon
    ordered = sorted([closed, always, later, soon], key=lambda d: d.sort_key())
    assert ordered == [soon, later, always, closed]
