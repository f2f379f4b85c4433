"""A small cron: five fields (minute hour day-of-month month day-of-week) in KST, each `*`, a
number, a range `a-b`, a list `a,b`, or a step `*/n` / `a-b/n`. Day-of-week 0–6 is
Sunday–Saturday (7 is Sunday too). When both day fields are restricted, either matching is
enough (as in Vixie cron). Pure: `slot(expr, now)` names the latest minute at or before `now`
that the expression fires on, so a job runs once per slot however many workers look."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

KST = timezone(timedelta(hours=9), "KST")
_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))


class CronError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Cron:
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    days_any: bool
    weekdays_any: bool
    text: str

    @classmethod
    def parse(cls, text: str) -> Cron:
        parts = text.split()
        if len(parts) != 5:
            raise CronError(f"a cron expression has 5 fields, got {len(parts)}: {text!r}")
        sets = [_field(p, lo, hi) for p, (lo, hi) in zip(parts, _RANGES, strict=True)]
        weekdays = frozenset(0 if d == 7 else d for d in sets[4])
        return cls(
            sets[0], sets[1], sets[2], sets[3], weekdays, parts[2] == "*", parts[4] == "*", text
        )

    def matches(self, moment: datetime) -> bool:
        """Does the expression fire on this minute (read in KST)?"""
        local = moment.astimezone(KST)
        if local.minute not in self.minutes or local.hour not in self.hours:
            return False
        if local.month not in self.months:
            return False
        day_ok = local.day in self.days
        weekday_ok = (local.isoweekday() % 7) in self.weekdays
        if self.days_any or self.weekdays_any:
            return day_ok and weekday_ok
        return day_ok or weekday_ok

    def last_fire(self, now: datetime, *, lookback_days: int = 366) -> datetime | None:
        """The latest firing minute at or before `now` (UTC), or None within the lookback."""
        local = now.astimezone(KST).replace(second=0, microsecond=0)
        end = local - timedelta(days=lookback_days)
        day = local.replace(hour=0, minute=0)
        while day >= end:
            if day.month in self.months and self._day_matches(day):
                for hour in sorted(self.hours, reverse=True):
                    for minute in sorted(self.minutes, reverse=True):
                        moment = day.replace(hour=hour, minute=minute)
                        if moment <= local:
                            return moment.astimezone(UTC)
            day -= timedelta(days=1)
        return None

    def _day_matches(self, day: datetime) -> bool:
        day_ok = day.day in self.days
        weekday_ok = (day.isoweekday() % 7) in self.weekdays
        if self.days_any or self.weekdays_any:
            return day_ok and weekday_ok
        return day_ok or weekday_ok


def _field(text: str, lo: int, hi: int) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        body, _, step_text = part.partition("/")
        step = _int(step_text, 1, hi) if step_text else 1
        if body == "*":
            first, last = lo, hi
        elif "-" in body:
            a, b = body.split("-", 1)
            first, last = _int(a, lo, hi), _int(b, lo, hi)
            if first > last:
                raise CronError(f"empty range {body!r}")
        else:
            first = _int(body, lo, hi)
            last = hi if step_text else first
        values.update(range(first, last + 1, step))
    return frozenset(values)


def _int(text: str, lo: int, hi: int) -> int:
    if not text.isdigit():
        raise CronError(f"not a number: {text!r}")
    value = int(text)
    if not lo <= value <= hi:
        raise CronError(f"{value} is outside {lo}-{hi}")
    return value


def slot(expr: Cron, now: datetime) -> str | None:
    """A name for the slot `now` falls in (its last firing minute, ISO, UTC)."""
    fired = expr.last_fire(now)
    return fired.isoformat(timespec="minutes") if fired else None


# The worker's jobs and when they run (KST). `ALRIM_NOTIFY_SCHEDULE` overrides any of them.
DEFAULT_SCHEDULE: dict[str, str] = {
    "changes": "*/5 * * * *",  # catalog changes → audiences → outbox
    "daily": "0 6 * * *",  # life events and dates (birthdays, milestones, moves)
    "reminders": "0 7 * * *",  # application opens / closes soon
    "purge": "30 3 * * *",  # retention
    "ingest": "0 5 * * *",  # only when ALRIM_NOTIFY_INGEST_SOURCE is set
}


def parse_schedule(overrides: str) -> dict[str, Cron | None]:
    """The schedule with `job=cron;job=off` overrides applied (None: the job is off)."""
    table: dict[str, str] = dict(DEFAULT_SCHEDULE)
    for item in (p.strip() for p in overrides.split(";")):
        if not item:
            continue
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or name not in DEFAULT_SCHEDULE:
            raise CronError(f"unknown job in schedule: {item!r} (jobs: {', '.join(table)})")
        table[name] = value.strip()
    return {
        name: (None if text.lower() == "off" else Cron.parse(text)) for name, text in table.items()
    }
