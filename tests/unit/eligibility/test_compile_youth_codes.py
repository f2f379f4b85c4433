"""온통청년 condition codes (jobCd, schoolCd, sbizCd, mrgSttsCd, plcyMajorCd) and regions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from compile_fixtures import JONGNO, FakeRegions, service

from alrim.domain.profile import Profile
from alrim.domain.region import Region
from alrim.domain.service import Agency, AgencyType
from alrim.eligibility.compile import compile_service
from alrim.eligibility.compile_youth import (
    read_youth_job,
    read_youth_major,
    read_youth_marriage,
    read_youth_school,
    read_youth_special,
)
from alrim.eligibility.evaluate import Context, evaluate
from alrim.eligibility.model import Flag, ProvenanceKind, Rule, Status, leaves
from alrim.eligibility.readings import Stance
from alrim.eligibility.target_facts import target_fact
from alrim.eligibility.youth_codes import GROUPS, JOB, SCHOOL

AS_OF = date(2026, 11, 25)
SID = "YP20260101000000000001"


class NoParameters:
    def median_income(self, year: int, household_size: int) -> int | None:
        return None


class AgencyRegions(FakeRegions):
    """The fake table, able to place an agency by the start of its name."""

    def agency_region(self, name: str, code: str | None, agency_type: str) -> Region | None:
        return JONGNO if name.startswith("서울특별시 종로구") else None


REGIONS = AgencyRegions()
CTX = Context(regions=REGIONS, parameters=NoParameters())


def policy(
    *,
    agency: str = "고용노동부",
    local: bool = False,
    target_text: str | None = None,
    **youth: object,
) -> Rule:
    extra = {"youth": {"region_codes": [], "income_condition": "0043001", **youth}}
    svc = service(SID, cond=None, extra=extra, target_text=target_text)
    kind = AgencyType.SIGUNGU if local else AgencyType.CENTRAL
    svc = replace(svc, name="테스트 청년정책", agency=Agency(name=agency, type=kind))
    return compile_service(svc, regions=REGIONS)


def person(**facts: object) -> Profile:
    base: dict[str, object] = {"as_of": AS_OF, "user_types_given": True}
    return Profile(**{**base, **facts})  # type: ignore[arg-type]


def judge(rule: Rule, **facts: object) -> Status:
    return evaluate(rule, person(**facts), CTX).status


def complete(*statuses: str) -> dict[str, object]:
    return {"statuses": frozenset(statuses), "statuses_complete": True}


# --- the code table ---------------------------------------------------------------------------


def test_every_group_has_its_no_restriction_code_and_named_codes() -> None:
    for group in GROUPS:
        assert group.any_code in group.codes
        assert group.codes[group.any_code] in ("제한없음", "무관")
        assert group.named and group.any_code not in group.named
    assert JOB.label("0013003") == "미취업자"
    assert SCHOOL.label("0049006") == "대졸 예정"


def test_no_restriction_every_named_code_or_nothing_is_no_criterion() -> None:
    assert read_youth_job({"job": ["0013010"]}).stance is Stance.OPEN
    every_state = sorted(JOB.named)
    assert read_youth_job({"job": every_state}).stance is Stance.OPEN
    assert read_youth_job({"job": [*every_state, "0013009"]}).stance is Stance.OPEN
    assert read_youth_job({"job": []}).stance is Stance.SILENT
    assert read_youth_school({"school": "0049010"}).stance is Stance.OPEN  # a raw string too
    assert read_youth_marriage({"marriage": "0055003"}).stance is Stance.OPEN


# --- 취업상태 -----------------------------------------------------------------------------------


def test_a_job_list_admits_any_listed_state() -> None:
    rule = policy(job=["0013001", "0013008"])  # 재직자, 영농종사자
    assert judge(rule, **complete("employee")) is Status.ELIGIBLE
    assert judge(rule, **complete("farmer")) is Status.ELIGIBLE
    assert judge(rule, **complete("job_seeker")) is Status.INELIGIBLE
    assert judge(rule, statuses=frozenset({"pregnant"})) is Status.MAYBE  # not exhaustive
    (reading,) = [read_youth_job({"job": ["0013001"]})]
    assert reading.criterion is not None
    assert reading.criterion.provenance.ref == "온통청년 jobCd"  # type: ignore[union-attr]


def test_unemployed_means_not_working_and_not_running_a_business() -> None:
    rule = policy(job=["0013003"])  # 미취업자
    assert judge(rule, **complete("job_seeker")) is Status.ELIGIBLE
    assert judge(rule, **complete("university_student")) is Status.ELIGIBLE  # a student
    assert judge(rule, **complete()) is Status.ELIGIBLE  # neither working nor in business
    assert judge(rule, **complete("employee")) is Status.INELIGIBLE
    assert judge(rule, **complete("employee", "job_seeker")) is Status.INELIGIBLE
    assert judge(rule, **complete("farmer")) is Status.INELIGIBLE
    owner = {**complete(), "user_types": frozenset({"individual", "small_business"})}
    assert judge(rule, **owner) is Status.INELIGIBLE
    # An employee whose other statuses are unknown is still employed.
    assert judge(rule, statuses=frozenset({"employee"})) is Status.INELIGIBLE
    assert judge(rule, statuses=frozenset({"job_seeker"})) is Status.MAYBE


def test_states_the_profile_cannot_say_are_asked() -> None:
    rule = policy(job=["0013004", "0013006"])  # 프리랜서, (예비)창업자
    result = evaluate(rule, person(**complete("job_seeker")), CTX)
    assert result.status is Status.MAYBE
    assert {"facts.freelancer", "facts.startup_founder"} <= set(result.missing)
    assert judge(rule, **complete("job_seeker"), facts={"freelancer": True}) is Status.ELIGIBLE
    assert judge(rule, business_stage="prospective") is Status.ELIGIBLE  # 예비창업자
    no = {"freelancer": False, "startup_founder": False}
    assert judge(rule, **complete(), business_stage="operating", facts=no) is Status.INELIGIBLE


def test_a_lone_other_job_state_admits_students_and_asks_the_rest() -> None:
    rule = policy(job=["0013009"])  # 기타 (7 of 17 such policies are for students)
    assert judge(rule, **complete("university_student")) is Status.ELIGIBLE
    fact = target_fact(SID)
    assert judge(rule, **complete("employee")) is Status.MAYBE
    assert judge(rule, **complete("employee"), facts={fact: True}) is Status.ELIGIBLE
    # With a named state, 기타 is only the question: a student does not pass by it.
    listed = policy(job=["0013001", "0013009"])
    assert judge(listed, **complete("university_student")) is Status.MAYBE


# --- 학력 ---------------------------------------------------------------------------------------


def test_school_levels_map_to_statuses_and_expected_graduations_need_the_student_status() -> None:
    rule = policy(school=["0049005"])  # 대학 재학
    assert judge(rule, **complete("university_student")) is Status.ELIGIBLE
    assert judge(rule, **complete("job_seeker")) is Status.INELIGIBLE
    final = policy(school=["0049006"])  # 대졸 예정
    assert judge(final, **complete("job_seeker"), facts={"university_final_year": True}) is (
        Status.INELIGIBLE
    )
    assert judge(final, **complete("university_student")) is Status.MAYBE
    yes = {"university_final_year": True}
    assert judge(final, **complete("university_student"), facts=yes) is Status.ELIGIBLE


def test_a_lone_other_school_or_major_code_says_nothing() -> None:
    assert read_youth_school({"school": ["0049009"]}).stance is Stance.SILENT
    assert read_youth_major({"major": ["0011008"]}).stance is Stance.SILENT
    # Beside a named level, 기타 is the policy's own target-group question.
    listed = policy(school=["0049005", "0049009"])
    asked = {leaf.fact for leaf in leaves(listed.criteria) if isinstance(leaf, Flag)}
    assert asked == {target_fact(SID)}
    assert judge(listed, **complete("university_student")) is Status.ELIGIBLE
    assert judge(listed, **complete("job_seeker")) is Status.MAYBE


# --- 특화분야, 혼인, 전공 ----------------------------------------------------------------------


def test_a_special_field_admits_its_members_and_asks_everyone_else() -> None:
    rule = policy(special=["0014002", "0014005"])  # 여성, 장애인
    assert judge(rule, sex="female") is Status.ELIGIBLE
    assert judge(rule, sex="male", **complete("disabled")) is Status.ELIGIBLE
    result = evaluate(rule, person(sex="male", **complete()), CTX)
    assert result.status is Status.MAYBE  # never failed: the field is a focus, not a limit
    assert f"facts.{target_fact(SID)}" in result.missing
    assert judge(rule, sex="male", **complete(), facts={target_fact(SID): False}) is (
        Status.INELIGIBLE
    )
    label = read_youth_special({"special": ["0014007"]}).summary
    assert label == "군인"


def test_marriage_is_one_fact_either_way() -> None:
    married, unmarried = policy(marriage="0055001"), policy(marriage="0055002")
    assert judge(married) is Status.MAYBE and judge(unmarried) is Status.MAYBE
    assert judge(married, facts={"married": True}) is Status.ELIGIBLE
    assert judge(unmarried, facts={"married": True}) is Status.INELIGIBLE
    assert judge(unmarried, facts={"married": False}) is Status.ELIGIBLE
    result = evaluate(unmarried, person(facts={"married": True}), CTX)
    assert "기혼에 해당하면 받을 수 없어요" in [r.text for r in result.reasons]


def test_majors_are_asked_one_field_at_a_time() -> None:
    rule = policy(major=["0011004", "0011005"])  # 이학, 공학
    result = evaluate(rule, person(), CTX)
    assert {"facts.major_natural_science", "facts.major_engineering"} <= set(result.missing)
    assert judge(rule, facts={"major_engineering": True}) is Status.ELIGIBLE


def test_groups_combine_with_and() -> None:
    # 희망사다리장학금 2유형 shape: 재직자 AND (고교 졸업 | 대학 재학 | 대졸 예정).
    rule = policy(job=["0013001"], school=["0049004", "0049005", "0049006"])
    assert judge(rule, **complete("employee", "university_student")) is Status.ELIGIBLE
    assert judge(rule, **complete("university_student")) is Status.INELIGIBLE


# --- region -----------------------------------------------------------------------------------


def test_a_policy_without_a_region_list_is_its_local_agencys() -> None:
    local = policy(agency="서울특별시 종로구 청년정책과", local=True)
    (region,) = [leaf for leaf in leaves(local.criteria) if leaf.kind == "region"]
    assert region.provenance.kind is ProvenanceKind.REGION
    assert region.label == "서울특별시 종로구 거주"
    assert judge(local, region="11110") is Status.ELIGIBLE
    assert judge(local, region="11140") is Status.INELIGIBLE
    central = policy(agency="고용노동부")
    assert not [leaf for leaf in leaves(central.criteria) if leaf.kind == "region"]


def test_a_policy_only_for_koreans_abroad_fails_residents() -> None:
    text = "관할 지역 재외동포 청년만 신청 가능 (국내 거주 청년 … 대상자에 해당 안됨)"
    rule = policy(target_text=text)
    assert judge(rule, region="11110") is Status.INELIGIBLE
    assert judge(rule) is Status.MAYBE  # where the person lives is unknown
    result = evaluate(rule, person(region="41130"), CTX)
    assert any("국내 거주에 해당하면 받을 수 없어요" in r.text for r in result.reasons)
