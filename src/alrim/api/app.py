"""The application factory: open API under /api/v1 and the web pages."""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import ModuleType
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine

from alrim import __version__
from alrim.api.edge import ApiEdgeMiddleware
from alrim.api.errors import install_error_handlers
from alrim.api.keys import KeyCache
from alrim.api.ratelimit import make_limiter
from alrim.api.routers import catalog, changes, eligibility, export
from alrim.api.schemas import ErrorBody
from alrim.catalog.regions import RegionTable
from alrim.settings import Settings, get_settings
from alrim.store.db import get_engine
from alrim.store.migrate import upgrade

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
API_DESCRIPTION = """\
The open API of 알림: the catalog of Korea's public services, the eligibility check for a
posted profile, search, a change feed for incremental sync and bulk exports.

Keys are optional (`X-API-Key: …` or `Authorization: Bearer …`); without one, a lower
per-address limit applies. Every response under /api carries `X-RateLimit-Limit`,
`X-RateLimit-Remaining` and `X-RateLimit-Reset` (seconds). Every error has the body
`{"error": {"code", "message", "field"}}`. See docs/api.md for the versioning policy.
"""

COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "The API key is wrong or revoked."},
    422: {"model": ErrorBody, "description": "A parameter (or the profile) is invalid."},
    429: {"model": ErrorBody, "description": "Rate limit reached; see `Retry-After`."},
}


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or get_engine(settings.resolved_database_url())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        upgrade(engine)  # a no-op when the schema is current
        ensure_planner_statistics(engine)
        if settings.preload_eligibility:
            threading.Thread(
                target=_preload_eligibility, args=(engine,), name="eligibility-preload", daemon=True
            ).start()
        if settings.preload_search:
            threading.Thread(
                target=_warm_up_search, args=(engine,), name="search-warm-up", daemon=True
            ).start()
        yield
        await app.state.limiter.close()

    app = FastAPI(
        title="Alrim open API",
        version=__version__,
        description=API_DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.regions = RegionTable.default()
    app.state.settings = settings
    app.state.limiter = make_limiter(settings.rate_limit_window_seconds, settings.redis_url)
    app.state.api_keys = KeyCache(engine, settings.api_key_cache_seconds)
    install_error_handlers(app)
    routers = [catalog.router, eligibility.router, changes.router, export.router]
    search_router = _optional_router("alrim.api.routers.search")
    if search_router is not None:
        routers.insert(1, search_router)
    for router in routers:
        app.include_router(
            router,
            prefix=API_PREFIX,
            responses=COMMON_RESPONSES,
            generate_unique_id_function=lambda route: route.name,
        )

    # Innermost first: the API edge (keys, limits, ETag), then gzip, then CORS outside them,
    # so a 429 still carries CORS headers and compressed bodies are tagged before encoding.
    app.add_middleware(ApiEdgeMiddleware)
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=3)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["X-API-Key", "Authorization", "Content-Type", "If-None-Match"],
            expose_headers=[
                "ETag",
                "Retry-After",
                "X-RateLimit-Limit",
                "X-RateLimit-Remaining",
                "X-RateLimit-Reset",
            ],
            max_age=600,
        )
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    _install_optional(app, settings)
    if not any(getattr(r, "path", None) == "/" for r in app.routes):

        @app.get("/", response_class=HTMLResponse, include_in_schema=False)
        def home() -> str:
            return (
                '<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>알림</title>'
                "</head><body><h1>알림 — 공공서비스 알려드림</h1>"
                '<p><a href="/api/v1/services">서비스 목록 (JSON)</a> · '
                '<a href="/api/v1/docs">API 문서</a></p></body></html>'
            )

    return app


def _preload_eligibility(engine: Engine) -> None:
    module = _import_optional("alrim.services.eligibility")
    if module is None:
        return
    try:
        module.get_eligibility(engine)
    except Exception:  # the first request will try again and answer with the error body
        log.exception("preloading the eligibility engine failed")


def _warm_up_search(engine: Engine) -> None:
    """Load the Korean analyser and the search index snapshot (reconciling the index if it
    lags the catalog) now, so the first search does not pay for them (0.6–1.3 s)."""
    module = _import_optional("alrim.services.search")
    if module is None:
        return
    try:
        module.warm_up(engine)
    except Exception:  # the first search will try again and answer with the error body
        log.warning("warming up search failed", exc_info=True)


def ensure_planner_statistics(engine: Engine) -> None:
    """SQLite plans by guesswork until `ANALYZE` has run once: without statistics it reads every
    active service to list 20 of them (ms instead of µs). Run it when there are none.
    PostgreSQL keeps its own statistics (autovacuum)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as conn:
        known = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
        ).first()
        if known is None:
            conn.exec_driver_sql("ANALYZE")


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated schema plus the two optional ways to present a key."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            openapi_version=app.openapi_version,
            description=app.description,
            routes=app.routes,
        )
        # Only the API is documented here (the web pages are not an interface).
        schema["paths"] = {
            p: v for p, v in schema.get("paths", {}).items() if p.startswith(API_PREFIX)
        }
        schema.setdefault("components", {})["securitySchemes"] = {
            "ApiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            "BearerKey": {"type": "http", "scheme": "bearer"},
        }
        schema["security"] = [{}, {"ApiKeyHeader": []}, {"BearerKey": []}]
        app.openapi_schema = schema
    return app.openapi_schema


def _import_optional(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and name.startswith(exc.name):
            return None
        raise


def _optional_router(name: str) -> APIRouter | None:
    module = _import_optional(name)
    router: APIRouter | None = getattr(module, "router", None) if module else None
    return router


def _install_optional(app: FastAPI, settings: Settings) -> None:
    """Parts added by later issues install themselves when present: each package exposes
    `install(app, settings)` (web pages, accounts, notifications …)."""
    for name in ("alrim.web", "alrim.accounts.web", "alrim.notify.web"):
        module = _import_optional(name)
        install = getattr(module, "install", None) if module else None
        if install is not None:
            install(app, settings)
