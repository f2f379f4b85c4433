"""Facts the rules ask about: the profile fields each criterion kind needs.

`missing` in a result lists these names (contract §1 field names), so a questionnaire knows
exactly what to ask.
"""

from __future__ import annotations

from alrim.eligibility.model import Leaf

# criterion kind → profile fields that settle it (the first is the one to ask for).
FACTS_FOR_KIND: dict[str, tuple[str, ...]] = {
    "age": ("birth_date", "age"),
    "age_months": ("birth_date",),
    "child_age": ("children_birth_dates",),
    "birth_date": ("birth_date", "age"),
    "child_birth_date": ("children_birth_dates",),
    "sex": ("sex",),
    "region": ("region",),
    "residence_duration": ("moved_in_date",),
    "user_type": ("user_types",),
    "income": ("household_income_monthly", "household_size", "income_band"),
    "income_band": ("household_income_monthly", "household_size", "income_band"),
    "status": ("statuses",),
    "household": ("household_traits",),
    "business_stage": ("business",),
    "business_industry": ("business",),
    "organization_type": ("organization",),
    "organization_industry": ("organization",),
    "household_size": ("household_size",),
    "children_count": ("children_birth_dates",),
    "receiving": ("receiving",),
    "fact": ("facts",),
}


def facts_for(leaf: Leaf) -> tuple[str, ...]:
    return FACTS_FOR_KIND.get(leaf.kind, ())
