"""온통청년 policies of the bundled sample, compiled with their condition codes, judged for real.

The code criteria (취업상태, 학력, 특화분야, 혼인, 전공), the 대상 lines and the agency region are
checked on policies whose own text was read (quotes below), and every compiled 온통청년 rule is
judged the same by the reference evaluator, the screener and the vectorised audience — on the
eleven personas and on variants of them with statuses left open and yes/no facts answered.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from alrim.catalog.assemble import assemble
from alrim.catalog.regions import RegionTable
from alrim.catalog.sources.youth import YouthSource
from alrim.domain.profile import Profile
from alrim.domain.service import Service
from alrim.eligibility.engine import EligibilityEngine
from alrim.eligibility.evaluate import Context, evaluate
from alrim.eligibility.model import Flag, Rule, leaves
from alrim.eligibility.parameters import Parameters
from alrim.eligibility.profile_input import parse_profile
from alrim.eligibility.profile_table import profiles_to_frame
from alrim.eligibility.screener import Screener
from alrim.eligibility.target_facts import target_fact
from alrim.eligibility.vectorized import audience_statuses
from alrim.paths import DATA_DIR, PARAMETERS_DIR

PERSONAS = Path(__file__).resolve().parents[2] / "personas"
YOUTH_SAMPLE = DATA_DIR / "youth" / "youthcenter_sample_2026-07.json.gz"


@cache
def _regions() -> RegionTable:
    return RegionTable.default()


@cache
def _engine() -> EligibilityEngine:
    services = assemble(
        YouthSource(YOUTH_SAMPLE).records(),
        dataset="youthcenter",
        regions=_regions(),
        fetched_at=None,
    ).services
    return EligibilityEngine.build(
        services, regions=_regions(), parameters=Parameters.load(PARAMETERS_DIR)
    )


@cache
def _persona(name: str) -> Profile:
    data = json.loads((PERSONAS / f"{name}.json").read_text(encoding="utf-8"))
    return parse_profile(data, regions=_regions())


def _status(persona: str | Profile, service_id: str) -> str:
    profile = _persona(persona) if isinstance(persona, str) else persona
    result = _engine().explain(profile, service_id)
    assert result is not None
    return result.status.value


def _reasons(persona: str, service_id: str) -> list[str]:
    result = _engine().explain(_persona(persona), service_id)
    assert result is not None
    return [r.text for r in result.reasons]


def _service(service_id: str) -> Service:
    return _engine().services[service_id]


# --- what the codes say, on policies whose text was read -----------------------------------


def test_job_codes_exclude_employees_from_programmes_for_the_unemployed() -> None:
    # 청년인턴 사업: jobCd 미취업자, schoolCd 대졸 예정 — "청년 일 경험 기회 제공"
    sid = "YP20260504005400113130"
    assert _status("p10_new_father_cheonan", sid) == "ineligible"
    assert "재직자·농어업인에 해당하면 받을 수 없어요" in _reasons("p10_new_father_cheonan", sid)
    # 울산 청년 웰스테이: jobCd 재직자 ("청년 근로자의 … 주거비 지원") — a job seeker is not one.
    assert _status("p01_youth_jobseeker_ulsan", "YP20260413005400212693") == "ineligible"


def test_a_student_is_not_employed_and_a_school_level_needs_its_status() -> None:
    # AI 보안관제 전문인력 양성: 미취업자 ✔ for a student, but 학력 lists only 고교 졸업,
    # 대졸 예정, 대학 졸업, 석·박사: whether he is in his final year is asked, not assumed.
    sid = "YP20250305005400110592"
    assert _status("p08_university_student_gwangju_old_name", sid) == "maybe"
    # 주거안정장학금 ("재학 중인 대학생"): a job seeker known not to be a student fails.
    assert _status("p01_youth_jobseeker_ulsan", "YP20250521005400110863") == "ineligible"


def test_a_special_field_code_is_asked_never_failed() -> None:
    # 서울시 청년해외봉사단: sbizCd 한부모가정, yet "서울시 거주 만19세~39세 청년" may apply —
    # the code is the policy's focus, so a person outside it is asked, not refused.
    service = _service("YP20250522005400210870")
    rule = _engine().rule(service.service_id)
    assert rule is not None
    asked = [leaf for leaf in leaves(rule.criteria) if isinstance(leaf, Flag)]
    assert target_fact(service.service_id) in {leaf.fact for leaf in asked}
    seoul = _persona("p02_pregnant_employee_jongno")
    assert _status(seoul, service.service_id) == "maybe"
    single_parent = seoul.with_(
        household_traits=frozenset({"single_parent_or_grandparent"}),
        household_traits_complete=True,
    )
    assert _status(single_parent, service.service_id) == "eligible"


def test_a_policy_without_a_region_list_is_its_local_agencys() -> None:
    # (동구) 청년 자격증 응시료 지원: no zipCd, agency 인천광역시 동구 (now 제물포구).
    sid = "YP20260406005400212458"
    assert _status("p08_university_student_gwangju_old_name", sid) == "ineligible"
    assert any("제물포구" in r for r in _reasons("p08_university_student_gwangju_old_name", sid))


def test_a_policy_for_koreans_abroad_is_not_for_residents() -> None:
    # 재외동포 청년인턴: "관할 지역 재외동포 청년만 신청 가능 (국내 거주 청년 … 해당 안됨)"
    sid = "YP20250620005400111084"
    assert _status("p01_youth_jobseeker_ulsan", sid) == "ineligible"
    assert "국내 거주에 해당하면 받을 수 없어요" in " ".join(
        _reasons("p01_youth_jobseeker_ulsan", sid)
    )


def test_the_target_line_of_the_benefit_text_names_the_group() -> None:
    # 거리공연 지원사업: 지원대상 empty; 지원내용 "○ 지원대상 : 관내 예술인(단체) …"
    sid = "YP20250716005400211310"
    result = _engine().explain(_persona("p01_youth_jobseeker_ulsan"), sid)
    assert result is not None and result.status.value == "maybe"
    assert f"facts.{target_fact(sid)}" in result.missing
    # 은평청년축제: "대상 : 청년 및 남녀노소 누구나" — open to everyone.
    assert _status("p03_senior_mokpo_old_name", "YP20250827005400211522") == "eligible"


def test_the_codes_and_the_text_ask_one_question_in_the_agencys_words() -> None:
    # 충남도립대학교 취업역량 강화 사업: jobCd 기타, sbizCd 기타, 추가자격 "충남도립대학교
    # 재학생․졸업생" — three criteria, one fact, asked once, quoting the agency.
    sid = "YP20260504005400113106"
    rule = _engine().rule(sid)
    assert rule is not None
    asked = [leaf for leaf in leaves(rule.criteria) if isinstance(leaf, Flag)]
    assert len(asked) == 3 and {leaf.fact for leaf in asked} == {target_fact(sid)}
    assert {leaf.question for leaf in asked} == {"‘충남도립대학교 재학생․졸업생’에 해당하나요?"}
    student = _persona("p10_new_father_cheonan").with_(
        statuses=frozenset({"university_student"}), statuses_complete=True
    )
    assert _status(student, sid) == "maybe"
    assert _status(student.with_(facts={target_fact(sid): True}), sid) == "eligible"


# --- three evaluators, one answer ------------------------------------------------------------


def _variants() -> list[Profile]:
    people: list[Profile] = []
    for path in sorted(PERSONAS.glob("p*.json")):
        base = _persona(path.stem)
        people.append(base)
        people.append(base.with_(statuses_complete=False, user_types_given=False))
        people.append(
            base.with_(
                facts={
                    "married": True,
                    "freelancer": False,
                    "startup_founder": True,
                    "university_final_year": True,
                    "high_school_graduate": False,
                }
            )
        )
    return people


@pytest.fixture(scope="module")
def youth_rules() -> list[Rule]:
    engine = _engine()
    rules = [r for r in engine.rules if r.service_id.startswith("YP")]
    assert len(rules) == 1324
    return rules


def test_screener_and_reference_agree_on_every_youth_rule(youth_rules: list[Rule]) -> None:
    engine = _engine()
    screener = Screener.build(youth_rules, engine.ctx)
    for person in _variants():
        fast = screener.check(person, include_all=True)
        slow = [evaluate(r, person, engine.ctx).to_dict() for r in youth_rules]
        assert fast == slow


def test_vectorised_audience_and_reference_agree_on_every_youth_rule(
    youth_rules: list[Rule],
) -> None:
    ctx: Context = _engine().ctx
    people = _variants()
    frame = profiles_to_frame(people)
    for rule in youth_rules:
        statuses = audience_statuses(rule, frame, ctx).to_list()
        assert statuses == [evaluate(rule, p, ctx).status.value for p in people], rule.service_id
