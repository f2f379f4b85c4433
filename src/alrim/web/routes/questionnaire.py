"""The questionnaire: one question per screen, chosen by the eligibility engine."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from alrim.web import visitor
from alrim.web.answers import AnswerError, apply_answer, question_key
from alrim.web.backends import EligibilityLike, get_backends
from alrim.web.clock import today
from alrim.web.csrf import checked_form
from alrim.web.question_view import view_of
from alrim.web.routes.deps import engine_of, regions_of
from alrim.web.templating import render

router = APIRouter()
LOOKAHEAD = 8  # questions asked of the engine beyond those already done


def _unavailable(request: Request) -> HTMLResponse:
    return render(
        request,
        "unavailable.html",
        {"feature": "받을 수 있는 서비스 확인"},
        status_code=503,
    )


def _pending(request: Request, matcher: EligibilityLike) -> tuple[list[Any], list[str]]:
    """Questions not yet answered or skipped, best first, and the keys done."""
    day = today(request)
    profile = visitor.profile_of(request, regions_of(request), day)
    done = visitor.done_keys(request)
    questions = matcher.next_questions(profile, limit=len(done) + LOOKAHEAD)
    return [q for q in questions if question_key(q) not in done], done


def _pick(pending: list[Any], focus: str) -> Any | None:
    if focus:
        for q in pending:
            if q.field == focus or str(q.field).startswith(focus + "."):
                return q
    return pending[0] if pending else None


def _page(
    request: Request,
    question: Any | None,
    pending: list[Any],
    done: list[str],
    *,
    error: str | None = None,
    suggestions: list[str] | None = None,
    form_value: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    answered = len(done)
    total = answered + len(pending)
    view = (
        view_of(question, visitor.stored_profile(request), regions_of(request))
        if question
        else None
    )
    if view is not None and form_value:
        view.value = form_value
    return render(
        request,
        "question.html",
        {
            "q": view,
            "answered": answered,
            "number": answered + 1,
            "total": max(total, answered + (1 if question else 0)),
            "percent": round(100 * answered / total) if total else 100,
            "error": error,
            "suggestions": suggestions or [],
            "can_go_back": bool(request.session.get("history")),
        },
        status_code=status_code,
    )


@router.get("/questions", response_class=HTMLResponse)
def question_page(
    request: Request, focus: Annotated[str, Query(max_length=60)] = ""
) -> HTMLResponse:
    matcher = get_backends(request).eligibility(engine_of(request))
    if matcher is None:
        return _unavailable(request)
    pending, done = _pending(request, matcher)
    return _page(request, _pick(pending, focus), pending, done)


@router.post("/questions", response_class=HTMLResponse)
async def answer(request: Request) -> Response:
    form = await checked_form(request)
    action = str(form.get("action") or "answer")
    if action == "reset":
        visitor.forget(request)
        return RedirectResponse("/questions", status_code=303)
    if action == "back":
        visitor.undo_last(request)
        return RedirectResponse("/questions", status_code=303)
    matcher = get_backends(request).eligibility(engine_of(request))
    if matcher is None:
        return _unavailable(request)
    key = str(form.get("key") or "")
    pending, done = _pending(request, matcher)
    question = next((q for q in pending if question_key(q) == key), None)
    if question is None:  # answered in another tab, or the catalog changed: ask afresh
        return RedirectResponse("/questions", status_code=303)
    if action == "skip":
        visitor.record_skip(request, key)
    else:
        fields = {k: [str(v) for v in form.getlist(k)] for k in form}
        try:
            new = apply_answer(
                visitor.stored_profile(request),
                question,
                fields,
                regions=regions_of(request),
                today=today(request),
            )
        except AnswerError as exc:
            return _page(
                request,
                question,
                pending,
                done,
                error=exc.message,
                suggestions=exc.suggestions,
                form_value=str(form.get("value") or ""),
                status_code=422,
            )
        visitor.record_answer(request, key, new)
    target = "/results" if action == "results" else "/questions"
    return RedirectResponse(target, status_code=303)


@router.get("/regions/sigungu", response_class=HTMLResponse)
def sigungu_options(
    request: Request, sido: Annotated[str, Query(max_length=10)] = ""
) -> HTMLResponse:
    """The 시군구 select for one 시도 (htmx swaps it in when the 시도 changes)."""
    regions = regions_of(request)
    region = regions.get(sido) if sido else None
    groups = (
        [(region, regions.sigungus(region.code))]
        if region is not None and region.is_sido
        else [(s, regions.sigungus(s.code)) for s in regions.sidos()]
    )
    return render(request, "partials/sigungu_select.html", {"groups": groups, "chosen": ""})
