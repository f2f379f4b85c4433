"""Triggers: small pure functions from a change (catalog, profile, or just the date) to
candidate notifications. No database, no clock: every function is told the day.

A candidate names (person, service, trigger, window). Together they are the idempotency key
(see `outbox.idem_key`): the same decision taken twice — a re-run job, a crashed worker, two
workers — is written once.

- "You can get this service": trigger ``eligible`` (or ``maybe`` for people who opted in to
  uncertain matches), window ``once``. However it came about — a new or changed service, a
  saved profile, a birthday, a move — a person hears about a service once; *why* is kept as
  ``reason`` for the wording.
- Application windows: ``opens`` (the day before it opens), ``closes_d7`` and ``closes_d1``
  (7 days and 1 day before it closes); the window is the date concerned, so a moved deadline
  gets its own reminder. A job that missed a day catches up (a D-7 reminder still goes out at
  D-5, worded with the real number of days).
- Life events and dates: turning an age that a service's age limit starts at, a child's age
  milestone, a recent move (전입), a grown household. They say whom to re-screen and why.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from alrim.domain.period import ApplicationPeriod, PeriodKind
from alrim.domain.profile import Profile, full_months, full_years
from alrim.notify.calendar_kr import deadline_note, opening_note

ELIGIBLE = "eligible"
MAYBE = "maybe"
OPENS = "opens"
CLOSES_D7 = "closes_d7"
CLOSES_D1 = "closes_d1"
ONCE = "once"
REMINDER_TRIGGERS = (OPENS, CLOSES_D7, CLOSES_D1)

# Reasons (why a person is told now).
CATALOG_NEW = "catalog_new"
CATALOG_CHANGED = "catalog_changed"
PROFILE = "profile"
PERIOD = "period"
MOVED = "moved"
HOUSEHOLD = "household"

# A child's age milestones (full months → what it means), checked on the day they are reached.
CHILD_MILESTONES: dict[int, str] = {
    0: "출생",
    12: "첫돌",
    24: "만 2세",
    36: "만 3세(유아 교육·보육)",
    60: "만 5세(초등학교 입학 전 해)",
    72: "만 6세(초등학교 입학)",
    96: "만 8세",
    144: "만 12세(중학교 입학)",
    216: "만 18세",
}


@dataclass(frozen=True, slots=True)
class Candidate:
    account_id: str
    service_id: str
    trigger: str
    window: str
    reason: str
    payload: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


# ---------------------------------------------------------------------------------------------
# "You can get this service now".


def status_candidates(
    account_id: str,
    statuses: Mapping[str, str],
    *,
    include_maybe: bool,
    reason: str,
    service_ids: Collection[str] | None = None,
) -> list[Candidate]:
    """Candidates from one person's screening (service id → eligible / maybe / ineligible)."""
    out: list[Candidate] = []
    for service_id, status in statuses.items():
        if service_ids is not None and service_id not in service_ids:
            continue
        if status == ELIGIBLE or (status == MAYBE and include_maybe):
            out.append(Candidate(account_id, service_id, status, ONCE, reason))
    return out


def audience_candidates(
    service_id: str,
    account_ids: Sequence[str],
    outcomes: Sequence[int],
    *,
    maybe_ok: Collection[str],
    reason: str,
) -> list[Candidate]:
    """Candidates from one service's audience: outcome 1 eligible, 0 maybe, -1 ineligible per
    account (as `alrim.eligibility.vectorized.audience` gives them)."""
    out: list[Candidate] = []
    for account_id, outcome in zip(account_ids, outcomes, strict=True):
        if outcome == 1:
            out.append(Candidate(account_id, service_id, ELIGIBLE, ONCE, reason))
        elif outcome == 0 and account_id in maybe_ok:
            out.append(Candidate(account_id, service_id, MAYBE, ONCE, reason))
    return out


# ---------------------------------------------------------------------------------------------
# Application windows.


@dataclass(frozen=True, slots=True)
class Reminder:
    trigger: str
    window: str
    payload: dict[str, Any]


def period_reminders(period: ApplicationPeriod, today: date) -> list[Reminder]:
    """Reminders due `today` for a service's application period."""
    out: list[Reminder] = []
    start = _next_opening(period, today)
    if start is not None and 0 <= (start - today).days <= 1:
        out.append(
            Reminder(
                OPENS,
                start.isoformat(),
                {"start": start.isoformat(), "note": opening_note(start, today)},
            )
        )
    if period.kind in (PeriodKind.PERIOD, PeriodKind.UNTIL_BUDGET) and period.end is not None:
        end = period.end
        left = (end - today).days
        started = period.start is None or period.start <= today
        if started and 2 <= left <= 7:
            out.append(_closing(CLOSES_D7, end, today))
        elif started and 0 <= left <= 1:
            out.append(_closing(CLOSES_D1, end, today))
    return out


def _closing(trigger: str, end: date, today: date) -> Reminder:
    return Reminder(
        trigger,
        end.isoformat(),
        {
            "end": end.isoformat(),
            "days_left": (end - today).days,
            "note": deadline_note(end, today),
        },
    )


def _next_opening(period: ApplicationPeriod, today: date) -> date | None:
    if period.kind is PeriodKind.PERIOD and period.start is not None:
        return period.start
    if period.kind is PeriodKind.RECURRING and period.months:
        for ahead in (0, 1):
            day = today + timedelta(days=ahead)
            if day.day == 1 and day.month in period.months:
                previous = day - timedelta(days=1)
                if previous.month not in period.months:  # a new opening, not a continuation
                    return day
    return None


# ---------------------------------------------------------------------------------------------
# Life events and dates.


def turning_ages(birth_date: date | None, today: date, limits: Collection[int]) -> list[int]:
    """The age limits the person reaches today (their birthday makes them exactly N)."""
    if birth_date is None or birth_date > today:
        return []
    now, before = full_years(birth_date, today), full_years(birth_date, today - timedelta(1))
    return [now] if now != before and now in limits else []


def child_milestones(children: Iterable[date] | None, today: date) -> list[int]:
    """Milestones (full months, see `CHILD_MILESTONES`) a child reaches today."""
    reached: list[int] = []
    yesterday = today - timedelta(days=1)
    for born in children or ():
        if born > today:
            continue
        if born == today:
            reached.append(0)
            continue
        months = full_months(born, today)
        if months in CHILD_MILESTONES and months != full_months(born, yesterday):
            reached.append(months)
    return sorted(set(reached))


def recent_move(moved_in: date | None, today: date, within_days: int) -> bool:
    return moved_in is not None and 0 <= (today - moved_in).days <= within_days


def household_grew(before: Profile | None, after: Profile) -> bool:
    """More people in the household, or a child who was not there before."""
    if before is None:
        return False
    if (
        before.household_size is not None
        and after.household_size is not None
        and after.household_size > before.household_size
    ):
        return True
    old = set(before.children_birth_dates or ())
    return any(child not in old for child in after.children_birth_dates or ())


def life_events(
    profile: Profile,
    today: date,
    *,
    age_limits: Collection[int],
    moved_within_days: int,
    previous: Profile | None = None,
) -> list[str]:
    """Reasons to re-screen the person today, most specific first (e.g. ``birthday:65``,
    ``child:72``, ``moved``, ``household``)."""
    events = [f"birthday:{age}" for age in turning_ages(profile.birth_date, today, age_limits)]
    events += [f"child:{m}" for m in child_milestones(profile.children_birth_dates, today)]
    if household_grew(previous, profile):
        events.append(HOUSEHOLD)
    moved = recent_move(profile.moved_in_date, today, moved_within_days)
    if moved and (previous is None or previous.moved_in_date != profile.moved_in_date):
        events.append(MOVED)
    return events


def reason_text(reason: str) -> str | None:
    """Korean wording of why the person hears about a service now (None: no special reason)."""
    kind, _, value = reason.partition(":")
    if kind == "birthday" and value.isdigit():
        return f"만 {value}세가 되셨어요. 새로 받을 수 있는 서비스가 있어요."
    if kind == "child" and value.isdigit():
        label = CHILD_MILESTONES.get(int(value), "")
        if int(value) == 0:
            return "아이가 태어났어요. 축하해요! 받을 수 있는 서비스가 있어요."
        return f"아이가 {label}가 됐어요. 받을 수 있는 서비스가 있어요."
    return {
        MOVED: "새 주소로 전입하셨어요. 새 지역에서 받을 수 있는 서비스가 있어요.",
        HOUSEHOLD: "가구원이 늘었어요. 새로 받을 수 있는 서비스가 있어요.",
        CATALOG_NEW: "새로 등록된 서비스예요.",
        CATALOG_CHANGED: "서비스 내용이 바뀌어 받을 수 있게 됐어요.",
        PROFILE: "저장하신 답변으로 다시 확인해 보니 받을 수 있어요.",
    }.get(reason)
