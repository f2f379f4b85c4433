"""Real personas against the bundled catalog: the engine agrees with every hand-judged pair.

`tests/personas/p*.json` are profiles a person would fill in (청년 구직자, 임산부, 노인, 장애인,
농업인, 소상공인, 한부모, 대학생 … in several regions, some under their pre-2026 names).
`tests/personas/judged.yaml` holds (persona, service) pairs judged by reading each service's own
지원대상, 선정기준 and region: eligible only when a careful reader agrees the person qualifies from
what the profile says, maybe when the text names a group the profile cannot express. Pairs the
engine gets wrong for a reason outside the target-group reader are marked `known_miss` and left
out of the assertion (see the file's header).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from alrim.catalog.assemble import assemble
from alrim.catalog.regions import RegionTable
from alrim.catalog.sources.gov24_files import Gov24FileSource
from alrim.catalog.sources.youth import YouthSource
from alrim.domain.profile import Profile
from alrim.eligibility.engine import EligibilityEngine
from alrim.eligibility.parameters import Parameters
from alrim.eligibility.profile_input import parse_profile
from alrim.eligibility.rules_file import load_rules
from alrim.eligibility.text.target_group import target_fact
from alrim.paths import DATA_DIR, PARAMETERS_DIR, RULES_DIR

PERSONAS = Path(__file__).resolve().parents[2] / "personas"
GOV24_SAMPLE = [
    DATA_DIR / "gov24" / f"{name}_sample.json.gz"
    for name in ("serviceList", "serviceDetail", "supportConditions")
]
YOUTH_SAMPLE = DATA_DIR / "youth" / "youthcenter_sample_2026-07.json.gz"


def _judged() -> list[dict[str, Any]]:
    rows = yaml.safe_load((PERSONAS / "judged.yaml").read_text(encoding="utf-8"))["judged"]
    assert isinstance(rows, list)
    return rows


JUDGED = _judged()
CHECKED = [r for r in JUDGED if not r.get("known_miss")]


@cache
def _regions() -> RegionTable:
    return RegionTable.default()


@cache
def _engine() -> EligibilityEngine:
    regions = _regions()
    services = [
        *assemble(
            Gov24FileSource(GOV24_SAMPLE).records(),
            dataset="gov24",
            regions=regions,
            fetched_at=None,
        ).services,
        *assemble(
            YouthSource(YOUTH_SAMPLE).records(),
            dataset="youthcenter",
            regions=regions,
            fetched_at=None,
        ).services,
    ]
    parameters = Parameters.load(PARAMETERS_DIR)
    return EligibilityEngine.build(
        services,
        regions=regions,
        parameters=parameters,
        hand_rules=load_rules(RULES_DIR, parameters),
    )


@cache
def _profile(persona: str) -> Profile:
    data = json.loads((PERSONAS / f"{persona}.json").read_text(encoding="utf-8"))
    return parse_profile(data, regions=_regions())


@cache
def _statuses(persona: str) -> dict[str, str]:
    return _engine().statuses(_profile(persona))


def test_the_personas_cover_the_people_we_serve() -> None:
    files = sorted(PERSONAS.glob("p*.json"))
    assert len(files) >= 8
    profiles = [_profile(f.stem) for f in files]
    statuses = set().union(*(p.statuses for p in profiles))
    traits = set().union(*(p.household_traits for p in profiles))
    assert {"pregnant", "disabled", "farmer", "university_student", "job_seeker"} <= statuses
    assert "single_parent_or_grandparent" in traits
    assert any("small_business" in p.user_types for p in profiles)
    assert any((p.age_on() or 0) >= 65 for p in profiles)
    assert len({p.region for p in profiles}) >= 8
    # Regions given under names from before a reorganisation still resolve.
    old_names = [f for f in files if "old_name" in f.stem]
    assert len(old_names) >= 3 and all(_profile(f.stem).region for f in old_names)


def test_enough_pairs_were_judged() -> None:
    eligible = [r for r in JUDGED if r["sample"].startswith("eligible")]
    by_flag = [r for r in JUDGED if r["sample"] == "maybe-by-flag"]
    assert len(eligible) >= 80 and len(by_flag) >= 40
    for row in JUDGED:
        assert row["expected"] in ("eligible", "maybe", "ineligible")
        assert row["why"].strip()
        assert not row.get("known_miss") or row.get("cause", "").strip()


@pytest.mark.parametrize(
    "row", CHECKED, ids=[f"{r['persona'][:3]}-{r['service_id']}" for r in CHECKED]
)
def test_the_engine_agrees_with_the_judged_pair(row: dict[str, Any]) -> None:
    got = _statuses(row["persona"]).get(row["service_id"])
    if got != row["expected"]:
        result = _engine().explain(_profile(row["persona"]), row["service_id"])
        reasons = [r.text for r in result.reasons] if result else []
        pytest.fail(
            f"{row['persona']} × {row['service_id']} {row['service']}: engine says {got}, "
            f"a reader says {row['expected']} ({row['why']}); reasons: {reasons}"
        )


def test_a_maybe_from_the_flag_asks_about_the_group_in_the_agencys_words() -> None:
    # 체불청산 지원 융자: the worker's wages must have gone unpaid, which no profile field says.
    persona, service_id = "p02_pregnant_employee_jongno", "149200000030"
    result = _engine().explain(_profile(persona), service_id)
    assert result is not None and result.status.value == "maybe"
    fact = target_fact(service_id)
    assert f"facts.{fact}" in result.missing
    # The questionnaire knows how to ask it (one yes/no question, quoting the 지원대상).
    question = _engine().planner().question_for(f"facts.{fact}")
    assert question is not None and question.kind == "yesno"
    assert "체불" in question.label and question.label.endswith("?")
    answered = _profile(persona).with_(facts={fact: True})
    assert _engine().explain(answered, service_id).status.value == "eligible"  # type: ignore[union-attr]
