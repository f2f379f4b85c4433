"""The yes/no fact that asks whether a person belongs to one service's own target group.

One fact per service (`target_<service id>`), shared by every criterion that asks it: the
target-group reader (`text/target_group.py`, "‘임금이 체불된 근로자’에 해당하나요?") and the
온통청년 codes that only say "a group the policy names" (기타, 특화분야 — `compile_youth`), so a
person answers once per service.
"""

from __future__ import annotations

FACT_PREFIX = "target_"


def target_fact(service_id: str) -> str:
    """The `Profile.facts` key of a service's target-group question."""
    return FACT_PREFIX + service_id.lower()
