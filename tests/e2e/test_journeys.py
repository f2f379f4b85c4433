"""A citizen's whole journey in a real browser: questionnaire → results → service page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from e2e_helpers import (  # type: ignore[import-not-found]
    answer_questions,
    axe_violations,
    describe,
    result_count,
    result_names,
    screenshot,
)

pytestmark = pytest.mark.e2e

PREGNANT_EMPLOYEE = {
    "birth_date": "1994-03-02",
    "sex": "female",
    "region": "서울 종로구",
    "statuses": ["pregnant", "employee"],
    "household_size": 2,
    "household_income_monthly": 420,  # 만원
    "household_traits": ["no_home"],
    "user_types": ["individual"],
    "children_birth_dates": [],
}
ELDER_IN_MOKPO = {
    "birth_date": "1956-05-01",
    "sex": "male",
    "region": ("12", "12110"),  # 전남 목포시 (전남광주통합특별시 since 2026-07-01), by selects
    "statuses": [],
    "household_size": 1,
    "household_income_monthly": 80,
    "household_traits": ["single_person"],
    "user_types": ["individual"],
    "children_birth_dates": [],
}
RESTAURANT_CLOSING_IN_BUSAN = {
    "birth_date": "1978-08-15",
    "sex": "male",
    "region": "부산 부산진구",
    "statuses": ["employee"],
    "user_types": ["small_business"],
    "business": "closing_or_hardship",
    "household_size": 3,
    "household_income_monthly": 250,
}


def _journey(page: Any, persona: dict[str, Any], name: str) -> tuple[list[str], list[str]]:
    asked = answer_questions(page, persona)
    assert asked, "no question was asked"
    assert len(asked) == len(set(asked)) or "statuses" in asked  # no question twice
    page.goto("/results")
    assert page.locator("h1").inner_text() == "받을 수 있는 서비스"
    eligible, maybe = result_count(page, "eligible"), result_count(page, "maybe")
    assert eligible + maybe > 0
    screenshot(page, f"results-{name}", doc=name == "pregnant")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    names = result_names(page, "eligible") + result_names(page, "maybe")
    return asked, names


def test_pregnant_employee_in_jongno_sees_pregnancy_services(page: Any) -> None:
    asked, names = _journey(page, PREGNANT_EMPLOYEE, "pregnant")
    assert "region" in asked or "birth_date" in asked
    assert result_count(page, "eligible") > 0
    assert any(re.search("임신|출산|산모|임산부|태아", n) for n in names), names[:20]


def test_elder_with_low_income_in_mokpo_sees_old_age_services(page: Any) -> None:
    _, names = _journey(page, ELDER_IN_MOKPO, "elder")
    assert any(re.search("노인|어르신|기초연금|경로|노후|장수|65세", n) for n in names), names[:20]
    # nothing limited to another 시도 is offered
    places = page.locator("#sec-eligible .alrim-where").all_inner_texts()
    assert all(p == "전국" or "전남광주" in p or "목포" in p for p in places), places


def test_restaurant_owner_closing_in_busan_sees_business_services(page: Any) -> None:
    _, names = _journey(page, RESTAURANT_CLOSING_IN_BUSAN, "business")
    assert any(re.search("소상공인|자영업|폐업|사업|창업|재기", n) for n in names), names[:20]


def test_service_page_explains_the_visitors_own_criteria(page: Any) -> None:
    answer_questions(page, PREGNANT_EMPLOYEE, limit=4)
    page.goto("/results")
    first = page.locator("#sec-eligible .alrim-card-link").first
    name = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == name
    for heading in ("지원대상", "선정기준", "지원내용", "신청방법", "구비서류", "문의처", "법령"):
        assert page.get_by_role("heading", name=heading, exact=True).count() == 1
    verdict = page.locator(".alrim-verdict").inner_text()
    assert verdict.startswith("받을 수 있어요")
    assert page.locator(".crit-pass li").count() > 0
    assert "마지막 변경" in page.locator(".alrim-source").inner_text()
    screenshot(page, "service")
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_already_receiving_hides_the_card_in_place(page: Any) -> None:
    answer_questions(page, PREGNANT_EMPLOYEE, limit=3)
    page.goto("/results")
    card = page.locator("#sec-eligible .alrim-card").first
    card_id = card.get_attribute("id")
    before = result_count(page, "eligible")
    card.get_by_role("button", name=re.compile("이미 받고 있어요")).click()
    note = page.locator(f"#{card_id} [data-autofocus]")
    note.wait_for()
    assert "숨겼어요" in note.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-autofocus')")
    page.reload()
    assert result_count(page, "eligible") == before - 1
    assert page.locator(f"#{card_id}").count() == 0
    assert page.locator("#hidden-title").count() == 1


def test_print_view(page: Any) -> None:
    answer_questions(page, ELDER_IN_MOKPO, limit=3)
    page.goto("/results?view=print")
    assert page.locator(".alrim-filters").count() == 0
    page.emulate_media(media="print")
    assert not page.locator(".alrim-nav").is_visible()
    screenshot(page, "results-print", full_page=False)
