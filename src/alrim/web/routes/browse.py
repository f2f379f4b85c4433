"""Finding services: search results, a life event, a 서비스분야 listing."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from alrim.catalog.regions import RegionTable
from alrim.domain.profile import Profile
from alrim.services.catalog import resolve_region_filter
from alrim.web.backends import get_backends
from alrim.web.cards import card_of, cards_for
from alrim.web.catalog_cache import catalog_summaries
from alrim.web.clock import today
from alrim.web.errors import render_error_page
from alrim.web.results_view import PAGE_SIZE
from alrim.web.routes.deps import engine_of, regions_of
from alrim.web.templating import render
from alrim.web.visitor import has_answers, profile_of
from alrim.web.vocabulary import CATEGORIES, LIFE_EVENTS_BY_SLUG

router = APIRouter()
SEARCH_LIMIT = 30


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=100)] = "",
    category: Annotated[str, Query(max_length=40)] = "",
    open: Annotated[str, Query(max_length=1)] = "",
    mine: Annotated[str, Query(max_length=1)] = "",
) -> HTMLResponse:
    query = " ".join(q.split())
    engine, day = engine_of(request), today(request)
    profile = profile_of(request, regions_of(request), day) if has_answers(request) else None
    context: dict[str, Any] = {
        "q": query,
        "category": category if category in CATEGORIES else "",
        "open_now": open == "1",
        "mine": mine == "1" and profile is not None and profile.region is not None,
        "categories": CATEGORIES,
        "profile_region": profile.region if profile else None,
        "cards": [],
        "available": True,
    }
    if query:
        backends = get_backends(request)
        statuses = None
        if profile is not None:  # rank what the visitor can get first
            matcher = backends.eligibility(engine)
            statuses = matcher.statuses(profile) if matcher is not None else None
        found = backends.search(
            engine,
            query,
            as_of=day,
            region=profile.region if context["mine"] and profile else None,
            region_codes=_places_of(profile, regions_of(request)) if context["mine"] else None,
            categories=[context["category"]] if context["category"] else None,
            open_now=context["open_now"],
            statuses=statuses,
            limit=SEARCH_LIMIT,
        )
        if found is None:
            context["available"] = False
        else:
            ids = [str(r["service_id"]) for r in found.get("results") or []]
            results = {i: {"status": statuses.get(i)} for i in ids} if statuses else None
            context["cards"] = cards_for(engine, ids, day, results)
            context["error"] = found.get("error")
            context["did_you_mean"] = found.get("did_you_mean")
            context["total"] = found.get("total", len(ids))
    return render(request, "search.html", context)


@router.get("/life/{slug}", response_class=HTMLResponse)
def life_event(request: Request, slug: str) -> HTMLResponse:
    event = LIFE_EVENTS_BY_SLUG.get(slug)
    if event is None:
        return render_error_page(request, 404, "그런 생애 주기 안내는 없어요.")
    engine, day = engine_of(request), today(request)
    found = get_backends(request).search(
        engine,
        event.query,
        as_of=day,
        categories=list(event.categories) or None,
        limit=SEARCH_LIMIT,
    )
    if found is not None:
        ids = [str(r["service_id"]) for r in found.get("results") or []]
        cards = cards_for(engine, ids, day)
    else:  # search not available: the event's 서비스분야, most viewed first
        known = catalog_summaries(engine)
        listed = [s for c in event.categories for s in known.in_category(c)][:SEARCH_LIMIT]
        cards = [card_of(s, day) for s in listed]
    return render(request, "life_event.html", {"event": event, "cards": cards})


@router.get("/services", response_class=HTMLResponse)
def browse_category(
    request: Request,
    category: Annotated[str, Query(max_length=40)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    if category and category not in CATEGORIES:
        return render_error_page(request, 404, "그런 서비스 분야는 없어요.")
    engine, day = engine_of(request), today(request)
    cards, total, pages = [], 0, 1
    if category:
        listed = catalog_summaries(engine).in_category(category)
        total = len(listed)
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(page, pages)
        chunk = listed[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        cards = [card_of(s, day) for s in chunk]
    return render(
        request,
        "browse.html",
        {
            "category": category,
            "categories": CATEGORIES,
            "cards": cards,
            "total": total,
            "page": page,
            "pages": pages,
        },
    )


def _places_of(profile: Profile | None, regions: RegionTable) -> list[str] | None:
    """The region filter of a person under a divided old 구 ("인천 서구" → 서해구 or 검단구):
    the services of either 구, not of the whole 시도. None for everyone else."""
    if profile is None or not profile.region_candidates:
        return None
    codes: dict[str, None] = {}
    for code in profile.region_candidates:
        codes.update(dict.fromkeys(resolve_region_filter(regions, code)))
    return list(codes)
