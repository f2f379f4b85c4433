"""Today in Korea — the one place the pages read the clock (tests may pin it on
`app.state.web_today`)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from starlette.requests import Request

from alrim.services.catalog import today_kst


def today(request: Request) -> date:
    pinned = getattr(request.app.state, "web_today", None)
    if isinstance(pinned, date):
        return pinned
    return today_kst(datetime.now(UTC))
