"""gov24 supportConditions (JA codes) → one `Reading` per dimension.

The semantics, each checked against the services' own text (evidence in docs/eligibility.md):

- Within a group the ticked codes are the allowed set: a person qualifies with any of them.
- Every code of a group ticked → no restriction (`OPEN`, no criterion).
- No code of a group ticked → not specified (`SILENT`, no criterion). All 83 sample services
  with no personal code ticked are 소상공인/법인 services; personal groups are not read at all
  for a service that is not open to 개인/가구 (a business cannot be pregnant).
- 해당사항없음 (JA0322 개인특성, JA0410 가구특성) ticked *with* most codes → people with none of
  the group's statuses also qualify (`none_ok`): the few codes left unticked are excluded
  (학교 밖 청소년: every status but the students). Ticked with *fewer* codes than it leaves
  unticked, or *alone* → no restriction: the ticked codes name the service's focus and
  해당사항없음 lets everyone else in. No text of the 34 sample services that tick a minority
  plus 해당사항없음 excludes the unticked statuses (한국잡월드 "수급자 … 국가유공자 및 장애인,
  만 65세 이상자" ticks 장애인·국가보훈대상자; 수원시 예비·신혼부부 검사 ticks 임산부; 아이모아카드
  ticks 임산부·출산/입양 for "2자녀 이상 가정"), and the 122 services with only JA0322 include
  지역화폐 "전국민", a 학생 mental-health service and a 여성농업인 check-up — reading either
  literally would shut out a job seeker, an employee or a farmer the text never excludes.
- JA0110=0 / JA0111=120 → no lower / upper age limit; both null → no age criterion.
- `conditions is None` (no supportConditions row) → no structured criteria at all.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from alrim.eligibility.ja_codes import (
    AGE_MAX_CODE,
    AGE_MIN_CODE,
    AGE_NO_LOWER,
    AGE_NO_UPPER,
    FLAG_GROUPS,
    INCOME,
    JaGroup,
    Track,
)
from alrim.eligibility.model import (
    AgeRange,
    BusinessIndustryIn,
    BusinessStageIn,
    Criterion,
    HouseholdTraitIn,
    IncomeBandIn,
    OrganizationIndustryIn,
    OrganizationTypeIn,
    Provenance,
    ProvenanceKind,
    SexIn,
    StatusIn,
)
from alrim.eligibility.readings import Reading, open_, restricted, silent

AGE_REF = f"{AGE_MIN_CODE},{AGE_MAX_CODE}"


def is_flagged(value: Any) -> bool:
    """A ticked code: True (typed row) or "Y" (raw row)."""
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().upper() == "Y"


def _age_value(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    text = str(value).strip()
    if not text:
        return None
    return int(float(text))


# ---------------------------------------------------------------------------------------------
# Korean labels


def age_label(min_years: int | None, max_years: int | None) -> str:
    if min_years is not None and max_years is not None:
        if min_years == max_years:
            return f"만 {min_years}세"
        return f"만 {min_years}~{max_years}세"
    if min_years is not None:
        return f"만 {min_years}세 이상"
    if max_years is not None:
        return "만 0세" if max_years == 0 else f"만 {max_years}세 이하"
    return "모든 연령"


_BAND_ORDER = tuple(INCOME.values.values())  # "0-50", "51-75", "76-100", "101-200", "200+"
_BAND_TOP = {"0-50": 50, "51-75": 75, "76-100": 100, "101-200": 200}
_BAND_BOTTOM = {"51-75": 50, "76-100": 75, "101-200": 100, "200+": 200}


def income_band_label(bands: Collection[str]) -> str:
    """ "기준 중위소득 50% 이하", "… 100% 초과", or the bands one by one when not contiguous."""
    idx = sorted(_BAND_ORDER.index(b) for b in bands)
    contiguous = idx == list(range(idx[0], idx[-1] + 1))
    first, last = _BAND_ORDER[idx[0]], _BAND_ORDER[idx[-1]]
    if contiguous and idx[0] == 0 and last in _BAND_TOP:
        return f"기준 중위소득 {_BAND_TOP[last]}% 이하"
    if contiguous and last == "200+" and first in _BAND_BOTTOM:
        return f"기준 중위소득 {_BAND_BOTTOM[first]}% 초과"
    if contiguous and first in _BAND_BOTTOM and last in _BAND_TOP:
        return f"기준 중위소득 {_BAND_BOTTOM[first]}% 초과 {_BAND_TOP[last]}% 이하"
    parts = [INCOME.names[code] for code, band in INCOME.values.items() if band in bands]
    return "기준 " + "·".join(parts)


def _names(group: JaGroup, codes: Collection[str]) -> str:
    return "·".join(group.names[c] for c in group.codes if c in codes)


def membership_label(group: JaGroup, flagged: Collection[str], none_ok: bool) -> str:
    if not none_ok:
        return _names(group, flagged)
    excluded = [c for c in group.codes if c not in flagged]
    if len(excluded) < len(flagged):
        return f"{_names(group, excluded)}에 해당하지 않음"
    return f"{_names(group, flagged)} 또는 {group.title} 해당 없음"


# ---------------------------------------------------------------------------------------------
# Readings


def read_age(conditions: Mapping[str, Any]) -> Reading:
    low_raw = _age_value(conditions.get(AGE_MIN_CODE))
    high_raw = _age_value(conditions.get(AGE_MAX_CODE))
    if low_raw is None and high_raw is None:
        return silent("age")
    low = None if low_raw is None or low_raw <= AGE_NO_LOWER else low_raw
    high = None if high_raw is None or high_raw >= AGE_NO_UPPER else high_raw
    if low is None and high is None:
        return open_("age", "모든 연령", AGE_REF)
    if low is not None and high is not None and low > high:
        # A contradictory range would fail everyone; treat it as unreadable, not as a rule.
        return silent("age")
    label = age_label(low, high)
    criterion = AgeRange(
        label=label,
        provenance=Provenance(ProvenanceKind.JA, AGE_REF),
        min_years=low,
        max_years=high,
    )
    return restricted("age", criterion, label, AGE_REF)


def _group_criterion(
    group: JaGroup, label: str, ref: str, allowed: frozenset[str], none_ok: bool
) -> Criterion:
    prov = Provenance(ProvenanceKind.JA, ref)
    every = frozenset(group.values.values())
    dim = group.dimension
    if dim == "sex":
        return SexIn(label=label, provenance=prov, allowed=allowed)
    if dim == "income":
        return IncomeBandIn(label=label, provenance=prov, allowed=allowed)
    if dim == "status":
        return StatusIn(label=label, provenance=prov, allowed=allowed, group=every, none_ok=none_ok)
    if dim == "household":
        return HouseholdTraitIn(
            label=label, provenance=prov, allowed=allowed, group=every, none_ok=none_ok
        )
    if dim == "business_stage":
        return BusinessStageIn(label=label, provenance=prov, allowed=allowed)
    if dim == "business_industry":
        return BusinessIndustryIn(label=label, provenance=prov, allowed=allowed)
    if dim == "organization_type":
        return OrganizationTypeIn(label=label, provenance=prov, allowed=allowed)
    if dim == "organization_industry":
        return OrganizationIndustryIn(label=label, provenance=prov, allowed=allowed)
    raise ValueError(f"no criterion kind for JA group {dim!r}")


def read_group(group: JaGroup, conditions: Mapping[str, Any]) -> Reading:
    flagged = [c for c in group.codes if is_flagged(conditions.get(c))]
    none_ticked = group.none_code is not None and is_flagged(conditions.get(group.none_code))
    ref_codes = [*flagged, *([group.none_code] if none_ticked and group.none_code else [])]
    ref = ",".join(ref_codes)
    if not flagged:
        if none_ticked:
            return open_(group.dimension, f"{group.title} 해당사항없음", ref)
        return silent(group.dimension)
    if len(flagged) == len(group.codes) and (group.none_code is None or none_ticked):
        return open_(group.dimension, f"모든 {group.title}", ref)
    if none_ticked and len(flagged) < len(group.codes) - len(flagged):
        # A few codes + 해당사항없음: the focus, not a condition (see the module docstring).
        return open_(group.dimension, membership_label(group, flagged, none_ok=True), ref)
    if group is INCOME:
        label = income_band_label([group.values[c] for c in flagged])
    else:
        label = membership_label(group, flagged, none_ticked)
    allowed = frozenset(group.values[c] for c in flagged)
    criterion = _group_criterion(group, label, ref, allowed, none_ticked)
    return restricted(group.dimension, criterion, label, ref)


def read_conditions(
    conditions: Mapping[str, Any] | None, tracks: Collection[Track] | None = None
) -> dict[str, Reading]:
    """One reading per JA dimension whose track is in `tracks` (None = every track).

    Returns {} when the service had no supportConditions row.
    """
    if conditions is None:
        return {}
    readings: dict[str, Reading] = {}
    if tracks is None or Track.PERSONAL in tracks:
        readings["age"] = read_age(conditions)
    for group in FLAG_GROUPS:
        if tracks is None or group.track in tracks:
            readings[group.dimension] = read_group(group, conditions)
    # A stable order citizens can follow: age, sex, income, status, household, business, org.
    order = ["age", *[g.dimension for g in FLAG_GROUPS]]
    return {d: readings[d] for d in order if d in readings}
