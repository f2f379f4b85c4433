"""Jinja2 templates and the context every page gets."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse

from alrim.web.csrf import csrf_token
from alrim.web.vocabulary import field_label

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


def ko_date(value: date | datetime | str | None) -> str:
    """2026-11-25 → 2026년 11월 25일."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            day: date = datetime.fromisoformat(value)
        except ValueError:
            return value
    else:
        day = value
    return f"{day.year}년 {day.month}월 {day.day}일"


def won(value: int | None) -> str:
    return "" if value is None else f"{value:,}원"


def first_line(text: str | None, limit: int = 90) -> str:
    """The first sentence or line of a text, cut to `limit` characters."""
    if not text:
        return ""
    line = " ".join(text.replace("○", " ").replace("□", " ").split()).lstrip("-·•* ")
    for mark in ("\n", ". ", "다.", "요."):
        cut = line.find(mark)
        if 0 < cut < limit:
            return line[: cut + len(mark)].strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


templates.env.filters["ko_date"] = ko_date
templates.env.filters["won"] = won
templates.env.filters["first_line"] = first_line
templates.env.globals["field_label"] = field_label


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    from alrim.web.visitor import has_answers

    ctx: dict[str, Any] = {"request": request}
    try:
        ctx["csrf_token"] = csrf_token(request)
        ctx["has_answers"] = has_answers(request)
    except AssertionError:  # no session middleware (an error raised before it ran)
        ctx["csrf_token"], ctx["has_answers"] = "", False
    ctx.update(context or {})
    response: HTMLResponse = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    response.headers.setdefault("Cache-Control", "no-store")
    return response
