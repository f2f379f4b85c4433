"""Results: what the visitor can get (eligible) and what needs checking (maybe)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from alrim.web import visitor
from alrim.web.backends import get_backends
from alrim.web.cards import cards_for
from alrim.web.clock import today
from alrim.web.csrf import checked_form
from alrim.web.results_view import (
    SCOPES,
    SORTS,
    STATUSES,
    Filters,
    build_sections,
    page_of,
)
from alrim.web.routes.deps import engine_of, is_htmx, local_path, regions_of
from alrim.web.templating import render
from alrim.web.vocabulary import SUPPORT_GROUPS

router = APIRouter()


@router.get("/results", response_class=HTMLResponse)
def results_page(request: Request) -> HTMLResponse:
    engine, regions, day = engine_of(request), regions_of(request), today(request)
    matcher = get_backends(request).eligibility(engine)
    if matcher is None:
        return render(
            request, "unavailable.html", {"feature": "받을 수 있는 서비스 확인"}, status_code=503
        )
    filters = Filters.from_query({k: request.query_params.getlist(k) for k in request.query_params})
    printing = request.query_params.get("view") == "print"
    profile = visitor.profile_of(request, regions, day)
    checked = matcher.check(profile)
    hidden = set(visitor.receiving_ids(request))
    results = {
        str(r["service_id"]): r
        for r in checked.get("results") or []
        if r.get("status") in STATUSES and str(r["service_id"]) not in hidden
    }
    cards = cards_for(engine, list(results), day, results)
    # Printed: every service the visitor can get, the first few of those to check.
    sections = build_sections(cards, filters, full=("eligible",) if printing else ())
    pages = 1
    if filters.category and filters.status and sections and sections[0].groups:
        group = sections[0].groups[0]
        group.cards, pages = page_of(group.cards, filters.page)
    counts = {s: sum(1 for c in cards if c.status == s) for s in STATUSES}
    return render(
        request,
        "results.html",
        {
            "sections": sections,
            "filters": filters,
            "counts": counts,
            "shown": {s.status: s.total for s in sections},
            "scopes": SCOPES,
            "sorts": SORTS,
            "support_groups": SUPPORT_GROUPS,
            "hidden": cards_for(engine, sorted(hidden), day),
            "printing": printing,
            "pages": pages,
            "as_of": day,
            "catalog_version": checked.get("catalog_version"),
            "answered": len(visitor.done_keys(request)),
            "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        },
    )


@router.post("/receiving", response_class=HTMLResponse)
async def toggle_receiving(request: Request) -> Response:
    """ "이미 받고 있어요": hide a service from the results (and undo)."""
    form = await checked_form(request)
    service_id = str(form.get("service_id") or "").strip()[:40]
    receiving = str(form.get("receiving") or "1") == "1"
    if service_id:
        visitor.set_receiving(request, service_id, receiving)
    if is_htmx(request):
        return render(
            request,
            "partials/receiving_done.html",
            {"service_id": service_id, "receiving": receiving, "name": form.get("name") or ""},
        )
    return RedirectResponse(local_path(str(form.get("next") or ""), "/results"), status_code=303)
