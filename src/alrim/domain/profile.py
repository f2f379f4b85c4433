"""A person's (or business's) known facts — contract §1. Every fact is optional: None = unknown."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

# Contract §1 vocabularies, with the gov24 JA code each corresponds to.
STATUS_CODES: dict[str, str] = {
    "expecting_parent": "JA0301",
    "pregnant": "JA0302",
    "new_parent": "JA0303",
    "farmer": "JA0313",
    "fisher": "JA0314",
    "livestock_farmer": "JA0315",
    "forester": "JA0316",
    "elementary_student": "JA0317",
    "middle_school_student": "JA0318",
    "high_school_student": "JA0319",
    "university_student": "JA0320",
    "employee": "JA0326",
    "job_seeker": "JA0327",
    "disabled": "JA0328",
    "veteran": "JA0329",
    "patient": "JA0330",
}
HOUSEHOLD_TRAIT_CODES: dict[str, str] = {
    "multicultural": "JA0401",
    "north_korean_defector": "JA0402",
    "single_parent_or_grandparent": "JA0403",
    "single_person": "JA0404",
    "multi_child": "JA0411",
    "no_home": "JA0412",
    "newly_moved_in": "JA0413",
    "extended_family": "JA0414",
}
USER_TYPES = ("individual", "household", "small_business", "organization")
INCOME_BANDS = ("0-50", "51-75", "76-100", "101-200", "200+")
BUSINESS_STAGES = ("prospective", "operating", "closing_or_hardship")
BUSINESS_INDUSTRIES = ("food_service", "manufacturing", "other")
ORG_TYPES = ("sme", "social_welfare_facility", "institution_or_group")
ORG_INDUSTRIES = (
    "manufacturing",
    "agriculture_forestry_fishery",
    "information_communication",
    "other",
)


@dataclass(frozen=True, slots=True)
class Profile:
    """Parsed, validated profile. `region` is the *current* canonical code (2 or 5 digits).

    `region_candidates` is derived, never given: when the region named a former 구 that is now
    divided (인천 서구 → 서해구, 검단구), `region` is the smallest current area holding all of it
    (the 시도) and `region_candidates` the current 시군구 the person lives in one of. Empty
    otherwise. Evaluators judge a region criterion over the candidates when there are any.
    """

    as_of: date
    birth_date: date | None = None
    age: int | None = None  # only when birth_date is unknown
    sex: str | None = None
    region: str | None = None
    region_candidates: tuple[str, ...] = ()
    household_size: int | None = None
    household_income_monthly: int | None = None
    income_band: str | None = None
    statuses: frozenset[str] = frozenset()
    statuses_complete: bool = False
    household_traits: frozenset[str] = frozenset()
    household_traits_complete: bool = False
    user_types: frozenset[str] = frozenset({"individual"})
    user_types_given: bool = False  # False = the contract default was applied
    business_stage: str | None = None
    business_industry: str | None = None
    organization_type: str | None = None
    organization_industry: str | None = None
    receiving: frozenset[str] = frozenset()
    # Additive fields (allowed by the contract: "the project may add fields").
    children_birth_dates: tuple[date, ...] | None = None  # None = unknown; () = no children
    moved_in_date: date | None = None  # 전입일 in the current region
    facts: dict[str, bool] = field(default_factory=dict)  # yes/no facts (see eligibility.facts)
    extra: dict[str, Any] = field(default_factory=dict)

    def with_(self, **changes: Any) -> Profile:
        return replace(self, **changes)

    def places(self) -> tuple[str, ...]:
        """Where the person may live: the divided old 구's successors, else the region."""
        if self.region_candidates:
            return self.region_candidates
        return (self.region,) if self.region is not None else ()

    def age_on(self, day: date | None = None) -> int | None:
        """만 나이 on `day` (default: as_of)."""
        day = day or self.as_of
        if self.birth_date is not None:
            return full_years(self.birth_date, day)
        return self.age

    def age_in_months(self, day: date | None = None) -> int | None:
        day = day or self.as_of
        if self.birth_date is None:
            return None
        return full_months(self.birth_date, day)

    def has_status(self, status: str) -> bool | None:
        if status in self.statuses:
            return True
        return False if self.statuses_complete else None

    def has_trait(self, trait: str) -> bool | None:
        if trait in self.household_traits:
            return True
        return False if self.household_traits_complete else None


def full_years(born: date, on: date) -> int:
    """만 나이: whole years completed on `on` (a 29 Feb birthday counts on 1 Mar in other years)."""
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


def full_months(born: date, on: date) -> int:
    months = (on.year - born.year) * 12 + (on.month - born.month)
    if on.day < born.day:
        months -= 1
    return months
