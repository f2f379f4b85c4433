"""Citizen account pages: sign-up, e-mail verification, login, logout, password reset, my
account (saved answers, consents, download, deletion). Every POST checks the CSRF token."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from alrim.accounts import profiles, service, sessions
from alrim.accounts.answers_view import answer_rows
from alrim.accounts.mail import MailError
from alrim.accounts.web import (
    clear_auth_cookie,
    current_session,
    render,
    set_auth_cookie,
    settings_of,
)
from alrim.privacy import consent
from alrim.privacy.crypto import CryptoError
from alrim.privacy.export import export_person
from alrim.privacy.transaction import unit_of_work
from alrim.privacy.wording import all_wordings, wording_for
from alrim.store.base import utcnow
from alrim.web.csrf import checked_form
from alrim.web.routes.deps import engine_of, local_path

log = logging.getLogger(__name__)
router = APIRouter(prefix="/account", include_in_schema=False)

MAIL_DOWN = "메일을 보내지 못했어요. 잠시 뒤에 다시 해 주세요."
SIGNUP_PURPOSES = ("account", "matching", "notify_email", "notify_inbox", "notify_maybe")


def _field(form: Any, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _login_required(request: Request) -> RedirectResponse:
    return _see_other(f"/account/login?next={request.url.path}")


def _message(
    request: Request, title: str, message: str, *, status_code: int = 200, **extra: Any
) -> HTMLResponse:
    return render(
        request,
        "accounts/message.html",
        {"title": title, "message": message, **extra},
        status_code=status_code,
    )


# sign-up and verification


def _signup_page(request: Request, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    wordings = [wording_for(p) for p in SIGNUP_PURPOSES]
    return render(
        request, "accounts/signup.html", {"wordings": wordings, **context}, status_code=status_code
    )


@router.get("/signup")
def signup_form(request: Request) -> Response:
    if current_session(request):
        return _see_other("/account")
    return _signup_page(request, chosen={"account", "matching"})


@router.post("/signup")
async def signup(request: Request) -> Response:
    form = await checked_form(request)
    email, password = _field(form, "email"), _field(form, "password")
    chosen = {p for p in form.getlist("consent") if isinstance(p, str) and p in SIGNUP_PURPOSES}
    if password != _field(form, "password_confirm"):
        return _signup_page(
            request,
            status_code=422,
            error="비밀번호 확인이 일치하지 않아요.",
            error_field="password_confirm",
            email=email,
            chosen=chosen,
        )
    try:
        service.sign_up(engine_of(request), settings_of(request), email, password, chosen)
    except service.AccountError as exc:
        return _signup_page(
            request,
            status_code=422,
            error=exc.message,
            error_field=exc.field,
            email=email,
            chosen=chosen,
        )
    except MailError:
        return _signup_page(request, status_code=503, error=MAIL_DOWN, email=email, chosen=chosen)
    return _message(
        request,
        "메일을 확인해 주세요",
        "입력하신 주소로 메일을 보냈어요. 메일의 링크를 열어 가입을 마쳐 주세요. "
        "메일이 보이지 않으면 스팸함도 확인해 주세요.",
    )


@router.get("/verify")
def verify_form(request: Request, token: str = "") -> Response:
    return render(request, "accounts/verify.html", {"token": token})


@router.post("/verify")
async def verify(request: Request) -> Response:
    form = await checked_form(request)
    if service.verify_email(engine_of(request), _field(form, "token")):
        return _message(
            request,
            "이메일 인증을 마쳤어요",
            "가입이 끝났어요. 이제 로그인해 주세요.",
            link=("/account/login", "로그인하기"),
        )
    return _message(
        request,
        "링크를 쓸 수 없어요",
        "링크가 만료됐거나 이미 쓰였어요. 로그인하면 인증 메일을 다시 보내 드려요.",
        status_code=400,
        link=("/account/login", "로그인하기"),
    )


# login and logout


@router.get("/login")
def login_form(request: Request, next: str = "") -> Response:
    if current_session(request):
        return _see_other(local_path(next, "/account"))
    return render(request, "accounts/login.html", {"next": local_path(next, "")})


@router.post("/login")
async def login(request: Request) -> Response:
    form = await checked_form(request)
    settings = settings_of(request)
    email, next_path = _field(form, "email"), local_path(_field(form, "next"), "/account")
    client = request.client.host if request.client else None
    try:
        account = service.authenticate(
            engine_of(request), settings, email, _field(form, "password"), client=client
        )
    except service.LoginFailed as exc:
        return render(
            request,
            "accounts/login.html",
            {"error": exc.message, "email": email, "next": next_path},
            status_code=401,
        )
    except MailError:
        return render(
            request, "accounts/login.html", {"error": MAIL_DOWN, "email": email}, status_code=503
        )
    with unit_of_work(engine_of(request)) as session:
        created = sessions.create(
            session, account.id, utcnow(), replaces=request.cookies.get("alrim_auth")
        )
    request.session.pop("csrf", None)  # a new CSRF token with the new login
    response = _see_other(next_path)
    set_auth_cookie(response, settings, created.token, created.expires_at)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    await checked_form(request)
    token = request.cookies.get("alrim_auth")
    if token:
        with unit_of_work(engine_of(request)) as session:
            sessions.revoke(session, token)
    request.session.pop("csrf", None)
    response = _see_other("/")
    clear_auth_cookie(response, settings_of(request))
    return response


# password reset


@router.get("/reset")
def reset_request_form(request: Request) -> Response:
    return render(request, "accounts/reset_request.html", {})


@router.post("/reset")
async def reset_request(request: Request) -> Response:
    form = await checked_form(request)
    email = _field(form, "email")
    try:
        service.request_password_reset(engine_of(request), settings_of(request), email)
    except service.AccountError as exc:
        return render(
            request,
            "accounts/reset_request.html",
            {"error": exc.message, "email": email},
            status_code=422,
        )
    except MailError:
        return render(
            request,
            "accounts/reset_request.html",
            {"error": MAIL_DOWN, "email": email},
            status_code=503,
        )
    return _message(
        request,
        "메일을 확인해 주세요",
        "가입된 주소라면 비밀번호를 다시 정하는 링크를 보냈어요. "
        "링크는 1시간 동안 한 번만 쓸 수 있어요.",
    )


@router.get("/reset/confirm")
def reset_confirm_form(request: Request, token: str = "") -> Response:
    if not service.reset_token_is_valid(engine_of(request), token):
        return _message(
            request,
            "링크를 쓸 수 없어요",
            "링크가 만료됐거나 이미 쓰였어요. 비밀번호 재설정을 다시 요청해 주세요.",
            status_code=400,
            link=("/account/reset", "다시 요청하기"),
        )
    return render(request, "accounts/reset_confirm.html", {"token": token})


@router.post("/reset/confirm")
async def reset_confirm(request: Request) -> Response:
    form = await checked_form(request)
    token, password = _field(form, "token"), _field(form, "password")
    if password != _field(form, "password_confirm"):
        return render(
            request,
            "accounts/reset_confirm.html",
            {
                "token": token,
                "error": "비밀번호 확인이 일치하지 않아요.",
                "error_field": "password_confirm",
            },
            status_code=422,
        )
    try:
        service.reset_password(engine_of(request), token, password)
    except service.AccountError as exc:
        if exc.field == "token":
            return _message(
                request,
                "링크를 쓸 수 없어요",
                exc.message,
                status_code=400,
                link=("/account/reset", "다시 요청하기"),
            )
        return render(
            request,
            "accounts/reset_confirm.html",
            {"token": token, "error": exc.message, "error_field": exc.field},
            status_code=422,
        )
    response = _message(
        request,
        "비밀번호를 바꿨어요",
        "새 비밀번호로 로그인해 주세요. 다른 기기에서 로그인돼 있던 곳은 모두 로그아웃했어요.",
        link=("/account/login", "로그인하기"),
    )
    clear_auth_cookie(response, settings_of(request))
    return response


# my account


def _session_profile(request: Request) -> dict[str, Any]:
    data = request.session.get("profile")
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k != "as_of"}


@router.get("")
def my_account(request: Request, done: str = "") -> Response:
    active = current_session(request)
    if active is None:
        return _login_required(request)
    engine = engine_of(request)
    account = service.get_account(engine, active.account_id)
    if account is None:
        return _login_required(request)
    unreadable = False
    try:
        saved = profiles.load_profile(engine, account.id)
    except CryptoError:
        log.error("saved profile of an account does not decrypt (tampered, or key missing)")
        saved, unreadable = None, True
    meta = profiles.profile_meta(engine, account.id)
    states = consent.current(engine, account.id)
    consents = [
        {"wording": w, "state": states.get(w.purpose)}
        for w in all_wordings()
        if w.purpose != "account"
    ]
    return render(
        request,
        "accounts/account.html",
        {
            "account": account,
            "saved": answer_rows(saved),
            "saved_meta": meta,
            "unreadable": unreadable,
            "session_answers": answer_rows(_session_profile(request)),
            "matching": bool(states.get("matching") and states["matching"].granted),
            "consents": consents,
            "done": done,
        },
    )


@router.post("/profile/save")
async def save_answers(request: Request) -> Response:
    form = await checked_form(request)
    active = current_session(request)
    if active is None:
        return _login_required(request)
    answers = _session_profile(request)
    if not answers:
        return _see_other("/account?done=nothing")
    engine = engine_of(request)
    if _field(form, "consent_matching") == "1":
        consent.grant(engine, active.account_id, "matching")
    try:
        profiles.save_profile(engine, active.account_id, answers)
    except profiles.ConsentRequiredError:
        return _see_other("/account?done=consent_needed")
    except ValueError:  # ProfileError: answers that no longer parse
        return _see_other("/account?done=invalid")
    return _see_other("/account?done=saved")


@router.post("/profile/load")
async def load_answers(request: Request) -> Response:
    await checked_form(request)
    active = current_session(request)
    if active is None:
        return _login_required(request)
    saved = profiles.load_profile(engine_of(request), active.account_id)
    if saved:
        request.session["profile"] = saved
    return _see_other("/results" if saved else "/account")


@router.post("/profile/delete")
async def delete_answers(request: Request) -> Response:
    await checked_form(request)
    active = current_session(request)
    if active is None:
        return _login_required(request)
    profiles.remove_profile(engine_of(request), active.account_id)
    return _see_other("/account?done=removed")


@router.post("/consents")
async def change_consent(request: Request) -> Response:
    form = await checked_form(request)
    active = current_session(request)
    if active is None:
        return _login_required(request)
    purpose, action = _field(form, "purpose"), _field(form, "action")
    try:
        wording = wording_for(purpose)
    except KeyError:
        return _message(
            request, "요청을 처리할 수 없어요", "알 수 없는 동의 항목이에요.", status_code=400
        )
    if wording.required or action not in ("grant", "withdraw"):
        return _message(
            request,
            "요청을 처리할 수 없어요",
            "필수 동의는 철회할 수 없어요. 더 이상 이용하지 않으려면 계정을 지워 주세요.",
            status_code=400,
        )
    consent.record(engine_of(request), active.account_id, purpose, action == "grant")
    return _see_other(f"/account?done={action}#consents")


@router.get("/export")
def download_my_data(request: Request) -> Response:
    active = current_session(request)
    if active is None:
        return _login_required(request)
    data = export_person(engine_of(request), active.account_id)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(
        body,
        media_type="application/json; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="alrim-my-data.json"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/delete")
async def delete_my_account(request: Request) -> Response:
    form = await checked_form(request)
    active = current_session(request)
    if active is None:
        return _login_required(request)
    try:
        service.delete_account(engine_of(request), active.account_id, _field(form, "password"))
    except service.AccountError as exc:
        return _see_other(f"/account?done=delete_failed&field={exc.field}#delete")
    from alrim.web.visitor import forget

    forget(request)
    request.session.pop("csrf", None)
    request.state.auth_session = None
    response = _message(
        request,
        "계정을 지웠어요",
        "계정과 저장된 답변, 동의 기록, 알림 기록을 모두 지웠어요. 그동안 이용해 주셔서 고마워요.",
        link=("/", "처음으로"),
    )
    clear_auth_cookie(response, settings_of(request))
    return response
