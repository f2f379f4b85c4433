"""Friendly Korean error pages for the web (never a stack trace)."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import HTMLResponse

log = logging.getLogger(__name__)

_TITLES = {
    400: "요청을 처리할 수 없어요",
    403: "요청을 처리할 수 없어요",
    404: "찾으시는 페이지가 없어요",
    405: "이 방법으로는 열 수 없는 페이지예요",
    422: "입력하신 내용을 확인해 주세요",
    429: "요청이 너무 많아요",
    500: "잠시 문제가 생겼어요",
    503: "잠시 이용할 수 없어요",
}
_DEFAULT_MESSAGES = {
    403: "페이지를 새로 고친 뒤 다시 시도해 주세요.",
    404: "주소가 바뀌었거나 없어진 페이지예요. 주소를 다시 확인하시거나 검색해 보세요.",
    422: "입력하신 값 중에 처리할 수 없는 것이 있어요.",
    429: "잠시 뒤에 다시 시도해 주세요.",
    500: "불편을 드려 죄송해요. 잠시 뒤에 다시 시도해 주세요.",
    503: "잠시 뒤에 다시 시도해 주세요.",
}


def render_error_page(request: Request, status_code: int, message: str | None) -> HTMLResponse:
    """An error page in the site's look. For 5xx the message is replaced by a generic one:
    whatever went wrong inside is logged, never shown."""
    from alrim.web.templating import render

    title = _TITLES.get(status_code, "요청을 처리할 수 없어요")
    if status_code >= 500 or not message:
        message = _DEFAULT_MESSAGES.get(status_code, _DEFAULT_MESSAGES[500])
    try:
        return render(
            request,
            "error.html",
            {"status_code": status_code, "title": title, "message": message},
            status_code=status_code,
        )
    except Exception:  # the error page itself must not fail
        log.exception("error page failed to render")
        body = (
            '<!doctype html><html lang="ko"><head><meta charset="utf-8">'
            f"<title>{title} | 알림</title></head><body><main><h1>{title}</h1>"
            f'<p>{_DEFAULT_MESSAGES.get(status_code, "")}</p><p><a href="/">처음으로</a></p>'
            "</main></body></html>"
        )
        return HTMLResponse(body, status_code=status_code)
