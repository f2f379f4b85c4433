"""When an outbox row is due: digest vs immediate, quiet hours, the SMS night ban; and the
idempotency key."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from alrim.notify.delivery import backoff
from alrim.notify.outbox import due_time, idem_key, plan_rows
from alrim.notify.preferences import Preferences, Reach, ReachTable
from alrim.notify.schedule import KST
from alrim.notify.triggers import Candidate

NIGHT = datetime(2026, 11, 25, 13, 30, tzinfo=UTC)  # 22:30 KST
NOON = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 12:00 KST


def _reach(*channels: str, mode: str = "digest", quiet: tuple[int, int] | None = None) -> Reach:
    prefs = Preferences(
        mode=mode, quiet_start=quiet[0] if quiet else None, quiet_end=quiet[1] if quiet else None
    )
    return Reach(channels, prefs, include_maybe=False)


def test_digest_goes_at_nine_the_next_morning_and_inbox_at_once() -> None:
    reach = _reach("email", "inbox")
    assert (
        due_time("email", reach, NOON, 9).astimezone(KST).isoformat() == "2026-11-26T09:00:00+09:00"
    )
    assert due_time("inbox", reach, NOON, 9) == NOON


def test_sms_is_never_sent_at_night_but_deferred_to_eight() -> None:
    reach = _reach("sms", mode="immediate")
    due = due_time("sms", reach, NIGHT, 9).astimezone(KST)
    assert (due.day, due.hour) == (26, 8)
    assert due_time("sms", reach, NOON, 9) == NOON


def test_personal_quiet_hours_defer_email() -> None:
    reach = _reach("email", mode="immediate", quiet=(12, 14))
    assert due_time("email", reach, NOON, 9).astimezone(KST).hour == 14


def test_rows_fan_out_per_channel_with_distinct_keys_and_respect_categories() -> None:
    table = ReachTable({"p": _reach("email", "inbox")})
    cands = [
        Candidate("p", "S1", "eligible", "once", "catalog_new"),
        Candidate("x", "S1", "eligible", "once", "r"),
    ]
    rows = plan_rows(cands, table, NOON, digest_hour=9)
    assert [r["channel"] for r in rows] == ["email", "inbox"]  # "x" cannot be reached
    assert rows[0]["idem_key"] == idem_key("p", "S1", "eligible", "once", "email")
    assert rows[0]["idem_key"] != rows[1]["idem_key"]
    picky = ReachTable({"p": Reach(("email",), Preferences(categories=("주거·자립",)), False)})
    assert plan_rows(cands, picky, NOON, digest_hour=9, categories={"S1": ["보건·의료"]}) == []
    assert len(plan_rows(cands, picky, NOON, digest_hour=9, categories={"S1": ["주거·자립"]})) == 1


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    rng = random.Random(7)
    delays = [backoff(n, 30, 3600, rng) for n in range(1, 10)]
    assert 15 <= delays[0] <= 30 and 30 <= delays[1] <= 60 and 60 <= delays[2] <= 120
    assert all(d <= 3600 for d in delays) and delays[-1] >= 1800
    assert len({round(backoff(3, 30, 3600, rng), 3) for _ in range(20)}) > 1  # jittered
