"""Staff pages: the 주민센터 counter lookup (every read journaled, with its purpose) and the
administrators' audit journal."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from alrim.accounts import staff
from alrim.accounts.answers_view import answer_rows
from alrim.accounts.pages import _field, _message
from alrim.accounts.service import Account
from alrim.accounts.web import current_account, render
from alrim.web.csrf import checked_form
from alrim.web.routes.deps import engine_of

router = APIRouter(include_in_schema=False)


def _staff_or_response(request: Request, roles: frozenset[str]) -> Account | Response:
    account = current_account(request)
    if account is None:
        return RedirectResponse(f"/account/login?next={request.url.path}", status_code=303)
    if account.role not in roles:
        return _message(
            request,
            "볼 수 없는 페이지예요",
            "담당 공무원 계정으로 로그인해야 볼 수 있어요.",
            status_code=403,
        )
    return account


@router.get("/staff/person")
def person_form(request: Request) -> Response:
    actor = _staff_or_response(request, staff.STAFF_ROLES)
    if isinstance(actor, Response):
        return actor
    return render(request, "accounts/staff_person.html", {})


@router.post("/staff/person")
async def person_lookup(request: Request) -> Response:
    form = await checked_form(request)
    actor = _staff_or_response(request, staff.STAFF_ROLES)
    if isinstance(actor, Response):
        return actor
    email, purpose = _field(form, "email"), _field(form, "purpose")
    if len(purpose.strip()) < staff.MIN_PURPOSE:
        return render(
            request,
            "accounts/staff_person.html",
            {"error": "조회하는 이유를 적어 주세요. 조회 기록에 남아요.", "email": email},
            status_code=422,
        )
    engine = engine_of(request)
    subject = staff.find_person(engine, actor, email, purpose)
    view = staff.read_person(engine, actor, subject, purpose) if subject else None
    return render(
        request,
        "accounts/staff_person.html",
        {
            "email": email,
            "purpose": purpose,
            "searched": True,
            "view": view,
            "answers": answer_rows(view.profile) if view else [],
        },
    )


@router.get("/admin/audit")
def audit_journal(request: Request, before: int | None = None) -> Response:
    actor = _staff_or_response(request, frozenset({"admin"}))
    if isinstance(actor, Response):
        return actor
    entries = staff.read_audit_journal(engine_of(request), actor, limit=100, before_id=before)
    return render(request, "accounts/audit.html", {"entries": entries})
