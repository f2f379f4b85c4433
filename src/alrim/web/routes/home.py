"""Home: search, entry by life event and by 서비스분야."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from alrim.web.catalog_cache import catalog_summaries
from alrim.web.routes.deps import engine_of
from alrim.web.templating import render
from alrim.web.vocabulary import CATEGORIES, LIFE_EVENTS

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    counts = catalog_summaries(engine_of(request)).category_counts()
    return render(
        request,
        "home.html",
        {"life_events": LIFE_EVENTS, "categories": [(c, counts.get(c, 0)) for c in CATEGORIES]},
    )
