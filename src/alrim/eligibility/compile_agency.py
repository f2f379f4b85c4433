"""Structured conditions an agency published in the Alrim agency format → readings.

The format (docs/agency-format.md) names conditions as the citizen profile does: `age_min`,
`age_max`, `sex`, `income_max_ratio` (percent of 기준 중위소득), `statuses`, `household_traits`.
The publisher is the authority here, so these readings are `RESTRICTED` and carry
`Provenance(kind=SOURCE, ref="기관 공개 자료 …")`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alrim.domain.vocabulary import STATUS_NAMES_KO, TRAIT_NAMES_KO
from alrim.eligibility.compile_ja import age_label
from alrim.eligibility.model import (
    AgeRange,
    HouseholdTraitIn,
    IncomeRatio,
    Provenance,
    ProvenanceKind,
    SexIn,
    StatusIn,
)
from alrim.eligibility.readings import Reading, restricted

REF = "기관 공개 자료(agency file) conditions"
_SEX_KO = {"male": "남성", "female": "여성"}
_STATUS_KO = STATUS_NAMES_KO
_TRAIT_KO = TRAIT_NAMES_KO


def read_agency_conditions(conditions: Mapping[str, Any] | None) -> dict[str, Reading]:
    if not conditions:
        return {}
    prov = Provenance(ProvenanceKind.SOURCE, REF)
    out: dict[str, Reading] = {}
    low, high = conditions.get("age_min"), conditions.get("age_max")
    if low is not None or high is not None:
        label = age_label(low, high)
        out["age"] = restricted(
            "age", AgeRange(label=label, provenance=prov, min_years=low, max_years=high), label, REF
        )
    sex = conditions.get("sex")
    if sex in _SEX_KO:
        label = _SEX_KO[sex]
        out["sex"] = restricted(
            "sex", SexIn(label=label, provenance=prov, allowed=frozenset({sex})), label, REF
        )
    ratio = conditions.get("income_max_ratio")
    if ratio is not None:
        label = f"기준 중위소득 {ratio:g}% 이하"
        out["income"] = restricted(
            "income",
            IncomeRatio(label=label, provenance=prov, max_percent=float(ratio)),
            label,
            REF,
        )
    statuses = [s for s in conditions.get("statuses") or () if s in _STATUS_KO]
    if statuses:
        label = "·".join(_STATUS_KO[s] for s in statuses)
        criterion = StatusIn(
            label=label,
            provenance=prov,
            allowed=frozenset(statuses),
            group=frozenset(_STATUS_KO),
            none_ok=False,
        )
        out["status"] = restricted("status", criterion, label, REF)
    traits = [t for t in conditions.get("household_traits") or () if t in _TRAIT_KO]
    if traits:
        label = "·".join(_TRAIT_KO[t] for t in traits)
        household = HouseholdTraitIn(
            label=label,
            provenance=prov,
            allowed=frozenset(traits),
            group=frozenset(_TRAIT_KO),
            none_ok=False,
        )
        out["household"] = restricted("household", household, label, REF)
    return out
