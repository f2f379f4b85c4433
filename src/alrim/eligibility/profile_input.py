"""Contract §1 JSON → `Profile`, with errors that name the field and suggest fixes.

Validation is two-step: the JSON Schema (the contract's, plus Alrim's additive fields) checks
shapes; then meanings are checked (dates that exist, a region that resolves, birth date not after
as_of). Every error is a `ProfileError` carrying the field, a Korean and an English message and,
for regions, suggestions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import jsonschema

from alrim.catalog.regions import AmbiguousRegion, RegionTable, UnknownRegion
from alrim.domain.profile import Profile

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "data_contracts" / "profile.schema.json"

_FIELD_KO = {
    "as_of": "기준일",
    "birth_date": "생년월일",
    "age": "나이",
    "sex": "성별",
    "region": "사는 곳",
    "household_size": "가구원 수",
    "household_income_monthly": "가구 월 소득",
    "income_band": "소득 구간",
    "statuses": "개인 특성",
    "household_traits": "가구 특성",
    "user_types": "이용자 유형",
    "business": "사업자 정보",
    "organization": "기관 정보",
    "receiving": "이미 받는 서비스",
    "children_birth_dates": "자녀 생년월일",
    "moved_in_date": "전입일",
    "facts": "추가 정보",
}


@dataclass
class ProfileError(ValueError):
    field: str | None
    message: str  # Korean, for citizens
    message_en: str
    suggestions: list[str] = dataclass_field(default_factory=list)

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        hint = f" (suggestions: {', '.join(self.suggestions)})" if self.suggestions else ""
        return f"{where}{self.message_en}{hint}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "message": self.message,
            "message_en": self.message_en,
            "suggestions": self.suggestions,
        }


@lru_cache(maxsize=1)
def profile_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        profile_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _path_of(error: jsonschema.ValidationError) -> str | None:
    parts = [str(p) for p in error.absolute_path]
    if error.validator == "additionalProperties" and not parts:
        schema: Any = error.schema
        instance: Any = error.instance
        extra = sorted(set(instance) - set(schema.get("properties", {})))
        return extra[0] if extra else None
    return ".".join(parts) or None


def _schema_error(error: jsonschema.ValidationError) -> ProfileError:
    path = _path_of(error)
    top = (path or "").split(".")[0]
    name = _FIELD_KO.get(top, top or "프로필")
    if error.validator == "additionalProperties":
        return ProfileError(
            path, f"'{path}'은(는) 알 수 없는 항목이에요.", f"unknown field {path!r}"
        )
    if error.validator == "enum":
        values: list[Any] = list(cast(list[Any], error.validator_value))
        allowed = ", ".join(map(str, values))
        return ProfileError(
            path,
            f"{name} 값 '{error.instance}'을(를) 알 수 없어요. 가능한 값: {allowed}",
            f"{error.instance!r} is not one of: {allowed}",
            [str(v) for v in values],
        )
    if error.validator == "format":
        return ProfileError(
            path,
            f"{name}은(는) YYYY-MM-DD 형식의 날짜여야 해요.",
            f"{error.instance!r} is not a date (YYYY-MM-DD)",
        )
    if error.validator == "type":
        return ProfileError(
            path,
            f"{name}의 형식이 맞지 않아요.",
            f"expected {error.validator_value}, got {type(error.instance).__name__}",
        )
    return ProfileError(path, f"{name} 값이 올바르지 않아요: {error.message}", error.message)


# Dates outside this window are typing mistakes, not people (and would overflow date maths).
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2199, 12, 31)


def _date(value: str | None, field_name: str) -> date | None:
    if value is None:
        return None
    name = _FIELD_KO.get(field_name.split(".")[0], field_name)
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise ProfileError(
            field_name, f"{name}이(가) 없는 날짜예요: {value}", f"not a valid date: {value!r}"
        ) from exc
    if not DATE_MIN <= day <= DATE_MAX:
        raise ProfileError(
            field_name,
            f"{name}은(는) {DATE_MIN.year}년부터 {DATE_MAX.year}년 사이여야 해요: {value}",
            f"date out of range {DATE_MIN}..{DATE_MAX}: {value!r}",
        )
    return day


_WHOLE_NUMBER_FIELDS = ("age", "household_size", "household_income_monthly")


def _whole_numbers(data: dict[str, Any]) -> dict[str, Any]:
    """JSON Schema accepts 34.0 as an integer; the engine wants the int 34."""
    fixed = {k: int(data[k]) for k in _WHOLE_NUMBER_FIELDS if isinstance(data.get(k), float)}
    return {**data, **fixed} if fixed else data


def resolve_region(regions: RegionTable, value: str) -> str:
    """The current canonical code for a profile's region (old names/codes included)."""
    return resolve_region_places(regions, value)[0]


def resolve_region_places(regions: RegionTable, value: str) -> tuple[str, tuple[str, ...]]:
    """(region, candidates) for a profile's region.

    A former region now divided among several current ones ("인천광역시 서구" → 서해구, 검단구)
    gives what is certain, the smallest common area (the 시도), as the region, and the current
    regions the person lives in one of as the candidates. Any other region has no candidates.
    """
    try:
        return regions.resolve(value).code, ()
    except AmbiguousRegion as exc:
        if exc.split and exc.candidates:
            codes = tuple(r.code for r in exc.candidates)
            sidos = {c[:2] for c in codes}
            if len(sidos) == 1:
                return next(iter(sidos)), codes
        raise ProfileError(
            "region",
            exc.message_ko,
            str(exc),
            [r.name for r in exc.candidates],
        ) from exc
    except UnknownRegion as exc:
        raise ProfileError(
            "region", exc.message_ko, str(exc), [r.name for r in exc.suggestions]
        ) from exc


def region_for_storage(profile: Profile, regions: RegionTable | None = None) -> str | None:
    """The profile's region as contract §1 input that parses back to the same region and
    candidates: the former code of a divided old 구 (28260 for 서해구 + 검단구), else `region`."""
    if not profile.region_candidates:
        return profile.region
    regions = regions or RegionTable.default()
    wanted = set(profile.region_candidates)
    found = [
        code
        for code, former in regions.retired_codes().items()
        if len(code) == 5 and set(former.successors) == wanted
    ]
    # The latest former code: one of the current 시도 (28260), not of 인천직할시 (23260).
    found.sort(key=lambda code: (not code.startswith(profile.region or ""), code))
    return found[0] if found else profile.region


def parse_profile(
    data: Any, *, regions: RegionTable | None = None, today: date | None = None
) -> Profile:
    """Validate and convert a contract §1 profile. `today` is the default `as_of`: the caller
    (an edge) reads the clock, in Korean time; a profile without `as_of` needs it."""
    if not isinstance(data, dict):
        raise ProfileError(None, "프로필은 JSON 객체여야 해요.", "a profile must be a JSON object")
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        raise _schema_error(errors[0])
    data = _whole_numbers(data)
    regions = regions or RegionTable.default()
    as_of = _date(data.get("as_of"), "as_of") or today
    if as_of is None:
        raise TypeError("parse_profile: a profile without as_of needs `today`")
    birth_date = _date(data.get("birth_date"), "birth_date")
    if birth_date is not None and birth_date > as_of:
        raise ProfileError(
            "birth_date",
            "생년월일이 기준일보다 뒤예요.",
            f"birth_date {birth_date} is after as_of {as_of}",
        )
    moved_in = _date(data.get("moved_in_date"), "moved_in_date")
    children = None
    if "children_birth_dates" in data:
        children = tuple(
            d
            for i, v in enumerate(data["children_birth_dates"])
            if (d := _date(v, f"children_birth_dates.{i}")) is not None
        )
    region, candidates = (
        resolve_region_places(regions, data["region"]) if data.get("region") else (None, ())
    )
    business = data.get("business") or {}
    organization = data.get("organization") or {}
    user_types = data.get("user_types")
    return Profile(
        as_of=as_of,
        birth_date=birth_date,
        age=data.get("age") if birth_date is None else None,
        sex=data.get("sex"),
        region=region,
        region_candidates=candidates,
        household_size=data.get("household_size"),
        household_income_monthly=data.get("household_income_monthly"),
        income_band=data.get("income_band"),
        statuses=frozenset(data.get("statuses") or ()),
        statuses_complete=bool(data.get("statuses_complete", False)),
        household_traits=frozenset(data.get("household_traits") or ()),
        household_traits_complete=bool(data.get("household_traits_complete", False)),
        user_types=frozenset(user_types) if user_types else frozenset({"individual"}),
        user_types_given=bool(user_types),
        business_stage=business.get("stage"),
        business_industry=business.get("industry"),
        organization_type=organization.get("type"),
        organization_industry=organization.get("industry"),
        receiving=frozenset(s.strip() for s in data.get("receiving") or ()),
        children_birth_dates=children,
        moved_in_date=moved_in,
        facts=dict(data.get("facts") or {}),
    )


def profile_to_json(profile: Profile, regions: RegionTable | None = None) -> dict[str, Any]:
    """Inverse of parse_profile (for sessions and storage); unknowns are left out. A divided
    old 구 is written as its former code, so the candidates survive the round trip."""
    out: dict[str, Any] = {"as_of": profile.as_of.isoformat()}
    if profile.birth_date:
        out["birth_date"] = profile.birth_date.isoformat()
    elif profile.age is not None:
        out["age"] = profile.age
    for name in ("sex", "region", "household_size", "household_income_monthly", "income_band"):
        value = getattr(profile, name)
        if name == "region":
            value = region_for_storage(profile, regions)
        if value is not None:
            out[name] = value
    if profile.statuses or profile.statuses_complete:
        out["statuses"] = sorted(profile.statuses)
    if profile.statuses_complete:
        out["statuses_complete"] = True
    if profile.household_traits or profile.household_traits_complete:
        out["household_traits"] = sorted(profile.household_traits)
    if profile.household_traits_complete:
        out["household_traits_complete"] = True
    if profile.user_types_given:
        out["user_types"] = sorted(profile.user_types)
    business = {
        k: v
        for k, v in (("stage", profile.business_stage), ("industry", profile.business_industry))
        if v
    }
    if business:
        out["business"] = business
    organization = {
        k: v
        for k, v in (
            ("type", profile.organization_type),
            ("industry", profile.organization_industry),
        )
        if v
    }
    if organization:
        out["organization"] = organization
    if profile.receiving:
        out["receiving"] = sorted(profile.receiving)
    if profile.children_birth_dates is not None:
        out["children_birth_dates"] = [d.isoformat() for d in profile.children_birth_dates]
    if profile.moved_in_date:
        out["moved_in_date"] = profile.moved_in_date.isoformat()
    if profile.facts:
        out["facts"] = dict(profile.facts)
    return out
