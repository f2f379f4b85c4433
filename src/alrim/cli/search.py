"""`alrim search`: Korean search over the catalog, autocomplete and reindexing."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from alrim.catalog.text import KST
from alrim.cli.common import engine, fail, print_json
from alrim.services import search as search_service


def register(app: typer.Typer) -> None:
    app.command("search")(search)


def search(
    query: Annotated[
        str | None, typer.Argument(help='What to look for, e.g. "아기 낳으면 받는 돈".')
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(help="Only services for people in this 시도/시군구 (name or code)."),
    ] = None,
    category: Annotated[
        list[str] | None, typer.Option(help="서비스분야 (repeatable; '교육' matches 보육·교육).")
    ] = None,
    audience: Annotated[
        list[str] | None,
        typer.Option(
            "--for",
            "--audience",
            help="Who it is for (repeatable): individual, household, small_business, "
            "organization (or 개인, 가구, 소상공인, 법인/시설/단체).",
        ),
    ] = None,
    open_now: Annotated[
        bool, typer.Option("--open-now", help="Only services open for applications today.")
    ] = False,
    profile: Annotated[
        Path | None,
        typer.Option(
            help="Profile JSON (contract §1): rank the services it is eligible for first."
        ),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Judge 'today' as this date (YYYY-MM-DD).")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most N results.")] = 20,
    offset: Annotated[int, typer.Option(help="Skip the first N results.")] = 0,
    suggest: Annotated[
        str | None,
        typer.Option("--suggest", help="Autocomplete PREFIX instead (e.g. 청녀, ㅊㄴㅇㅅ)."),
    ] = None,
    reindex: Annotated[
        bool, typer.Option("--reindex", help="Bring the search index in line with the catalog.")
    ] = False,
    full: Annotated[
        bool, typer.Option("--full", help="With --reindex: rebuild the index from scratch.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (contract §4).")] = False,
) -> None:
    """Search the catalog in Korean (contract §4), or autocomplete with --suggest."""
    eng = engine()
    if reindex:
        outcome = search_service.reindex(eng, full=full)
        if as_json:
            print_json(outcome)
        else:
            typer.echo(
                f"색인 {'재구축' if outcome['rebuilt'] else '갱신'}: 분석 {outcome['indexed']}건, "
                f"제외 {outcome['withdrawn']}건 — 서비스 {outcome['documents']}개, "
                f"용어 {outcome['terms']}개, 색인 항목 {outcome['postings']}개"
            )
        return
    if suggest is not None:
        try:
            found = search_service.suggestions(eng, suggest, limit)
        except search_service.SearchError as exc:
            fail(str(exc))
        if as_json:
            print_json(found)
        else:
            _print_suggestions(found)
        return
    if not query or not query.strip():
        fail('검색어를 입력해 주세요. 예: alrim search "청년 월세"')
    day = _day(as_of)
    if search_service.index_needs_work(eng):
        typer.echo("검색 색인을 만드는 중이에요… (처음 한 번, 1~2분)", err=True)
    try:
        eligibility = None
        if profile is not None:
            data = search_service.read_profile(profile)
            eligibility = search_service.eligibility_for_profile(eng, data, day)
        result = search_service.search(
            eng,
            search_service.SearchRequest(
                query=query,
                as_of=day,
                region=region,
                categories=category or (),
                audiences=audience or (),
                open_now=open_now,
                limit=limit,
                offset=offset,
                eligibility=eligibility,
            ),
        )
    except search_service.SearchError as exc:
        fail(str(exc))
    if as_json:
        print_json(result)
    else:
        _print_results(result)


def _day(as_of: str | None) -> date:
    if not as_of:
        return datetime.now(KST).date()
    try:
        return date.fromisoformat(as_of)
    except ValueError:
        fail(f"날짜 형식이 아니에요: {as_of} (YYYY-MM-DD)")


def _print_results(result: dict[str, Any]) -> None:
    if result.get("did_you_mean"):
        typer.echo(f"혹시 '{result['did_you_mean']}' 을(를) 찾으셨나요? 그 결과를 보여 드려요.")
    completed = result.get("completed") or {}
    for typed, words in completed.items():
        typer.echo(f"'{typed}' → {', '.join(words)} 으로 찾았어요.")
    results = result["results"]
    if not results:
        typer.echo("찾는 서비스가 없어요. 다른 말로 검색해 보세요.")
        return
    typer.echo(f"{result['total']}개 서비스 중 {len(results)}개")
    for i, hit in enumerate(results, start=result.get("offset", 0) + 1):
        where = hit.get("region") or "전국"
        origin = hit["agency"] if where == hit["agency"] else f"{hit['agency']}, {where}"
        status = f" [{hit['eligibility']}]" if hit.get("eligibility") else ""
        typer.echo(
            f"{i:>3}. {hit['name']}{status}  ({origin})  {hit['service_id']}  {hit['score']:.3f}"
        )


def _print_suggestions(found: dict[str, Any]) -> None:
    words = found.get("words") or []
    services = found.get("services") or []
    if not words and not services:
        typer.echo("추천할 말이 없어요.")
        return
    if words:
        typer.echo("낱말: " + ", ".join(words))
    for s in services:
        typer.echo(f"  {s['name']}  ({s['service_id']})")
