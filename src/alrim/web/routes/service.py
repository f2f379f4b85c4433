"""One service: every contract §3 section, and the visitor's own criteria check."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from alrim.services import catalog as catalog_service
from alrim.web import visitor
from alrim.web.backends import get_backends
from alrim.web.clock import today
from alrim.web.deadlines import deadline_of
from alrim.web.errors import render_error_page
from alrim.web.routes.deps import engine_of, regions_of
from alrim.web.templating import render

router = APIRouter()


def _outcome(reason: Any) -> str:
    outcome = getattr(reason, "outcome", None)
    if outcome is None and isinstance(reason, dict):
        outcome = reason.get("outcome")
    return str(getattr(outcome, "value", outcome))


def _text(reason: Any) -> str:
    return str(reason.get("text") if isinstance(reason, dict) else getattr(reason, "text", ""))


@router.get("/services/{service_id}", response_class=HTMLResponse)
def service_page(request: Request, service_id: str) -> HTMLResponse:
    if len(service_id) > 60:
        return render_error_page(request, 404, "그런 서비스는 없어요.")
    engine, day = engine_of(request), today(request)
    service = catalog_service.get_service(engine, service_id)
    if service is None:
        return render_error_page(request, 404, "찾으시는 서비스가 없거나 더 이상 제공되지 않아요.")
    check: dict[str, Any] | None = None
    if visitor.has_answers(request):
        matcher = get_backends(request).eligibility(engine)
        if matcher is not None:
            profile = visitor.profile_of(request, regions_of(request), day)
            result = matcher.explain(profile, service.service_id)
            if result is not None:
                reasons = list(result.reasons)
                check = {
                    "status": str(getattr(result.status, "value", result.status)),
                    "passed": [_text(r) for r in reasons if _outcome(r) == "pass"],
                    "failed": [_text(r) for r in reasons if _outcome(r) == "fail"],
                    "unknown": [_text(r) for r in reasons if _outcome(r) == "unknown"],
                    "missing": list(dict.fromkeys(result.missing)),
                }
    return render(
        request,
        "service.html",
        {
            "s": service,
            "deadline": deadline_of(service.application_period, day),
            "check": check,
            "receiving": service.service_id in visitor.receiving_ids(request),
        },
    )
