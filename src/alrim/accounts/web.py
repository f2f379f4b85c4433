"""Mount the account pages: `install(app, settings)` (called by `create_app`).

Builds on the web pages (`alrim.web`): their base template, CSRF token (kept in the visitor's
signed session and checked on every POST) and the visitor's answers (session key
``"profile"``). The login itself is a server-side session: the ``alrim_auth`` cookie carries a
random token (HttpOnly, SameSite=Lax, Secure when ``ALRIM_PUBLIC_BASE_URL`` is https) whose
hash names a row of ``account_sessions``; a login always issues a new token.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader
from starlette.responses import HTMLResponse, Response

from alrim.accounts import sessions
from alrim.accounts.service import Account, get_account
from alrim.privacy.keys import install_keyring, load_keyring
from alrim.privacy.logfilter import install_log_filter
from alrim.privacy.transaction import unit_of_work
from alrim.settings import Settings
from alrim.store.base import utcnow

AUTH_COOKIE = "alrim_auth"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def install(app: FastAPI, settings: Settings) -> None:
    from alrim.accounts.pages import router as pages
    from alrim.accounts.staff_pages import router as staff_pages

    install_log_filter()
    install_keyring(load_keyring(settings))
    app.state.account_templates = _templates()
    app.include_router(pages)
    app.include_router(staff_pages)


def _templates() -> Jinja2Templates:
    from alrim.web.templating import TEMPLATES_DIR as WEB_TEMPLATES
    from alrim.web.templating import templates as web_templates

    ours = Jinja2Templates(directory=str(TEMPLATES_DIR))
    ours.env.loader = ChoiceLoader(
        [FileSystemLoader(str(TEMPLATES_DIR)), FileSystemLoader(str(WEB_TEMPLATES))]
    )
    ours.env.filters.update(web_templates.env.filters)
    for name, value in web_templates.env.globals.items():
        ours.env.globals.setdefault(name, value)
    return ours


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def current_session(request: Request) -> sessions.ActiveSession | None:
    """The logged-in session named by the auth cookie (looked up once per request)."""
    if hasattr(request.state, "auth_session"):
        cached: sessions.ActiveSession | None = request.state.auth_session
        return cached
    from alrim.web.routes.deps import engine_of

    token = request.cookies.get(AUTH_COOKIE)
    found = None
    if token:
        with unit_of_work(engine_of(request)) as session:
            found = sessions.lookup(session, token, utcnow())
    request.state.auth_session = found
    return found


def current_account(request: Request) -> Account | None:
    active = current_session(request)
    if active is None:
        return None
    from alrim.web.routes.deps import engine_of

    return get_account(engine_of(request), active.account_id)


def set_auth_cookie(response: Response, settings: Settings, token: str, expires: datetime) -> None:
    response.set_cookie(
        AUTH_COOKIE,
        token,
        max_age=int((expires - utcnow()).total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.public_base_url.lower().startswith("https://"),
    )


def clear_auth_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        AUTH_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.public_base_url.lower().startswith("https://"),
    )


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """An account page in the site's look, with the CSRF token and the logged-in account."""
    from alrim.web.csrf import csrf_token
    from alrim.web.visitor import has_answers

    templates: Jinja2Templates = request.app.state.account_templates
    ctx: dict[str, Any] = {
        "request": request,
        "csrf_token": csrf_token(request),
        "has_answers": has_answers(request),
        "me": current_session(request),
    }
    ctx.update(context or {})
    response: HTMLResponse = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # tokens in links stay on this site
    return response
