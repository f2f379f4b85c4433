"""`alrim serve`: the web pages and the open API."""

from __future__ import annotations

from typing import Annotated

import typer

from alrim.settings import get_settings


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development).")] = False,
) -> None:
    """Serve the product on http://127.0.0.1:8000 (set up the database first with `alrim setup`)."""
    import os

    import uvicorn

    # A server answers eligibility questions: build the engine at start-up, not on the
    # first visitor's request (each worker process builds its own).
    os.environ.setdefault("ALRIM_PRELOAD_ELIGIBILITY", "true")
    os.environ.setdefault("ALRIM_PRELOAD_SEARCH", "true")
    get_settings.cache_clear()
    settings = get_settings()
    uvicorn.run(
        "alrim.api.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        reload=reload,
        log_level=settings.log_level,
        access_log=False,  # access logs would carry query strings; see docs/operations.md
        proxy_headers=True,
    )
