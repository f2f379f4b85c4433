"""Criteria read from the services' own text: real snippets from the 1,097-service gov24 sample.

Each case is a literal copied from the sample (the service id is in the case), with what a
careful reader expects, judged by reading the text:

* `expect` — criteria the text states as a limit for everyone who applies (must be explicit);
* `deny` — things that look like limits but are not (must *not* be explicit: numbers that are
  not ages, exclusions, one group among alternatives, someone else's age …);
* `weak` — mentions kept for review (must be present, as weak).

Criteria are written compactly: "age 65+", "age 19-34", "age -64";
"child 36-71m" (a child of that age in months); "born ~1937-12-31" and
"child born 2016-01-01~2016-12-31" (birth dates); "income ≤50", "income >150";
"resident 6m"; "lives <region name>"; "sex female"; "status disabled";
"household no_home"; "fact near_poverty"; "any(a;b)" for either; "open <dimension>"
for an opener.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field

import pytest

from alrim.catalog.regions import RegionTable
from alrim.eligibility.model import (
    AgeRange,
    AnyOf,
    BornBetween,
    ChildAgeRange,
    ChildBornBetween,
    Criterion,
    Flag,
    HouseholdTraitIn,
    IncomeRatio,
    LivesIn,
    ProvenanceKind,
    ResidenceDuration,
    SexIn,
    StatusIn,
)
from alrim.eligibility.text_criteria import KNOWN_FLAGS, Strength, TextFinding, read_field

REGIONS = RegionTable.default()


def describe(criterion: Criterion | None, dimension: str = "") -> str:
    if criterion is None:
        return f"open {dimension}"
    if isinstance(criterion, AgeRange):
        lo, hi = criterion.min_years, criterion.max_years
        if hi is None:
            return f"age {lo}+"
        return f"age -{hi}" if lo is None else f"age {lo}-{hi}"
    if isinstance(criterion, ChildAgeRange):
        lo = "" if criterion.min_months is None else str(criterion.min_months)
        return f"child {lo}-{criterion.max_months}m"
    if isinstance(criterion, BornBetween | ChildBornBetween):
        who = "child born" if isinstance(criterion, ChildBornBetween) else "born"
        lo = criterion.earliest.isoformat() if criterion.earliest else ""
        hi = criterion.latest.isoformat() if criterion.latest else ""
        return f"{who} {lo}~{hi}"
    if isinstance(criterion, IncomeRatio):
        parts = []
        if criterion.min_percent is not None:
            op = "≥" if criterion.min_inclusive else ">"
            parts.append(f"{op}{criterion.min_percent:g}")
        if criterion.max_percent is not None:
            parts.append(f"≤{criterion.max_percent:g}")
        return "income " + " ".join(parts)
    if isinstance(criterion, ResidenceDuration):
        return f"resident {criterion.min_months}m"
    if isinstance(criterion, LivesIn):
        names = [getattr(REGIONS.get(code), "name", code) for code in criterion.areas]
        return "lives " + ",".join(names)
    if isinstance(criterion, SexIn):
        return "sex " + "|".join(sorted(criterion.allowed))
    if isinstance(criterion, StatusIn):
        return "status " + "|".join(sorted(criterion.allowed))
    if isinstance(criterion, HouseholdTraitIn):
        return "household " + "|".join(sorted(criterion.allowed))
    if isinstance(criterion, Flag):
        return f"fact {criterion.fact}"
    if isinstance(criterion, AnyOf):
        return "any(" + ";".join(sorted(describe(c) for c in criterion.items)) + ")"
    raise AssertionError(f"unexpected criterion {criterion!r}")


def described(findings: list[TextFinding], strength: Strength) -> set[str]:
    return {describe(f.criterion, f.dimension) for f in findings if f.strength is strength}


@dataclass(frozen=True)
class Case:
    service_id: str
    text: str
    expect: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    region: str | None = None  # the agency's region code (None = nationwide)
    field: str = "target_text"
    name: str = ""
    note: str = dc_field(default="", compare=False)


CASES: tuple[Case, ...] = (
    # --- ages -----------------------------------------------------------------------------
    Case(
        "134200000045",
        "○ 19세 이상 성인 중 기초생활보장 수급자, 차상위계층, 지역특화 대상자 등",
        expect=("age 19+",),
        deny=("any(fact basic_livelihood_recipient;fact near_poverty)",),
        weak=("any(fact basic_livelihood_recipient;fact near_poverty)",),
        note="the status list is open (지역특화 대상자 등): weak",
    ),
    Case(
        "135200005013",
        "ㅇ 연령, 개인소득, 가구소득 3가지 모두 충족한 자\n   (가입연령) 신청 당시 만15~39세 이하\n"
        "   (소득기준) 월 10만원 이상 근로, 사업 소득 발생\n   (가구소득) 기준 중위소득 50% 이하",
        expect=("age 15-39", "income ≤50"),
    ),
    Case(
        "154300000396",
        "○ 연령 : 사업 시행연도 기준 만 18세 이상 ~ 만 40세 미만\n"
        "○ 영농경력 : 영농 경력이 있을 경우 총 영농기간 3년이하\n"
        "○ 소득 : 건강보험료 소득판정기준 중위소득 140% 초과 등 일정소득이상자는 제외",
        expect=("age 18-39", "income ≤140"),
        note="'140% 초과 … 제외' means at most 140%",
    ),
    Case(
        "161300000088",
        "○ 19세이상 ~ 34세이하 연 5천만원 이하의 소득이 있는 무주택자",
        expect=("age 19-34", "household no_home"),
    ),
    Case(
        "300000000107",
        "○ 60세이상 인지선별검사 후 기준점에 해당하는 자로 한의약치매 건강증진사업 참여 희망자",
        expect=("age 60+",),
    ),
    Case(
        "301000000106",
        "○ 중구 관내 거주 만65세 이상 기초생활수급자, 차상위계층, 기초연금 수급자",
        expect=(
            "lives 서울특별시 중구",
            "age 65+",
            "any(fact basic_livelihood_recipient;fact basic_pension_recipient;fact near_poverty)",
        ),
        region="11140",
    ),
    Case("304000000169", "만15세 이상 주민", expect=("age 15+",), region="11215"),
    Case(
        "304000000120",
        "65세이상 또는 65세 미만 노인성질환을 가진 국민기초생활보장 생계·의료급여, "
        "기타의료수급자로 장기요양등급 판정을 받고 재가서비스를 이용하는 자",
        deny=("age 65+", "age -64"),
        weak=("age 65+", "age -64"),
        note="65+ or under 65 with a geriatric illness: not an age limit",
    ),
    Case(
        "306000000224",
        "중랑구 거주 19~39세 미취업 청년(1986년∼2006년생)",
        expect=("lives 서울특별시 중랑구", "age 19-39", "status job_seeker"),
        region="11260",
    ),
    Case(
        "307000000115",
        "○ 장애정도가 심한 장애인, 기초생활수급자, 국가유공자(국가예방접종 사업 대상자 제외, "
        "기초생활수급자의 경우 만 50세 이상)",
        expect=("any(fact basic_livelihood_recipient;status disabled|veteran)",),
        deny=("age 50+",),
        weak=("age 50+",),
        note="the age applies only to 수급자 (…의 경우)",
    ),
    Case(
        "309000000125",
        "○ 국민건강보험료 부과금액이 최저보험료 (2026년 기준 22,800원) 이하인 만65세 이상 어르신 "
        "세대",
        expect=("age 65+",),
    ),
    Case(
        "313000000113",
        "○ 만 14세 이상이면 누구든지 가능",
        expect=("age 14+", "open status", "open household"),
    ),
    Case(
        "316000000111",
        "○ 아래의 기준을 동시에 충족하여야 함\n - 65세 이상 단독 가구\n"
        " - 국민기초생활보장수급권자(생계,의료,주거급여) 및 차상위계층\n - 타 재가서비스 미 이용자",
        expect=(
            "age 65+",
            "household single_person",
            "any(fact basic_livelihood_recipient;fact near_poverty)",
        ),
    ),
    Case(
        "322000000112",
        "○ 0~18세(영유아,청소년), 만65세이상, 임산부, 장애인, 관내지역주민 등",
        deny=("age 65+", "age 0-18", "status pregnant"),
        weak=("age 65+",),
        note="a list of groups: any of them",
    ),
    Case(
        "335000000104",
        "금정구에 주민등록이 되어있는 13세~18세 학교 밖 청소년",
        expect=("lives 부산광역시 금정구",),
        deny=("age 13-18",),
        weak=("age 13-18",),
        region="26410",
        note="a teenager's age: the teenager or a parent may apply",
    ),
    Case(
        "337000000484",
        "○ 지원대상\n - 연령기준: 18세 이상 ~ 65세 미만(연나이 기준)\n"
        " - 거주기준: 신청일 기준 연제구에 6개월 이상 주민등록 되어있는 자\n"
        " - 자격기준➊ 신청일 기준 미취업자 ➋ 「고용24」에 구직등록한 자 ➌ 부산광역시 내 구인업체에 "
        "입사지원 또는 면접을 본 자\n - 신청기한: 사진촬영비 결제일로부터 한달이내 신청",
        expect=("resident 6m", "lives 부산광역시 연제구", "status job_seeker"),
        deny=("age 18-64",),
        weak=("age 18-64",),
        region="26470",
        note="연나이 is not 만 나이: kept weak",
    ),
    Case(
        "338000000400",
        "협약병원에서 진단검사 또는 감별검사가 필요한 자 중 만 60세 이상, 소득재산 조사 결과 "
        "소득인정액 기준 중위소득 120% 이하인 자",
        expect=("age 60+", "income ≤120"),
        note="'A 또는 B가 필요한 자 중' does not bypass the age",
    ),
    Case(
        "347000000111",
        "○ 지원대상\n - 기초생활수급자 중 조부모와 손자녀로만 구성된 세대\n"
        " - 조부모 만65세이상, 아동 만18세미만(20세 이하 중고등학교 재학생 포함)\n"
        " - 단, 관련법령에 의한 소년소녀가정 지원금, 가정위탁아동양육비를 지원받는 세대는 제외",
        deny=("age 65+", "child -215m"),
        note="the grandparents' age, and a child age widened by an exception",
    ),
    Case(
        "360000000109",
        "○ 만65세 미만 저소득층(기초생활수급권자 및 차상위계층) 장애인",
        expect=(
            "age -64",
            "any(fact basic_livelihood_recipient;fact near_poverty)",
            "status disabled",
        ),
    ),
    Case(
        "378000000145",
        "○ 성남시에 주민등록이 되어 있는 8세 미만 아동",
        expect=("lives 경기도 성남시", "child -95m"),
        region="41130",
    ),
    Case(
        "383000000133",
        "○ 지원대상 : 안양시 주민등록 청년구직자(19 ~ 39세) 및 특성화고 졸업예정자",
        expect=("lives 경기도 안양시",),
        deny=("age 19-39",),
        weak=("age 19-39",),
        region="41170",
        note="the age is for 청년구직자 only; 특성화고 졸업예정자 also qualify",
    ),
    Case(
        "390000000430",
        "광명시 거주 9세~18세 어린이, 청소년\n"
        "*2026년 기준 : 9세(생일 지난 2017년생) ~ 18세(생일 안 지난 2007년생)",
        expect=("lives 경기도 광명시",),
        deny=("age 9-18", "child 108-227m"),
        region="41210",
    ),
    Case(
        "401000000110",
        "○ 관내 어린이집에 재원중인 만0~5세 외국인아동(관내 체류지 등록 즉시 지원)",
        expect=("child -71m",),
        region="41390",
    ),
    Case(
        "403000000146",
        "○ 아이돌봄서비스 신규가정 및 120시간 이상 이용자 확대지원\n"
        " - 맞벌이, 다자녀, 한부모가족, 장애인 등 양육공백 발생 가정의 만3개월 이상 ~ 만12세 이하 "
        "아동\n"
        " - 소득에 따라 정부지원 유형 판정\n - 서비스비용 이용자 선결제 후 이용자 계좌로 본인부담"
        "금 지급",
        expect=("child 3-155m",),
        deny=("status disabled",),
    ),
    Case(
        "422000000133",
        "ㅇ 사업대상\n - 관내거주하고 실제 영농에 종사하는 만20세~만75세 미만(1949.1.1~2004.12.31) "
        "농업경영체 등록 여성농업인",
        expect=(
            "age 20-74",
            "sex female",
            "status farmer|livestock_farmer",
            "lives 강원특별자치도 태백시",
        ),
        region="51190",
    ),
    Case(
        "424000000159",
        "○ 주민등록 동일주거지에서 함께 생활하는 어르신(만80세이상)과 봉양자",
        deny=("age 80+",),
        note="the elder's age; the carer applies too",
    ),
    Case(
        "434000000105",
        "○ 65세 이상 노인, 등록장애인, 한부모가족",
        deny=("age 65+", "status disabled"),
        weak=("age 65+",),
    ),
    Case(
        "445000000127",
        "민간,가정어린이집 재원아동 만3세~만5세",
        expect=("child 36-71m",),
        note="the parent applies for a child of 3 to 5",
    ),
    Case(
        "452000000340",
        "○ 지원대상: 관내 2세~18세 이하 아동 중 기초생활수급자, 차상위계층 및 한부모 가정\n"
        " - 국민기초생활수급자/중위소득 50% 이내 차상위계층/중위소득 63% 이내 한부모 가구(조손 가"
        "구 포함)",
        expect=(
            "child 24-227m",
            "any(fact basic_livelihood_recipient;fact near_poverty;"
            "household single_parent_or_grandparent)",
        ),
        deny=("income ≤50", "income ≤63"),
        region="44200",
        note="income figures define each status, they are not a limit of their own",
    ),
    Case(
        "464000000119",
        "○ 24개월 미만 아이를 양육하면서, 신청일 현재 전주시 관내에 주민등록을 두고 거주하는 장애"
        "인",
        expect=("child -23m", "status disabled", "lives 전북특별자치도 전주시"),
        region="52110",
    ),
    Case(
        "470000000132",
        "○ 지원 대상(4가지 요건 충족자)\n○ (연령기준) 만 60세 이상\n"
        "○ (진단기준) 의료기관에서 치매로 진단을 받은 치매환자\n"
        "○ (치료기준) 치매치료제 성분이 포함된 약을 처방받은 경우\n"
        "○ (소득기준) -기준 중위소득 140% 이하인 경우(국비 지원)\n"
        "        - 기준 중위소득 140% 이상인 경우(시비 지원)",
        expect=("age 60+",),
        deny=("income ≤140", "income ≥140"),
        note="both income bands qualify (national or city funds): no income limit",
    ),
    Case(
        "481000000368",
        "○ 연령 : 혼인신고일 기준, 남녀 모두 만 49세 이하인 부부\n\n"
        "○ 거주조건 (아래 두가지 조건 모두 충족시 가능)\n"
        "   - 혼인신고 이후, 부부 모두 전남광주통합특별시에 6개월 이상 거주\n"
        "   - 부부 중 1명(신청자)는 신청일부터 지급일까지 여수시에 주소를 두고 거주",
        expect=(
            "age -49",
            "resident 6m",
            "lives 전남광주통합특별시",
            "lives 전남광주통합특별시 여수시",
        ),
        deny=("sex female", "sex male"),
        region="12130",
    ),
    Case(
        "484000000414",
        "광양시민(공고일 이전 주민등록상 주소지가 광양시로 되어있는자)\n"
        "- 은퇴자(신청일 기준 만65세 이하)\n- 다자녀(신청일 기준 만19세 미만 2자녀 이상)\n"
        "- 다문화(신청일 기준 대한민국 국민과 혼인관계에 있는 재한외국인 또는 대한민국 국적을 취득"
        "하고 혼인중인자)",
        expect=("lives 전남광주통합특별시 광양시",),
        deny=("age -65",),
        weak=("age -65",),
        region="12190",
        note="은퇴자 / 다자녀 / 다문화 are alternatives",
    ),
    Case(
        "486000000119",
        "○ 곡성읍, 석곡면, 옥과면에 주소를 둔 만65세이상 노인, 장애의 정도가 심한 장애인, "
        "생계·의료급여 수급자",
        deny=(
            "age 65+",
            "any(fact livelihood_benefit_recipient;fact medical_aid_recipient;status disabled)",
        ),
        region="12720",
    ),
    Case(
        "488000000108",
        "○ 타 시군에서 1년 이상 거주하다 고흥군으로 전입한 지 5년 이내인 만 69세 이하인 자",
        expect=("age -69", "lives 전남광주통합특별시 고흥군"),
        deny=("resident 12m",),
        region="12740",
        note="the year was lived elsewhere",
    ),
    Case(
        "493000000151",
        "65세 이상 해남군민(기초생활수급자 및 차상위 제외 일반 대상)",
        expect=("age 65+", "lives 전남광주통합특별시 해남군"),
        deny=("any(fact basic_livelihood_recipient;fact near_poverty)",),
        region="12790",
        note="수급자 and 차상위 are excluded, not required",
    ),
    Case(
        "499000000131",
        "○ 주민등록상 완도군에 주소를 둔 65세 이상 국가유공자 미망인",
        expect=("age 65+", "lives 전남광주통합특별시 완도군"),
        deny=("status veteran",),
        region="12850",
        note="the widow applies, not the veteran",
    ),
    Case(
        "509000000138",
        "어린이집을 다니는 0~2세 외국인 아동\n(불법체류자 및 미등록자 등 제외)",
        expect=("child -35m",),
        region="47210",
    ),
    Case(
        "522000000109",
        "○ 칠곡군 장애인(장애인보철)\n\n○ 만 65세 이상: 보철(의치 제외)\n"
        "     만 65세 미만: 보철, 의치\n\n○ 기초생활 수급자(의료생계급여자)(장애인보철)",
        deny=("age 65+", "age -64"),
        region="47850",
        note="age tiers of the benefit, not a limit",
    ),
    Case(
        "540000000123",
        "○ 소년소녀 가정 및 가정위탁아동 (일반(친인척/대리/일반), 전문가정위탁)\n"
        "   - 아동 1인당 양육보조금 월340천원~560천원 연령별 차등지급\n"
        "      8세미만(83개월까지): 월340천원, 14세미만(~155개월): 월450천원, 14세 이상: 월560천원"
        " 이상",
        deny=("child -95m", "child -167m", "child 168-m"),
        note="age bands of the allowance",
    ),
    Case(
        "553000000117",
        "○ 효도대상자(80세 이상)와 효도자가 화성시 관내 5년 이상 주소를 두고 실제 거주하는 3대 가"
        "정",
        expect=("resident 60m", "lives 경기도 화성시"),
        deny=("age 80+",),
        region="41590",
    ),
    Case(
        "569000000361",
        "○ 18세 이상 보호종료아동(아동복지시설 퇴소, 가정위탁보호 종료 아동)",
        expect=("age 18+",),
        deny=("child 216-m",),
        region="36",
        note="grown-up former foster children apply themselves",
    ),
    Case(
        "611000000184",
        "○ 4.19혁명유공자, 5.18민주화운동유공자, 특수임무유공자, 전상군경, 공상군경, 공상공무원 등 "
        "국가유공자 본인\n  - 65세 이상\n  - 서울시 거주 1개월 이상",
        expect=("age 65+", "resident 1m", "lives 서울특별시", "status veteran"),
        region="11",
    ),
    Case(
        "641000000111",
        "○ 양육수당을 받고 있으며 신청일 기준 경기도에 주민등록을 둔 보육가정 미취학(86개월 미만) "
        "어린이",
        expect=("lives 경기도", "child -85m"),
        region="41",
    ),
    Case(
        "648000001082",
        "○ 6세 미만의 장애인복지법상 등록된 장애의 정도가 심한 장애인\n"
        "○ 6세 이상 장애인복지법상 등록된 장애의 정도가 심한 장애인으로서 장애인 활동지원급여"
        "(보전급여 포함), 장기요양급여, 노인맞춤돌봄서비스 미수급자 또는 대기자",
        expect=("status disabled",),
        deny=("age 6+", "age -5"),
        region="48",
        note="under 6, or 6 and over: every age",
    ),
    Case(
        "B55145700001",
        "노인복지법에 정한 만 65세 이상 노인",
        expect=("age 65+",),
    ),
    Case(
        "O00024000007",
        "신분증에 적힌 생년월일이 만 13세 이상 만 55세 이하인 여성",
        expect=("age 13-55", "sex female"),
        region="11170",
    ),
    Case("SD0000006936", "○ 만 19세 이하 산모", expect=("age -19",)),
    Case(
        "SD0000016141",
        "65세 이상 폐렴구균 국가예방접종사업",
        expect=("age 65+",),
        field="name",
        note="an obvious case read from the name",
    ),
    Case(
        "O00037500009",
        "폐렴(J12~J18), 천식(J45), 만성폐쇄성폐질환(COPD-J44)을 주소로 입원치료를 받는 만 65세 이"
        "상 환자\n"
        "뇌졸중(I60~I69)을 주소로 입원치료를 받은 환자\n노인골절을 주소로 입원치료를 받는 환자\n"
        "재활의학과 입원한 자",
        deny=("age 65+",),
        region="51",
        note="unbulleted lines, each a group of patients",
    ),
    Case(
        "149200000063",
        "○ 수급자격자가 실업의 신고일로부터 14일이 지난 후 재취업한 날의 전날을 기준으로 구직급여 "
        "소정급여일수를 1/2 이상 남기고 재취업하여 12개월 이상 계속 고용되거나 사업을 영위한 경우"
        "(이직일 기준 65세 이상 수급자의 경우 6개월 이상 계속 고용되거나 사업을 영위할 것으로 "
        "고용노동부 장관이 인정하는 경우) 수당을 지급하며",
        deny=("age 65+", "resident 12m", "resident 6m"),
    ),
    Case(
        "323000000114",
        "사용승인후 10년 경과된 공동주택(30세대 이상)",
        deny=("age 30+", "resident 120m"),
        region="11710",
        note="30세대 is thirty households, not an age",
    ),
    # --- birth dates ----------------------------------------------------------------------
    Case(
        "569000000330",
        "○ 2022.12.31.이전부터 계속하여 세종시에 주민등록을 두고 거주하고 있는 1937.12.31.이전 "
        "출생하신 어르신",
        expect=("born ~1937-12-31", "lives 세종특별자치시"),
        region="36",
    ),
    Case(
        "628000000739",
        "○ 대상: 2016. 1. 1.~2016.12.31. 출생한 아동",
        expect=("child born 2016-01-01~2016-12-31",),
        region="28",
        note="a parent applies for a child born in 2016",
    ),
    Case(
        "559000000440",
        "1) 19세 ~ 39세, 예비창업자 또는 3년이하 창업기업 대표자\n"
        "     - 1986. 5. 2. 이후 출생, 2007. 5. 1. 이전 출생",
        expect=("age 19-39", "born 1986-05-02~2007-05-01"),
        region="41630",
        note="two birth-date edges on one line are one range",
    ),
    Case(
        "000000465790",
        "○ 지원대상 : 국공립유치원 및 사립유치원에 다니는 만 3~5세 아동\n"
        "       5세 '20.1.1.~'20.12.31.\n       4세 '21.1.1.~'21.12.31.\n"
        "       3세 '22.1.1.~'23.2.28.",
        expect=("child 36-71m",),
        deny=("child born 2020-01-01~2020-12-31",),
        weak=("child born 2020-01-01~2020-12-31", "child born 2022-01-01~2023-02-28"),
        field="criteria_text",
        name="유아학비 (누리과정) 지원",
        note="one birth range per age class: together they restate 3~5세",
    ),
    # --- income ---------------------------------------------------------------------------
    Case("305000000140", "소득인정액이 기준중위소득 47% 이하인 가구", expect=("income ≤47",)),
    Case(
        "320000000111",
        "○ 소득 인정액이 기준 중위소득 100분의 50이하이면서 건강보험료 및 노인장기요양보험료 "
        "부과금액이 최저 보험료 이하인 관악구 지역가입자로서 65세 이상 노인, 등록장애인, 국가유공"
        "자, "
        "만성질환자, 한부모가족, 55세 이상 단독세대 등 (* 의료급여 수급자 및 다른 법률에 의해 "
        "지원받는 가구 제외)",
        expect=("income ≤50",),
        deny=("age 65+", "age 55+", "status disabled"),
        region="11620",
    ),
    Case(
        "398000000111",
        "○ 관내 기준중위소득 150%초과 출산가정",
        expect=("income >150",),
        region="41310",
        note="a city top-up for families the national programme leaves out",
    ),
    Case(
        "474000000118",
        "○ 기준 중위소득 140% ~ 160% 이하",
        expect=("income ≥140 ≤160",),
    ),
    Case(
        "627000000116",
        "○ 독거노인, 장애인, 소년소녀가정, 재해·재난세대 등 생활이 어려운 세대로 기초생활수급자가 "
        "아닌 "
        "‘실제소득이 기준 중위소득의 60% 이하’인 저소득층 세대",
        expect=("income ≤60",),
        deny=("fact basic_livelihood_recipient", "status disabled"),
        note="'수급자가 아닌': not a requirement",
    ),
    Case(
        "629000000149",
        "○ 광주 거주하는 19~39세 미취업 청년 중 기준 중위소득(건강보험료 기준) 150% 이하 가구원",
        expect=(
            # "광주" (written before 2026-07-01) is the former 광주광역시: its five 구, not all
            # of 전남광주통합특별시 (a 여수 job seeker does not get 광주's allowance).
            "lives 전남광주통합특별시 동구,전남광주통합특별시 서구,전남광주통합특별시 남구,"
            "전남광주통합특별시 북구,전남광주통합특별시 광산구",
            "age 19-39",
            "income ≤150",
            "status job_seeker",
        ),
        region="12",
    ),
    Case(
        "631000000735",
        "○ 소 득 : 중위소득 150%이하\n○ 연 령 : 만65세 이상\n○ 선정기준\n"
        "1. 치매, 우울증, 스트레스, 자살충동 등으로 인하여 심리상담이 필요하다는 발급일로부터 6개"
        "월 "
        "이내의 의사 진단서·소견서",
        expect=("income ≤150", "age 65+"),
        region="31",
    ),
    Case(
        "645000000122",
        "○ 기준중위소득 100%(4인가구 5,121,080원)이하 가정의 아토피 피부염 진단자",
        expect=("income ≤100",),
        region="52",
    ),
    Case(
        "648000001103",
        "- (거주지) 주민등록상 공고일 현재 경남 거주자\n"
        "- (나이) 공고일 기준 18세 이상 ~ 39세 이하 ※ 군복무, 대체근무(산업기능요원 등) 복무에 따"
        "른 "
        "기간 포함\n- (가구소득) 가구 기준중위소득 50% 초과 ~130% 이하\n"
        "- (재직기준) 직장 소재지가 경남도이며, 공고일 기준 3개월 이상 사업장에 계속 근로중인 청년"
        "(정규직, 비정규직, 사업자)",
        expect=("lives 경상남도", "age 18-39", "income >50 ≤130"),
        deny=("resident 3m",),
        region="48",
        note="3개월 이상 근로 is work, not residence",
    ),
    Case(
        "654000000003",
        "○ ① 기준중위소득 180% 초과(전북형) 난임부부\n"
        "     ② 기준중위소득 180% 이하(국가형) 25회* 소진자",
        deny=("income ≤180", "income >180"),
        region="52",
    ),
    Case(
        "654000000016",
        "중위소득 140% 이하 도내 거주 근로 청년(18~39세)",
        expect=("income ≤140", "lives 전북특별자치도", "age 18-39"),
        region="52",
    ),
    Case(
        "370000000116",
        "1. 희망저축계좌1:생계의료수급 가구 중 일하는 사람이 있어야 하며, 가구 전체의 총 "
        "근로사업소득이 기준중위소득 40%의 60%이상이어야 함",
        deny=("income ≤40", "income ≥40", "income ≥60"),
        note="a share of a share is not read",
    ),
    Case(
        "SPE000000120",
        "○ 18세 미만 중증장애 아동\n - 소득기준 : 기준 중위소득 120% 이하(무료), 기준 중위소득 120"
        "% "
        "초과(이용료의 40% 본인부담)\n - 장애등급 : 장애정도가 심한 장애 아동",
        expect=("child -215m",),
        deny=("income ≤120", "income >120"),
        note="income decides the fee, not who can apply",
    ),
    Case(
        "SPE000000120",
        "○ 지원 대상 : 18세 미만의 등록한 중증 장애인\n\n○ 연령 기준 : 신청일 현재 18세 미만인자\n"
        "\n"
        "○ 장애등급\n - 신청일 현재, 장애인 복지법 제32조에 따라 등록한 장애인\n"
        " - 장애정도가 심한 장애아동\n\n○ 소득기준 : 없음",
        expect=("open income",),
        deny=("age -17", "status disabled"),
        field="criteria_text",
    ),
    Case(
        "VOU000009000",
        "○ 장애 부모의 12세 미만 비장애아동으로 기준 중위소득 120% 이하의 가구\n"
        " - 장애 부모 : 한쪽 부모가 시각, 청각, 언어, 지적, 자폐성, 뇌병변 등록 장애인",
        expect=("child -143m", "income ≤120"),
    ),
    # --- residence duration ---------------------------------------------------------------
    Case(
        "320000000315",
        "○ 사업대상: 관내 1년 이상 주민등록을 두고 거주하는 100세 어르신\n"
        "  ○ 지원기준: 생일 기준 주민등록상 관악구에 1년 이상 연속 거주\n"
        "  ○ 사업내용: 50만원 이하 물품 지급(1회)",
        expect=("lives 서울특별시 관악구", "resident 12m"),
        deny=("age 100+",),
        region="11620",
    ),
    Case(
        "322000000125",
        "○ 신청일 기준 1년 이상 계속하여 강남구에 주민등록이 되어있는 남성 육아휴직자(대상 자녀는 "
        "강남구에 주민등록이 된 경우)",
        expect=("resident 12m", "lives 서울특별시 강남구", "sex male"),
        region="11680",
    ),
    Case(
        "414000000122",
        "전입일 기준 다른 시군구에 2년 이상 주민등록을 두고 있다가 전입한 자",
        deny=("resident 24m",),
        region="41800",
        note="two years lived elsewhere before moving in",
    ),
    Case(
        "443000000127",
        "○ 타 지역에 1년이상 거주하다 군에 전입신고하고 실제 6개월 이상 거주하는 세대",
        expect=("resident 6m",),
        deny=("resident 12m",),
        region="43730",
    ),
    Case(
        "442000000651",
        "2022. 7. 1. 이후 보은군에 전입하여 6개월이 경과한 1인 또는 2인 이상 세대\n"
        "   * 전입 전 1년 이내 보은군에 주민등록한 이력이 없는 경우에 한함",
        expect=("resident 6m", "lives 충청북도 보은군"),
        deny=("resident 12m",),
        region="43720",
    ),
    Case(
        "454000000179",
        "○ 2023. 1. 1. 이후 혼인신고자\n   - 신청기한 : 혼인신고일로부터 6개월이 경과한 날부터 1년"
        " 이내\n"
        "   - 신청자격\n     * 연령 : 18세이상 ~ 45세 이하\n     * 혼인 : 부부 중 1명 이상이 초혼\n"
        "     * 혼인신고일 기준 계속하여 부부 중 1명이상 시에 6개월 이상 주소를 두고 거주",
        expect=("age 18-45",),
        deny=("resident 6m",),
        region="44230",
        note="six months counted from the wedding, not from the application",
    ),
    Case(
        "467000000127",
        "- 농촌지역 전입일로부터 만 5년이 경과하지 않은 날로부터 사업 신청일 전에 세대주(단독세대 "
        "가능)가 "
        "가족과 함께 농촌으로 이주하여 실제 거주하면서 농업에 종사하고 있는 자",
        deny=("resident 60m", "household single_person"),
        region="52130",
        note="'not yet five years'; 단독세대 is also allowed, not required",
    ),
    Case(
        "468000000117",
        "○ 익산에 거주하는 청년 중 중소,중견기업 동일 사업장에서 6개월 이상 근무한 청년에게 "
        "월 30만원씩 3년간 지급",
        deny=("resident 6m",),
        region="52140",
    ),
    Case(
        "374000000115",
        "○ 미혼모자가족복지시설(공동생활지원형) 1년 6개월이상 입소 세대 : 아래 3가지 요건 중 하나"
        "를 "
        "충족해야 함",
        deny=("resident 6m", "resident 18m"),
        region="41110",
    ),
    Case(
        "149200005017",
        "○ 고용보험 피보험 단위기간이 3개월 이상일 것",
        deny=("resident 3m",),
    ),
    Case(
        "520000000110",
        "영아의 출생신고를 고령군으로 하고, 신청일 현재 3개월 이상 고령군에 주소를 둔 출생아의 부 "
        "또는 모로서, 출생일로부터 6개월 이내 신청자",
        expect=("resident 3m", "lives 경상북도 고령군"),
        region="47830",
        note="'부 또는 모' names the applicant, it is not an alternative",
    ),
    Case(
        "536000000611",
        "- 여성의 주소가 신청일 기준 밀양시에 180일 이상 주소를 둔 난임부부",
        expect=("resident 6m", "status expecting_parent", "lives 경상남도 밀양시"),
        deny=("sex female",),
        region="48270",
        note="the wife's address counts; the couple applies",
    ),
    Case(
        "570000000104",
        "○ 신청일 기준 1년 이상 여주시에 주민등록이 되어있는 3개월 이상 육아휴직 중인 남성근로자로 "
        "가구 기준중위소득 150% 이하인 자",
        expect=("resident 12m", "lives 경기도 여주시", "sex male", "income ≤150"),
        deny=("resident 3m",),
        region="41670",
    ),
    Case(
        "B55370100029",
        "1. 현재 경상남도 거주 중이면서 거주기간이 3개월 이상인 분 중\n"
        "2. 연소득 3,500만원 이하이면서 신용점수 하위 20%에 해당하는 분",
        expect=("lives 경상남도", "resident 3m"),
        note="a nationwide agency's service limited to one province",
    ),
    Case(
        "627000000717",
        '○ 신청기준 : 신청일 기준 난임 여성이 등본 상 대구시에 주소를 두고 "6개월 이상" 거주'
        "(2024. 1. 1. 신청건 부터)",
        expect=("resident 6m", "lives 대구광역시"),
        deny=("sex female",),
        region="27",
    ),
    # --- region ---------------------------------------------------------------------------
    Case(
        "303000000338",
        "서울시민 누구나",
        expect=("lives 서울특별시", "open status"),
        region="11200",
        note="a 성동구 service open to every Seoul resident",
    ),
    Case(
        "489000000115",
        "○ 만19세 이상 보성군 관내외 주민 모두",
        expect=("age 19+", "open region", "open status"),
        deny=("lives 전남광주통합특별시 보성군",),
        region="12750",
        note="관내외 = inside or outside the county",
    ),
    Case(
        "568000000339",
        "○ 신청일 기준 당진시 거주 또는 학교, 직장 등의 소재지가 당진인 만 18~39세 청년",
        expect=("age 18-39",),
        deny=("lives 충청남도 당진시",),
        region="44270",
        note="lives, studies or works in 당진",
    ),
    Case(
        "O00066700004",
        "영양, 봉화, 고령, 성주, 청송군 거주 임산부",
        expect=(
            "lives 경상북도 영양군,경상북도 봉화군,경상북도 고령군,경상북도 성주군,경상북도 청송군",
            "status pregnant",
        ),
        region="47",
    ),
    Case(
        "611000000128",
        "○ 지원대상 : 국민기초생활보장법 상 생계·의료·주거급여 수급자에 해당하지 않고, 서울시민 중 "
        "소득·재산 기준을 동시에 충족하는 자\n - 소득기준 : 소득평가액 기준중위소득48% 이하",
        expect=("lives 서울특별시", "income ≤48"),
        deny=(
            "any(fact housing_benefit_recipient;fact livelihood_benefit_recipient;"
            "fact medical_aid_recipient)",
        ),
        region="11",
        note="people who do *not* receive those benefits",
    ),
    Case(
        "611000000159",
        "○ 지원자격\n - 법적 혼인상태에 있거나, 신청일 기준 1년 이상 사실상 혼인 관계를 유지하였다"
        "고 "
        "관할 보건소로부터 확인된 난임부부(지원신청 접수일 기준)\n"
        " - 신청일 기준 서울시 거주(여성기준)가 확인된 자\n"
        " - 부부 중 최소한 한 명은 주민등록이 되어 있는 대한민국 국적 소유자이면서, 부부 모두 "
        "건강보험 가입 및 보험료 고지 여부가 확인되는 자\n○ 소득 기준 : 없음",
        expect=("open income", "lives 서울특별시", "status expecting_parent"),
        deny=("resident 12m", "sex female"),
        region="11",
    ),
    # --- sex ------------------------------------------------------------------------------
    Case(
        "492000000116",
        "○ 홀로사는 남자 어르신",
        expect=("sex male", "household single_person"),
        region="12780",
    ),
    Case(
        "531000000129",
        "○ 건강검진비 지원\n- 진주시에 주민등록을 둔 신혼부부(여성,남성)\n    (첫아이 임신전 1회 "
        "지원)",
        expect=("lives 경상남도 진주시",),
        deny=("sex female", "sex male"),
        region="48170",
    ),
    Case(
        "546000000104",
        "○ 함양군 거주 가임기 여성, 여성질환자",
        expect=("lives 경상남도 함양군", "sex female"),
        region="48870",
    ),
    Case(
        "553000000583",
        "○ 지원대상: 화성시에 주민등록을 둔 여성 청소년(만 13세~18세)(※ 2008년생 ~ 2013년생)\n"
        " - (1순위) 장애인, 기초생활수급자\n - (2순위) 기준중위소득 120% 이하",
        expect=("sex female", "lives 경기도 화성시"),
        deny=("age 13-18", "income ≤120", "any(fact basic_livelihood_recipient;status disabled)"),
        region="41590",
        note="priorities (순위) are not limits",
    ),
    Case(
        "PTR000051906",
        "○ 3대 가족(1대부터 3대까지의 직계비속 남성) 모두 현역복무 등을 성실히 마친 가문",
        deny=("sex male",),
        note="the men of the family served; any family member applies",
    ),
    # --- statuses, households, facts, openers -----------------------------------------------
    Case(
        "154300000369",
        "농식품 수출업체, 일반국민",
        expect=("open status", "open household"),
    ),
    Case("O00046800001", "전국민 누구나", expect=("open status",), region="41280"),
    Case(
        "325000000245",
        "지역 주민 모두(상법에 따라 15세 미만자의 경우 사망담보는 제외)",
        expect=("open status",),
        deny=("age -14",),
        region="26110",
        note="the age is about one cover of the insurance, and an exclusion",
    ),
    Case(
        "429000000646",
        "○ 연령기준 : 해당없음\n\n○ 기타기준 : 신청일 현재 신청질환과 같은 종류의 산정특례에 등록"
        "된 사람에 한함",
        expect=("open age",),
        field="criteria_text",
    ),
    Case(
        "GES000000100",
        "○ 선정기준\n - (연령기준) 만 55세 이하\n - (성적기준) 성적70/100점(C학점) 이상(신입생 제"
        "외)\n"
        " - (소득기준) 제한없음",
        expect=("age -55", "open income"),
        field="criteria_text",
    ),
    Case(
        "386000000117",
        "○ 사망위로금 (국가보훈대상자)\n  - 국가보훈대상자 중 65세이상 사망자의 유족",
        deny=("age 65+", "status veteran"),
        region="41190",
        note="the age of the deceased; the family applies",
    ),
    Case(
        "630000000669",
        "○ 65세 이상 노인\n\n○ 장애인(대전지역 도시철도만 이용 희망자)\n\n○ 다자녀 부모",
        deny=("age 65+", "status disabled", "household multi_child"),
        region="30",
    ),
    Case(
        "B55435200002",
        "○ 만65세 이상, 장애인(1~3급 장애인 보호자 1인 포함)\n\n○ 국가·독립유공자, 5·18민주유공자 "
        "및 자녀\n\n"
        "○ 기초수급자, 소년·소녀가장, 차상위계층",
        deny=("age 65+", "status disabled", "status veteran"),
    ),
    Case(
        "648000001117",
        "가. 연령 : 사업 시행연도 기준 만 18세 이상 ～ 만 40세 미만(‘26년 사업 기준 : 1986.1.1 ∼ "
        "2008.12.31. 출생자)\n나. 영농경력 : 독립경영예정자 및 독립경영 3년 이하\n"
        "다. 병역 : 병역필 또는 병역면제자\n\n"
        "  2) 1)의 요건을 갖춰도 다음 각호의 요건에 해당하면 사업 신청 불가\n"
        "   가. 사업자 등록을 하고 사업체를 경영하는 자\n   라. 고등학교·대학교 재학생과 휴학생",
        expect=("age 18-39",),
        deny=("status university_student",),
        region="48",
        note="students are excluded, not required",
    ),
    Case(
        "140000000163",
        "○ 병역 및 보훈 대상자\n - 국가유공자와 그 유족 또는 가족\n - 5.18민주유공자와 그 유족 또"
        "는 가족",
        deny=("status veteran",),
        field="criteria_text",
        note="families of veterans qualify too",
    ),
    Case(
        "331000000101",
        "○ 참전유공자(국민기초생활수급자)",
        expect=("status veteran", "fact basic_livelihood_recipient"),
        deny=("any(fact basic_livelihood_recipient;status veteran)",),
        region="26290",
        note="a veteran *who is* a 수급자: both required",
    ),
    Case(
        "300000000123",
        "○ 한부모, 기초주거. 교육급여 수급자 및 차상위계층",
        expect=(
            "any(fact education_benefit_recipient;fact housing_benefit_recipient;"
            "fact near_poverty;household single_parent_or_grandparent)",
        ),
        region="11110",
    ),
    Case(
        "419000000122",
        "국민기초생활보장수급자 및 법정 차상위계층이면서 시설·재가 청각장애인 중 수술적격자",
        expect=(
            "any(fact basic_livelihood_recipient;fact near_poverty)",
            "status disabled",
        ),
        region="51130",
    ),
    Case(
        "743000000009",
        "유·초·중학교의 특수교육대상자(사립유치원 제외)",
        deny=("fact education_benefit_recipient",),
        note="특수교육대상자 is special education, not 교육급여",
    ),
    Case(
        "402000000134",
        "군포시 거주 북한이탈주민(거주기간 제한 없음) 중 전년도와 금년도 자격증 취득자",
        expect=(
            "lives 경기도 군포시",
            "household north_korean_defector",
            "open residence_duration",
        ),
        region="41410",
    ),
)


def _read(case: Case) -> list[TextFinding]:
    region = REGIONS.get(case.region) if case.region else None
    return read_field(
        case.text,
        case.field,
        name=case.name,
        service_region=region,
        regions=REGIONS,
    )


def test_there_are_at_least_80_real_snippets() -> None:
    assert len(CASES) >= 80
    assert len({(c.service_id, c.field, c.text) for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.service_id}-{c.field[:4]}" for c in CASES])
def test_snippet(case: Case) -> None:
    findings = _read(case)
    explicit = described(findings, Strength.EXPLICIT)
    weak = described(findings, Strength.WEAK)
    missing = [e for e in case.expect if e not in explicit]
    wrong = [d for d in case.deny if d in explicit]
    not_kept = [w for w in case.weak if w not in weak]
    assert not missing and not wrong and not not_kept, (
        f"{case.service_id}: missing explicit {missing}, wrongly explicit {wrong}, "
        f"not kept as weak {not_kept}; explicit={sorted(explicit)} weak={sorted(weak)}"
    )


@pytest.mark.parametrize("case", CASES, ids=[f"{c.service_id}-{c.field[:4]}" for c in CASES])
def test_spans_are_exact_and_carried_by_the_criterion(case: Case) -> None:
    for f in _read(case):
        span = f.span
        assert span.field == case.field
        assert case.text[span.start : span.end] == span.text
        if f.criterion is None:
            assert f.opens
            continue
        leaves = f.criterion.items if isinstance(f.criterion, AnyOf) else (f.criterion,)
        for leaf in leaves:
            prov = leaf.provenance  # type: ignore[union-attr]
            assert prov.kind is ProvenanceKind.TEXT
            assert prov.ref == case.field
            assert prov.span == span


def test_flags_have_a_korean_question() -> None:
    for fact, (label, question) in KNOWN_FLAGS.items():
        assert fact.isidentifier() and fact == fact.lower()
        assert label and question.endswith("?")


def test_flags_read_from_text_are_known_and_ask_their_question() -> None:
    findings = _read(CASES[5])  # 301000000106: 수급자, 차상위계층, 기초연금 수급자
    flags = [
        leaf
        for f in findings
        if isinstance(f.criterion, AnyOf)
        for leaf in f.criterion.items
        if isinstance(leaf, Flag)
    ]
    assert {f.fact for f in flags} == {
        "basic_livelihood_recipient",
        "near_poverty",
        "basic_pension_recipient",
    }
    assert all(f.question == KNOWN_FLAGS[f.fact][1] for f in flags)


def test_text_without_criteria_gives_nothing() -> None:
    assert read_field("○ 수돗물을 공급받는 가정", "target_text") == []
    assert read_field("", "target_text") == []
