"""The citizen web pages: server-rendered (Jinja2, KRDS look), enhanced by htmx, usable without
JavaScript. `install(app, settings)` is called by `alrim.api.app.create_app`."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response

from alrim.settings import Settings
from alrim.web.assets import mount_static
from alrim.web.csrf import CsrfRejected
from alrim.web.errors import render_error_page

log = logging.getLogger(__name__)

SESSION_COOKIE = "alrim_session"


def session_secret(settings: Settings) -> str:
    """`ALRIM_SESSION_SECRET`, else a random key kept in `<var_dir>/session_secret`."""
    if settings.session_secret:
        return settings.session_secret
    path = Path(settings.var_dir) / "session_secret"
    try:
        if path.is_file():
            existing = path.read_text(encoding="utf-8").strip()
            if len(existing) >= 32:
                return existing
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_urlsafe(48)
        path.write_text(secret + "\n", encoding="utf-8")
        path.chmod(0o600)
        return secret
    except OSError:
        log.warning("cannot keep a session secret in %s; sessions end at restart", path)
        return secrets.token_urlsafe(48)


def install(app: FastAPI, settings: Settings) -> None:
    from alrim.web.routes import router

    mount_static(app)
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie=SESSION_COOKIE,
        max_age=None,  # a browser-session cookie: answers go when the browser closes
        same_site="lax",
        https_only=settings.session_https_only,
    )
    app.include_router(router)

    @app.exception_handler(CsrfRejected)
    async def _csrf_rejected(request: Request, _: CsrfRejected) -> Response:
        return render_error_page(
            request,
            403,
            "보안을 위해 확인하는 값이 맞지 않아요. 페이지를 새로 고친 뒤 다시 시도해 주세요.",
        )


__all__ = ["install", "render_error_page"]
