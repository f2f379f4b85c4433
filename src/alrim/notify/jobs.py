"""The worker's scheduled jobs. Each decides notifications and writes them — with the cursor or
slot it advanced — in one transaction, so a job that dies writes nothing and a job run twice
writes nothing new (idempotency keys).

- ``changes``: catalog change log (new / changed / restored services) → audiences → outbox;
  withdrawn services cancel what was still queued about them.
- ``daily``: date-driven life events (a birthday reaching an age limit, a child's milestone, a
  recent move) → re-screen those people.
- ``reminders``: application opens tomorrow / closes in 7 days / closes tomorrow.
- ``purge``: retention (`alrim.privacy.retention.purge`, which runs our purger too).
- ``ingest``: fetch the configured source, then ``changes`` at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

import polars as pl
from sqlalchemy import Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from alrim.domain.period import ApplicationPeriod
from alrim.notify.audience import (
    age_limits,
    reachable_frame,
    reminder_candidates,
    service_candidates,
)
from alrim.notify.outbox import insert_rows, plan_rows
from alrim.notify.preferences import ReachTable, reach_table
from alrim.notify.schedule import parse_schedule, slot
from alrim.notify.snapshot import MatchingSnapshot, snapshot_for
from alrim.notify.triggers import (
    CATALOG_CHANGED,
    CATALOG_NEW,
    PERIOD,
    Candidate,
    life_events,
    period_reminders,
    status_candidates,
)
from alrim.settings import Settings
from alrim.store.db import session_scope
from alrim.store.notify_tables import NotificationRow, NotifyStateRow, table_of

log = logging.getLogger(__name__)
CHANGE_REASON = {"new": CATALOG_NEW, "changed": CATALOG_CHANGED, "restored": CATALOG_NEW}


def today_kst(now: datetime) -> date:
    from alrim.services.catalog import today_kst as _today

    return _today(now)


def current_eligibility(engine: Engine) -> Any:
    """The eligibility engine of the catalog as it is now (the shared cache may lag an ingest
    by a couple of seconds; a job must not decide on the catalog before it)."""
    from alrim.services.eligibility import build_engine, catalog_version, get_eligibility

    eligibility = get_eligibility(engine)
    if eligibility.catalog_version != catalog_version(engine):
        eligibility = build_engine(engine)
    return eligibility


def _current(engine: Engine, snapshot: MatchingSnapshot | None) -> MatchingSnapshot:
    """The given snapshot brought up to date, or the process's own."""
    if snapshot is None:
        return snapshot_for(engine)
    snapshot.refresh(engine)
    return snapshot


def _state(session: Session, name: str) -> NotifyStateRow:
    """The state row, created if missing (on SQLite this also takes the write lock)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(table_of(NotifyStateRow))
        .values(name=name, cursor=0)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    query = select(NotifyStateRow).where(NotifyStateRow.name == name)
    if dialect == "postgresql":
        query = query.with_for_update()
    row = session.scalars(query).one()
    return row


def _categories(session: Session, service_ids: Iterable[str]) -> dict[str, list[str]]:
    from alrim.store.catalog_tables import ServiceRow

    ids = sorted(set(service_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(ServiceRow.service_id, ServiceRow.categories).where(ServiceRow.service_id.in_(ids))
    ).all()
    return {sid: list(cats or ()) for sid, cats in rows}


def _write(
    session: Session,
    candidates: Iterable[Candidate],
    reach: ReachTable,
    now: datetime,
    settings: Settings,
    service_ids: Iterable[str],
) -> tuple[int, int]:
    """(rows planned, rows new) for these candidates."""
    rows = plan_rows(
        candidates,
        reach,
        now,
        digest_hour=settings.notify_digest_hour,
        categories=_categories(session, service_ids),
    )
    return len(rows), insert_rows(session, rows)


# ---------------------------------------------------------------------------------------------
# Catalog changes.


def process_catalog_changes(
    engine: Engine,
    settings: Settings,
    now: datetime,
    *,
    snapshot: MatchingSnapshot | None = None,
    limit: int = 2000,
) -> dict[str, Any]:
    """Turn the change log since the cursor into notifications (one transaction)."""
    from alrim.store.catalog_repo import changes_since

    with session_scope(engine) as session:
        start = _state(session, "changes").cursor
        changes = changes_since(session, None, after_id=start, limit=limit)
    if not changes:
        return {"changes": 0}
    reasons: dict[str, str] = {}
    withdrawn: set[str] = set()
    for change in changes:
        if change.kind == "withdrawn":
            withdrawn.add(change.service_id)
            reasons.pop(change.service_id, None)
        elif change.kind in CHANGE_REASON:
            withdrawn.discard(change.service_id)
            reasons[change.service_id] = CHANGE_REASON[change.kind]
    started = time.perf_counter()
    eligibility = current_eligibility(engine)
    reach = reach_table(engine, settings)
    snap = _current(engine, snapshot)
    frame = reachable_frame(snap.on(today_kst(now)), reach)
    planned = written = 0
    with session_scope(engine) as session:
        state = _state(session, "changes")
        if state.cursor != start:  # another worker did these changes meanwhile
            return {"changes": 0, "skipped": True}
        for service_id, reason in sorted(reasons.items()):
            candidates = service_candidates(eligibility, service_id, frame, reach, reason=reason)
            p, w = _write(session, candidates, reach, now, settings, [service_id])
            planned, written = planned + p, written + w
        cancelled = _cancel_for_services(session, withdrawn)
        state.cursor = changes[-1].id
        state.finished_at = now
    result = {
        "changes": len(changes),
        "services": len(reasons),
        "profiles": frame.height,
        "planned": planned,
        "written": written,
        "cancelled": cancelled,
        "seconds": round(time.perf_counter() - started, 3),
    }
    log.info("catalog changes → notifications: %s", result)
    return result


def _cancel_for_services(session: Session, service_ids: set[str]) -> int:
    if not service_ids:
        return 0
    result = session.execute(
        update(NotificationRow)
        .where(
            NotificationRow.service_id.in_(sorted(service_ids)),
            NotificationRow.status == "queued",
        )
        .values(status="cancelled")
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# Reminders (application windows).


def send_reminders(
    engine: Engine,
    settings: Settings,
    now: datetime,
    *,
    snapshot: MatchingSnapshot | None = None,
) -> dict[str, Any]:
    from alrim.store.catalog_tables import ServiceRow

    today = today_kst(now)
    with session_scope(engine) as session:
        rows = session.execute(
            select(ServiceRow.service_id, ServiceRow.record).where(
                ServiceRow.status == "active",
                (
                    ServiceRow.period_end.between(today, today + timedelta(days=7))
                    | ServiceRow.period_start.between(today, today + timedelta(days=1))
                    | (ServiceRow.period_kind == "recurring")
                ),
            )
        ).all()
    due = {}
    for service_id, record in rows:
        period = ApplicationPeriod.from_dict(record.get("application_period") or {})
        reminders = period_reminders(period, today)
        if reminders:
            due[service_id] = reminders
    if not due:
        return {"services": 0}
    eligibility = current_eligibility(engine)
    reach = reach_table(engine, settings)
    snap = _current(engine, snapshot)
    frame = reachable_frame(snap.on(today), reach)
    planned = written = 0
    with session_scope(engine) as session:
        for service_id, reminders in sorted(due.items()):
            candidates = reminder_candidates(
                eligibility, service_id, reminders, frame, reach, reason=PERIOD
            )
            p, w = _write(session, candidates, reach, now, settings, [service_id])
            planned, written = planned + p, written + w
    return {"services": len(due), "planned": planned, "written": written}


# ---------------------------------------------------------------------------------------------
# Life events and dates.


def _event_frame(frame: pl.DataFrame, today: date, moved_within: int) -> pl.DataFrame:
    """People who may have a dated life event today (the pure triggers decide exactly)."""
    last_of_month = (today + timedelta(days=1)).day == 1
    day_matches = pl.lit(True) if last_of_month else None

    def on_day(column: pl.Expr) -> pl.Expr:
        expr = (column.dt.day() == today.day) | (column == pl.lit(today, pl.Date))
        return expr | day_matches if day_matches is not None else expr

    birthday = on_day(pl.col("birth_date")).fill_null(False)
    children = (
        pl.col("children_birth_dates").list.eval(on_day(pl.element())).list.any().fill_null(False)
    )
    moved = (pl.col("moved_in_date") >= pl.lit(today - timedelta(days=moved_within))).fill_null(
        False
    )
    return frame.filter(birthday | children | moved)


def daily_life_events(
    engine: Engine,
    settings: Settings,
    now: datetime,
    *,
    snapshot: MatchingSnapshot | None = None,
) -> dict[str, Any]:
    from alrim.eligibility.profile_table import frame_to_profiles

    today = today_kst(now)
    eligibility = current_eligibility(engine)
    reach = reach_table(engine, settings)
    snap = _current(engine, snapshot)
    frame = _event_frame(
        reachable_frame(snap.on(today), reach), today, settings.notify_moved_within_days
    )
    limits = age_limits(eligibility.rules)
    candidates: list[Candidate] = []
    people = 0
    for account_id, profile in zip(
        frame["person_id"].to_list(), frame_to_profiles(frame), strict=True
    ):
        events = life_events(
            profile,
            today,
            age_limits=limits,
            moved_within_days=settings.notify_moved_within_days,
        )
        if not events:
            continue
        people += 1
        r = reach.get(account_id)
        candidates += status_candidates(
            account_id,
            eligibility.statuses(profile),
            include_maybe=bool(r and r.include_maybe),
            reason=events[0],
        )
    with session_scope(engine) as session:
        planned, written = _write(
            session, candidates, reach, now, settings, {c.service_id for c in candidates}
        )
    return {"people": people, "planned": planned, "written": written}


# ---------------------------------------------------------------------------------------------
# Retention and ingest.


def purge(engine: Engine, settings: Settings, now: datetime) -> dict[str, Any]:
    from alrim.notify.hooks import install_hooks
    from alrim.privacy.retention import purge as retention_purge

    install_hooks()
    return dict(retention_purge(engine, now, settings))


def ingest(engine: Engine, settings: Settings, now: datetime) -> dict[str, Any]:
    if not settings.notify_ingest_source:
        return {"skipped": "ALRIM_NOTIFY_INGEST_SOURCE is not set"}
    from alrim.catalog.sources.registry import open_source
    from alrim.services import catalog as catalog_service
    from alrim.services.ingest import ingest as run_ingest

    if settings.notify_ingest_source == "bundled":
        reports = [r.counts() for r in catalog_service.load_bundled(engine)]
    else:
        report = run_ingest(engine, open_source(settings.notify_ingest_source))
        reports = [report.counts()]
    return {"ingest": reports, "changes": process_catalog_changes(engine, settings, now)}


JOBS: dict[str, Callable[[Engine, Settings, datetime], dict[str, Any]]] = {
    "changes": lambda e, s, n: process_catalog_changes(e, s, n),
    "daily": lambda e, s, n: daily_life_events(e, s, n),
    "reminders": lambda e, s, n: send_reminders(e, s, n),
    "purge": purge,
    "ingest": ingest,
}


def claim_slot(engine: Engine, job: str, slot_name: str, now: datetime) -> bool:
    """Take this job's slot (True once per slot, whichever worker asks first)."""
    with session_scope(engine) as session:
        state = _state(session, f"job:{job}")
        if state.last_slot is not None and state.last_slot >= slot_name:
            return False
        state.last_slot = slot_name
        state.started_at = now
        return True


def run_due_jobs(engine: Engine, settings: Settings, now: datetime) -> dict[str, Any]:
    """Run every job whose current cron slot has not run yet."""
    results: dict[str, Any] = {}
    for name, cron in parse_schedule(settings.notify_schedule).items():
        if cron is None or (name == "ingest" and not settings.notify_ingest_source):
            continue
        current = slot(cron, now)
        if current is None or not claim_slot(engine, name, current, now):
            continue
        try:
            results[name] = JOBS[name](engine, settings, now)
        except Exception as exc:  # one failing job must not stop delivery
            log.exception("job %s failed", name)
            results[name] = {"error": type(exc).__name__}
        with session_scope(engine) as session:
            state = _state(session, f"job:{name}")
            state.finished_at = now
            state.result = _jsonable(results[name])
    return results


def _jsonable(value: Any) -> Any:
    import json

    return json.loads(json.dumps(value, default=str))
