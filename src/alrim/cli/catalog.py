"""Catalog commands: setup, ingest, show, services, runs, quarantine."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from alrim.catalog.regions import AmbiguousRegion, RegionTable, UnknownRegion
from alrim.catalog.text import KST
from alrim.cli.common import engine, fail, print_json
from alrim.domain.service import Service
from alrim.services import catalog as catalog_service
from alrim.store import catalog_repo as repo
from alrim.store.db import session_scope

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (see contracts).")]


def register(app: typer.Typer) -> None:
    app.command("setup")(setup)
    app.command("ingest")(ingest_cmd)
    app.command("show")(show)
    app.command("services")(services)
    app.command("runs")(runs)
    app.command("quarantine")(quarantine)


def setup(
    force: Annotated[bool, typer.Option(help="Re-ingest the bundled data even if loaded.")] = False,
) -> None:
    """Create/upgrade the database and load the bundled catalog on first run."""
    eng = engine(migrate=False)
    catalog_service.setup_database(eng)
    if force or catalog_service.catalog_is_empty(eng):
        typer.echo("번들 카탈로그를 불러오는 중… (loading the bundled catalog)")
        for report in catalog_service.load_bundled(eng):
            _print_report(report.to_dict())
    else:
        typer.echo("카탈로그가 이미 있어요 (catalog already loaded).")


def ingest_cmd(
    source: Annotated[
        str,
        typer.Argument(help="gov24 | youth | agency | bundled"),
    ],
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files to read (omit with --api-key).")
    ] = None,
    api_key: Annotated[
        str | None,
        typer.Option("--api-key", envvar="ALRIM_API_KEY", help="Service key for the live API."),
    ] = None,
    checkpoint: Annotated[
        Path | None, typer.Option(help="Directory for resumable live fetches.")
    ] = None,
    complete: Annotated[
        bool | None,
        typer.Option(
            "--complete/--partial",
            help="Whether the input is the whole dataset (absent services are withdrawn).",
        ),
    ] = None,
    base_url: Annotated[str | None, typer.Option(help="Override the live API base URL.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Ingest a source into the catalog and report new / changed / withdrawn / quarantined."""
    from alrim.catalog.sources.registry import open_source

    eng = engine()
    catalog_service.sync_regions(eng, RegionTable.default())
    if source == "bundled":
        reports = [r.to_dict() for r in catalog_service.load_bundled(eng)]
        if as_json:
            print_json(reports)
        else:
            for r in reports:
                _print_report(r)
        return
    kind = source
    options: dict[str, object] = {}
    if api_key:
        kind = f"{source}-api"
        options["api_key"] = api_key
        if checkpoint:
            options["checkpoint_dir"] = checkpoint
        if base_url:
            options["base_url"] = base_url
    else:
        if not paths:
            fail("읽을 파일을 지정하거나 --api-key 를 주세요. (give files or --api-key)")
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            fail(f"파일이 없어요: {', '.join(missing)}")
        options["paths"] = list(paths)
    if complete is not None:
        options["complete"] = complete
    try:
        src = open_source(kind, **options)
    except (ValueError, KeyError) as exc:
        fail(str(exc))
    from alrim.services.ingest import ingest

    report = ingest(eng, src, description=f"{kind} {' '.join(map(str, paths or []))}".strip())
    if as_json:
        print_json(report.to_dict())
    else:
        _print_report(report.to_dict())


def _print_report(r: dict[str, object]) -> None:
    typer.echo(
        f"[run {r['run_id']}] {r['dataset']}: 읽은 행 {r['rows_read']}, 서비스 {r['ingested']} "
        f"(신규 {r['new']}, 변경 {r['changed']}, 그대로 {r['unchanged']}, 복원 {r['restored']}, "
        f"중단 {r['withdrawn']}), 격리 {r['quarantined']} — "
        f"{'전체' if r['complete'] else '일부'} 데이터, {r['seconds']}초"
    )
    quarantine = r.get("quarantine") or []
    assert isinstance(quarantine, list)
    for q in quarantine[:50]:
        typer.echo(f"  격리: {q['endpoint']} {q['ref']} — {q['reason']}")
    if len(quarantine) > 50:
        typer.echo(f"  … 외 {len(quarantine) - 50}건 (alrim quarantine --run {r['run_id']})")
    notes = r.get("notes") or []
    assert isinstance(notes, list)
    for n in notes:
        typer.echo(f"  참고: {n}")


def show(
    service_id: Annotated[str, typer.Argument(help="서비스ID, e.g. 154300000396")],
    as_json: JsonOpt = False,
    original: Annotated[
        bool, typer.Option(help="Include the original published fields in the JSON.")
    ] = True,
) -> None:
    """Show one service record (contract §3)."""
    eng = engine()
    service = catalog_service.get_service(eng, service_id)
    if service is None:
        fail(f"서비스 {service_id} 를 찾을 수 없어요. (service not found)", code=1)
    record = service.to_dict()
    if not original:
        record.pop("original", None)
    if as_json:
        print_json(record)
        return
    _print_service(service)


def _print_service(s: Service) -> None:
    p = s.application_period
    region = s.region.name if s.region else "전국"
    lines = [
        f"{s.name}  [{s.service_id}]",
        f"소관: {s.agency.name} ({s.agency.type.value})  지역: {region}",
        f"분야: {', '.join(s.categories) or '-'}  지원유형: {', '.join(s.support_types) or '-'}",
        f"신청기한: {p.text or '-'}  → {p.kind.value}"
        + (f" {p.start or ''}~{p.end or ''}" if p.start or p.end else ""),
    ]
    for title, body in (
        ("요약", s.summary),
        ("지원대상", s.target_text),
        ("선정기준", s.criteria_text),
        ("지원내용", s.benefit_text),
        ("신청방법", s.how_to_apply),
        ("구비서류", s.documents),
    ):
        if body:
            lines += ["", f"■ {title}", body]
    if s.contact:
        lines += ["", "■ 문의처", *(f"- {c.text}" for c in s.contact)]
    if s.legal_basis:
        lines += ["", "■ 법령", *(f"- {x}" for x in s.legal_basis)]
    links = [u for u in (s.apply_url, s.detail_url) if u]
    if links:
        lines += ["", "■ 링크", *(f"- {u}" for u in links)]
    typer.echo("\n".join(lines))


def services(
    region: Annotated[str | None, typer.Option(help="시도/시군구 name or code.")] = None,
    agency_type: Annotated[
        list[str] | None, typer.Option(help="소관기관유형 (repeatable), e.g. 시군구")
    ] = None,
    category: Annotated[list[str] | None, typer.Option(help="서비스분야 (repeatable).")] = None,
    open_now: Annotated[
        bool, typer.Option("--open-now", help="Open for applications today.")
    ] = False,
    closing_within: Annotated[
        int | None, typer.Option(help="Closing within N days (has an end date).")
    ] = None,
    changed_since: Annotated[
        str | None, typer.Option(help="Changed since DATE (YYYY-MM-DD) or ISO time.")
    ] = None,
    status: Annotated[str, typer.Option(help="active | withdrawn | all")] = "active",
    dataset: Annotated[str | None, typer.Option(help="gov24 | youthcenter | agency:…")] = None,
    as_of: Annotated[str | None, typer.Option(help="Judge 'today' as this date.")] = None,
    limit: Annotated[int, typer.Option(help="At most N rows (0 = all).")] = 50,
    sort: Annotated[str, typer.Option(help="id | views | deadline")] = "id",
    as_json: JsonOpt = False,
) -> None:
    """List services with filters."""
    regions = RegionTable.default()
    region_codes = None
    if region:
        try:
            region_codes = catalog_service.resolve_region_filter(regions, region)
        except (UnknownRegion, AmbiguousRegion) as exc:
            fail(exc.message_ko)
    today = date.fromisoformat(as_of) if as_of else datetime.now(KST).date()
    since = None
    if changed_since:
        try:
            since = (
                datetime.fromisoformat(changed_since)
                if "T" in changed_since
                else datetime.combine(date.fromisoformat(changed_since), datetime.min.time(), KST)
            )
        except ValueError:
            fail(f"날짜 형식이 아니에요: {changed_since} (YYYY-MM-DD)")
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
    f = repo.ServiceFilter(
        region_codes=region_codes,
        agency_types=agency_type,
        categories=category,
        dataset=dataset,
        status=None if status == "all" else status,
        open_on=today if (open_now or closing_within is not None) else None,
        closing_by=today + timedelta(days=closing_within) if closing_within is not None else None,
        changed_since=since,
    )
    eng = engine()
    listing = catalog_service.list_services(eng, f, limit=limit or None, order=sort)
    if since is not None:
        changes = catalog_service.changes_for(
            eng, [s["service_id"] for s in listing.services], since
        )
        for s in listing.services:
            s["changes"] = changes.get(s["service_id"], [])
    if as_json:
        print_json(
            {"total": listing.total, "count": len(listing.services), "services": listing.services}
        )
        return
    typer.echo(f"{listing.total}개 서비스 (보이는 것 {len(listing.services)}개)")
    for s in listing.services:
        p = s["application_period"] or {}
        region_name = (s["region"] or {}).get("name", "전국")
        extra = ""
        if s.get("changes"):
            last = s["changes"][-1]
            extra = f"  ← {last['kind']} {','.join(last['fields'])}"
        kind = p.get("kind", "")
        typer.echo(f"{s['service_id']:<14} {s['name'][:40]:<40} {region_name:<16} {kind}{extra}")


def runs(as_json: JsonOpt = False, limit: int = 20) -> None:
    """Recent ingestion runs with their counts."""
    eng = engine()
    with session_scope(eng) as session:
        rows = [
            {
                "run_id": r.id,
                "dataset": r.dataset,
                "status": r.status,
                "complete": r.complete,
                "started_at": r.started_at.isoformat(),
                "finished_at": r.finished_at.isoformat() if r.finished_at else None,
                "counts": r.counts,
                "notes": r.notes,
                "description": r.description,
            }
            for r in repo.list_runs(session, limit)
        ]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        typer.echo(
            f"run {r['run_id']} {r['dataset']} {r['status']} {r['started_at']} {r['counts']}"
        )


def quarantine(
    run: Annotated[int | None, typer.Option(help="Only rows of this run.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Rows that were quarantined, with their reasons."""
    eng = engine()
    with session_scope(eng) as session:
        rows = [
            {
                "run_id": q.run_id,
                "dataset": q.dataset,
                "endpoint": q.endpoint,
                "ref": q.ref,
                "service_key": q.service_key,
                "reason": q.reason,
                "raw": q.raw[:500],
            }
            for q in repo.quarantined(session, run)
        ]
    if as_json:
        print_json(rows)
        return
    for q in rows:
        typer.echo(
            f"run {q['run_id']} {q['endpoint']} {q['ref']} [{q['service_key']}] — {q['reason']}"
        )
