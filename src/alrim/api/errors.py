"""One error body for every 4xx under /api: {"error": {"code", "message", "field"}}.

Paths outside /api are the citizen web pages: their errors are rendered as Korean HTML pages
(by `alrim.web.errors.render_error_page` when the web package provides it). Neither ever shows
a stack trace; unexpected errors are logged without the request body.
"""

from __future__ import annotations

import html
import importlib
import json
import logging
import secrets
import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

log = logging.getLogger("alrim.api")

API_PREFIX = "/api/"


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        *,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.extra = extra or {}


def error_body(code: str, message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field, **extra}}


def error_bytes(code: str, message: str, field: str | None = None) -> bytes:
    body = error_body(code, message, field)
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}

STATUS_MESSAGES = {
    400: "요청을 이해하지 못했어요.",
    401: "인증이 필요해요.",
    403: "이 요청은 허용되지 않아요.",
    404: "찾는 주소가 없어요.",
    405: "이 주소에서는 쓸 수 없는 요청 방식이에요.",
    406: "요청한 형식으로 응답할 수 없어요.",
    413: "요청 본문이 너무 커요.",
    415: "지원하지 않는 본문 형식이에요.",
    422: "요청 값이 올바르지 않아요.",
    429: "요청이 너무 많아요. 잠시 후 다시 시도해 주세요.",
    500: "문제가 생겼어요. 잠시 후 다시 시도해 주세요.",
    503: "지금은 이 기능을 쓸 수 없어요. 잠시 후 다시 시도해 주세요.",
}


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/")


def html_error_page(request: Request, status_code: int, message: str) -> Response:
    """The web package's error page when it exists, else a minimal Korean page."""
    try:
        module = importlib.import_module("alrim.web.errors")
    except ModuleNotFoundError as exc:
        if exc.name is None or not "alrim.web.errors".startswith(exc.name):
            raise
        module = None
    render = getattr(module, "render_error_page", None) if module else None
    if render is not None:
        response: Response = render(request, status_code, message)
        return response
    text = html.escape(message)
    page = (
        '<!doctype html><html lang="ko"><head><meta charset="utf-8">'
        f"<title>{status_code} — 알림</title></head><body><main>"
        f'<h1>{text}</h1><p><a href="/">처음으로 가기</a></p></main></body></html>'
    )
    return HTMLResponse(page, status_code=status_code)


def _validation_message(first: dict[str, Any], field: str | None) -> str:
    detail = str(first.get("msg", "invalid"))
    if field:
        return f"'{field}' 값이 올바르지 않아요. ({detail})"
    return f"요청 값이 올바르지 않아요. ({detail})"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        if not is_api_path(request.url.path):
            return html_error_page(request, exc.status, exc.message)
        return JSONResponse(
            error_body(exc.code, exc.message, exc.field, **exc.extra), status_code=exc.status
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        first = errors[0] if errors else {}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
        field = ".".join(loc) or None
        message = _validation_message(first, field)
        if not is_api_path(request.url.path):
            return html_error_page(request, 422, STATUS_MESSAGES[422])
        return JSONResponse(error_body("invalid_request", message, field), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        headers = getattr(exc, "headers", None)
        default = STATUS_MESSAGES.get(status, "요청을 처리하지 못했어요.")
        if not is_api_path(request.url.path):
            response = html_error_page(request, status, default)
            if headers:
                response.headers.update(headers)
            return response
        code = STATUS_CODES.get(status, "error")
        # Starlette's own details ("Not Found", "Method Not Allowed") say no more than the
        # status; a detail set by our code is kept.
        message = default if str(exc.detail) in _STOCK_DETAILS else str(exc.detail)
        return JSONResponse(error_body(code, message), status_code=status, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # Reached for web pages (the API's own middleware answers /api first).
        ref = log_unexpected(request.method, request.url.path, exc)
        message = f"{STATUS_MESSAGES[500]} (오류 번호 {ref})"
        if is_api_path(request.url.path):
            return JSONResponse(error_body("internal_error", message), status_code=500)
        return html_error_page(request, 500, message)


_STOCK_DETAILS = {
    "Not Found",
    "Method Not Allowed",
    "Unauthorized",
    "Forbidden",
    "Bad Request",
    "Unprocessable Entity",
    "Unprocessable Content",
    "Too Many Requests",
    "Request Entity Too Large",
    "Content Too Large",
    "Unsupported Media Type",
    "Not Acceptable",
}


def log_unexpected(method: str, path: str, exc: BaseException) -> str:
    """Log an unexpected error with a short reference for the reply. Never the request body or
    query string; for requests that carry a body (which may be a citizen's profile) not even
    the exception's message, only its type and where it was raised."""
    ref = secrets.token_hex(4)
    frames = "".join(traceback.format_tb(exc.__traceback__))
    if method in ("POST", "PUT", "PATCH"):
        log.error("unexpected %s [%s] on %s %s\n%s", type(exc).__name__, ref, method, path, frames)
    else:
        log.error(
            "unexpected %s [%s] on %s %s: %s\n%s",
            type(exc).__name__,
            ref,
            method,
            path,
            exc,
            frames,
        )
    return ref
