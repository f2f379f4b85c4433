"""What one structured source says about one dimension, before text findings are merged in.

A `Reading` keeps the difference between "the source said nothing" (`SILENT`), "the source
said: no restriction" (`OPEN`, e.g. every age code 0~120, every status ticked) and "the source
restricts" (`RESTRICTED`, with the criterion). The difference matters only for the review log:
text that narrows an OPEN dimension contradicts the codes; text that fills a SILENT one does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alrim.eligibility.model import Criterion


class Stance(StrEnum):
    SILENT = "silent"  # nothing published for this dimension
    OPEN = "open"  # published as "no restriction"
    RESTRICTED = "restricted"  # published restriction → `criterion`


@dataclass(frozen=True, slots=True)
class Reading:
    dimension: str
    stance: Stance
    criterion: Criterion | None = None  # set exactly when RESTRICTED
    summary: str = ""  # Korean: what the source says ("만 65세 이상", "제한 없음")
    ref: str = ""  # where: "JA0110,JA0111", "소관기관 …", "온통청년 zipCd"

    def __post_init__(self) -> None:
        if (self.stance is Stance.RESTRICTED) != (self.criterion is not None):
            raise ValueError(f"{self.dimension}: a criterion goes with RESTRICTED only")


def silent(dimension: str) -> Reading:
    return Reading(dimension, Stance.SILENT, summary="지정 없음")


def open_(dimension: str, summary: str = "제한 없음", ref: str = "") -> Reading:
    return Reading(dimension, Stance.OPEN, summary=summary, ref=ref)


def restricted(dimension: str, criterion: Criterion, summary: str, ref: str) -> Reading:
    return Reading(dimension, Stance.RESTRICTED, criterion, summary, ref)
