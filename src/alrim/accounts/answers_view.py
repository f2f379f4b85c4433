"""Saved answers (contract §1 JSON) as (label, value) rows a person can read."""

from __future__ import annotations

from typing import Any


def _labels() -> dict[str, str]:
    from alrim.eligibility import questions as q

    labels: dict[str, str] = {}
    for options in (
        q.STATUS_OPTIONS,
        q.TRAIT_OPTIONS,
        q.USER_TYPE_OPTIONS,
        q.SEX_OPTIONS,
        q.INCOME_BAND_OPTIONS,
        q.BUSINESS_STAGE_OPTIONS,
        q.ORGANIZATION_TYPE_OPTIONS,
    ):
        labels.update(dict(options))
    return labels


def _region(code: str) -> str:
    from alrim.catalog.regions import RegionTable

    table = RegionTable.default()
    region = table.get(code)
    if region is not None:
        return region.name
    # A divided old 구 is saved under its former code (28260 → "인천광역시 서구").
    former = table.retired_codes().get(code)
    return former.name if former is not None else code


def _value(key: str, value: Any, labels: dict[str, str]) -> str:
    if isinstance(value, bool):
        return "예" if value else "아니요"
    if key == "region" and isinstance(value, str):
        return _region(value)
    if key == "household_income_monthly" and isinstance(value, int):
        return f"{value:,}원"
    if key == "household_size" and isinstance(value, int):
        return f"{value}명"
    if key == "age" and isinstance(value, int):
        return f"만 {value}세"
    if isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value) or "해당 없음"
    if isinstance(value, dict):
        return ", ".join(labels.get(str(v), str(v)) for v in value.values())
    return labels.get(str(value), str(value))


def answer_rows(profile: dict[str, Any] | None) -> list[tuple[str, str]]:
    from alrim.web.vocabulary import field_label

    if not profile:
        return []
    labels = _labels()
    hidden = {"as_of", "statuses_complete", "household_traits_complete"}
    return [
        (field_label(key), _value(key, value, labels))
        for key, value in profile.items()
        if key not in hidden
    ]
