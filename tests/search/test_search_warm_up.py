"""A server prepares search when it starts (in the background), so the first person to search
does not wait for the analyser and the index snapshot to load."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from alrim.api.app import create_app
from alrim.services import search as search_service
from alrim.settings import get_settings
from alrim.store import search_repo

pytestmark = pytest.mark.storage


def test_the_first_search_after_startup_finds_the_index_already_loaded(
    catalog_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    search_service.forget_snapshots()  # as in a fresh process
    loads: list[int] = []
    real_load = search_repo.load_changes

    def counting_load(*args: Any, **kwargs: Any) -> Any:
        loads.append(1)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(search_repo, "load_changes", counting_load)
    settings = get_settings().model_copy(update={"preload_search": True})  # as `alrim serve`
    with TestClient(create_app(settings, engine=catalog_engine)) as client:
        for thread in threading.enumerate():
            if thread.name == "search-warm-up":
                thread.join(timeout=120)
        assert loads, "the snapshot was not loaded at startup"
        loads.clear()
        response = client.get("/api/v1/search", params={"q": "청년 월세", "as_of": "2026-11-25"})
        assert response.status_code == 200
        assert response.json()["results"]
        assert loads == []  # nothing left to load on the first search
