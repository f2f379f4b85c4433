"""WCAG 2.1 AA in a real browser: axe-core on every main page, keyboard-only use."""

from __future__ import annotations

from typing import Any

import pytest
from e2e_helpers import axe_violations, describe, screenshot  # type: ignore[import-not-found]

pytestmark = pytest.mark.e2e

MAIN_PAGES = {
    "home": "/",
    "search": "/search?q=%EC%B6%9C%EC%82%B0",  # 출산
    "life-event": "/life/old_age",
    "category": "/services?category=%EC%A3%BC%EA%B1%B0%C2%B7%EC%9E%90%EB%A6%BD",  # 주거·자립
    "question": "/questions",
    "region-question": "/questions?focus=region",
    "results": "/results",
    "service": "/services/000000465790",
    "not-found": "/services/NO-SUCH-SERVICE",
}


@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_no_serious_or_critical_axe_violations(page: Any, name: str) -> None:
    page.goto(MAIN_PAGES[name])
    assert page.evaluate("document.documentElement.lang") == "ko"
    screenshot(page, name, doc=name == "home")
    violations = axe_violations(page)
    assert not violations, describe(violations)


FOCUSABLE = """() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, '
    + '[tabindex]:not([tabindex="-1"])';
  const shown = el => el.getClientRects().length > 0 || ['radio', 'checkbox'].includes(el.type);
  return Array.from(document.querySelectorAll(sel))
    .filter(el => !el.disabled && shown(el))
    .filter(el => !el.closest('[hidden]') && getComputedStyle(el).visibility !== 'hidden')
    .map(el => el.type === 'radio' ? 'radio:' + el.name : (el.id || el.outerHTML.slice(0, 120)));
}"""
ACTIVE = """() => { const el = document.activeElement;
  return el.type === 'radio' ? 'radio:' + el.name : (el.id || el.outerHTML.slice(0, 120)); }"""
FOCUS_VISIBLE = """() => { const s = getComputedStyle(document.activeElement);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  return outline || s.boxShadow !== 'none'; }"""


def _tab_through(page: Any, limit: int = 400) -> list[str]:
    reached: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        current = page.evaluate(ACTIVE)
        if current in reached[:1] or current.startswith("<body"):
            break
        reached.append(current)
    return reached


@pytest.mark.parametrize("path", ["/", "/questions?focus=region", "/services/000000465790"])
def test_tab_reaches_every_control_with_visible_focus(page: Any, path: str) -> None:
    page.goto(path)
    wanted = set(page.evaluate(FOCUSABLE))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "본문 바로가기"
    assert page.evaluate(FOCUS_VISIBLE)
    page.goto(path)
    reached = _tab_through(page)
    missing = wanted - set(reached)
    assert not missing, f"not reachable by Tab: {sorted(missing)[:10]}"


def test_skip_link_moves_to_the_main_content(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_questionnaire_by_keyboard_only(page: Any) -> None:
    page.goto("/questions?focus=region")
    page.focus("#region_query")  # reached by Tab in the test above; start from the field
    page.keyboard.type("서울 종로구")
    page.keyboard.press("Escape")  # close the browser's own suggestion list
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits with the form's first button: 다음
    assert page.url.endswith("/questions")
    assert page.locator("form.alrim-question").get_attribute("data-field") != "region"
    # skip the next question with the keyboard
    first = page.locator("form.alrim-question").get_attribute("data-field")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "잘 모르겠어요":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("form.alrim-question").get_attribute("data-field") != first
    # then to the results
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "결과 보기":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/results")
    # and hide a result, still by keyboard
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").startswith("이미 받고 있어요"):
            break
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-autofocus]")
    assert page.evaluate("document.activeElement.hasAttribute('data-autofocus')")


def test_works_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    pg = context.new_page()
    try:
        pg.goto("/questions?focus=region")
        pg.select_option("#sido", "26")
        pg.select_option("#sigungu", "26230")  # 부산진구, from the full list (no htmx)
        pg.get_by_role("button", name="다음").click()
        assert pg.url.endswith("/questions")
        assert pg.locator("form.alrim-question").get_attribute("data-field") != "region"
        pg.goto("/results")
        card = pg.locator(".alrim-card").first
        card_id = card.get_attribute("id")
        card.get_by_role("button", name="이미 받고 있어요").first.click()
        assert "/results" in pg.url
        assert pg.locator(f"#{card_id}").count() == 0
    finally:
        context.close()
