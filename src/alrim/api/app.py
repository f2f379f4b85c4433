"""The application factory: open API under /api/v1 and the web pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine

from alrim import __version__
from alrim.api.errors import install_error_handlers
from alrim.api.routers import catalog
from alrim.catalog.regions import RegionTable
from alrim.settings import Settings, get_settings
from alrim.store.db import get_engine


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or get_engine(settings.resolved_database_url())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield

    app = FastAPI(
        title="Alrim open API",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.regions = RegionTable.default()
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(catalog.router, prefix="/api/v1")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> str:
        return (
            '<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>알림</title></head>'
            "<body><h1>알림 — 공공서비스 알려드림</h1>"
            '<p><a href="/api/v1/services">서비스 목록 (JSON)</a> · '
            '<a href="/api/v1/docs">API 문서</a></p></body></html>'
        )

    return app
