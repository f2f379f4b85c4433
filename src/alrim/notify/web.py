"""Notification pages, mounted by `create_app` through `install(app, settings)`:

- ``/account/notifications`` — channels (they are consents), digest or immediate, categories,
  quiet hours, phone number and webhook address;
- ``/account/inbox`` — the in-app inbox, read/unread;
- ``/notify/unsubscribe/<token>`` — the one-click unsubscribe link of every e-mail: GET shows
  a confirmation page, POST (the page's button, or a mail client's RFC 8058 one-click POST)
  withdraws the e-mail consent. The signed token is the authorisation (no cookie, no CSRF);
- ``/admin/notifications`` — administrators: dead letters, with "send again".

Every other POST checks the CSRF token. Built on the account pages' look and login.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine, func, select, update
from starlette.responses import HTMLResponse, RedirectResponse, Response

from alrim.notify.preferences import (
    CHANNEL_LABELS,
    CHANNELS,
    DIGEST,
    IMMEDIATE,
    INBOX,
    MAYBE_PURPOSE,
    PURPOSE_OF,
    SMS,
    WEBHOOK,
    PreferenceError,
    enabled_channels,
    get_preferences,
    save_preferences,
)
from alrim.settings import Settings
from alrim.store.base import utcnow
from alrim.store.db import session_scope
from alrim.store.notify_tables import MessageRow, NotificationRow

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
router = APIRouter(include_in_schema=False)
INBOX_PAGE = 50
DEAD_PAGE = 100


def install(app: FastAPI, settings: Settings) -> None:
    from alrim.notify.hooks import install_hooks

    install_hooks()
    app.state.notify_templates = _templates()
    app.include_router(router)


def _templates() -> Jinja2Templates:
    from jinja2 import ChoiceLoader, FileSystemLoader

    from alrim.accounts.web import TEMPLATES_DIR as ACCOUNT_TEMPLATES
    from alrim.web.templating import TEMPLATES_DIR as WEB_TEMPLATES
    from alrim.web.templating import templates as web_templates

    ours = Jinja2Templates(directory=str(TEMPLATES_DIR))
    ours.env.loader = ChoiceLoader(
        [
            FileSystemLoader(str(TEMPLATES_DIR)),
            FileSystemLoader(str(ACCOUNT_TEMPLATES)),
            FileSystemLoader(str(WEB_TEMPLATES)),
        ]
    )
    ours.env.filters.update(web_templates.env.filters)
    for name, value in web_templates.env.globals.items():
        ours.env.globals.setdefault(name, value)
    return ours


def _render(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    from alrim.accounts.web import current_session
    from alrim.web.csrf import csrf_token
    from alrim.web.visitor import has_answers

    templates: Jinja2Templates = request.app.state.notify_templates
    ctx: dict[str, Any] = {
        "request": request,
        "csrf_token": csrf_token(request),
        "has_answers": has_answers(request),
        "me": current_session(request),
        **context,
    }
    response: HTMLResponse = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _login(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/account/login?next={request.url.path}", status_code=303)


def _field(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _hour(value: str) -> int | None:
    return int(value) if value.isdigit() else None


# ---------------------------------------------------------------------------------------------
# Settings.


def _catalog_categories(engine: Engine) -> list[str]:
    from alrim.store.catalog_tables import ServiceRow

    with session_scope(engine) as session:
        lists = session.scalars(
            select(ServiceRow.categories).where(ServiceRow.status == "active").distinct()
        ).all()
    return sorted({c for cats in lists for c in (cats or ())})


def _settings_context(request: Request, account_id: str) -> dict[str, Any]:
    from alrim.privacy import consent

    engine = _engine(request)
    settings = _settings(request)
    current = consent.current(engine, account_id)
    prefs = get_preferences(engine, account_id)
    return {
        "prefs": prefs,
        "channels": [
            {
                "name": c,
                "label": CHANNEL_LABELS[c],
                "on": bool(current.get(PURPOSE_OF[c]) and current[PURPOSE_OF[c]].granted),
            }
            for c in CHANNELS
            if c in enabled_channels(settings)
        ],
        "maybe_on": bool(current.get(MAYBE_PURPOSE) and current[MAYBE_PURPOSE].granted),
        "categories": _catalog_categories(engine),
        "hours": list(range(24)),
        "modes": [
            (DIGEST, "하루 한 번 모아서 받기 (오전 9시)"),
            (IMMEDIATE, "생길 때마다 바로 받기"),
        ],
    }


@router.get("/account/notifications")
def settings_form(request: Request, done: str = "") -> Response:
    from alrim.accounts.web import current_session

    me = current_session(request)
    if me is None:
        return _login(request)
    ctx = _settings_context(request, me.account_id)
    return _render(request, "notify/settings.html", {**ctx, "done": done})


@router.post("/account/notifications")
async def settings_save(request: Request) -> Response:
    from alrim.accounts.web import current_session
    from alrim.privacy import consent
    from alrim.privacy.keys import keyring
    from alrim.privacy.transaction import unit_of_work
    from alrim.web.csrf import checked_form

    form = await checked_form(request)
    me = current_session(request)
    if me is None:
        return _login(request)
    engine = _engine(request)
    wanted = {c for c in form.getlist("channel") if isinstance(c, str) and c in CHANNELS}
    phone, webhook = _field(form, "phone"), _field(form, "webhook_url")
    try:
        with unit_of_work(engine) as session:
            prefs = save_preferences(
                session,
                keyring(),
                me.account_id,
                mode=_field(form, "mode") or DIGEST,
                categories=[c for c in form.getlist("category") if isinstance(c, str)],
                quiet_start=_hour(_field(form, "quiet_start")),
                quiet_end=_hour(_field(form, "quiet_end")),
                phone=phone if SMS in wanted or form.get("phone_clear") else None,
                webhook_url=webhook if WEBHOOK in wanted or form.get("webhook_clear") else None,
            )
            current = consent.current(session, me.account_id)
            choices = {PURPOSE_OF[c]: c in wanted for c in enabled_channels(_settings(request))}
            choices[MAYBE_PURPOSE] = bool(form.get("maybe"))
            for purpose, on in choices.items():
                state = current.get(purpose)
                if on and SMS in purpose and not prefs.has_phone:
                    raise PreferenceError("문자로 받으려면 휴대전화 번호를 적어 주세요.", "phone")
                if on and WEBHOOK in purpose and not prefs.has_webhook:
                    raise PreferenceError("연계 주소(https://…)를 적어 주세요.", "webhook_url")
                if (state is not None and state.granted) != on:
                    consent.record(session, me.account_id, purpose, on, source="account")
    except PreferenceError as exc:
        ctx = _settings_context(request, me.account_id)
        return _render(
            request,
            "notify/settings.html",
            {**ctx, "error": exc.message, "error_field": exc.field},
            status_code=422,
        )
    return RedirectResponse("/account/notifications?done=saved", status_code=303)


# ---------------------------------------------------------------------------------------------
# Inbox.


def inbox_items(engine: Engine, account_id: str, *, limit: int = INBOX_PAGE) -> list[Any]:
    from alrim.notify.render import make_item
    from alrim.notify.worker import load_services

    with session_scope(engine) as session:
        rows = (
            session.execute(
                select(NotificationRow)
                .join(MessageRow, MessageRow.id == NotificationRow.message_id)
                .where(
                    NotificationRow.account_id == account_id,
                    NotificationRow.channel == INBOX,
                    MessageRow.status == "sent",
                )
                .order_by(NotificationRow.id.desc())
                .limit(limit)
            )
            .scalars()
            .all()
        )
        services = load_services(session, {r.service_id for r in rows})
    out = []
    for r in rows:
        service = services.get(r.service_id)
        if service is None:
            continue
        item = make_item(r.id, service, r.trigger, r.reason, dict(r.payload or {}), "")
        out.append({"item": item, "read": r.read_at is not None, "at": r.created_at})
    return out


def unread_count(engine: Engine, account_id: str) -> int:
    with session_scope(engine) as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(NotificationRow)
                .join(MessageRow, MessageRow.id == NotificationRow.message_id)
                .where(
                    NotificationRow.account_id == account_id,
                    NotificationRow.channel == INBOX,
                    MessageRow.status == "sent",
                    NotificationRow.read_at.is_(None),
                )
            )
            or 0
        )


@router.get("/account/inbox")
def inbox(request: Request) -> Response:
    from alrim.accounts.web import current_session

    me = current_session(request)
    if me is None:
        return _login(request)
    engine = _engine(request)
    return _render(
        request,
        "notify/inbox.html",
        {
            "entries": inbox_items(engine, me.account_id),
            "unread": unread_count(engine, me.account_id),
        },
    )


@router.post("/account/inbox/read")
async def inbox_read(request: Request) -> Response:
    from alrim.accounts.web import current_session
    from alrim.web.csrf import checked_form

    form = await checked_form(request)
    me = current_session(request)
    if me is None:
        return _login(request)
    mark_read(_engine(request), me.account_id, _field(form, "id") or None, utcnow())
    return RedirectResponse("/account/inbox", status_code=303)


def mark_read(engine: Engine, account_id: str, notification_id: str | None, now: datetime) -> int:
    """Mark one (or every) inbox notification of the person read."""
    where = [
        NotificationRow.account_id == account_id,
        NotificationRow.channel == INBOX,
        NotificationRow.read_at.is_(None),
    ]
    if notification_id is not None:
        if not notification_id.isdigit():
            return 0
        where.append(NotificationRow.id == int(notification_id))
    with session_scope(engine) as session:
        result = session.execute(update(NotificationRow).where(*where).values(read_at=now))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# Unsubscribe (one click).


def unsubscribe(engine: Engine, token: str) -> str | None:
    """Withdraw the channel's consent named by a genuine token; returns the channel."""
    from alrim.notify.unsubscribe import read_token
    from alrim.privacy import consent
    from alrim.privacy.keys import keyring
    from alrim.privacy.transaction import unit_of_work
    from alrim.store.accounts_tables import AccountRow

    found = read_token(keyring(), token)
    if found is None:
        return None
    account_id, channel = found
    with unit_of_work(engine) as session:
        if session.get(AccountRow, account_id) is None:
            return channel  # already erased: nothing more to stop
        if consent.has_consent(session, account_id, PURPOSE_OF[channel]):
            consent.record(session, account_id, PURPOSE_OF[channel], False, source="unsubscribe")
    return channel


@router.get("/notify/unsubscribe/{token}")
def unsubscribe_page(request: Request, token: str) -> Response:
    from alrim.notify.unsubscribe import read_token
    from alrim.privacy.keys import keyring

    found = read_token(keyring(), token)
    if found is None:
        return _render(request, "notify/unsubscribe.html", {"invalid": True}, status_code=404)
    return _render(
        request, "notify/unsubscribe.html", {"token": token, "label": CHANNEL_LABELS[found[1]]}
    )


@router.post("/notify/unsubscribe/{token}")
async def unsubscribe_post(request: Request, token: str) -> Response:
    """Both the page's button and a mail client's one-click POST (RFC 8058) land here."""
    await request.body()  # `List-Unsubscribe=One-Click` (or the page's form): nothing to read
    channel = unsubscribe(_engine(request), token)
    if channel is None:
        return _render(request, "notify/unsubscribe.html", {"invalid": True}, status_code=404)
    return _render(
        request, "notify/unsubscribe.html", {"done": True, "label": CHANNEL_LABELS[channel]}
    )


# ---------------------------------------------------------------------------------------------
# Administrators: dead letters.


def dead_letters(engine: Engine, *, limit: int = DEAD_PAGE) -> list[dict[str, Any]]:
    """Dead-lettered messages, newest first (no addresses, no content: ids and errors)."""
    with session_scope(engine) as session:
        rows = session.scalars(
            select(MessageRow)
            .where(MessageRow.status == "dead")
            .order_by(MessageRow.dead_at.desc(), MessageRow.id.desc())
            .limit(limit)
        ).all()
        counts = dict(
            session.execute(
                select(NotificationRow.message_id, func.count())
                .where(NotificationRow.message_id.in_([r.id for r in rows]))
                .group_by(NotificationRow.message_id)
            ).all()
        )
    return [
        {
            "id": r.id,
            "channel": r.channel,
            "attempts": r.attempts,
            "error": r.last_error or "",
            "created_at": r.created_at,
            "dead_at": r.dead_at,
            "notifications": int(counts.get(r.id, 0)),
        }
        for r in rows
    ]


def _admin(request: Request) -> Response | None:
    from alrim.accounts.web import current_session

    me = current_session(request)
    if me is None:
        return _login(request)
    if me.role != "admin":
        return _render(
            request,
            "accounts/message.html",
            {
                "title": "볼 수 없는 페이지예요",
                "message": "관리자 계정으로 로그인해야 볼 수 있어요.",
            },
            status_code=403,
        )
    return None


@router.get("/admin/notifications")
def admin_dead_letters(request: Request, done: str = "") -> Response:
    refused = _admin(request)
    if refused is not None:
        return refused
    return _render(
        request,
        "notify/dead_letters.html",
        {"letters": dead_letters(_engine(request)), "done": done},
    )


@router.post("/admin/notifications/retry")
async def admin_retry(request: Request) -> Response:
    from alrim.notify.delivery import requeue_dead
    from alrim.web.csrf import checked_form

    form = await checked_form(request)
    refused = _admin(request)
    if refused is not None:
        return refused
    ids = [int(v) for v in form.getlist("id") if isinstance(v, str) and v.isdigit()]
    count = requeue_dead(_engine(request), ids, utcnow())
    return RedirectResponse(f"/admin/notifications?done={count}", status_code=303)
