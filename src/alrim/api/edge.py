"""The edge of the open API, as one plain ASGI middleware around everything under /api:

- authentication: an optional key in `X-API-Key` or `Authorization: Bearer`;
- rate limits per key (or per client IP without one), with `X-RateLimit-Limit`,
  `X-RateLimit-Remaining` and `X-RateLimit-Reset` on every response and `429` + `Retry-After`
  past the limit;
- `ETag` on every complete GET response (a digest of its body) and `304 Not Modified` when
  `If-None-Match` matches; streamed responses pass through untouched;
- unexpected errors answered with the JSON error body, logged without the request body.

It reads the limiter, the key cache and the settings from `app.state` on every request, so
they can be swapped (tests do).
"""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alrim.api.errors import STATUS_MESSAGES, error_bytes, is_api_path, log_unexpected
from alrim.api.keys import KeyCache
from alrim.api.ratelimit import Decision, RateLimiter
from alrim.settings import Settings

UNLIMITED_PATHS = frozenset(
    {"/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/oauth2-redirect"}
)


def weak_etag(body: bytes) -> str:
    return 'W/"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Weak comparison (RFC 9110 §13.1.2): `W/` prefixes are ignored; `*` matches any."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    ours = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == ours for tag in if_none_match.split(","))


def presented_key(headers: Headers) -> str | None:
    key = headers.get("x-api-key")
    if key:
        return key.strip()
    auth = headers.get("authorization")
    if auth:
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    return None


async def _send_json(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class ApiEdgeMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_api_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        settings: Settings = state.settings
        headers = Headers(scope=scope)
        extra: list[tuple[bytes, bytes]] = []
        if scope["path"] not in UNLIMITED_PATHS and scope["method"] != "OPTIONS":
            verdict = await self._admit(scope, headers, state, settings, send)
            if verdict is None:
                return
            extra = verdict.headers()
        await self._serve(scope, receive, send, headers, extra)

    async def _admit(
        self, scope: Scope, headers: Headers, state: Any, settings: Settings, send: Send
    ) -> Decision | None:
        """The rate-limit decision for an admitted request; None when it has been answered
        (401 for a wrong key, 429 past the limit)."""
        limiter: RateLimiter = state.limiter
        client = scope.get("client")
        ip_identity = f"ip:{client[0] if client else 'unknown'}"
        key = presented_key(headers)
        if key is not None:
            cache: KeyCache = state.api_keys
            known, info = cache.cached(key)
            if not known:
                info = await run_in_threadpool(cache.lookup, key)
            if info is None:
                # Wrong keys count against the caller's address: guessing is rate-limited.
                decision = await limiter.hit(ip_identity, settings.rate_limit_anonymous)
                code, status = (
                    ("invalid_api_key", 401) if decision.allowed else ("rate_limited", 429)
                )
                message = (
                    "API 키가 올바르지 않거나 폐기되었어요."
                    if status == 401
                    else STATUS_MESSAGES[429]
                )
                await _send_json(
                    send, status, error_bytes(code, message, "X-API-Key"), decision.headers()
                )
                return None
            identity = f"key:{info.key_hash[:24]}"
            limit = info.rate_limit or settings.rate_limit_keyed
            scope.setdefault("state", {})["api_key_id"] = info.id
        else:
            if settings.rate_limit_anonymous <= 0:
                await _send_json(
                    send,
                    401,
                    error_bytes("api_key_required", "API 키가 필요해요.", "X-API-Key"),
                    [],
                )
                return None
            identity, limit = ip_identity, settings.rate_limit_anonymous
        decision = await limiter.hit(identity, limit)
        if not decision.allowed:
            await _send_json(
                send, 429, error_bytes("rate_limited", STATUS_MESSAGES[429]), decision.headers()
            )
            return None
        return decision

    async def _serve(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: Headers,
        extra: list[tuple[bytes, bytes]],
    ) -> None:
        conditional = scope["method"] in ("GET", "HEAD")
        if_none_match = headers.get("if-none-match")
        started = False
        pending: Message | None = None

        async def wrapped(message: Message) -> None:
            nonlocal started, pending
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                for raw_name, raw_value in extra:
                    out.append(raw_name.decode(), raw_value.decode())
                status = message["status"]
                if conditional and status == 200:
                    if "cache-control" not in out:
                        out["cache-control"] = "no-cache"
                    if "etag" not in out:
                        pending = message  # wait for the body to compute the tag
                        return
                started = True
                await send(message)
                return
            if message["type"] == "http.response.body" and pending is not None:
                start, pending = pending, None
                started = True
                body = message.get("body", b"")
                if message.get("more_body", False):  # streamed: no tag
                    await send(start)
                    await send(message)
                    return
                etag = weak_etag(body)
                out = MutableHeaders(scope=start)
                out["etag"] = etag
                if etag_matches(if_none_match, etag):
                    for header in ("content-length", "content-type"):
                        if header in out:
                            del out[header]
                    start["status"] = 304
                    await send(start)
                    await send({"type": "http.response.body", "body": b""})
                    return
                await send(start)
                await send(message)
                return
            await send(message)

        try:
            await self.app(scope, receive, wrapped)
        except ClientDisconnect:
            return  # the client left mid-request: nobody to answer, nothing went wrong
        except Exception as exc:
            ref = log_unexpected(scope["method"], scope["path"], exc)
            if started:
                raise
            message = f"{STATUS_MESSAGES[500]} (오류 번호 {ref})"
            await _send_json(send, 500, error_bytes("internal_error", message), extra)
