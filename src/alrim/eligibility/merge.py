"""Merge structured readings (JA codes, agency region, 온통청년 fields) with text findings.

Policy (docs/eligibility.md, "Merge policy"):

- Only *explicit* findings change a rule; weak ones never do (they are hedged or ambiguous
  text such as "저소득층 우선").
- An explicit finding with a criterion (a *narrower*) on a dimension:
  - the codes are silent → the text criterion is added (nothing to disagree with);
  - the codes say "no restriction" → the text criterion is added and a `Disagreement` logged;
  - the codes restrict differently → the text criterion replaces them, `Disagreement` logged;
  - the codes restrict the same way → the text criterion is kept (it cites the sentence a
    citizen can read), no disagreement.
  Several explicit narrowers on one dimension are alternatives (`AnyOf`): agencies list
  sub-programmes ("만 19~39세 … / 만 65세 이상 …"); a wrong "no" costs a citizen more than a
  "maybe".
- An explicit *opener* ("일반국민", "누구나") with no narrower on the dimension removes a code
  restriction there (logged); it changes nothing when the codes are open or silent.

Agreement is by meaning, not label (`same_meaning`): income bands vs a ratio bound, ages in
years vs months (a text `age_months` finding competes with the JA `age`), area sets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Protocol

from alrim.eligibility.model import (
    AgeMonthsRange,
    AgeRange,
    All,
    AnyOf,
    Criterion,
    Disagreement,
    IncomeBandIn,
    IncomeRatio,
    Leaf,
    LivesIn,
    Not,
    TextSpan,
    leaves,
)
from alrim.eligibility.readings import Reading, Stance, silent

EXPLICIT = "explicit"
# Text dimensions that describe the same fact as a structured one: an age read in months
# ("생후 24개월 미만") competes with the JA age in years.
SAME_DIMENSION = {"age_months": "age"}


def merge_dimension(dimension: str) -> str:
    return SAME_DIMENSION.get(dimension, dimension)


class TextFindingLike(Protocol):
    """What the merge reads of `alrim.eligibility.text_criteria.TextFinding`."""

    @property
    def dimension(self) -> str: ...
    @property
    def criterion(self) -> Criterion | None: ...
    @property
    def strength(self) -> str: ...
    @property
    def opens(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Merged:
    criteria: dict[str, Criterion]  # final criterion per dimension; absent = no criterion
    origin: dict[str, str]  # dimension → "codes" | "text"
    disagreements: tuple[Disagreement, ...] = ()
    ignored_weak: int = 0


# ---------------------------------------------------------------------------------------------
# Meaning equality (labels and provenance aside)

_INCOME_TOP = {"0-50": 50.0, "51-75": 75.0, "76-100": 100.0, "101-200": 200.0}
_INCOME_BOTTOM = {"51-75": 50.0, "76-100": 75.0, "101-200": 100.0, "200+": 200.0}
_BANDS = ("0-50", "51-75", "76-100", "101-200", "200+")
_IGNORED_FIELDS = {"label", "provenance", "kind", "group"}


def _bands_as_ratio(leaf: IncomeBandIn) -> tuple[float | None, float | None] | None:
    """(min_percent exclusive, max_percent inclusive) when the bands form one interval."""
    idx = sorted(_BANDS.index(b) for b in leaf.allowed)
    if not idx or idx != list(range(idx[0], idx[-1] + 1)):
        return None
    low = None if idx[0] == 0 else _INCOME_BOTTOM[_BANDS[idx[0]]]
    high = None if idx[-1] == len(_BANDS) - 1 else _INCOME_TOP[_BANDS[idx[-1]]]
    return low, high


def _leaf_key(leaf: Leaf) -> tuple[object, ...]:
    if isinstance(leaf, IncomeBandIn):
        interval = _bands_as_ratio(leaf)
        if interval is not None:
            return ("income-interval", *interval)
    if isinstance(leaf, IncomeRatio) and not leaf.min_inclusive:
        return ("income-interval", leaf.min_percent, leaf.max_percent)
    if isinstance(leaf, LivesIn):
        return ("region", frozenset(leaf.areas))
    if isinstance(leaf, AgeRange):
        low = None if leaf.min_years is None else leaf.min_years * 12
        high = None if leaf.max_years is None else leaf.max_years * 12 + 11
        return ("age-months", low, high)
    if isinstance(leaf, AgeMonthsRange):
        return ("age-months", leaf.min_months, leaf.max_months)
    values = tuple(
        (f.name, getattr(leaf, f.name)) for f in fields(leaf) if f.name not in _IGNORED_FIELDS
    )
    return (type(leaf).__name__, values)


def same_meaning(a: Criterion, b: Criterion) -> bool:
    """True when two criteria admit exactly the same people (labels/provenance ignored)."""
    if isinstance(a, All | AnyOf) and isinstance(b, All | AnyOf):
        return (
            type(a) is type(b)
            and len(a.items) == len(b.items)
            and all(same_meaning(x, y) for x, y in zip(a.items, b.items, strict=True))
        )
    if isinstance(a, Not) and isinstance(b, Not):
        return same_meaning(a.item, b.item)
    if isinstance(a, Leaf) and isinstance(b, Leaf):
        return _leaf_key(a) == _leaf_key(b)
    return False


# ---------------------------------------------------------------------------------------------


def criterion_label(criterion: Criterion) -> str:
    if isinstance(criterion, Leaf):
        return criterion.label
    if criterion.label:
        return criterion.label
    if isinstance(criterion, Not):
        return f"{criterion_label(criterion.item)} 아님"
    joiner = " 또는 " if isinstance(criterion, AnyOf) else ", "
    return joiner.join(criterion_label(c) for c in criterion.items)


def _detail(criterion: Criterion) -> str:
    """A developer's view of what a criterion admits (for log lines whose labels coincide)."""
    if isinstance(criterion, All | AnyOf):
        return "; ".join(_detail(c) for c in criterion.items)
    if isinstance(criterion, Not):
        return f"not {_detail(criterion.item)}"
    allowed = getattr(criterion, "allowed", None)
    if isinstance(allowed, frozenset):
        extra = "+none" if getattr(criterion, "none_ok", False) else ""
        return ",".join(sorted(allowed)) + extra
    return str(_leaf_key(criterion)[1:])


def describe_pair(codes: Criterion | None, codes_say: str, text: Criterion) -> tuple[str, str]:
    """The two sides of a disagreement; when the labels read the same, say what differs."""
    text_says = criterion_label(text)
    if codes is not None and text_says == codes_say:
        return f"{codes_say} ({_detail(codes)})", f"{text_says} ({_detail(text)})"
    return codes_say, text_says


def _span_of(criterion: Criterion | None) -> TextSpan | None:
    if criterion is None:
        return None
    for leaf in leaves(criterion):
        if leaf.provenance.span is not None:
            return leaf.provenance.span
    return None


def finding_span(finding: TextFindingLike) -> TextSpan | None:
    """The text span of a finding: its criterion's provenance, else a `span` attribute."""
    span = _span_of(finding.criterion)
    if span is not None:
        return span
    extra = getattr(finding, "span", None)
    return extra if isinstance(extra, TextSpan) else None


def _combine(criteria: Sequence[Criterion]) -> Criterion:
    unique: list[Criterion] = []
    for c in criteria:
        if not any(same_meaning(c, u) for u in unique):
            unique.append(c)
    if len(unique) == 1:
        return unique[0]
    return AnyOf(tuple(unique), label=" 또는 ".join(criterion_label(c) for c in unique))


def merge_findings(
    service_id: str,
    readings: Mapping[str, Reading],
    findings: Sequence[TextFindingLike] = (),
) -> Merged:
    """Final criterion per dimension, which source it came from, and the disagreements."""
    explicit = [f for f in findings if f.strength == EXPLICIT]
    ignored_weak = len(findings) - len(explicit)
    dimensions = list(readings)
    for f in explicit:
        if merge_dimension(f.dimension) not in dimensions:
            dimensions.append(merge_dimension(f.dimension))

    criteria: dict[str, Criterion] = {}
    origin: dict[str, str] = {}
    disagreements: list[Disagreement] = []

    def disagree(dimension: str, codes_say: str, text_says: str, span: TextSpan | None) -> None:
        disagreements.append(Disagreement(service_id, dimension, codes_say, text_says, span))

    for dim in dimensions:
        reading = readings.get(dim) or silent(dim)
        mine = [f for f in explicit if merge_dimension(f.dimension) == dim]
        narrowers = [f for f in mine if not f.opens and f.criterion is not None]
        openers = [f for f in mine if f.opens]
        if narrowers:
            text = _combine([f.criterion for f in narrowers if f.criterion is not None])
            criteria[dim] = text
            origin[dim] = "text"
            span = finding_span(narrowers[0])
            contradicts = reading.stance is Stance.OPEN or (
                reading.criterion is not None and not same_meaning(reading.criterion, text)
            )
            if contradicts:
                codes_say, text_says = describe_pair(reading.criterion, reading.summary, text)
                disagree(dim, codes_say, text_says, span)
        elif openers:
            if reading.criterion is not None:
                span = finding_span(openers[0])
                disagree(dim, reading.summary, span.text if span else "제한 없음", span)
            # An opener leaves the dimension without a criterion.
        elif reading.criterion is not None:
            criteria[dim] = reading.criterion
            origin[dim] = "codes"

    return Merged(criteria, origin, tuple(disagreements), ignored_weak)
