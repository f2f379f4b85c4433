"""Turn one answered question (a posted form) into the visitor's contract §1 profile JSON.

A `Question` comes from the eligibility engine (`field`, `kind`, `options`, …). The answer is
merged into the profile dict kept in the session, then the whole profile is validated with
`parse_profile`, so a page never keeps an answer the engine would reject.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from alrim.catalog.regions import AmbiguousRegion, RegionTable, UnknownRegion
from alrim.domain.profile import (
    BUSINESS_INDUSTRIES,
    BUSINESS_STAGES,
    HOUSEHOLD_TRAIT_CODES,
    ORG_INDUSTRIES,
    ORG_TYPES,
    STATUS_CODES,
    USER_TYPES,
)
from alrim.eligibility.profile_input import ProfileError, parse_profile
from alrim.web.vocabulary import NUMBER_UNITS

# Fields that hold a list, with every value they can take.
LIST_FIELDS: dict[str, tuple[str, ...]] = {
    "statuses": tuple(STATUS_CODES),
    "household_traits": tuple(HOUSEHOLD_TRAIT_CODES),
    "user_types": USER_TYPES,
}
# The `_complete` flag that says a list is exhaustive.
COMPLETE_FLAGS = {"statuses": "statuses_complete", "household_traits": "household_traits_complete"}
INT_FIELDS = frozenset({"age", "household_size", "household_income_monthly"})
YES = frozenset({"yes", "true", "y", "1", "예"})
NO = frozenset({"no", "false", "n", "0", "아니요"})


@dataclass
class AnswerError(ValueError):
    message: str  # Korean, shown beside the question
    suggestions: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


Form = Mapping[str, Sequence[str]]


def _one(form: Form, name: str) -> str:
    values = form.get(name) or ()
    return values[0].strip() if values else ""


def question_key(question: Any) -> str:
    """Identifies a question across requests: its field, plus the options it offers (the
    engine may ask about `statuses` twice with different options)."""
    options = ",".join(str(v) for v, _ in getattr(question, "options", ()) or ())
    return f"{question.field}|{options}" if options else str(question.field)


def parse_day(text: str) -> date:
    digits = re.sub(r"\D", "", text)
    if len(digits) == 8:
        try:
            return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            pass
    raise AnswerError("날짜를 1990-05-01처럼 연-월-일로 써 주세요.")


EARLIEST = date(1900, 1, 1)


def past_day(text: str, today: date) -> date:
    """A date answer: a real day between 1900 and today (every date asked is in the past)."""
    day = parse_day(text)
    if not EARLIEST <= day <= today:
        raise AnswerError(f"{EARLIEST.year}년부터 오늘까지의 날짜를 써 주세요.")
    return day


def parse_number(text: str) -> int:
    cleaned = text.replace(",", "").replace(" ", "")
    if not re.fullmatch(r"\d{1,12}", cleaned):
        raise AnswerError("숫자만 써 주세요 (예: 250).")
    return int(cleaned)


def _set(profile: dict[str, Any], name: str, value: Any) -> None:
    """Set `name` (a §1 field, `parent.child`, or `business`/`organization` by value)."""
    if name.startswith("facts."):
        profile.setdefault("facts", {})[name.split(".", 1)[1]] = _as_bool(value)
        return
    if "." in name:
        parent, child = name.split(".", 1)
        profile.setdefault(parent, {})[child] = value
        return
    if name == "business":
        key = "stage" if value in BUSINESS_STAGES else "industry"
        if value not in BUSINESS_STAGES and value not in BUSINESS_INDUSTRIES:
            raise AnswerError("보기에서 골라 주세요.")
        profile.setdefault("business", {})[key] = value
        return
    if name == "organization":
        key = "type" if value in ORG_TYPES else "industry"
        if value not in ORG_TYPES and value not in ORG_INDUSTRIES:
            raise AnswerError("보기에서 골라 주세요.")
        profile.setdefault("organization", {})[key] = value
        return
    if name in LIST_FIELDS:
        current = list(profile.get(name) or [])
        for v in value if isinstance(value, list) else [value]:
            if v not in current:
                current.append(v)
        profile[name] = sorted(current)
        return
    if name in INT_FIELDS and isinstance(value, str):
        value = parse_number(value)
    profile[name] = value


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise AnswerError("‘예’ 또는 ‘아니요’를 골라 주세요.")


def region_from_form(form: Form, regions: RegionTable) -> str:
    """The region a person chose: a typed name wins, else the 시군구, else the 시도."""
    typed = _one(form, "region_pick") or _one(form, "region_query")
    if typed:
        try:
            return regions.resolve(typed).code
        except AmbiguousRegion as exc:
            raise AnswerError(exc.message_ko, [r.name for r in exc.candidates]) from exc
        except UnknownRegion as exc:
            raise AnswerError(exc.message_ko, [r.name for r in exc.suggestions]) from exc
    sigungu, sido = _one(form, "sigungu"), _one(form, "sido")
    if sigungu:
        region = regions.get(sigungu)
        if region is None:
            raise AnswerError("시군구를 목록에서 골라 주세요.")
        return region.code
    if sido:
        region = regions.get(sido)
        if region is None or not region.is_sido:
            raise AnswerError("시도를 목록에서 골라 주세요.")
        return region.code
    raise AnswerError("시도와 시군구를 고르거나, 지역 이름을 써 주세요.")


def apply_answer(
    profile: Mapping[str, Any],
    question: Any,
    form: Form,
    *,
    regions: RegionTable,
    today: date,
) -> dict[str, Any]:
    """A new profile dict with the answer merged in; raises `AnswerError`."""
    new = copy.deepcopy(dict(profile))
    name: str = question.field
    kind: str = question.kind
    allowed = [str(v) for v, _ in (getattr(question, "options", None) or ())]

    if kind == "region":
        _set(new, name, region_from_form(form, regions))
    elif kind == "date":
        text, age = _one(form, "value"), _one(form, "age")
        if name == "birth_date" and not text and age:
            new.pop("birth_date", None)
            new["age"] = parse_number(age)
        elif not text:
            raise AnswerError("날짜를 써 주세요. 모르면 ‘잘 모르겠어요’를 눌러 주세요.")
        else:
            day = past_day(text, today).isoformat()
            if name == "children_birth_dates":
                new[name] = sorted({*new.get(name, []), day})
            else:
                if name == "birth_date":
                    new.pop("age", None)
                _set(new, name, day)
    elif kind == "children":
        if _one(form, "no_children"):
            new[name] = []
        else:
            days = sorted(
                {parse_day(v).isoformat() for v in form.get("children") or () if v.strip()}
            )
            if not days:
                raise AnswerError("자녀의 생년월일을 쓰거나 ‘자녀 없음’을 골라 주세요.")
            new[name] = days
    elif kind == "number":
        text = _one(form, "value")
        if not text:
            raise AnswerError("숫자를 써 주세요. 모르면 ‘잘 모르겠어요’를 눌러 주세요.")
        _unit, factor = NUMBER_UNITS.get(name, ("", 1))
        _set(new, name, parse_number(text) * factor)
    elif kind == "choice":
        value = _one(form, "value")
        if not value or (allowed and value not in allowed):
            raise AnswerError("보기에서 하나를 골라 주세요.")
        _set(new, name, value)
    elif kind == "multi":
        values = [v for v in form.get("values") or () if v]
        if allowed and any(v not in allowed for v in values):
            raise AnswerError("보기에서 골라 주세요.")
        if name in LIST_FIELDS:
            if values:
                _set(new, name, values)
            flag = COMPLETE_FLAGS.get(name)
            if flag and set(LIST_FIELDS[name]) <= set(allowed):
                # Every possible value was offered: what was left unticked is a known "no".
                new[flag] = True
                new.setdefault(name, [])
        elif values:
            for v in values:
                _set(new, name, v)
        else:
            raise AnswerError(
                "하나 이상 골라 주세요. 해당하는 게 없으면 ‘잘 모르겠어요’를 눌러 주세요."
            )
    elif kind == "yesno":
        answer = _as_bool(_one(form, "value"))
        if name in LIST_FIELDS:
            if answer and allowed:
                _set(new, name, allowed[:1])
        else:
            _set(new, name, answer)
    else:
        value = _one(form, "value")
        if not value:
            raise AnswerError("답을 써 주세요.")
        _set(new, name, value)

    try:
        parse_profile(new, regions=regions, today=today)
    except ProfileError as exc:
        raise AnswerError(exc.message, list(exc.suggestions)) from exc
    return new
