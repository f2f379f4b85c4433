"""A question from the eligibility engine, ready for a template."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from alrim.catalog.regions import RegionTable
from alrim.domain.region import Region
from alrim.web.answers import question_key
from alrim.web.vocabulary import NUMBER_UNITS

HINTS: dict[str, str] = {
    "birth_date": "생일 대신 만 나이만 써도 돼요.",
    "household_income_monthly": (
        "세금을 떼기 전, 함께 사는 가족 모두의 한 달 소득을 더한 금액이에요."
    ),
    "household_size": "주민등록상 함께 사는 가족 수예요 (본인 포함).",
    "region": "주민등록상 주소예요. 시도를 고른 뒤 시군구를 고르거나, 이름으로 찾아 주세요.",
}


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    checked: bool


@dataclass
class QuestionView:
    key: str
    field: str
    label: str
    kind: str
    options: list[Option]
    hint: str | None
    unit: str | None
    value: str = ""  # current answer as text (number/date)
    age: str = ""
    sidos: list[Region] = dataclasses.field(default_factory=list)
    sigungus: list[tuple[Region, list[Region]]] = dataclasses.field(default_factory=list)
    chosen_sido: str = ""
    chosen_sigungu: str = ""
    children: list[str] = dataclasses.field(default_factory=list)


def _current(profile: dict[str, Any], name: str) -> Any:
    if name.startswith("facts."):
        return (profile.get("facts") or {}).get(name.split(".", 1)[1])
    if "." in name:
        parent, child = name.split(".", 1)
        return (profile.get(parent) or {}).get(child)
    return profile.get(name)


def view_of(question: Any, profile: dict[str, Any], regions: RegionTable) -> QuestionView:
    name, kind = str(question.field), str(question.kind)
    current = _current(profile, name)
    chosen: set[str] = set()
    if isinstance(current, list):
        chosen = {str(v) for v in current}
    elif isinstance(current, bool):
        chosen = {"yes" if current else "no"}
    elif current is not None:
        chosen = {str(current)}
    options = [
        Option(str(v), str(label), str(v) in chosen)
        for v, label in (getattr(question, "options", None) or ())
    ]
    if kind == "yesno" and not options:
        options = [Option("yes", "예", "yes" in chosen), Option("no", "아니요", "no" in chosen)]
    unit = NUMBER_UNITS.get(name, (None, 1))
    view = QuestionView(
        key=question_key(question),
        field=name,
        label=str(question.label),
        kind=kind,
        options=options,
        hint=HINTS.get(name) or getattr(question, "help", None),
        unit=unit[0] if kind == "number" else None,
    )
    if kind == "number" and isinstance(current, int):
        view.value = str(current // unit[1]) if unit[1] > 1 else str(current)
    if kind == "date" and isinstance(current, str):
        view.value = current
    if kind == "children" and isinstance(current, list):
        view.children = [str(d) for d in current]
    if name == "birth_date" and profile.get("age") is not None:
        view.age = str(profile["age"])
    if kind == "region":
        view.sidos = regions.sidos()
        view.sigungus = [(s, regions.sigungus(s.code)) for s in view.sidos]
        code = str(current or "")
        view.chosen_sido = code[:2]
        view.chosen_sigungu = code if len(code) == 5 else ""
    return view
