"""End-to-end fixtures: a real uvicorn server over a temporary SQLite catalog, and headless
Chromium (Debian's, never a downloaded build) driven by Playwright."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = os.environ.get("ALRIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The whole app (API + pages) on a free loopback port, catalog loaded and warmed up."""
    import uvicorn

    from alrim.api.app import create_app
    from alrim.services.catalog import load_bundled, setup_database
    from alrim.settings import Settings
    from alrim.store.db import make_engine

    tmp = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{tmp / 'alrim.db'}"
    engine = make_engine(url)
    setup_database(engine)
    load_bundled(engine)
    settings = Settings(var_dir=tmp, database_url=url, rate_limit_anonymous=100_000)
    app = create_app(settings, engine)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    # Warm up what is built on first use (eligibility engine, search index).
    with httpx.Client(base_url=base, timeout=120) as c:
        c.get("/questions").raise_for_status()
        c.get("/search", params={"q": "출산"}).raise_for_status()
    yield base
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-nanum)")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    """A fresh visitor (own cookies) per test."""
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}, locale="ko-KR"
    )
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()
