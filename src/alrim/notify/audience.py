"""Audiences: who a service concerns, computed with the vectorised evaluator over the whole
matching snapshot (one Polars pass per service, no per-person loop), then turned into
candidates by the pure triggers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import polars as pl

from alrim.eligibility.engine import EligibilityEngine
from alrim.eligibility.model import AgeRange, Rule, leaves
from alrim.eligibility.vectorized import audience
from alrim.notify.preferences import ReachTable
from alrim.notify.triggers import ELIGIBLE, MAYBE, ONCE, Candidate, Reminder


def age_limits(rules: Iterable[Rule]) -> set[int]:
    """Ages at which some service starts to apply (e.g. 65): birthdays worth a re-screen."""
    limits: set[int] = set()
    for rule in rules:
        for leaf in leaves(rule.criteria):
            if isinstance(leaf, AgeRange) and leaf.min_years:
                limits.add(int(leaf.min_years))
    return limits


@dataclass(frozen=True, slots=True)
class AudienceCounts:
    service_id: str
    profiles: int
    eligible: int
    maybe: int
    maybe_opted_in: int


def split_audience(
    eligibility: EligibilityEngine, service_id: str, frame: pl.DataFrame, maybe_ok: set[str]
) -> tuple[list[str], list[str]] | None:
    """(eligible account ids, maybe account ids of people who opted in), or None when the
    service has no rule."""
    rule = eligibility.rule(service_id)
    if rule is None:
        return None
    if frame.height == 0:
        return [], []
    outcome = audience(rule, frame, eligibility.ctx)
    judged = pl.DataFrame({"id": frame["person_id"], "o": outcome})
    eligible = judged.filter(pl.col("o") == 1)["id"].to_list()
    maybe = judged.filter(pl.col("o") == 0)["id"]
    opted = maybe.filter(maybe.is_in(sorted(maybe_ok))).to_list() if maybe_ok else []
    return eligible, opted


def count_audience(
    eligibility: EligibilityEngine, service_id: str, frame: pl.DataFrame, maybe_ok: set[str]
) -> AudienceCounts | None:
    rule = eligibility.rule(service_id)
    if rule is None:
        return None
    if frame.height == 0:
        return AudienceCounts(service_id, 0, 0, 0, 0)
    outcome = audience(rule, frame, eligibility.ctx)
    judged = pl.DataFrame({"id": frame["person_id"], "o": outcome})
    maybe = judged.filter(pl.col("o") == 0)["id"]
    opted = int(maybe.is_in(sorted(maybe_ok)).sum()) if maybe_ok else 0
    return AudienceCounts(service_id, frame.height, int((outcome == 1).sum()), maybe.len(), opted)


def reachable_frame(frame: pl.DataFrame, reach: ReachTable) -> pl.DataFrame:
    """Only the people who can be told anything (saves judging everybody else)."""
    return frame.filter(pl.col("person_id").is_in(sorted(reach.by_account)))


def maybe_set(reach: ReachTable) -> set[str]:
    return {a for a, r in reach.by_account.items() if r.include_maybe}


def service_candidates(
    eligibility: EligibilityEngine,
    service_id: str,
    frame: pl.DataFrame,
    reach: ReachTable,
    *,
    reason: str,
) -> Iterator[Candidate]:
    """ "You can get this now" candidates for one (new or changed) service."""
    split = split_audience(eligibility, service_id, frame, maybe_set(reach))
    if split is None:
        return
    eligible, maybe = split
    for account_id in eligible:
        yield Candidate(account_id, service_id, ELIGIBLE, ONCE, reason)
    for account_id in maybe:
        yield Candidate(account_id, service_id, MAYBE, ONCE, reason)


def reminder_candidates(
    eligibility: EligibilityEngine,
    service_id: str,
    reminders: list[Reminder],
    frame: pl.DataFrame,
    reach: ReachTable,
    *,
    reason: str,
) -> Iterator[Candidate]:
    """Application-window reminders for the people the service concerns."""
    if not reminders:
        return
    split = split_audience(eligibility, service_id, frame, maybe_set(reach))
    if split is None:
        return
    people = split[0] + split[1]
    for reminder in reminders:
        for account_id in people:
            yield Candidate(
                account_id, service_id, reminder.trigger, reminder.window, reason, reminder.payload
            )
