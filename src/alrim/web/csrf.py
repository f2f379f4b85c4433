"""CSRF protection for the pages' forms: a random token kept in the session, sent back by every
POST form (hidden field ``csrf_token``) or by htmx (header ``X-CSRF-Token``), and checked."""

from __future__ import annotations

import secrets

from starlette.datastructures import FormData
from starlette.requests import Request

FIELD = "csrf_token"
HEADER = "x-csrf-token"


class CsrfRejected(Exception):
    """A POST without the session's token (expired session, forged form)."""


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str) or len(token) < 20:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def checked_form(request: Request) -> FormData:
    """The posted form, after checking its CSRF token; raises `CsrfRejected`."""
    form = await request.form()
    sent = form.get(FIELD) or request.headers.get(HEADER) or ""
    expected = request.session.get("csrf")
    if (
        not isinstance(sent, str)
        or not isinstance(expected, str)
        or not secrets.compare_digest(sent.encode(), expected.encode())
    ):
        raise CsrfRejected()
    return form
