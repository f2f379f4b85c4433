"""compile_service: user types and tracks, the agency's region, 온통청년 fields."""

from __future__ import annotations

from datetime import date

from compile_fixtures import (
    JONGNO,
    OPEN_PERSONAL,
    SEOUL,
    FakeRegions,
    Finding,
    conditions,
    service,
    text_prov,
)

from alrim.domain.profile import Profile
from alrim.eligibility.compile import compile_service, read_user_types, service_tracks
from alrim.eligibility.compile_region import collapse_codes, read_youth_region
from alrim.eligibility.compile_youth import read_youth_age, read_youth_income
from alrim.eligibility.evaluate import Context, evaluate
from alrim.eligibility.ja_codes import Track
from alrim.eligibility.model import (
    AgeRange,
    All,
    AnyOf,
    Flag,
    LivesIn,
    ProvenanceKind,
    Rule,
    Status,
    UserTypeIn,
    leaves,
)
from alrim.eligibility.readings import Stance

AS_OF = date(2026, 11, 25)
REGIONS = FakeRegions()


class NoParameters:
    def median_income(self, year: int, household_size: int) -> int | None:
        return None


CTX = Context(regions=REGIONS, parameters=NoParameters())
OPEN = conditions(*OPEN_PERSONAL, age=(0, 120))


def judge(rule: Rule, **facts: object) -> Status:
    return evaluate(rule, Profile(as_of=AS_OF, **facts), CTX).status  # type: ignore[arg-type]


# --- user types ----------------------------------------------------------------------------


def test_personal_user_types_admit_individuals_and_households_alike() -> None:
    for published in (("개인",), ("가구",), ("개인", "가구")):
        reading = read_user_types(published)
        assert isinstance(reading.criterion, UserTypeIn)
        assert reading.criterion.allowed == frozenset({"individual", "household"})
    household_service = compile_service(service(cond=OPEN, user_types=("가구",)), regions=REGIONS)
    (leaf,) = leaves(household_service.criteria)
    assert leaf.label == "가구 대상"
    assert leaf.provenance.ref == "사용자구분 가구"
    assert judge(
        household_service, user_types=frozenset({"individual"}), user_types_given=True
    ) is (Status.ELIGIBLE)


def test_business_services_fail_a_person_who_said_they_are_not_one() -> None:
    rule = compile_service(service(cond=OPEN, user_types=("소상공인",)), regions=REGIONS)
    assert judge(rule) is Status.MAYBE  # user types not given: maybe a 소상공인
    assert (
        judge(rule, user_types=frozenset({"individual"}), user_types_given=True)
        is Status.INELIGIBLE
    )
    assert (
        judge(rule, user_types=frozenset({"small_business"}), user_types_given=True)
        is Status.ELIGIBLE
    )


def test_tracks_follow_the_published_order_and_ignore_unknown_names() -> None:
    assert service_tracks(("법인/시설/단체", "개인", "기타")) == [
        Track.PERSONAL,
        Track.ORGANIZATION,
    ]
    assert read_user_types(()).stance is Stance.SILENT


def test_person_or_organisation_service_has_one_branch_per_track() -> None:
    # 전략작물직불 (154300005041): 개인||법인/시설/단체, 농업인 or a 중소기업 in 농업·임업·어업.
    cond = conditions("JA0313", "JA2101", "JA2202", age=(18, 120))
    rule = compile_service(
        service(cond=cond, user_types=("개인", "법인/시설/단체")), regions=REGIONS
    )
    (branches,) = rule.criteria.items
    assert isinstance(branches, AnyOf)
    personal, organisation = branches.items
    assert isinstance(personal, All) and isinstance(organisation, All)
    assert [leaf.kind for leaf in leaves(personal)] == ["user_type", "age", "status"]
    assert [leaf.kind for leaf in leaves(organisation)] == [
        "user_type",
        "organization_type",
        "organization_industry",
    ]
    farmer = {"age": 50, "statuses": frozenset({"farmer"})}
    assert judge(rule, **farmer, user_types=frozenset({"individual"}), user_types_given=True) is (
        Status.ELIGIBLE
    )
    company = {
        "user_types": frozenset({"organization"}),
        "user_types_given": True,
        "organization_type": "sme",
        "organization_industry": "agriculture_forestry_fishery",
    }
    assert judge(rule, **company) is Status.ELIGIBLE
    clerk = {
        "age": 50,
        "statuses": frozenset({"employee"}),
        "statuses_complete": True,
        "user_types": frozenset({"individual"}),
        "user_types_given": True,
    }
    assert judge(rule, **clerk) is Status.INELIGIBLE


def test_several_tracks_without_criteria_are_one_user_type_criterion() -> None:
    rule = compile_service(
        service(cond=conditions(*OPEN_PERSONAL), user_types=("개인", "소상공인")),
        regions=REGIONS,
    )
    (leaf,) = leaves(rule.criteria)
    assert isinstance(leaf, UserTypeIn)
    assert leaf.allowed == frozenset({"individual", "household", "small_business"})
    assert leaf.label == "개인·소상공인 대상"


def test_unknown_user_types_read_every_group_without_a_user_type_criterion() -> None:
    rule = compile_service(
        service(cond=conditions("JA0313", "JA1101"), user_types=()), regions=REGIONS
    )
    assert [leaf.kind for leaf in leaves(rule.criteria)] == ["status", "business_stage"]


def test_text_age_on_a_two_track_service_lands_in_the_personal_branch() -> None:
    age = AgeRange(
        label="만 19~39세", provenance=text_prov("만 19~39세"), min_years=19, max_years=39
    )
    cond = conditions(*OPEN_PERSONAL, "JA1102", age=(0, 120))
    rule = compile_service(
        service(cond=cond, user_types=("개인", "소상공인")),
        regions=REGIONS,
        text_findings=[Finding("age", age)],
    )
    (branches,) = rule.criteria.items
    assert isinstance(branches, AnyOf)
    personal, business = branches.items
    assert age in leaves(personal)
    assert age not in leaves(business)


# --- region --------------------------------------------------------------------------------


def test_agency_region_restricts_to_residents() -> None:
    svc = service(cond=OPEN, area=JONGNO, agency="서울특별시 종로구")
    rule = compile_service(svc, regions=REGIONS)
    region = [leaf for leaf in leaves(rule.criteria) if isinstance(leaf, LivesIn)]
    assert len(region) == 1
    assert region[0].areas == ("11110",)
    assert region[0].label == "서울특별시 종로구 거주"
    assert region[0].provenance.kind is ProvenanceKind.REGION
    assert region[0].provenance.ref == "소관기관 서울특별시 종로구"
    assert judge(rule, region="11110") is Status.ELIGIBLE
    assert judge(rule, region="11140") is Status.INELIGIBLE
    assert judge(rule) is Status.MAYBE


def test_nationwide_service_has_no_region_criterion() -> None:
    rule = compile_service(service(cond=OPEN), regions=REGIONS)
    assert not [leaf for leaf in leaves(rule.criteria) if isinstance(leaf, LivesIn)]


def test_business_region_reads_as_where_the_business_is() -> None:
    svc = service(cond=None, area=SEOUL, user_types=("소상공인",), agency="서울특별시")
    (region,) = [
        leaf
        for leaf in leaves(compile_service(svc, regions=REGIONS).criteria)
        if isinstance(leaf, LivesIn)
    ]
    assert region.label == "서울특별시 소재"


# --- 온통청년 ------------------------------------------------------------------------------


def youth_service(**youth: object) -> Rule:
    extra = {"youth": {"region_codes": [], "income_condition": "0043001", **youth}}
    svc = service("YP1", cond=None, extra=extra)
    return compile_service(svc, regions=REGIONS)


def test_youth_region_codes_become_one_region_criterion() -> None:
    rule = youth_service(region_codes=["11110", "41130"], min_age="19", max_age="39")
    (region,) = [leaf for leaf in leaves(rule.criteria) if isinstance(leaf, LivesIn)]
    assert region.areas == ("11110", "41130")
    assert region.label == "서울특별시 종로구·경기도 성남시 거주"
    assert region.provenance.kind is ProvenanceKind.SOURCE
    assert judge(rule, region="41130", age=25) is Status.ELIGIBLE
    assert judge(rule, region="11140", age=25) is Status.INELIGIBLE


def test_youth_region_lists_collapse_to_whole_sido_and_to_nationwide() -> None:
    assert collapse_codes(["11110", "11140", "41130"], REGIONS) == ("11", "41130")
    # 수원시 is covered by its 구 장안구 (the fake table's only 구 of 수원).
    assert collapse_codes(["11110", "11140", "41111", "41130"], REGIONS) is None
    assert read_youth_region(["11110", "11140", "41110", "41130"], REGIONS).stance is Stance.OPEN
    assert read_youth_region([], REGIONS).stance is Stance.SILENT


def test_youth_ages() -> None:
    def bounds(low: str, high: str) -> tuple[int | None, int | None] | Stance:
        reading = read_youth_age({"min_age": low, "max_age": high})
        if not isinstance(reading.criterion, AgeRange):
            return reading.stance
        return reading.criterion.min_years, reading.criterion.max_years

    assert bounds("19", "39") == (19, 39)
    assert bounds("0", "0") is Stance.SILENT  # not given (340 of 1,324 policies)
    assert bounds("18", "0") == (18, None)  # 자립수당: no upper limit
    assert bounds("1", "99") == (1, None)  # 99 and 100 stand for "no upper limit"
    assert bounds("34", "99") == (34, None)
    assert bounds("0", "34") == (None, 34)
    assert bounds("40", "30") is Stance.SILENT  # contradictory: not a rule


def test_youth_income_codes() -> None:
    assert read_youth_income({"income_condition": "0043001"}).stance is Stance.OPEN
    assert read_youth_income({"income_condition": "0043003"}).stance is Stance.SILENT
    annual = read_youth_income(
        {"income_condition": "0043002", "income_min": "0", "income_max": "6000"}
    )
    assert isinstance(annual.criterion, Flag)
    assert annual.criterion.label == "연소득 6,000만원 이하"
    assert annual.criterion.question == "연소득 6,000만원 이하인가요?"
    rule = youth_service(income_condition="0043002", income_min="0", income_max="6000")
    assert judge(rule) is Status.MAYBE
    fact = annual.criterion.fact
    assert judge(rule, facts={fact: True}) is Status.ELIGIBLE
    assert judge(rule, facts={fact: False}) is Status.INELIGIBLE
