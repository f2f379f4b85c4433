"""Today in Korea — the one place the pages read the clock (tests may pin it on
`app.state.web_today`)."""

from __future__ import annotations

from datetime import date

from starlette.requests import Request

from alrim.services.catalog import korea_today


def today(request: Request) -> date:
    pinned = getattr(request.app.state, "web_today", None)
    if isinstance(pinned, date):
        return pinned
    return korea_today()
