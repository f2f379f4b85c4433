"""The rule model: criteria as data, combined with all / any / not.

A rule is a tree. Leaves are typed criteria (age range, region, income ratio …); each carries a
Korean `label` a citizen understands ("만 65세 이상") and its `provenance` — where the criterion
came from: a gov24 JA code, the agency's region, a span of the service's own text, or a
hand-written rule file. An explanation is a walk of the evaluation, not a second implementation.

Both evaluators (per person in `evaluate.py`, vectorised in `vectorized.py`) read this model.
Pure: no I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, TypeAlias


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


class Status(StrEnum):
    ELIGIBLE = "eligible"
    MAYBE = "maybe"
    INELIGIBLE = "ineligible"


class ProvenanceKind(StrEnum):
    JA = "ja"  # gov24 supportConditions code(s)
    REGION = "region"  # the agency's region (from the catalog)
    TEXT = "text"  # read from the service's own text (지원대상 / 선정기준 …)
    RULE = "rule"  # a hand-written rule file under rules/
    SOURCE = "source"  # structured fields of another source (e.g. 온통청년 ages)


@dataclass(frozen=True, slots=True)
class TextSpan:
    """The exact span of text a criterion was read from."""

    field: str  # record field: target_text | criteria_text | …
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Provenance:
    kind: ProvenanceKind
    ref: str  # "JA0110,JA0111" | "소관기관 서울특별시 종로구" | "rules/mohw/….yaml" | field name
    span: TextSpan | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind.value, "ref": self.ref}
        if self.span is not None:
            d["span"] = self.span.to_dict()
        return d


# ---------------------------------------------------------------------------------------------
# Leaf criteria. `kind` is the name used in results (`reasons[].criterion`) and in YAML rules.


@dataclass(frozen=True, slots=True)
class Leaf:
    label: str  # Korean, citizen-facing: "만 65세 이상", "서울특별시 종로구 거주"
    provenance: Provenance

    kind: str = field(default="", init=False)  # overridden per subclass


@dataclass(frozen=True, slots=True)
class AgeRange(Leaf):
    """만 나이 on as_of within [min_years, max_years] (either bound may be None)."""

    min_years: int | None = None
    max_years: int | None = None
    kind: str = field(default="age", init=False)


@dataclass(frozen=True, slots=True)
class AgeMonthsRange(Leaf):
    """Age in whole months (for infants: 0~23개월)."""

    min_months: int | None = None
    max_months: int | None = None
    kind: str = field(default="age_months", init=False)


@dataclass(frozen=True, slots=True)
class ChildAgeRange(Leaf):
    """At least one child whose 만 나이 (in months) is within the range — for parent benefits."""

    min_months: int | None = None
    max_months: int | None = None
    kind: str = field(default="child_age", init=False)


@dataclass(frozen=True, slots=True)
class BornBetween(Leaf):
    """Born on or after `earliest` and on or before `latest` (either may be None).

    For criteria the text writes as birth dates ("1961.12.31. 이전 출생자", "'20.1.1.~'23.2.28.
    출생"), which a 만 나이 range cannot express exactly.
    """

    earliest: date | None = None
    latest: date | None = None
    kind: str = field(default="birth_date", init=False)


@dataclass(frozen=True, slots=True)
class ChildBornBetween(Leaf):
    """At least one child born within [earliest, latest] — the birth-date form of ChildAgeRange."""

    earliest: date | None = None
    latest: date | None = None
    kind: str = field(default="child_birth_date", init=False)


@dataclass(frozen=True, slots=True)
class SexIn(Leaf):
    allowed: frozenset[str] = frozenset()  # {"male", "female"}
    kind: str = field(default="sex", init=False)


@dataclass(frozen=True, slots=True)
class LivesIn(Leaf):
    """Lives in any of `areas` (current 2- or 5-digit codes); containment via RegionTable."""

    areas: tuple[str, ...] = ()
    kind: str = field(default="region", init=False)


@dataclass(frozen=True, slots=True)
class ResidenceDuration(Leaf):
    """Has lived in the current region for at least `min_months` (needs `moved_in_date`)."""

    min_months: int = 0
    kind: str = field(default="residence_duration", init=False)


@dataclass(frozen=True, slots=True)
class UserTypeIn(Leaf):
    allowed: frozenset[str] = frozenset()  # individual | household | small_business | organization
    kind: str = field(default="user_type", init=False)


@dataclass(frozen=True, slots=True)
class IncomeRatio(Leaf):
    """Household income as % of 기준 중위소득 (household size, year of as_of) within bounds.

    `max_percent` inclusive ("50% 이하"); `min_percent` exclusive ("100% 초과") unless
    `min_inclusive`.
    """

    max_percent: float | None = None
    min_percent: float | None = None
    min_inclusive: bool = False
    kind: str = field(default="income", init=False)


@dataclass(frozen=True, slots=True)
class IncomeBandIn(Leaf):
    """gov24 JA0201–JA0205 bands allowed: "0-50" | "51-75" | "76-100" | "101-200" | "200+"."""

    allowed: frozenset[str] = frozenset()
    kind: str = field(default="income_band", init=False)


@dataclass(frozen=True, slots=True)
class StatusIn(Leaf):
    """Personal statuses: qualifies with any of `allowed`; `none_ok` = also with none of `group`.

    `group` is the full set of statuses the published group could have listed; a person known
    (statuses_complete) to have none of them qualifies only when `none_ok`.
    """

    allowed: frozenset[str] = frozenset()
    group: frozenset[str] = frozenset()
    none_ok: bool = False
    kind: str = field(default="status", init=False)


@dataclass(frozen=True, slots=True)
class HouseholdTraitIn(Leaf):
    allowed: frozenset[str] = frozenset()
    group: frozenset[str] = frozenset()
    none_ok: bool = False
    kind: str = field(default="household", init=False)


@dataclass(frozen=True, slots=True)
class BusinessStageIn(Leaf):
    allowed: frozenset[str] = frozenset()
    kind: str = field(default="business_stage", init=False)


@dataclass(frozen=True, slots=True)
class BusinessIndustryIn(Leaf):
    allowed: frozenset[str] = frozenset()
    kind: str = field(default="business_industry", init=False)


@dataclass(frozen=True, slots=True)
class OrganizationTypeIn(Leaf):
    allowed: frozenset[str] = frozenset()
    kind: str = field(default="organization_type", init=False)


@dataclass(frozen=True, slots=True)
class OrganizationIndustryIn(Leaf):
    allowed: frozenset[str] = frozenset()
    kind: str = field(default="organization_industry", init=False)


@dataclass(frozen=True, slots=True)
class HouseholdSize(Leaf):
    min_size: int | None = None
    max_size: int | None = None
    kind: str = field(default="household_size", init=False)


@dataclass(frozen=True, slots=True)
class ChildrenCount(Leaf):
    min_count: int | None = None
    max_count: int | None = None
    kind: str = field(default="children_count", init=False)


@dataclass(frozen=True, slots=True)
class NotReceiving(Leaf):
    """Not already receiving any of these services (default: the service itself)."""

    service_ids: frozenset[str] = frozenset()
    kind: str = field(default="receiving", init=False)


@dataclass(frozen=True, slots=True)
class Flag(Leaf):
    """A yes/no fact about the person the catalog cannot derive (기초생활수급자, 유치원 재원 …).

    Read from `Profile.facts[fact]`; absent = unknown. `question` is the Korean yes/no question a
    questionnaire asks ("기초생활수급자인가요?"). Fact names are snake_case English and listed in
    `alrim.eligibility.facts.KNOWN_FLAGS` with their question.
    """

    fact: str = ""
    question: str = ""
    kind: str = field(default="fact", init=False)


# ---------------------------------------------------------------------------------------------
# Combinators.


@dataclass(frozen=True, slots=True)
class All:
    items: tuple[Criterion, ...]
    label: str | None = None


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Criterion, ...]
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Not:
    item: Criterion
    label: str | None = None


Criterion: TypeAlias = (
    AgeRange
    | AgeMonthsRange
    | ChildAgeRange
    | BornBetween
    | ChildBornBetween
    | SexIn
    | LivesIn
    | ResidenceDuration
    | UserTypeIn
    | IncomeRatio
    | IncomeBandIn
    | StatusIn
    | HouseholdTraitIn
    | BusinessStageIn
    | BusinessIndustryIn
    | OrganizationTypeIn
    | OrganizationIndustryIn
    | HouseholdSize
    | ChildrenCount
    | NotReceiving
    | Flag
    | All
    | AnyOf
    | Not
)

LEAF_TYPES: tuple[type[Leaf], ...] = (
    AgeRange,
    AgeMonthsRange,
    ChildAgeRange,
    BornBetween,
    ChildBornBetween,
    SexIn,
    LivesIn,
    ResidenceDuration,
    UserTypeIn,
    IncomeRatio,
    IncomeBandIn,
    StatusIn,
    HouseholdTraitIn,
    BusinessStageIn,
    BusinessIndustryIn,
    OrganizationTypeIn,
    OrganizationIndustryIn,
    HouseholdSize,
    ChildrenCount,
    NotReceiving,
    Flag,
)


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Text and codes say different things; the text won. Logged for review."""

    service_id: str
    dimension: str  # age | sex | region | income | status | household | user_type …
    codes_say: str
    text_says: str
    span: TextSpan | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "service_id": self.service_id,
            "dimension": self.dimension,
            "codes_say": self.codes_say,
            "text_says": self.text_says,
            "span": self.span.to_dict() if self.span else None,
        }


@dataclass(frozen=True, slots=True)
class Rule:
    """Everything needed to judge one service. `criteria` is an `All` at the top."""

    service_id: str
    criteria: All
    origin: str  # "hand" (rules/…yaml) | "compiled" (JA codes + region + text)
    rule_file: str | None = None
    disagreements: tuple[Disagreement, ...] = ()


def leaves(criterion: Criterion) -> list[Leaf]:
    """Every leaf of a criterion tree, in order."""
    if isinstance(criterion, All | AnyOf):
        return [leaf for item in criterion.items for leaf in leaves(item)]
    if isinstance(criterion, Not):
        return leaves(criterion.item)
    return [criterion]
