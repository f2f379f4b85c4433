"""Ingest one source into the catalog: assemble → compare → upsert → change log → report.

Idempotent: ingesting the same data twice records no change. A row that cannot be used is
quarantined with its reason and the run goes on. Services absent from a *complete* run of their
dataset are marked withdrawn (never deleted; a later run that has them again restores them).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import Engine, insert, select, update

from alrim.catalog.assemble import assemble
from alrim.catalog.regions import RegionTable
from alrim.catalog.sources.base import Rejected, Source
from alrim.domain.service import Service, changed_fields
from alrim.store import search_repo
from alrim.store.base import utcnow
from alrim.store.catalog_repo import (
    content_hash,
    service_columns,
    set_meta,
    stored_states,
    upsert_agencies,
)
from alrim.store.catalog_tables import (
    IngestRunRow,
    QuarantinedRow,
    ServiceChangeRow,
    ServiceRow,
    ServiceVersionRow,
)
from alrim.store.db import session_scope

log = logging.getLogger(__name__)
RAW_LIMIT = 20_000  # characters of a quarantined row kept


@dataclass(slots=True)
class IngestReport:
    run_id: int
    dataset: str
    complete: bool
    rows_read: int = 0
    ingested: int = 0  # services seen in this run (valid)
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    restored: int = 0
    withdrawn: int = 0
    quarantined: int = 0
    seconds: float = 0.0  # the catalog: read, normalise, compare, write
    index_seconds: float = 0.0  # then the search index, for exactly what changed
    quarantine: list[dict[str, str | None]] = field(default_factory=list)
    changed_ids: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        keys = (
            "rows_read",
            "ingested",
            "new",
            "changed",
            "unchanged",
            "restored",
            "withdrawn",
            "quarantined",
        )
        return {k: int(getattr(self, k)) for k in keys}

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["seconds"] = round(self.seconds, 3)
        d["index_seconds"] = round(self.index_seconds, 3)
        return d


def ingest(
    engine: Engine,
    source: Source,
    *,
    regions: RegionTable | None = None,
    description: str = "",
    now: Callable[[], datetime] = utcnow,
    on_services: Callable[[list[str]], None] | None = None,
) -> IngestReport:
    """Run one source into the catalog and return what happened."""
    regions = regions or RegionTable.default()
    started = now()
    with session_scope(engine) as session:
        run_row = IngestRunRow(
            dataset=source.dataset,
            description=description[:2000],
            started_at=started,
            status="running",
        )
        session.add(run_row)
        session.flush()
        run_id = run_row.id

    report = IngestReport(run_id=run_id, dataset=source.dataset, complete=False)
    try:
        records = list(source.records())
        run_info = source.run
        assembled = assemble(
            records,
            dataset=source.dataset,
            regions=regions,
            fetched_at=run_info.fetched_at or started,
            endpoints_in_run=run_info.endpoints,
        )
        report.complete = bool(run_info.complete)
        report.rows_read = assembled.rows_read
        report.notes.extend(run_info.notes)
        _write(
            engine, run_id, source.dataset, assembled.services, assembled.rejected, report, now()
        )
        report.seconds = (now() - started).total_seconds()
        _update_search_index(engine, assembled.services, report)
    except Exception as exc:  # the run is recorded as failed; nothing half-written stays
        log.exception("ingest run %s failed", run_id)
        with session_scope(engine) as session:
            session.execute(
                update(IngestRunRow)
                .where(IngestRunRow.id == run_id)
                .values(status="failed", finished_at=now(), notes=[*report.notes, repr(exc)[:500]])
            )
        raise
    with session_scope(engine) as session:
        session.execute(
            update(IngestRunRow)
            .where(IngestRunRow.id == run_id)
            .values(
                status="succeeded",
                finished_at=now(),
                complete=report.complete,
                counts=report.counts(),
                notes=report.notes,
            )
        )
    if on_services is not None:
        touched = [i for k in ("new", "changed", "restored") for i in report.changed_ids.get(k, [])]
        if touched:
            on_services(touched)
    return report


def _update_search_index(engine: Engine, services: list[Service], report: IngestReport) -> None:
    """Re-analyse exactly the services this run wrote, drop withdrawn ones, copy new 조회수.

    Runs right after the catalog transaction commits. The index is derived data: if this step
    fails, the catalog stays correct, the run says so, and the next ingest or
    `alrim search --reindex` brings the index level (`search_repo.reconcile` compares hashes).
    """
    started = time.perf_counter()
    rewritten = {i for k in ("new", "changed", "restored") for i in report.changed_ids.get(k, [])}
    try:
        with session_scope(engine) as session:
            search_repo.update_for_ingest(
                session,
                [s for s in services if s.service_id in rewritten],
                report.changed_ids.get("withdrawn", []),
                views={s.service_id: s.views for s in services if s.service_id not in rewritten},
            )
    except Exception:
        log.exception("search index update after ingest run %s failed", report.run_id)
        report.notes.append(
            "search index not updated; run `alrim search --reindex` (the catalog is saved)"
        )
    report.index_seconds = time.perf_counter() - started


def _write(
    engine: Engine,
    run_id: int,
    dataset: str,
    services: list[Service],
    rejected: list[Rejected],
    report: IngestReport,
    at: datetime,
) -> None:
    with session_scope(engine) as session:
        for rej in rejected:
            session.add(
                QuarantinedRow(
                    run_id=run_id,
                    dataset=dataset,
                    endpoint=rej.endpoint[:40],
                    ref=rej.ref[:500],
                    service_key=(rej.key or None) and rej.key[:80],
                    reason=rej.reason,
                    raw=rej.raw[:RAW_LIMIT],
                    created_at=at,
                )
            )
            report.quarantine.append(
                {"endpoint": rej.endpoint, "ref": rej.ref, "key": rej.key, "reason": rej.reason}
            )
        report.quarantined = len(rejected)

        states = stored_states(session, dataset)
        upsert_agencies(session, services, at)
        session.flush()

        new_rows: list[dict[str, object]] = []
        version_rows: list[dict[str, object]] = []
        change_rows: list[dict[str, object]] = []
        touch_rows: list[dict[str, object]] = []
        seen: set[str] = set()
        ids: dict[str, list[str]] = {"new": [], "changed": [], "restored": [], "withdrawn": []}
        for service in services:
            seen.add(service.service_id)
            record = service.to_dict()
            digest = content_hash(record)
            state = states.get(service.service_id)
            if state is None:
                cols = service_columns(service, record)
                cols.update(
                    content_hash=digest,
                    version=1,
                    status="active",
                    first_seen_at=at,
                    last_seen_at=at,
                    last_changed_at=at,
                )
                new_rows.append(cols)
                version_rows.append(
                    {
                        "service_id": service.service_id,
                        "version": 1,
                        "run_id": run_id,
                        "content_hash": digest,
                        "record": record,
                        "created_at": at,
                    }
                )
                change_rows.append(
                    {
                        "run_id": run_id,
                        "service_id": service.service_id,
                        "kind": "new",
                        "fields": [],
                        "version": 1,
                        "at": at,
                    }
                )
                ids["new"].append(service.service_id)
                continue
            if state.hash == digest and state.status == "active":
                touch_rows.append(
                    {
                        "service_id": service.service_id,
                        "last_seen_at": at,
                        "views": service.views,
                        "record": record,
                    }
                )
                report.unchanged += 1
                continue
            old_record = (
                session.scalar(
                    select(ServiceRow.record).where(ServiceRow.service_id == service.service_id)
                )
                or {}
            )
            fields = changed_fields(old_record, record)
            kind = "restored" if state.status != "active" else "changed"
            version = state.version + (1 if state.hash != digest else 0)
            cols = service_columns(service, record)
            cols.update(
                content_hash=digest,
                version=version,
                status="active",
                last_seen_at=at,
                last_changed_at=at,
                withdrawn_at=None,
            )
            cols.pop("service_id")
            session.execute(
                update(ServiceRow).where(ServiceRow.service_id == service.service_id).values(**cols)
            )
            if state.hash != digest:
                version_rows.append(
                    {
                        "service_id": service.service_id,
                        "version": version,
                        "run_id": run_id,
                        "content_hash": digest,
                        "record": record,
                        "created_at": at,
                    }
                )
            change_rows.append(
                {
                    "run_id": run_id,
                    "service_id": service.service_id,
                    "kind": kind,
                    "fields": fields,
                    "version": version,
                    "at": at,
                }
            )
            ids[kind].append(service.service_id)

        if touch_rows:
            session.execute(update(ServiceRow), touch_rows)  # bulk UPDATE by primary key
        if new_rows:
            session.execute(insert(ServiceRow), new_rows)
        if version_rows:
            session.execute(insert(ServiceVersionRow), version_rows)

        if report.complete:
            # A service whose row was rejected was named, not missing: it is kept as it was.
            named = {rej.key for rej in rejected if rej.key}
            gone = [
                sid
                for sid, st in states.items()
                if st.status == "active" and sid not in seen and sid not in named
            ]
            for chunk_start in range(0, len(gone), 500):
                chunk = gone[chunk_start : chunk_start + 500]
                session.execute(
                    update(ServiceRow)
                    .where(ServiceRow.service_id.in_(chunk))
                    .values(status="withdrawn", withdrawn_at=at, last_changed_at=at)
                )
            for sid in gone:
                change_rows.append(
                    {
                        "run_id": run_id,
                        "service_id": sid,
                        "kind": "withdrawn",
                        "fields": [],
                        "version": states[sid].version,
                        "at": at,
                    }
                )
            ids["withdrawn"] = gone
        if change_rows:
            session.execute(insert(ServiceChangeRow), change_rows)

        report.ingested = len(seen)
        report.new = len(ids["new"])
        report.changed = len(ids["changed"])
        report.restored = len(ids["restored"])
        report.withdrawn = len(ids["withdrawn"])
        report.changed_ids = {k: v for k, v in ids.items() if v}
        if change_rows:
            set_meta(session, "catalog_version", f"{at.strftime('%Y%m%dT%H%M%SZ')}-r{run_id}")
