"""JA-code semantics, group by group, on hand-made supportConditions rows."""

from __future__ import annotations

from datetime import date

import pytest
from compile_fixtures import (
    HOUSEHOLD_ALL,
    INCOME_ALL,
    OPEN_PERSONAL,
    SEX_ALL,
    STATUS_ALL,
    FakeRegions,
    conditions,
    service,
)

from alrim.domain.profile import Profile
from alrim.eligibility.compile import compile_service
from alrim.eligibility.compile_ja import read_age, read_conditions, read_group
from alrim.eligibility.evaluate import Context, evaluate
from alrim.eligibility.ja_codes import HOUSEHOLD, INCOME, SEX, STATUS, Track
from alrim.eligibility.model import (
    AgeRange,
    HouseholdTraitIn,
    IncomeBandIn,
    Leaf,
    ProvenanceKind,
    SexIn,
    Status,
    StatusIn,
    leaves,
)
from alrim.eligibility.readings import Stance

AS_OF = date(2026, 11, 25)


class NoParameters:
    def median_income(self, year: int, household_size: int) -> int | None:
        return None


CTX = Context(regions=FakeRegions(), parameters=NoParameters())


def person(**facts: object) -> Profile:
    return Profile(as_of=AS_OF, **facts)  # type: ignore[arg-type]


def ja_leaves(*flagged: str, age: tuple[int | None, int | None] = (None, None)) -> list[Leaf]:
    rule = compile_service(service(cond=conditions(*flagged, age=age)), regions=FakeRegions())
    return [leaf for leaf in leaves(rule.criteria) if leaf.provenance.kind is ProvenanceKind.JA]


def only(*flagged: str, kind: type[Leaf]) -> Leaf:
    found = [leaf for leaf in ja_leaves(*flagged) if isinstance(leaf, kind)]
    assert len(found) == 1, found
    return found[0]


def judge(flagged: tuple[str, ...], profile: Profile) -> Status:
    rule = compile_service(service(cond=conditions(*flagged)), regions=FakeRegions())
    return evaluate(rule, profile, CTX).status


# --- whole rows ---------------------------------------------------------------------------


def test_missing_supportconditions_row_gives_no_structured_criteria() -> None:
    assert read_conditions(None) == {}
    assert ja_leaves() == []  # nothing ticked: every group silent
    rule = compile_service(service(cond=None), regions=FakeRegions())
    assert [leaf.kind for leaf in leaves(rule.criteria)] == ["user_type"]


def test_every_code_of_every_group_ticked_means_no_restriction() -> None:
    assert ja_leaves(*OPEN_PERSONAL, age=(0, 120)) == []
    readings = read_conditions(conditions(*OPEN_PERSONAL, age=(0, 120)), [Track.PERSONAL])
    assert {d: r.stance for d, r in readings.items()} == {
        "age": Stance.OPEN,
        "sex": Stance.OPEN,
        "income": Stance.OPEN,
        "status": Stance.OPEN,
        "household": Stance.OPEN,
    }


def test_raw_y_values_are_read_like_typed_booleans() -> None:
    raw = {"JA0313": "Y", "JA0314": None, "JA0110": "19.0", "JA0111": 120}
    assert read_group(STATUS, raw).criterion == read_group(STATUS, {"JA0313": True}).criterion
    assert read_age(raw).summary == "만 19세 이상"


# --- 성별 -----------------------------------------------------------------------------------


def test_sex_one_code_restricts_and_none_ticked_is_not_a_restriction() -> None:
    leaf = only("JA0102", kind=SexIn)
    assert isinstance(leaf, SexIn)
    assert leaf.allowed == frozenset({"female"})
    assert leaf.label == "여성"
    assert leaf.provenance.ref == "JA0102"
    assert judge(("JA0102",), person(sex="male")) is Status.INELIGIBLE
    assert judge(("JA0102",), person(sex="female")) is Status.ELIGIBLE
    assert read_group(SEX, conditions()).stance is Stance.SILENT  # 85 sample services
    assert read_group(SEX, conditions(*SEX_ALL)).stance is Stance.OPEN


# --- 연령 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ages", "label", "bounds"),
    [
        ((65, 120), "만 65세 이상", (65, None)),
        ((0, 17), "만 17세 이하", (None, 17)),
        ((19, 39), "만 19~39세", (19, 39)),
        ((65, 200), "만 65세 이상", (65, None)),  # 200 is used like 120 by a few rows
        ((0, 0), "만 0세", (None, 0)),  # 경기도산후조리비지원: the newborn
        ((18, None), "만 18세 이상", (18, None)),
    ],
)
def test_age_codes(
    ages: tuple[int | None, int | None], label: str, bounds: tuple[int | None, int | None]
) -> None:
    reading = read_age(conditions(age=ages))
    assert reading.stance is Stance.RESTRICTED
    assert isinstance(reading.criterion, AgeRange)
    assert (reading.criterion.min_years, reading.criterion.max_years) == bounds
    assert reading.criterion.label == label
    assert reading.criterion.provenance.ref == "JA0110,JA0111"


def test_age_zero_to_120_is_open_and_nulls_are_silent() -> None:
    assert read_age(conditions(age=(0, 120))).stance is Stance.OPEN
    assert read_age(conditions(age=(None, None))).stance is Stance.SILENT


def test_age_limits_are_inclusive_on_the_birthday() -> None:
    rule = compile_service(service(cond=conditions(age=(65, 120))), regions=FakeRegions())
    turns_65_today = person(birth_date=date(1961, 11, 25))
    turns_65_tomorrow = person(birth_date=date(1961, 11, 26))
    assert evaluate(rule, turns_65_today, CTX).status is Status.ELIGIBLE
    assert evaluate(rule, turns_65_tomorrow, CTX).status is Status.INELIGIBLE


# --- 소득구간 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "label"),
    [
        (("JA0201",), "기준 중위소득 50% 이하"),
        (("JA0201", "JA0202", "JA0203"), "기준 중위소득 100% 이하"),
        (("JA0201", "JA0202", "JA0203", "JA0204"), "기준 중위소득 200% 이하"),
        (("JA0204", "JA0205"), "기준 중위소득 100% 초과"),
        (("JA0202", "JA0203"), "기준 중위소득 50% 초과 100% 이하"),
        (("JA0201", "JA0204"), "기준 중위소득 0~50%·중위소득 101~200%"),
    ],
)
def test_income_bands_are_an_allowed_set(codes: tuple[str, ...], label: str) -> None:
    leaf = only(*codes, kind=IncomeBandIn)
    assert isinstance(leaf, IncomeBandIn)
    assert leaf.allowed == frozenset(INCOME.values[c] for c in codes)
    assert leaf.label == label
    assert leaf.provenance.ref == ",".join(codes)


def test_income_all_bands_or_none_is_no_criterion() -> None:
    assert read_group(INCOME, conditions(*INCOME_ALL)).stance is Stance.OPEN
    assert read_group(INCOME, conditions()).stance is Stance.SILENT


def test_income_band_judges_a_person_by_band() -> None:
    assert judge(("JA0201",), person(income_band="0-50")) is Status.ELIGIBLE
    assert judge(("JA0201",), person(income_band="101-200")) is Status.INELIGIBLE
    assert judge(("JA0201",), person()) is Status.MAYBE


# --- 개인특성 (one group: 임신·출산, 직업, 학생, 장애·보훈·질병, one 해당사항없음) -------------


def test_statuses_ticked_are_the_allowed_set() -> None:
    leaf = only("JA0313", "JA0314", kind=StatusIn)
    assert isinstance(leaf, StatusIn)
    assert leaf.allowed == frozenset({"farmer", "fisher"})
    assert not leaf.none_ok
    assert leaf.label == "농업인·어업인"
    assert leaf.provenance.ref == "JA0313,JA0314"
    codes = ("JA0313", "JA0314")
    farmer = person(statuses=frozenset({"farmer"}))
    employee = person(statuses=frozenset({"employee"}), statuses_complete=True)
    assert judge(codes, farmer) is Status.ELIGIBLE
    assert judge(codes, employee) is Status.INELIGIBLE
    assert judge(codes, person()) is Status.MAYBE  # statuses not known to be complete


def test_statuses_of_different_subgroups_are_alternatives_not_all_required() -> None:
    # 공영주차장 이용요금 감면 (O00025000008 …): 임산부 + 장애인 + 국가보훈대상자 — any one.
    codes = ("JA0302", "JA0328", "JA0329")
    disabled = person(statuses=frozenset({"disabled"}), statuses_complete=True)
    assert judge(codes, disabled) is Status.ELIGIBLE
    leaf = only(*codes, kind=StatusIn)
    assert leaf.label == "임산부·장애인·국가보훈대상자"


def test_none_code_with_statuses_also_admits_people_with_no_status() -> None:
    # 학교 밖 청소년 (335000000104): every status but the students, plus 해당사항없음.
    codes = (*[c for c in STATUS_ALL if c not in ("JA0317", "JA0318", "JA0319", "JA0320")],)
    flagged = (*codes, "JA0322")
    leaf = only(*flagged, kind=StatusIn)
    assert isinstance(leaf, StatusIn)
    assert leaf.none_ok
    assert leaf.label == "초등학생·중학생·고등학생·대학생/대학원생에 해당하지 않음"
    nobody = person(statuses=frozenset(), statuses_complete=True)
    pupil = person(statuses=frozenset({"high_school_student"}), statuses_complete=True)
    assert judge(flagged, nobody) is Status.ELIGIBLE
    assert judge(flagged, pupil) is Status.INELIGIBLE


def test_none_code_with_few_statuses_names_the_focus_not_a_condition() -> None:
    # 한국잡월드 입장료 면제 및 할인 (B55283600001) ticks 장애인·국가보훈대상자 + 해당사항없음
    # for "수급자 … 국가유공자 및 장애인, 만 65세 이상자": nobody is excluded for being a job
    # seeker. A minority of codes + 해당사항없음 reads as no restriction (the codes' focus is
    # kept as the reading's summary).
    codes = ("JA0328", "JA0329", "JA0322")
    reading = read_group(STATUS, conditions(*codes))
    assert reading.stance is Stance.OPEN
    assert reading.summary == "장애인·국가보훈대상자 또는 개인특성 해당 없음"
    seeker = person(statuses=frozenset({"job_seeker"}), statuses_complete=True)
    assert judge(codes, seeker) is Status.ELIGIBLE


def test_none_code_alone_is_no_status_restriction() -> None:
    # 122 sample services tick only JA0322, among them 학생정신건강 치료비 지원 (930000000011)
    # for students and 여성농업인 특수건강검진 (650000001099) for farmers.
    reading = read_group(STATUS, conditions("JA0322"))
    assert reading.stance is Stance.OPEN
    student = person(statuses=frozenset({"middle_school_student"}), statuses_complete=True)
    assert judge(("JA0322",), student) is Status.ELIGIBLE


def test_all_statuses_without_none_code_still_requires_one_status() -> None:
    # Never seen in the data (0 of 1,097 and of 10,245); read literally.
    leaf = only(*STATUS_ALL, kind=StatusIn)
    assert isinstance(leaf, StatusIn)
    assert not leaf.none_ok
    assert leaf.allowed == frozenset(STATUS.values.values())


# --- 가구특성 -------------------------------------------------------------------------------


def test_household_all_but_single_person_excludes_single_person_households() -> None:
    # 출산장려금 / 아빠 육아휴직 장려금: every trait but 1인가구, plus 해당사항없음.
    flagged = (*[c for c in HOUSEHOLD_ALL if c != "JA0404"], "JA0410")
    leaf = only(*flagged, kind=HouseholdTraitIn)
    assert isinstance(leaf, HouseholdTraitIn)
    assert leaf.none_ok
    assert leaf.label == "1인가구에 해당하지 않음"
    alone = person(household_traits=frozenset({"single_person"}), household_traits_complete=True)
    family = person(household_traits=frozenset(), household_traits_complete=True)
    assert judge(flagged, alone) is Status.INELIGIBLE
    assert judge(flagged, family) is Status.ELIGIBLE


def test_household_none_code_alone_or_all_codes_is_no_restriction() -> None:
    assert read_group(HOUSEHOLD, conditions("JA0410")).stance is Stance.OPEN
    assert read_group(HOUSEHOLD, conditions(*HOUSEHOLD_ALL, "JA0410")).stance is Stance.OPEN
    assert read_group(HOUSEHOLD, conditions()).stance is Stance.SILENT


def test_household_subset_without_none_code() -> None:
    leaf = only("JA0411", kind=HouseholdTraitIn)
    assert isinstance(leaf, HouseholdTraitIn)
    assert leaf.allowed == frozenset({"multi_child"})
    assert leaf.label == "다자녀가구"


# --- business and organisation groups ------------------------------------------------------


def test_business_groups_are_read_for_small_business_services() -> None:
    cond = conditions("JA1102", "JA1201", "JA1202", "JA1299")
    rule = compile_service(service(cond=cond, user_types=("소상공인",)), regions=FakeRegions())
    kinds = {leaf.kind: leaf for leaf in leaves(rule.criteria)}
    assert kinds["business_stage"].label == "영업 중"
    assert "business_industry" not in kinds  # every industry ticked
    assert kinds["user_type"].label == "소상공인 대상"


def test_organisation_groups_are_read_for_organisation_services() -> None:
    cond = conditions("JA2101", "JA2202")
    rule = compile_service(
        service(cond=cond, user_types=("법인/시설/단체",)), regions=FakeRegions()
    )
    labels = {leaf.kind: leaf.label for leaf in leaves(rule.criteria)}
    assert labels == {
        "user_type": "법인·시설·단체 대상",
        "organization_type": "중소기업",
        "organization_industry": "농업·임업·어업",
    }


def test_business_only_service_is_not_judged_by_personal_flags() -> None:
    # 300000000137 (소상공인 도로점용료 감면) ticks every personal flag; O00060800008 (학교급식
    # 식재료, 법인) ticks 초·중·고등학생. A business has no age, sex or student status.
    cond = conditions("JA0317", "JA0318", "JA0319", "JA2103", age=(0, 120))
    rule = compile_service(
        service(cond=cond, user_types=("법인/시설/단체",)), regions=FakeRegions()
    )
    assert {leaf.kind for leaf in leaves(rule.criteria)} == {"user_type", "organization_type"}


def test_personal_service_ignores_business_flags() -> None:
    cond = conditions("JA0313", "JA1101")
    rule = compile_service(service(cond=cond, user_types=("개인",)), regions=FakeRegions())
    assert {leaf.kind for leaf in leaves(rule.criteria)} == {"user_type", "status"}
