"""Search with autocomplete in a real browser."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from e2e_helpers import axe_violations, describe, screenshot  # type: ignore[import-not-found]

pytestmark = pytest.mark.e2e


def test_search_from_home_by_keyboard(page: Any) -> None:
    page.goto("/")
    page.focus("#q")
    page.keyboard.type("출산")
    page.keyboard.press("Enter")  # no suggestion chosen: the words as typed are searched
    page.wait_for_url("**/search?q=*")
    cards = page.locator(".alrim-card-link")
    assert cards.count() > 0
    assert "출산" in page.locator("#results-title").inner_text()
    screenshot(page, "search")


def test_autocomplete_suggests_and_navigates(page: Any, live_server: str) -> None:
    probe = httpx.get(f"{live_server}/api/v1/search/suggest", params={"q": "청년"})
    if probe.status_code == 404:
        pytest.skip("GET /api/v1/search/suggest is not routed yet (search router)")
    page.goto("/")
    page.focus("#q")
    page.keyboard.type("청년", delay=60)
    listbox = page.locator("#q-listbox")
    listbox.wait_for(state="visible")
    options = listbox.locator("[role=option]")
    assert options.count() > 0
    assert page.get_attribute("#q", "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    active = page.get_attribute("#q", "aria-activedescendant")
    assert active and page.get_attribute(f"#{active}", "aria-selected") == "true"
    screenshot(page, "autocomplete", full_page=False)
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/(search\?q=.+|services/.+)$"))
