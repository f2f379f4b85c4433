"""Fixes from the audit of "ineligible" and "maybe" verdicts (docs/eligibility.md, section 11).

Each test is built from the real text (and JA codes) of a gov24 sample service whose verdict a
reader judged differently from the engine; the service id is in the comment.
"""

from __future__ import annotations

from datetime import date

import pytest
from compile_fixtures import conditions, service

from alrim.catalog.regions import RegionTable
from alrim.domain.profile import Profile
from alrim.domain.region import Region
from alrim.eligibility.compile import compile_service
from alrim.eligibility.evaluate import Context, evaluate
from alrim.eligibility.model import LivesIn, Status, StatusIn, UserTypeIn, leaves
from alrim.eligibility.parameters import Parameters
from alrim.eligibility.text_criteria import (
    Strength,
    TextFinding,
    extract_text_criteria,
    read_field,
)
from alrim.paths import PARAMETERS_DIR

REGIONS = RegionTable.default()
AS_OF = date(2026, 11, 25)
FORMER_GWANGJU = {"12210", "12240", "12270", "12300", "12330"}  # 동구 서구 남구 북구 광산구


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context(regions=REGIONS, parameters=Parameters.load(PARAMETERS_DIR))


def person(**facts: object) -> Profile:
    return Profile(as_of=AS_OF, **facts)  # type: ignore[arg-type]


def area(code: str) -> Region:
    found = REGIONS.get(code)
    assert found is not None
    return found


def region_areas(findings: list[TextFinding], strength: Strength) -> list[tuple[str, ...]]:
    return [
        f.criterion.areas
        for f in findings
        if isinstance(f.criterion, LivesIn) and f.strength is strength and not f.opens
    ]


def explicit_regions(findings: list[TextFinding]) -> list[tuple[str, ...]]:
    return region_areas(findings, Strength.EXPLICIT)


# --- region: a former 시도 named in the text is the former area --------------------------------


def test_gwangju_in_a_text_is_the_former_gwangju_not_all_of_the_merged_sido() -> None:
    # 629000000149 광주청년구직활동수당: a 여수 job seeker was "eligible" for 광주's allowance.
    text = "○ 광주 거주하는 19~39세 미취업 청년 중 기준 중위소득(건강보험료 기준) 150% 이하 가구원"
    found = read_field(text, "target_text", service_region=area("12"), regions=REGIONS)
    [areas] = explicit_regions(found)
    assert set(areas) == FORMER_GWANGJU
    assert not any(REGIONS.covers(area(a), "12130") for a in areas)  # 여수시
    assert any(REGIONS.covers(area(a), "광주광역시 북구") for a in areas)


def test_jeonnam_in_a_text_is_the_former_jeollanam_do() -> None:
    # 646000000213 농업용 유류저장탱크(급유기) 구입 지원 (written for 전라남도 farmers).
    text = (
        "전남도에 1년(신청일 기준) 이상 거주(주소 기준)하고, 농지를 소유 또는 임대하여 "
        "농작물을 실경작하고 있는 농업인"
    )
    found = read_field(text, "target_text", service_region=area("12"), regions=REGIONS)
    [areas] = explicit_regions(found)
    assert "12130" in areas and "12110" in areas  # 여수시, 목포시
    assert not set(areas) & FORMER_GWANGJU
    assert len(areas) == 22


def test_a_current_sido_name_stays_the_whole_sido() -> None:
    # O00046400015 거리로나온예술 활동비 지원 (고양문화재단): "주소지가 경기도인 예술인 및 단체".
    found = read_field(
        "주소지가 경기도인 예술인 및 단체",
        "target_text",
        service_region=area("41280"),
        regions=REGIONS,
    )
    assert ("41",) in [f.criterion.areas for f in found if isinstance(f.criterion, LivesIn)]


# --- region: the service's own 시군구 binds when the text also names a wider region -----------

GOKSEONG_TEXT = (
    "① (주 소) 신청일 기준, 가구 구성원 모두 주민등록상 주소지가 곡성군\n"
    " - 신청자는 곡성군 소재 주택을 구입하고, 그 주택에 주소를 두어야 함\n"
    " - 나머지 가구 구성원(배우자 및 자녀)은 전남도에 주소가 있으면 신청 가능\n"
    "② (무주택) 세대주 본인 및 가구 구성원(배우자 및 자녀) 모두가 무주택"
)
YEOSU_TEXT = (
    "○ 연령 : 혼인신고일 기준, 남녀 모두 만 49세 이하인 부부\n\n"
    "○ 거주조건 (아래 두가지 조건 모두 충족시 가능)\n"
    "   - 혼인신고 이후, 부부 모두 전남광주통합특별시에 6개월 이상 거주\n"
    "   - 부부 중 1명(신청자)는 신청일부터 지급일까지 여수시에 주소를 두고 거주"
)


@pytest.mark.parametrize(
    ("service_id", "text", "own"),
    [
        ("486000000133", GOKSEONG_TEXT, "12720"),  # 곡성군 신혼부부·다자녀가정 보금자리
        ("481000000368", YEOSU_TEXT, "12130"),  # 여수시 청년부부 결혼축하금
    ],
)
def test_the_services_own_region_binds_when_the_text_adds_a_wider_one(
    service_id: str, text: str, own: str, ctx: Context
) -> None:
    svc = service(service_id, area=area(own), target_text=text)
    findings = extract_text_criteria(svc, REGIONS)
    assert explicit_regions(findings) == [(own,)]
    wider = region_areas(findings, Strength.WEAK)
    assert wider and all(own in areas or areas == ("12",) for areas in wider)
    rule = compile_service(svc, regions=REGIONS, text_findings=findings)
    in_gwangju = person(region="12300", birth_date=date(2000, 1, 1))
    assert evaluate(rule, in_gwangju, ctx).status is Status.INELIGIBLE


# --- JA: a few statuses + 해당사항없음 name the focus, not a condition --------------------------


def test_a_few_statuses_with_none_code_do_not_exclude_other_statuses(ctx: Context) -> None:
    # 374000000575 (수원시 영통구) 임산부 및 예비·신혼부부 검사 지원: ticks 임산부 + 해당사항없음
    # for "결혼예정자 및 신혼부부"; an employee bride-to-be was "ineligible".
    svc = service(cond=conditions("JA0302", "JA0322"))
    rule = compile_service(svc, regions=REGIONS)
    assert not [leaf for leaf in leaves(rule.criteria) if isinstance(leaf, StatusIn)]
    employee = person(statuses=frozenset({"employee"}), statuses_complete=True)
    assert evaluate(rule, employee, ctx).status is Status.ELIGIBLE


def test_as_many_statuses_ticked_as_unticked_still_exclude_the_rest(ctx: Context) -> None:
    # 414000000449 연천군 어르신 교통비: 8 statuses + 해당사항없음, 8 unticked; its text says
    # "※지원제외 … 국가유공자(통합복지카드 사용)" — the unticked 국가보훈대상자 is excluded.
    ticked = ("JA0313", "JA0314", "JA0315", "JA0316", "JA0326", "JA0327", "JA0328", "JA0330")
    rule = compile_service(service(cond=conditions(*ticked, "JA0322")), regions=REGIONS)
    veteran = person(statuses=frozenset({"veteran"}), statuses_complete=True)
    nobody = person(statuses=frozenset(), statuses_complete=True)
    assert evaluate(rule, veteran, ctx).status is Status.INELIGIBLE
    assert evaluate(rule, nobody, ctx).status is Status.ELIGIBLE


def test_a_few_household_traits_with_none_code_do_not_exclude_other_traits(ctx: Context) -> None:
    # 628000000768 아이모아카드 ticks 다자녀가구 + 해당사항없음 for "막내가 만18세 이하 2자녀
    # 이상 가정": a family without a home is not excluded for being one.
    rule = compile_service(service(cond=conditions("JA0411", "JA0410")), regions=REGIONS)
    renting = person(household_traits=frozenset({"no_home"}), household_traits_complete=True)
    assert evaluate(rule, renting, ctx).status is Status.ELIGIBLE


# --- user type: 예비창업자 of a 소상공인 service are people -----------------------------------


def test_a_small_business_service_for_prospective_founders_admits_a_person(ctx: Context) -> None:
    # B55307700038 2026년 소상공인 역량강화 교육: "소상공인 … 또는 예비 소상공인"; JA1101, JA1102.
    svc = service(cond=conditions("JA1101", "JA1102"), user_types=("소상공인",))
    rule = compile_service(svc, regions=REGIONS)
    [head] = [leaf for leaf in leaves(rule.criteria) if isinstance(leaf, UserTypeIn)]
    assert head.label == "소상공인·예비창업자 대상"
    individual = person(user_types=frozenset({"individual"}), user_types_given=True)
    assert evaluate(rule, individual, ctx).status is Status.MAYBE
    founder = individual.with_(business_stage="prospective")
    assert evaluate(rule, founder, ctx).status is Status.ELIGIBLE


def test_a_small_business_service_for_operating_businesses_still_fails_a_person(
    ctx: Context,
) -> None:
    # 142100000071-like: 영업 중 only — a person who runs no business is not its applicant.
    svc = service(cond=conditions("JA1102"), user_types=("소상공인",))
    rule = compile_service(svc, regions=REGIONS)
    individual = person(user_types=frozenset({"individual"}), user_types_given=True)
    assert evaluate(rule, individual, ctx).status is Status.INELIGIBLE


def test_the_persons_status_counts_in_a_service_for_prospective_founders(ctx: Context) -> None:
    # WII000000880 장애인맞춤형창업교육: "○ 장애인 예비창업자, 장애인기업".
    svc = service(
        "WII000000880",
        cond=conditions("JA1101", "JA1102", "JA1201", "JA1202", "JA1299"),
        user_types=("소상공인",),
        target_text="○ 장애인 예비창업자, 장애인기업",
    )
    rule = compile_service(svc, regions=REGIONS, text_findings=extract_text_criteria(svc))
    base = person(user_types=frozenset({"individual"}), user_types_given=True)
    not_disabled = base.with_(statuses=frozenset({"job_seeker"}), statuses_complete=True)
    disabled = base.with_(statuses=frozenset({"disabled"}), statuses_complete=True)
    assert evaluate(rule, not_disabled, ctx).status is Status.INELIGIBLE
    assert evaluate(rule, disabled, ctx).status is Status.MAYBE


# --- target group: a comma list inside one alternative item -------------------------------

HONAM_TEXT = (
    "○ 만65세 이상, 장애인(1~3급 장애인 보호자 1인 포함)\n\n"
    "○ 국가·독립유공자, 5·18민주유공자 및 자녀\n\n"
    "○ 기초수급자, 소년·소녀가장, 차상위계층\n\n"
    "○ 국립호남권생물자원관이 소재하는 목포시 고하도 주민(주민등록증)\n\n"
    "○ 국립호남권생물자원관 회원(회원증)"
)


def test_groups_listed_with_commas_in_one_item_are_alternatives(ctx: Context) -> None:
    # B55435200002 국립호남권생물자원관 전시관 입장료 무료: a 72-year-old was only "maybe".
    svc = service("B55435200002", target_text=HONAM_TEXT)
    rule = compile_service(svc, regions=REGIONS, text_findings=extract_text_criteria(svc, REGIONS))
    senior = person(birth_date=date(1954, 2, 11), statuses=frozenset(), statuses_complete=True)
    younger = person(birth_date=date(1990, 1, 1))
    assert evaluate(rule, senior, ctx).status is Status.ELIGIBLE
    assert evaluate(rule, younger, ctx).status is Status.MAYBE


def test_groups_without_a_comma_in_one_item_still_all_apply(ctx: Context) -> None:
    # The same list with "만65세 이상 장애인": one group (both conditions), so age alone is not
    # enough.
    svc = service("B55435200002", target_text=HONAM_TEXT.replace("이상, 장애인", "이상 장애인"))
    rule = compile_service(svc, regions=REGIONS, text_findings=extract_text_criteria(svc, REGIONS))
    senior = person(birth_date=date(1954, 2, 11))
    assert evaluate(rule, senior, ctx).status is Status.MAYBE


@pytest.mark.parametrize(
    "item",
    [
        "○ 만 19~39세, 구직자",  # a closed age range qualifies the group: a young job seeker
        "○ 만 18~34세, 미취업 청년",
        "○ 관내 거주 만 65세 이상, 구직자",  # words before the list qualify it
    ],
)
def test_a_comma_after_a_qualifier_is_not_a_list_of_alternatives(ctx: Context, item: str) -> None:
    # The same service with an item whose comma joins conditions that all hold: a 50-year-old
    # job seeker is not thereby eligible (he would be if "age, 구직자" were alternatives).
    text = f"{item}\n\n○ 장애인\n\n○ 마을 이장이 추천한 자"
    svc = service("B55435200002", target_text=text)
    rule = compile_service(svc, regions=REGIONS, text_findings=extract_text_criteria(svc, REGIONS))
    seeker = person(
        birth_date=date(1976, 5, 1),
        region="11110",
        statuses=frozenset({"job_seeker"}),
        statuses_complete=True,
    )
    assert evaluate(rule, seeker, ctx).status is not Status.ELIGIBLE


def test_an_age_before_a_dotted_list_of_kinds_limits_every_kind(ctx: Context) -> None:
    # 641000000699 소상공인 청년창업원스텝 (경기도): "도내 19세~39세 예비창업자·초기창업자" — the
    # age is that of every founder the list names, not of one group among several.
    svc = service(
        "641000000699",
        cond=conditions("JA1101", "JA1102"),
        user_types=("소상공인",),
        target_text="도내 19세~39세 예비창업자·초기창업자",
    )
    rule = compile_service(svc, regions=REGIONS, text_findings=extract_text_criteria(svc, REGIONS))
    older = person(
        birth_date=date(1976, 1, 1), user_types=frozenset({"individual"}), user_types_given=True
    )
    younger = older.with_(birth_date=date(1996, 1, 1))
    assert evaluate(rule, older, ctx).status is Status.INELIGIBLE
    assert evaluate(rule, younger, ctx).status is Status.MAYBE
