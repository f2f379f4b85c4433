"""What the text reader returns: one `TextFinding` per criterion (or opener) read from a span."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from alrim.eligibility.model import Criterion, TextSpan


class Strength(StrEnum):
    """How sure the text is that the criterion limits who can apply.

    `explicit`: the text states it as a limit for the people who can apply; it may override the
    gov24 JA codes. `weak`: the criterion is mentioned but only for part of the people (one of
    several alternatives, a priority, an example, a benefit tier, a note …); kept for review.
    """

    EXPLICIT = "explicit"
    WEAK = "weak"


# The dimensions a finding can be about (a dimension is what a JA code group also describes).
DIMENSIONS: tuple[str, ...] = (
    "age",
    "age_months",
    "sex",
    "region",
    "residence_duration",
    "income",
    "household",
    "status",
    "user_type",
    "fact",
    "target_group",  # text/target_group.py: a group the profile cannot express (one `Flag`)
)


@dataclass(frozen=True, slots=True)
class TextFinding:
    """One criterion read from a service's own text, with the exact span it came from.

    `criterion` is a leaf (or an `AnyOf` of leaves) whose provenance is
    `Provenance(kind=TEXT, ref=<field>, span=<span>)`. An *opener* ("누구나", "소득 무관") has
    `criterion=None` and `opens=True`: the text says the dimension is not limited. `why` says,
    for a weak finding, what made it weak (developer English, for the review log).
    """

    dimension: str
    criterion: Criterion | None
    strength: Strength
    span: TextSpan
    opens: bool = False
    why: str = ""

    @property
    def explicit(self) -> bool:
        return self.strength is Strength.EXPLICIT

    def to_dict(self) -> dict[str, Any]:
        label = getattr(self.criterion, "label", None) if self.criterion is not None else None
        return {
            "dimension": self.dimension,
            "criterion": label,
            "strength": self.strength.value,
            "opens": self.opens,
            "span": self.span.to_dict(),
            "why": self.why,
        }
