"""온통청년 structured fields (`service.extra["youth"]`) → readings for age and income.

Read from the 1,324-policy sample (see docs/eligibility.md):

- Ages `sprtTrgtMinAge`/`sprtTrgtMaxAge` (만 나이): 0/0 means "not given" (340 policies: K-패스,
  business programmes …) → no criterion; a 0 minimum is no lower limit; a 0 maximum with a
  real minimum (18/0, 자립수당) or a maximum ≥ 99 (45 policies, e.g. 1/99, 34/99) is no upper
  limit.
- `sprtTrgtAgeLmtYn` is NOT read: "Y" comes with 0/0 (312) and with real ranges (268) alike,
  "N" with real ranges that the text confirms (188 of 211 with an age in the text agree), so
  the flag carries no reliable meaning; the numbers do.
- `earnCndSeCd`: 0043001 무관 (1,158) → no criterion; 0043003 기타 (153) → the condition is
  prose in `earnEtcCn` (it is in `target_text`, where the text reader finds "중위소득 150% 이하");
  0043002 연소득 (12) → `earnMinAmt`/`earnMaxAmt` in 만원 of annual income, which the profile
  cannot express → a yes/no `Flag` ("연소득 6,000만원 이하") so the answer is asked, not assumed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alrim.eligibility.compile_ja import age_label
from alrim.eligibility.model import AgeRange, Flag, Provenance, ProvenanceKind
from alrim.eligibility.readings import Reading, open_, restricted, silent

AGE_REF = "온통청년 sprtTrgtMinAge,sprtTrgtMaxAge"
INCOME_REF = "온통청년 earnCndSeCd,earnMinAmt,earnMaxAmt"
NO_UPPER_FROM = 99  # 99 and 100 are used as "no upper limit"

INCOME_ANY = "0043001"  # 무관
INCOME_ANNUAL = "0043002"  # 연소득 (만원)
INCOME_OTHER = "0043003"  # 기타 (see earnEtcCn)


def _int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(str(value).strip() or "0")
    except ValueError:
        return None


def read_youth_age(youth: Mapping[str, Any]) -> Reading:
    low_raw, high_raw = _int(youth.get("min_age")), _int(youth.get("max_age"))
    if not low_raw and not high_raw:
        return silent("age")
    low = low_raw if low_raw and low_raw > 0 else None
    high = high_raw if high_raw and 0 < high_raw < NO_UPPER_FROM else None
    if low is None and high is None:
        return open_("age", "모든 연령", AGE_REF)
    if low is not None and high is not None and low > high:
        return silent("age")
    label = age_label(low, high)
    criterion = AgeRange(
        label=label,
        provenance=Provenance(ProvenanceKind.SOURCE, AGE_REF),
        min_years=low,
        max_years=high,
    )
    return restricted("age", criterion, label, AGE_REF)


def _manwon(amount: int) -> str:
    return f"{amount:,}만원"


def read_youth_income(youth: Mapping[str, Any]) -> Reading:
    code = (youth.get("income_condition") or "").strip()
    if code == INCOME_ANY:
        return open_("income", "소득 무관", INCOME_REF)
    if code != INCOME_ANNUAL:
        return silent("income")  # 기타 / missing: the condition, if any, is prose
    low, high = _int(youth.get("income_min")) or 0, _int(youth.get("income_max")) or 0
    if high <= 0 and low <= 0:
        return silent("income")
    if high > 0 and low > 0:
        label = f"연소득 {_manwon(low)} 이상 {_manwon(high)} 이하"
        fact = f"annual_income_between_{low}_{high}_manwon"
    elif high > 0:
        label = f"연소득 {_manwon(high)} 이하"
        fact = f"annual_income_at_most_{high}_manwon"
    else:
        label = f"연소득 {_manwon(low)} 이상"
        fact = f"annual_income_at_least_{low}_manwon"
    criterion = Flag(
        label=label,
        provenance=Provenance(ProvenanceKind.SOURCE, INCOME_REF),
        fact=fact,
        question=f"{label}인가요?",
    )
    return restricted("income", criterion, label, INCOME_REF)


def read_youth(youth: Mapping[str, Any]) -> dict[str, Reading]:
    """Age and income readings of one 온통청년 policy (region: see compile_region)."""
    return {"age": read_youth_age(youth), "income": read_youth_income(youth)}
