"""The real sample (1,097 gov24 services, 1,324 온통청년 policies) compiled end to end.

The expected criteria of the table below were judged by reading each service's 지원대상 /
선정기준 text (quoted in the comments), not copied from the compiler's output.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from alrim.catalog.assemble import assemble
from alrim.catalog.regions import RegionTable
from alrim.catalog.sources.gov24_files import Gov24FileSource
from alrim.catalog.sources.youth import YouthSource
from alrim.domain.profile import Profile
from alrim.domain.service import Service
from alrim.eligibility.compile import compile_service
from alrim.eligibility.evaluate import Context, evaluate
from alrim.eligibility.ja_codes import FLAG_GROUPS
from alrim.eligibility.model import ProvenanceKind, Rule, Status, leaves
from alrim.eligibility.parameters import Parameters
from alrim.paths import DATA_DIR, PARAMETERS_DIR

GOV24_SAMPLE = [
    DATA_DIR / "gov24" / f"{name}_sample.json.gz"
    for name in ("serviceList", "serviceDetail", "supportConditions")
]
YOUTH_SAMPLE = DATA_DIR / "youth" / "youthcenter_sample_2026-07.json.gz"
FULL_2025 = DATA_DIR / "gov24" / "supportConditions_full_2025-04-03.csv.gz"
AS_OF = date(2026, 11, 25)


@pytest.fixture(scope="module")
def table() -> RegionTable:
    return RegionTable.default()


@pytest.fixture(scope="module")
def gov24(table: RegionTable) -> dict[str, Service]:
    built = assemble(
        Gov24FileSource(GOV24_SAMPLE).records(), dataset="gov24", regions=table, fetched_at=None
    )
    assert not built.rejected
    return {s.service_id: s for s in built.services}


@pytest.fixture(scope="module")
def youth(table: RegionTable) -> dict[str, Service]:
    built = assemble(
        YouthSource(YOUTH_SAMPLE).records(), dataset="youthcenter", regions=table, fetched_at=None
    )
    return {s.service_id: s for s in built.services}


@pytest.fixture(scope="module")
def rules(
    gov24: dict[str, Service], youth: dict[str, Service], table: RegionTable
) -> dict[str, Rule]:
    return {sid: compile_service(svc, regions=table) for sid, svc in {**gov24, **youth}.items()}


@pytest.fixture(scope="module")
def ctx(table: RegionTable) -> Context:
    return Context(regions=table, parameters=Parameters.load(PARAMETERS_DIR))


def shown(rule: Rule) -> list[tuple[str, str]]:
    """What a citizen reads: (criterion kind, label) for every leaf, in order."""
    return [(leaf.kind, leaf.label) for leaf in leaves(rule.criteria)]


PERSON = ("user_type", "개인 대상")

# service id → expected leaves. Quotes are from the service's own 지원대상 text.
EXPECTED: dict[str, list[tuple[str, str]]] = {
    # "국공립 및 사립유치원에 다니는 3~5세 유아"
    "000000465790": [PERSON, ("age", "만 3~5세")],
    # "소상공인 기준: 개인사업자 … 법인사업자" — every personal flag ticked, not read for a business
    "300000000137": [("user_type", "소상공인 대상"), ("region", "서울특별시 종로구 소재")],
    # "… 요건을 충족하는 농업인, 농업법인 및 공동농업경영체": a farmer OR a farming company
    "154300005041": [
        PERSON,
        ("age", "만 18세 이상"),
        ("status", "농업인"),
        ("user_type", "법인·시설·단체 대상"),
        ("organization_type", "중소기업"),
        ("organization_industry", "농업·임업·어업"),
    ],
    # "짝수년도에 출생한 51세~80세 여성농업인" (농업인: codes only tick JA0322, text adds it)
    "650000001099": [
        PERSON,
        ("region", "제주특별자치도 거주"),
        ("age", "만 51~80세"),
        ("sex", "여성"),
    ],
    # "금정구에 주민등록이 되어있는 13세~18세 학교 밖 청소년"
    "335000000104": [
        PERSON,
        ("region", "부산광역시 금정구 거주"),
        ("age", "만 13~18세"),
        ("status", "초등학생·중학생·고등학생·대학생/대학원생에 해당하지 않음"),
    ],
    # "국가유공자 … 장애인 … 임산부가 탑승한 차량": any of them
    "O00000700005": [
        PERSON,
        ("region", "강원특별자치도 동해시 거주"),
        ("age", "만 19세 이상"),
        ("status", "임산부·장애인·국가보훈대상자"),
    ],
    # "정신건강 위기학생": codes tick only JA0322 — no status criterion, the age says students
    "930000000011": [PERSON, ("region", "세종특별자치시 거주"), ("age", "만 13~18세")],
    # "용산구 임신부 대상"
    "302000000109": [
        PERSON,
        ("region", "서울특별시 용산구 거주"),
        ("age", "만 18~44세"),
        ("sex", "여성"),
        ("status", "임산부"),
    ],
    # "목포시에 주민등록을 둔 기초연금 수급자 중 만 70세 이상 노인"
    "480000000123": [
        PERSON,
        ("region", "전남광주통합특별시 목포시 거주"),
        ("age", "만 70세 이상"),
        ("income_band", "기준 중위소득 75% 이하"),
        ("status", "예비부모/난임·임산부·출산/입양·초등학생·중학생·고등학생에 해당하지 않음"),
    ],
    # "강남구에 주민등록이 되어있는 남성 육아휴직자 … 고용보험 가입자"
    "322000000125": [
        PERSON,
        ("region", "서울특별시 강남구 거주"),
        ("age", "만 19~64세"),
        ("sex", "남성"),
        ("status", "근로자/직장인"),
        ("household", "1인가구에 해당하지 않음"),
    ],
    # "만 65세 이상 독거노인 가구" (JA0111=200 is read as no upper limit)
    "414000000107": [
        PERSON,
        ("region", "경기도 연천군 거주"),
        ("age", "만 65세 이상"),
        ("household", "1인가구"),
    ],
    # "관내 고추재배 농가"
    "340000000107": [
        PERSON,
        ("region", "부산광역시 기장군 거주"),
        ("age", "만 18세 이상"),
        ("status", "농업인"),
    ],
    # "만 18세 이상 ~ 만 40세 미만 … 중위소득 140% 초과 등 일정소득이상자는 제외"
    "154300000396": [
        PERSON,
        ("age", "만 18~39세"),
        ("income_band", "기준 중위소득 200% 이하"),
        ("status", "농업인"),
    ],
    # "명륜동에 1년 이상 주민등록 … 거주하고 있는 대학생"
    "330000000115": [PERSON, ("region", "부산광역시 동래구 거주"), ("status", "대학생/대학원생")],
    # 조기재취업수당: "재취업하여 12개월 이상 계속 고용되거나 …"
    "149200000063": [PERSON, ("age", "만 19세 이상"), ("status", "근로자/직장인")],
    # "19세 이상 34세 이하 청년"
    "B55370100042": [PERSON, ("age", "만 19~34세")],
    # "고교졸업예정자~39세 인천시 구직청년 및 관내대학 재학생"
    "628000000752": [
        PERSON,
        ("region", "인천광역시 거주"),
        ("age", "만 18~39세"),
        ("status", "대학생/대학원생·구직자/실업자"),
    ],
    # "만 19~39세 관악구 거주 청년 1인 가구"
    "320000000124": [
        PERSON,
        ("region", "서울특별시 관악구 거주"),
        ("age", "만 19~39세"),
        ("status", "초등학생·중학생·고등학생에 해당하지 않음"),
        ("household", "1인가구"),
    ],
    # "65세 이상 단독 가구 - 국민기초생활보장수급권자 … 및 차상위계층". Its codes tick 7
    # statuses + 해당사항없음 (fewer than the 9 unticked): the focus, not a condition — the
    # text excludes no 근로자 or 구직자.
    "316000000111": [
        PERSON,
        ("region", "서울특별시 구로구 거주"),
        ("age", "만 65세 이상"),
        ("income_band", "기준 중위소득 50% 이하"),
        ("household", "1인가구"),
    ],
    # "… 무주택 임차인이 납입한 전세보증금반환보증 보증료"
    "382000000174": [
        PERSON,
        ("region", "경기도 의정부시 거주"),
        ("age", "만 18세 이상"),
        ("household", "무주택세대"),
    ],
    # "구로구에 출생신고한 셋째 이상 신생아 … 출생일로부터 1년 이내"
    "316000000131": [
        PERSON,
        ("region", "서울특별시 구로구 거주"),
        ("age", "만 1세 이하"),
        ("status", "출산/입양"),
        ("household", "다자녀가구"),
    ],
    # "사업자 등록 후 가동(영업)중 … 중소기업·소상공인"
    "142100000071": [
        ("user_type", "소상공인 대상"),
        ("business_stage", "영업 중"),
        ("user_type", "법인·시설·단체 대상"),
        ("organization_type", "중소기업"),
    ],
    # "관내 일반음식점"
    "328000000120": [
        ("user_type", "소상공인 대상"),
        ("region", "부산광역시 영도구 소재"),
        ("business_stage", "영업 중·생계곤란/폐업예정"),
        ("business_industry", "음식점업"),
    ],
    # "동작구 보호대상아동(생활복지시설, 자립지원시설, 가정위탁)": a child or the facility
    "319000000104": [
        PERSON,
        ("age", "만 6~12세"),
        ("user_type", "법인·시설·단체 대상"),
        ("organization_type", "사회복지시설"),
        ("region", "서울특별시 동작구 거주"),
    ],
    # "대피명령 또는 퇴거명령을 이행하는 … 이주자" (가구 service of 종로구)
    "300000000165": [("user_type", "가구 대상"), ("region", "서울특별시 종로구 거주")],
    # "｢중소기업기본법｣ 제2조의 규정에 따른 중소기업"
    "142100000011": [
        ("user_type", "법인·시설·단체 대상"),
        ("organization_type", "중소기업"),
        ("organization_industry", "기타업종"),
    ],
    # 온통청년: "연소득 4,500만원 이하, 재직기간 1개월 이상의 도내 근로소득 청년(만19~39세)";
    # jobCd 재직자 — the text's "재직기간 1개월 이상 … 근로소득 청년" is an employee.
    "YP20260422005400212850": [
        PERSON,
        ("region", "제주특별자치도 거주"),
        ("status", "재직자"),
        ("age", "만 19~39세"),
        ("fact", "연소득 4,500만원 이하"),
    ],
    # 온통청년, zipCd = 광주's five 구 (now in 전남광주통합특별시)
    "YP20260616005400213235": [
        PERSON,
        ("region", "전남광주통합특별시 동구 등 5곳 거주"),
        ("age", "만 19~39세"),
    ],
}


@pytest.mark.parametrize("service_id", sorted(EXPECTED))
def test_real_service_compiles_to_what_its_text_says(
    service_id: str, rules: dict[str, Rule]
) -> None:
    assert shown(rules[service_id]) == EXPECTED[service_id]


def test_the_table_covers_enough_real_services() -> None:
    assert len(EXPECTED) >= 25


def test_every_sample_service_compiles(
    gov24: dict[str, Service], youth: dict[str, Service], rules: dict[str, Rule]
) -> None:
    assert len(gov24) == 1097
    assert len(youth) == 1324
    assert len(rules) == len(gov24) + len(youth)
    for rule in rules.values():
        assert rule.origin == "compiled"
        assert rule.disagreements == ()  # no text findings yet
        for leaf in leaves(rule.criteria):
            assert leaf.label.strip(), (rule.service_id, leaf)
            assert leaf.provenance.ref.strip(), (rule.service_id, leaf)


def test_every_ja_provenance_names_real_codes(rules: dict[str, Rule]) -> None:
    known = {"JA0110", "JA0111"} | {c for g in FLAG_GROUPS for c in g.codes}
    known |= {g.none_code for g in FLAG_GROUPS if g.none_code}
    for rule in rules.values():
        for leaf in leaves(rule.criteria):
            if leaf.provenance.kind is ProvenanceKind.JA:
                assert set(leaf.provenance.ref.split(",")) <= known


def test_the_full_2025_supportconditions_catalog_compiles(table: RegionTable) -> None:
    built = assemble(
        Gov24FileSource([FULL_2025]).records(), dataset="gov24", regions=table, fetched_at=None
    )
    assert len(built.services) + len(built.rejected) == 10245  # the catalog quarantines a few
    assert len(built.services) > 10200
    compiled = [compile_service(s, regions=table) for s in built.services]
    with_ja = sum(
        any(leaf.provenance.kind is ProvenanceKind.JA for leaf in leaves(r.criteria))
        for r in compiled
    )
    # No serviceList row here, so no user type: only the JA codes speak. Most rows restrict.
    assert with_ja > 0.9 * len(compiled)


def test_counts_of_rules_per_number_of_criteria(rules: dict[str, Rule]) -> None:
    gov24_counts = Counter(
        len(leaves(r.criteria)) for sid, r in rules.items() if not sid.startswith("YP")
    )
    youth_counts = Counter(
        len(leaves(r.criteria)) for sid, r in rules.items() if sid.startswith("YP")
    )
    print("gov24 leaves per rule:", sorted(gov24_counts.items()))
    print("youth leaves per rule:", sorted(youth_counts.items()))
    assert sum(gov24_counts.values()) == 1097
    # Every gov24 service publishes 사용자구분, so every rule says who may apply …
    assert 0 not in gov24_counts
    # … and most say more than that: a region, an age, a status.
    assert sum(n for k, n in gov24_counts.items() if k >= 2) > 0.95 * 1097
    kinds = Counter(leaf.kind for r in rules.values() for leaf in leaves(r.criteria))
    assert kinds["region"] > 0.5 * len(rules)  # most services are local (645 of 1,097 시군구)


# --- personas ------------------------------------------------------------------------------


def statuses_for(rules: dict[str, Rule], ctx: Context, profile: Profile) -> dict[str, Status]:
    return {sid: evaluate(rule, profile, ctx).status for sid, rule in rules.items()}


def test_a_30_year_old_employee_in_jongno(rules: dict[str, Rule], ctx: Context) -> None:
    profile = Profile(
        as_of=AS_OF,
        birth_date=date(1996, 5, 1),
        sex="male",
        region="11110",
        statuses=frozenset({"employee"}),
        statuses_complete=True,
        user_types=frozenset({"individual"}),
        user_types_given=True,
    )
    got = statuses_for(rules, ctx, profile)
    assert got["149200000063"] is Status.ELIGIBLE  # 조기재취업수당: employee, 19+
    assert got["300000000165"] is Status.ELIGIBLE  # 종로구 가구 service admits an individual
    assert got["300000000137"] is Status.INELIGIBLE  # 종로구, but for 소상공인
    assert got["302000000109"] is Status.INELIGIBLE  # 용산구 임산부
    assert got["322000000125"] is Status.INELIGIBLE  # 강남구 아빠 육아휴직
    assert got["000000465790"] is Status.INELIGIBLE  # 유아학비 3~5세
    assert got["154300000396"] is Status.INELIGIBLE  # 청년농업인: not a farmer
    assert got["B55370100042"] is Status.ELIGIBLE  # 미소금융 청년 19~34세
    result = evaluate(rules["322000000125"], profile, ctx)
    failed = [r.text for r in result.reasons if r.outcome.value == "fail"]
    assert failed == ["서울특별시 강남구 거주 조건에 맞지 않아요 (사는 곳: 서울특별시 종로구)"]


def test_a_70_year_old_in_mokpo_under_its_old_name(
    rules: dict[str, Rule], ctx: Context, table: RegionTable
) -> None:
    mokpo = table.resolve("전라남도 목포시").code
    profile = Profile(as_of=AS_OF, age=70, sex="female", region=mokpo)
    got = statuses_for(rules, ctx, profile)
    assert got["SD0000016141"] is Status.ELIGIBLE  # 65세 이상 폐렴구균 예방접종
    assert got["480000000123"] is Status.MAYBE  # 목포 노인 이미용권: income, statuses unknown
    assert got["302000000109"] is Status.INELIGIBLE
    assert got["000000465790"] is Status.INELIGIBLE
    maybe = evaluate(rules["480000000123"], profile, ctx)
    assert maybe.missing == ("household_income_monthly", "statuses")

    poorer = profile.with_(
        household_size=1,
        household_income_monthly=1_000_000,  # 39% of the 2026 1-person median
        statuses=frozenset(),
        statuses_complete=True,
    )
    assert evaluate(rules["480000000123"], poorer, ctx).status is Status.ELIGIBLE


def test_a_pregnant_woman_in_suwon_jangan(
    rules: dict[str, Rule], ctx: Context, table: RegionTable
) -> None:
    jangan = table.resolve("경기 수원시 장안구").code
    profile = Profile(
        as_of=AS_OF,
        birth_date=date(1994, 3, 2),
        sex="female",
        region=jangan,
        statuses=frozenset({"pregnant", "employee"}),
    )
    got = statuses_for(rules, ctx, profile)
    assert got["SD0000007672"] is Status.ELIGIBLE  # 건강보험 임신·출산 진료비 지원
    # 수원시's 예비·신혼부부 검사: 장안구 is in 수원시; household traits still unknown.
    assert got["374000000575"] is Status.MAYBE
    assert got["302000000109"] is Status.INELIGIBLE  # 용산구 임산부
    assert got["554000000205"] is Status.INELIGIBLE  # 경기도 광주시 다태임신 임산부
    assert got["322000000125"] is Status.INELIGIBLE  # 남성 육아휴직자
