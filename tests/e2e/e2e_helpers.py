"""Helpers for the browser tests: screenshots, axe-core, the questionnaire driver."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "screenshots"
DOC_SHOTS = REPO_ROOT / "docs" / "screenshots"
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"


def screenshot(page: Any, name: str, *, full_page: bool = True, doc: bool = False) -> Path:
    """Save a screenshot as a test artefact. `doc`: also save the first screen (1280×900) as
    docs/screenshots/<name>.png when that is missing or ALRIM_UPDATE_SCREENSHOTS=1."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    target = DOC_SHOTS / f"{name}.png"
    if doc and (not target.exists() or os.environ.get("ALRIM_UPDATE_SCREENSHOTS") == "1"):
        DOC_SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), full_page=False)
    return path


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations (WCAG 2.0/2.1 A and AA rules) on the page."""
    if not AXE.exists():
        pytest.fail(f"axe-core missing at {AXE}: run `npm ci`")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations']})"""
    )
    return [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps(
        [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"][:5]],
            }
            for v in violations
        ],
        ensure_ascii=False,
        indent=1,
    )


def answer_questions(page: Any, persona: dict[str, Any], *, limit: int = 14) -> list[str]:
    """Answer the questionnaire as `persona` would: a known field is answered through the
    page's own controls, anything else gets "잘 모르겠어요". Returns the fields asked."""
    page.goto("/questions")
    asked: list[str] = []
    for _ in range(limit):
        form = page.locator("form.alrim-question")
        if form.count() == 0:
            break
        field = form.get_attribute("data-field") or ""
        kind = form.get_attribute("data-kind") or ""
        asked.append(field)
        value = persona.get(field)
        if value is None:
            form.get_by_role("button", name="잘 모르겠어요").click()
            page.wait_for_load_state()
            continue
        if kind == "region":
            if isinstance(value, tuple):  # (시도 code, 시군구 code) through the selects
                page.select_option("#sido", value[0])
                page.wait_for_selector(f'#sigungu option[value="{value[1]}"]', state="attached")
                page.select_option("#sigungu", value[1])
            else:
                page.fill("#region_query", value)
        elif kind in ("date", "number"):
            page.fill("#value", str(value))
        elif kind in ("choice", "yesno"):
            page.click(
                f'label[for="{form.locator(f"input[value={value!r}]").get_attribute("id")}"]'
            )
        elif kind == "multi":
            for v in value:
                box = form.locator(f'input[value="{v}"]')
                if box.count():
                    page.click(f'label[for="{box.get_attribute("id")}"]')
        elif kind == "children":
            if value == []:
                page.click('label[for="no-children"]')
            else:
                for i, day in enumerate(value[:3]):
                    page.fill(f"#child-{i}", day)
        form.get_by_role("button", name="다음").click()
        page.wait_for_load_state()
        error = page.locator("#answer-error")
        if error.count():
            raise AssertionError(f"answer to {field} refused: {error.inner_text()}")
    return asked


def result_names(page: Any, status: str) -> list[str]:
    return page.locator(f"#sec-{status} .alrim-card-link").all_inner_texts()


def result_count(page: Any, status: str) -> int:
    text = page.locator(f"#sec-{status}-title .alrim-count").inner_text()
    return int("".join(ch for ch in text.split("개")[0] if ch.isdigit()))
