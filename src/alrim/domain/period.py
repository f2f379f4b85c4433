"""Application period (신청기한) as parsed from free text — contract §3."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any


class PeriodKind(StrEnum):
    ALWAYS = "always"  # 상시
    PERIOD = "period"  # known start and/or end date
    RECURRING = "recurring"  # e.g. 매년 3월
    UNTIL_BUDGET = "until_budget"  # 예산 소진 시까지
    VARIES = "varies"  # 기관별 상이 / 공고 참조
    CLOSED = "closed"  # 마감
    UNKNOWN = "unknown"


class Confidence(StrEnum):
    """How sure the parser is of its reading."""

    HIGH = "high"  # explicit full dates or an unambiguous keyword
    MEDIUM = "medium"  # year inferred, or a partial date completed by rule
    LOW = "low"  # a guess a person should check
    NONE = "none"  # nothing could be read


@dataclass(frozen=True, slots=True)
class ApplicationPeriod:
    kind: PeriodKind
    text: str | None
    start: date | None = None
    end: date | None = None
    confidence: Confidence = Confidence.NONE
    # For `recurring`: months of the year (1..12) in which applications open.
    months: tuple[int, ...] = ()
    note: str | None = None  # short English note on how it was read

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "text": self.text,
            "confidence": self.confidence.value,
            "months": list(self.months),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ApplicationPeriod:
        return cls(
            kind=PeriodKind(d.get("kind", "unknown")),
            text=d.get("text"),
            start=date.fromisoformat(d["start"]) if d.get("start") else None,
            end=date.fromisoformat(d["end"]) if d.get("end") else None,
            confidence=Confidence(d.get("confidence", "none")),
            months=tuple(d.get("months") or ()),
        )

    def is_open(self, on: date) -> bool | None:
        """True/False when it can be told from the period, None when it cannot."""
        if self.kind is PeriodKind.ALWAYS:
            return True
        if self.kind is PeriodKind.CLOSED:
            return False
        if self.kind is PeriodKind.PERIOD:
            if self.start and on < self.start:
                return False
            return not (self.end and on > self.end)
        if self.kind is PeriodKind.RECURRING and self.months:
            return on.month in self.months
        if self.kind is PeriodKind.UNTIL_BUDGET:
            return self.end is None or on <= self.end
        return None

    def days_left(self, on: date) -> int | None:
        """Days until the end date (0 = closes today); None when there is no known end."""
        if self.end is None or self.kind not in (PeriodKind.PERIOD, PeriodKind.UNTIL_BUDGET):
            return None
        return (self.end - on).days
