"""Catalog use cases: set up the database, load the bundled data, read services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from alrim.catalog.regions import RegionTable
from alrim.catalog.sources.registry import bundled_sources
from alrim.domain.service import Service
from alrim.paths import DATA_DIR
from alrim.services.ingest import IngestReport, ingest
from alrim.store import catalog_repo as repo
from alrim.store.catalog_tables import RegionRow, ServiceChangeRow, ServiceRow
from alrim.store.db import session_scope
from alrim.store.migrate import upgrade


def setup_database(engine: Engine, regions: RegionTable | None = None) -> None:
    """Create or upgrade the schema and (re)write the region table."""
    upgrade(engine)
    sync_regions(engine, regions or RegionTable.default())


def sync_regions(engine: Engine, regions: RegionTable) -> None:
    rows = [
        {
            "code": r.code,
            "name": r.name,
            "level": r.level.value,
            "sido_code": r.sido_code,
            "parent_code": r.parent_code,
        }
        for sido in regions.sidos()
        for r in [sido, *regions.sigungus(sido.code)]
    ]
    with session_scope(engine) as session:
        existing = {r.code: r for r in session.scalars(select(RegionRow))}
        wanted = {r["code"] for r in rows}
        for code in set(existing) - wanted:
            session.delete(existing[code])
        for r in rows:
            row = existing.get(str(r["code"]))
            if row is None:
                session.add(RegionRow(**r))
            else:
                row.name, row.level, row.sido_code, row.parent_code = (
                    str(r["name"]),
                    str(r["level"]),
                    str(r["sido_code"]),
                    r["parent_code"],
                )


def catalog_is_empty(engine: Engine) -> bool:
    with session_scope(engine) as session:
        return session.scalar(select(ServiceRow.service_id).limit(1)) is None


def load_bundled(engine: Engine, data_dir: Path = DATA_DIR) -> list[IngestReport]:
    """Ingest every bundled source (gov24 sample, 온통청년 sample, agency example)."""
    regions = RegionTable.default()
    reports = [
        ingest(engine, source, regions=regions, description=f"bundled data in {data_dir}")
        for source in bundled_sources(data_dir)
    ]
    refresh_planner_statistics(engine)
    return reports


def refresh_planner_statistics(engine: Engine) -> None:
    """After a bulk load the query planner needs fresh statistics (SQLite keeps none until
    ANALYZE; without them listing 20 services scans the whole table)."""
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))


def get_service(engine: Engine, service_id: str) -> Service | None:
    with session_scope(engine) as session:
        return repo.get_service(session, service_id.strip())


@dataclass(frozen=True, slots=True)
class ServiceListing:
    total: int
    services: list[dict[str, Any]]


def summary_of(row: ServiceRow) -> dict[str, Any]:
    rec = row.record
    return {
        "service_id": row.service_id,
        "name": row.name,
        "agency": rec.get("agency"),
        "region": rec.get("region"),
        "categories": rec.get("categories", []),
        "support_types": rec.get("support_types", []),
        "summary": rec.get("summary"),
        "application_period": rec.get("application_period"),
        "views": row.views,
        "status": row.status,
        "updated_at": rec.get("updated_at"),
        "last_changed_at": row.last_changed_at.isoformat(),
    }


def list_services(
    engine: Engine,
    f: repo.ServiceFilter,
    *,
    limit: int | None = 50,
    after_id: str | None = None,
    order: str = "id",
) -> ServiceListing:
    with session_scope(engine) as session:
        total = repo.count_services(session, f)
        rows = repo.list_service_rows(session, f, limit=limit, after_id=after_id, order=order)
        return ServiceListing(total=total, services=[summary_of(r) for r in rows])


def changes_for(
    engine: Engine, service_ids: list[str], since: datetime
) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {sid: [] for sid in service_ids}
    if not service_ids:
        return out
    with session_scope(engine) as session:
        rows = session.scalars(
            select(ServiceChangeRow)
            .where(ServiceChangeRow.service_id.in_(service_ids), ServiceChangeRow.at >= since)
            .order_by(ServiceChangeRow.id)
        )
        for r in rows:
            out.setdefault(r.service_id, []).append(
                {
                    "kind": r.kind,
                    "fields": r.fields,
                    "version": r.version,
                    "at": r.at.isoformat(),
                    "run_id": r.run_id,
                }
            )
    return out


def resolve_region_filter(regions: RegionTable, query: str) -> list[str]:
    """Codes whose services apply to people living in the region named by `query`.

    For a 시군구: the 시군구 itself, its 시 (for a 일반구) and its 시도. For a 시도: the 시도 and
    every 시군구 in it (a 시도 filter lists the whole 시도's services).
    """
    region = regions.resolve(query)
    if region.is_sido:
        return [region.code, *(r.code for r in regions.sigungus(region.code))]
    codes = [region.code, region.sido_code]
    if region.parent_code:
        codes.append(region.parent_code)
    return codes


def today_kst(now: datetime) -> date:
    from alrim.catalog.text import KST

    return now.astimezone(KST).date()


def korea_today() -> date:
    """Today in Korea, from the clock: the default day of a profile (`as_of`) at the edges."""
    return today_kst(datetime.now(UTC))
