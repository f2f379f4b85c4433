"""Helpers for driving the pages with a TestClient."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


def question_of(html: str) -> tuple[str, str, str] | None:
    """(field, kind, key) of the question on a questionnaire page, or None."""
    form = re.search(r'data-field="([^"]+)" data-kind="([^"]+)"', html)
    key = re.search(r'name="key" value="([^"]+)"', html)
    if not form or not key:
        return None
    return form.group(1), form.group(2), key.group(1).replace("&amp;", "&")


def answer(
    client: TestClient, focus: str, data: dict[str, str | list[str]], action: str = "answer"
) -> tuple[int, str]:
    """Open the question about `focus`, post `data` as its answer; (status, location/body)."""
    page = client.get("/questions", params={"focus": focus})
    found = question_of(page.text)
    assert found is not None and found[0] == focus, f"question {focus} not offered"
    response = client.post(
        "/questions",
        data={"csrf_token": csrf_of(page.text), "key": found[2], "action": action, **data},
    )
    return response.status_code, response.headers.get("location") or response.text
