"""The region table and resolver: every query form, the 2026 reorganisation, containment and
the agency → region rule, checked against the real gov24 and 온통청년 samples."""

from __future__ import annotations

import csv
import gzip
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alrim.catalog.region_data import RegionDataError
from alrim.catalog.regions import AmbiguousRegion, RegionTable, UnknownRegion
from alrim.domain.region import Region, RegionLevel

REPO = Path(__file__).resolve().parents[3]
REGION_DIR = REPO / "data" / "regions"
GOV24_LIST = REPO / "data" / "gov24" / "serviceList_sample.json.gz"
YOUTH = REPO / "data" / "youth" / "youthcenter_sample_2026-07.json.gz"


@pytest.fixture(scope="module")
def table() -> RegionTable:
    return RegionTable.default()


def _codes(regions: list[Region]) -> list[str]:
    return [r.code for r in regions]


def _area(table: RegionTable, code: str) -> Region:
    region = table.get(code)
    assert region is not None
    return region


def _gov24_rows() -> list[dict[str, Any]]:
    return json.loads(gzip.decompress(GOV24_LIST.read_bytes()))["data"]


def _youth_policies() -> list[dict[str, Any]]:
    return json.loads(gzip.decompress(YOUTH.read_bytes()))["result"]["youthPolicyList"]


# ── the table ───────────────────────────────────────────────────────────────────────────


def test_sidos_are_the_sixteen_after_the_merger(table: RegionTable) -> None:
    codes = _codes(table.sidos())
    assert codes == [
        "11", "12", "26", "27", "28", "30", "31", "36",
        "41", "43", "44", "47", "48", "50", "51", "52",
    ]  # fmt: skip
    assert table.get("12") == Region("12", "전남광주통합특별시", RegionLevel.SIDO, "12")
    assert table.get("29") is None and table.get("46") is None


def test_merged_sido_has_the_27_former_sigungu(table: RegionTable) -> None:
    sigungus = table.sigungus("12")
    assert len(sigungus) == 27
    names = {r.name.removeprefix("전남광주통합특별시 ") for r in sigungus}
    assert {"목포시", "광산구", "신안군", "동구"} <= names
    # A former 시도 code lists the 시군구 of the 시도 it became.
    assert table.sigungus("46") == sigungus


def test_incheon_has_its_new_gu_and_not_the_old(table: RegionTable) -> None:
    codes = _codes(table.sigungus("28"))
    assert {"28125", "28155", "28275", "28290"} <= set(codes)
    assert not {"28110", "28140", "28260"} & set(codes)
    assert _area(table, "28275").name == "인천광역시 서해구"
    assert _area(table, "28290").name == "인천광역시 검단구"


def test_hwaseong_gu_sit_under_hwaseong(table: RegionTable) -> None:
    for code, name in [("41591", "만세구"), ("41593", "효행구"), ("41595", "병점구"),
                       ("41597", "동탄구")]:  # fmt: skip
        region = table.get(code)
        assert region is not None
        assert region.name == f"경기도 화성시 {name}"
        assert region.parent_code == "41590"
    assert _area(table, "41590").parent_code is None


def test_sejong_is_a_sido_with_one_sigungu(table: RegionTable) -> None:
    assert _area(table, "36").level is RegionLevel.SIDO
    assert _codes(table.sigungus("36")) == ["36110"]


# ── resolving ───────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("query", "code"),
    [
        # codes: 2, 5 and 10 digits
        ("11", "11"),
        ("11110", "11110"),
        ("1111000000", "11110"),
        ("1111010100", "11110"),  # 청운동 → 종로구
        ("1100000000", "11"),
        ("3611025000", "36110"),  # 세종 조치원읍
        ("41111", "41111"),
        ("11000", "11"),
        # full names
        ("서울특별시", "11"),
        ("서울특별시 종로구", "11110"),
        ("경기도 수원시 장안구", "41111"),
        ("경기도 수원시", "41110"),
        ("세종특별자치시", "36"),
        ("전남광주통합특별시 강진군", "12780"),
        ("인천광역시 제물포구", "28125"),
        # short forms
        ("서울 종로구", "11110"),
        ("서울시 종로구", "11110"),
        ("경기 수원시 장안구", "41111"),
        ("수원시 장안구", "41111"),
        ("세종시", "36"),
        ("세종", "36"),
        ("제주", "50"),
        ("제주도", "50"),
        ("경남 창원시 진해구", "48129"),
        ("광주특별시 동구", "12210"),
        # bare 시군구 names when unambiguous
        ("종로구", "11110"),
        ("장안구", "41111"),
        ("제주시", "50110"),
        ("미추홀구", "28177"),
        ("동탄구", "41597"),
        ("영종구", "28155"),
        # stems
        ("수원", "41110"),
        ("서울 강남", "11680"),
        ("경기 수원", "41110"),
        ("화성", "41590"),
        # whitespace and punctuation
        ("  서울특별시   종로구 ", "11110"),
        ("서울특별시종로구", "11110"),
        ("서울특별시,종로구", "11110"),
        ("서울·종로구", "11110"),
        ("(서울) 종로구", "11110"),
        ("경기도/수원시/장안구", "41111"),
        ("１１１１０", "11110"),  # full-width digits
        # an address resolves to its 시군구
        ("서울특별시 종로구 세종대로 209", "11110"),
        ("인천광역시 중구 운서동 2850", "28155"),
        # an office name
        ("수원시청", "41110"),
    ],
)
def test_resolve(table: RegionTable, query: str, code: str) -> None:
    assert table.resolve(query).code == code
    assert table.try_resolve(query) == table.get(code)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        # 광주광역시 and 전라남도 → 전남광주통합특별시 (2026-07-01)
        ("광주광역시", "12"),
        ("29", "12"),
        ("전라남도", "12"),
        ("전남", "12"),
        ("광주", "12"),
        ("광주광역시 동구", "12210"),
        ("광주 광산구", "12330"),
        ("29110", "12210"),
        ("2911010100", "12210"),
        ("29155", "12270"),
        ("전라남도 목포시", "12110"),
        ("전남 목포", "12110"),
        ("46110", "12110"),
        ("46230", "12190"),  # 광양시
        ("46910", "12870"),  # 신안군
        # 인천 동구 merged into 제물포구
        ("인천광역시 동구", "28125"),
        ("28140", "28125"),
        # older changes
        ("강원도", "51"),
        ("42", "51"),
        ("42110", "51110"),
        ("강원도 춘천시", "51110"),
        ("전라북도", "52"),
        ("45", "52"),
        ("45111", "52111"),
        ("전라북도 전주시 완산구", "52111"),
        ("인천광역시 남구", "28177"),
        ("28170", "28177"),
        ("경상북도 군위군", "27720"),
        ("47720", "27720"),
        ("경기도 여주군", "41670"),
        ("충청남도 연기군", "36110"),
        ("경상남도 진해시", "48129"),
        ("부산직할시 중구", "26110"),
    ],
)
def test_former_names_and_codes_resolve_to_the_current_region(
    table: RegionTable, query: str, code: str
) -> None:
    assert table.resolve(query).code == code
    assert table.explain(query) is not None


def test_every_former_gwangju_jeonnam_code_keeps_its_name(table: RegionTable) -> None:
    former = {c: r for c, r in table.retired_codes().items() if len(c) == 5 and c[:2] in "2946"}
    assert len([c for c in former if c[:2] in ("29", "46")]) >= 27
    for code, entry in former.items():
        if code[:2] not in ("29", "46"):
            continue
        (successor,) = entry.successors
        old_short = entry.name.split(" ", 1)[1]
        assert _area(table, successor).name.endswith(old_short), code


def test_zipcd_evidence_fixes_the_new_codes(table: RegionTable) -> None:
    # Single-시군구 온통청년 policies tie these codes to these places (see SOURCES.md).
    expected = {
        "12110": "목포시", "12130": "여수시", "12150": "순천시", "12190": "광양시",
        "12270": "남구", "12720": "곡성군", "12770": "장흥군", "12780": "강진군",
        "12790": "해남군", "12800": "영암군",
    }  # fmt: skip
    for code, short in expected.items():
        assert _area(table, code).name == f"전남광주통합특별시 {short}"


@pytest.mark.parametrize(
    ("query", "successors", "former"),
    [
        ("인천광역시 중구", ["28125", "28155"], "인천광역시 중구"),
        ("28110", ["28125", "28155"], "인천광역시 중구"),
        ("인천 중구", ["28125", "28155"], "인천광역시 중구"),
        ("인천광역시 서구", ["28275", "28290"], "인천광역시 서구"),
        ("28260", ["28275", "28290"], "인천광역시 서구"),
        ("2826010100", ["28275", "28290"], "인천광역시 서구 백석동"),
    ],
)
def test_split_regions_ask_which_part(
    table: RegionTable, query: str, successors: list[str], former: str
) -> None:
    assert _codes(table.resolve_all(query)) == successors
    with pytest.raises(AmbiguousRegion) as info:
        table.resolve(query)
    assert info.value.split
    assert _codes(info.value.candidates) == successors
    assert info.value.former == former
    assert "2026년 7월 1일" in info.value.message_ko and "나뉘었어요" in info.value.message_ko
    assert table.try_resolve(query) is None
    assert table.canonical_code(query) in (None, "28")


@pytest.mark.parametrize(
    ("code", "successor"),
    [
        ("2811014700", "28155"),  # 운서동 (영종도)
        ("2811015200", "28155"),  # 무의동
        ("2811010100", "28125"),  # 중앙동1가
        ("2826011300", "28290"),  # 마전동 (검단)
        ("2826012200", "28275"),  # 청라동
        ("2814010100", "28125"),  # 동구 만석동
    ],
)
def test_old_bjd_codes_of_split_gu_go_to_their_part(
    table: RegionTable, code: str, successor: str
) -> None:
    assert table.resolve(code).code == successor
    assert table.canonical_code(code) == successor


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("중구", ["11140", "26110", "27110", "30140", "31110"]),
        ("서구", ["12240", "26140", "27170", "30170"]),
        ("고성군", ["48820", "51820"]),
        ("강서구", ["11500", "26440"]),
        ("광주시", ["12", "41610"]),
    ],
)
def test_homonyms_are_ambiguous(table: RegionTable, query: str, codes: list[str]) -> None:
    with pytest.raises(AmbiguousRegion) as info:
        table.resolve(query)
    assert not info.value.split
    assert sorted(_codes(info.value.candidates)) == codes
    assert "시·도 이름과 함께" in info.value.message_ko


def test_homonyms_resolve_with_their_sido(table: RegionTable) -> None:
    assert table.resolve("대구 중구").code == "27110"
    assert table.resolve("경기도 광주시").code == "41610"
    assert table.resolve("강원 고성군").code == "51820"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("종로고", "11110"),
        ("서울특벌시 종로구", "11110"),
        ("서울 종로고", "11110"),
        ("수원시 장안고", "41111"),
        ("서울특별시 종로구청앞", "11110"),
    ],
)
def test_unknown_names_get_suggestions(table: RegionTable, query: str, expected: str) -> None:
    with pytest.raises(UnknownRegion) as info:
        table.resolve(query)
    suggestions = info.value.suggestions
    assert 1 <= len(suggestions) <= 5
    assert expected in _codes(suggestions)
    assert "찾지 못했어요" in info.value.message_ko


@pytest.mark.parametrize("query", ["", "   ", "abc", "99999", "123", "한국", "1234567890"])
def test_nonsense_is_unknown(table: RegionTable, query: str) -> None:
    with pytest.raises(UnknownRegion):
        table.resolve(query)
    assert table.try_resolve(query) is None


def test_suggest_limit(table: RegionTable) -> None:
    assert len(table.suggest("서울 구", limit=3)) <= 3
    assert table.suggest("종로구") == [table.get("11110")]
    assert table.suggest("중구", limit=2) == [table.get("11140"), table.get("26110")]
    assert table.suggest("x", limit=0) == []


@pytest.mark.parametrize(
    ("code", "canonical"),
    [
        ("11110", "11110"),
        ("1111010100", "11110"),
        ("29110", "12210"),
        ("29", "12"),
        ("4611000000", "12110"),
        ("42110", "51110"),
        ("28110", "28"),  # split: the smallest current region holding all of it
        ("28260", "28"),
        ("2811014700", "28155"),
        ("41591", "41591"),
        ("36110", "36110"),
        ("99999", None),
        ("종로구", None),
        ("", None),
    ],
)
def test_canonical_code(table: RegionTable, code: str, canonical: str | None) -> None:
    assert table.canonical_code(code) == canonical


def test_explain_speaks_korean(table: RegionTable) -> None:
    assert table.explain("광주광역시 동구") == (
        "광주광역시 동구는 2026년 7월 1일부터 전남광주통합특별시 동구예요."
    )
    assert table.explain("28110") == (
        "인천광역시 중구는 2026년 7월 1일에 인천광역시 제물포구, 인천광역시 영종구로 나뉘었어요."
    )
    assert table.explain("서울특별시 종로구") is None


# ── containment ─────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("area", "place", "answer"),
    [
        (None, "11110", True),  # nationwide
        (None, None, True),
        ("11110", None, None),  # place unknown
        ("11", "11110", True),
        ("11", "26110", False),
        ("11110", "11110", True),
        ("11110", "11140", False),
        ("11110", "11", None),  # 시도-only place inside a 시군구 area
        ("11110", "26", False),
        ("41110", "41111", True),  # 일반구 inside its 시
        ("41111", "41110", None),  # known only to the 시
        ("41111", "41113", False),
        ("41590", "41597", True),
        ("41", "41597", True),
        ("36110", "36", True),  # 세종: one 시군구
        ("36", "36110", True),
        ("11110", "서울 종로구", True),  # names work too
        ("11110", "종로구청", True),
        ("11110", "없는곳", None),
        # former codes and names
        ("12210", "29110", True),
        ("12", "광주광역시 동구", True),
        ("12110", "29", False),  # a 광주 resident is not in 목포
        ("12210", "29", None),  # …but may be in 동구
        ("12110", "광주광역시", False),
        ("12110", "전라남도", None),
        ("51110", "42", None),
        ("51", "42110", True),
        # split: true or false only when every part agrees
        ("28", "28110", True),
        ("28125", "28110", None),
        ("28155", "28110", None),
        ("28237", "28110", False),
        ("28155", "2811014700", True),
        ("28125", "2811014700", False),
        ("28275", "인천 서구", None),
        ("28200", "인천 서구", False),
        # homonym: the person is in one of them
        ("11", "중구", None),
        ("11680", "중구", False),
    ],
)
def test_covers(
    table: RegionTable, area: str | None, place: str | None, answer: bool | None
) -> None:
    region = _area(table, area) if area else None
    assert table.covers(region, place) is answer


# ── agencies ────────────────────────────────────────────────────────────────────────────

LOCAL_ENTITIES = [
    # (소관기관유형, 소관기관명, 소관기관코드, region): every 지방공기업 and
    # 지방출자_출연기관 in the gov24 sample, checked by hand.
    ("지방공기업", "강북구도시관리공단", "3080000", "11305"),
    ("지방공기업", "경상북도문화관광공사", "6470000", "47"),
    ("지방공기업", "고양도시관리공사", "3940000", "41280"),
    ("지방공기업", "광주환경공단", "6130000", "12"),
    ("지방공기업", "광진구시설관리공단", "3040000", "11215"),
    ("지방공기업", "구리도시공사", "3980000", "41310"),
    ("지방공기업", "기장군도시관리공단", "3400000", "26710"),
    ("지방공기업", "김포도시관리공사", "4090000", "41570"),
    ("지방공기업", "단양관광공사", "4480000", "43800"),
    ("지방공기업", "달성군시설관리공단", "3480000", "27710"),
    ("지방공기업", "대구공공시설관리공단", "6270000", "27"),
    ("지방공기업", "대구교통공사", "6270000", "27"),
    ("지방공기업", "대구도시개발공사", "6270000", "27"),
    ("지방공기업", "도봉구시설관리공단", "3090000", "11320"),
    ("지방공기업", "동대문구시설관리공단", "3050000", "11230"),
    ("지방공기업", "동해시시설관리공단", "4211000", "51170"),
    ("지방공기업", "보령시시설관리공단", "4510000", "44180"),
    ("지방공기업", "부산관광공사", "6260000", "26"),
    ("지방공기업", "부산시설공단", "6260000", "26"),
    ("지방공기업", "서울시설공단", "6110000", "11"),
    ("지방공기업", "서울특별시금천구시설관리공단", "3170000", "11545"),
    ("지방공기업", "서울특별시서대문구도시관리공단", "3120000", "11410"),
    ("지방공기업", "성남도시개발공사", "3780000", "41130"),
    ("지방공기업", "송파구시설관리공단", "3230000", "11710"),
    ("지방공기업", "시흥도시공사", "4010000", "41390"),
    ("지방공기업", "아산시시설관리공단", "4520000", "44200"),
    ("지방공기업", "안산도시공사", "3930000", "41270"),
    ("지방공기업", "양평공사", "4170000", "41830"),
    ("지방공기업", "영등포구시설관리공단", "3180000", "11560"),
    ("지방공기업", "오산시시설관리공단", "4000000", "41370"),
    ("지방공기업", "용산구시설관리공단", "3020000", "11170"),
    ("지방공기업", "울산광역시북구시설관리공단", "3720000", "31200"),
    ("지방공기업", "울산광역시중구도시관리공단", "3690000", "31110"),
    ("지방공기업", "울산시설공단", "6310000", "31"),
    ("지방공기업", "이천시시설관리공단", "4070000", "41500"),
    ("지방공기업", "인천광역시남제물포구도시관리공단", "3530000", "28200"),  # see below
    ("지방공기업", "인천광역시부평구시설관리공단", "3540000", "28237"),
    ("지방공기업", "인천광역시서해구시설관리공단", "3561000", "28275"),
    ("지방공기업", "인천교통공사", "6280000", "28"),
    ("지방공기업", "인천도시공사", "6280000", "28"),
    ("지방공기업", "인천시설공단", "6280000", "28"),
    ("지방공기업", "전남개발공사", "6130000", "12"),
    ("지방공기업", "제주특별자치도개발공사", "6500000", "50"),
    ("지방공기업", "종로구시설관리공단", "3000000", "11110"),
    ("지방공기업", "천안도시공사", "4490000", "44130"),
    ("지방공기업", "청주도시공사", "5710000", "43110"),
    ("지방공기업", "춘천도시공사", "4181000", "51110"),
    ("지방공기업", "충주시시설관리공단", "4390000", "43130"),
    ("지방공기업", "통영관광개발공사", "5330000", "48220"),
    ("지방공기업", "평창군시설관리공단", "4281000", "51760"),
    ("지방출자_출연기관", "(재)달성교육재단", "3480000", "27710"),
    ("지방출자_출연기관", "(재)대전일자리경제진흥원", "6300000", "30"),
    ("지방출자_출연기관", "(재)부천산업진흥원", "3860000", "41190"),
    ("지방출자_출연기관", "(재)오산문화재단", "4000000", "41370"),
    ("지방출자_출연기관", "(재)인천인재평생교육진흥원", "6280000", "28"),
    ("지방출자_출연기관", "(재)전남광주통합특별시청소년미래재단", "6130000", "12"),
    ("지방출자_출연기관", "(재)제주평생교육장학진흥원", "6500000", "50"),
    ("지방출자_출연기관", "(재)충북문화재단", "6430000", "43"),
    ("지방출자_출연기관", "(재)평택시청소년재단", "3910000", "41220"),
    ("지방출자_출연기관", "강원특별자치도삼척의료원", "6530000", "51"),
    ("지방출자_출연기관", "강원특별자치도영월의료원", "6530000", "51"),
    ("지방출자_출연기관", "경기도의료원", "6410000", "41"),
    ("지방출자_출연기관", "경기도평생교육진흥원", "6410000", "41"),
    ("지방출자_출연기관", "경기신용보증재단", "6410000", "41"),
    ("지방출자_출연기관", "경상북도안동의료원", "6470000", "47"),
    ("지방출자_출연기관", "고양국제꽃박람회", "3940000", "41280"),
    ("지방출자_출연기관", "고양문화재단", "3940000", "41280"),
    ("지방출자_출연기관", "고양산업진흥원", "3940000", "41280"),
    ("지방출자_출연기관", "고양시청소년재단", "3940000", "41280"),
    ("지방출자_출연기관", "구로문화재단", "3160000", "11530"),
    ("지방출자_출연기관", "남양주시복지재단", "3990000", "41360"),
    ("지방출자_출연기관", "대구광역시행복진흥사회서비스원", "6270000", "27"),
    ("지방출자_출연기관", "대구의료원", "6270000", "27"),
    ("지방출자_출연기관", "목포시의료원", "5780000", "12110"),
    ("지방출자_출연기관", "서울문화재단", "6110000", "11"),
    ("지방출자_출연기관", "수영구장학재단", "3380000", "26500"),
    ("지방출자_출연기관", "안양시청소년재단", "3830000", "41170"),
    ("지방출자_출연기관", "울산연구원", "6310000", "31"),
    ("지방출자_출연기관", "재단법인강원인재원", "6530000", "51"),
    ("지방출자_출연기관", "재단법인경기도시장상권진흥원", "6410000", "41"),
    ("지방출자_출연기관", "재단법인동대문문화재단", "3050000", "11230"),
    ("지방출자_출연기관", "재단법인목포국제축구센터", "5780000", "12110"),
    ("지방출자_출연기관", "재단법인세종특별자치시인재육성평생교육진흥원", "5690000", "36"),
    ("지방출자_출연기관", "재단법인시흥시인재양성재단", "4010000", "41390"),
    ("지방출자_출연기관", "재단법인안산인재육성재단", "3930000", "41270"),
    ("지방출자_출연기관", "재단법인연수문화재단", "3520000", "28185"),
    ("지방출자_출연기관", "재단법인영등포구미래교육재단", "3180000", "11560"),
    ("지방출자_출연기관", "재단법인영등포문화재단", "3180000", "11560"),
    ("지방출자_출연기관", "재단법인인천광역시사회서비스원", "6280000", "28"),
    ("지방출자_출연기관", "재단법인전북특별자치도콘텐츠융합진흥원", "6540000", "52"),
    ("지방출자_출연기관", "재단법인전북특별자치도평생교육장학진흥원", "6540000", "52"),
    ("지방출자_출연기관", "재단법인종로복지재단", "3000000", "11110"),
    ("지방출자_출연기관", "재단법인진주시복지재단", "5310000", "48170"),
    ("지방출자_출연기관", "재단법인충청남도평생교육인재육성진흥원", "6440000", "44"),
    ("지방출자_출연기관", "재단법인포천문화관광재단", "5600000", "41650"),
    ("지방출자_출연기관", "전남신용보증재단", "6130000", "12"),
    ("지방출자_출연기관", "전북특별자치도남원의료원", "6540000", "52"),
    ("지방출자_출연기관", "전주정보문화산업진흥원", "4641000", "52110"),
    ("지방출자_출연기관", "충청남도천안의료원", "6440000", "44"),
    ("지방출자_출연기관", "충청남도홍성의료원", "6440000", "44"),
    ("지방출자_출연기관", "충청북도충주의료원", "6430000", "43"),
    ("지방출자_출연기관", "화성시인재육성재단", "5530000", "41590"),
]


def test_the_list_holds_every_local_entity_of_the_sample() -> None:
    in_sample = {
        (r["소관기관유형"], r["소관기관명"], r["소관기관코드"])
        for r in _gov24_rows()
        if r["소관기관유형"] in ("지방공기업", "지방출자_출연기관")
    }
    assert in_sample == {row[:3] for row in LOCAL_ENTITIES}


@pytest.mark.parametrize(("kind", "name", "code", "region"), LOCAL_ENTITIES)
def test_local_entities(table: RegionTable, kind: str, name: str, code: str, region: str) -> None:
    found = table.agency_region(name, code, kind)
    assert found is not None and found.code == region
    by_name = table.agency_region(name, None, kind)
    assert by_name is not None
    if name == "인천광역시남제물포구도시관리공단":
        # gov24 rewrote 남동구 → 남제물포구 in the name; without the code only 인천 is certain.
        assert by_name.code == "28"
    else:
        assert by_name.code == region


@pytest.mark.parametrize(
    ("name", "code", "kind", "region"),
    [
        ("보건복지부", "1352000", "중앙행정기관", None),
        ("국가데이터처", "1241000", "중앙행정기관", None),
        ("인천국제공항공사", "B551177", "공공기관", None),
        ("국립호남권생물자원관", "B554352", "공공기관", None),
        ("서울올림픽기념국민체육진흥공단", "B551014", "공공기관", None),
        ("전남광주통합특별시", "6130000", "광역시도", "12"),
        ("세종특별자치시", "5690000", "광역시도", "36"),
        ("강원특별자치도", "6530000", "광역시도", "51"),
        ("전남광주통합특별시교육청", "7140000", "교육청", "12"),
        ("세종특별자치시교육청", "9300000", "교육청", "36"),
        ("전북특별자치도교육청", "8321000", "교육청", "52"),
        ("전남광주통합특별시 강진군", "5865000", "시군구", "12780"),
        ("전남광주통합특별시 남구", "5815000", "시군구", "12270"),
        ("인천광역시 제물포구", "3501000", "시군구", "28125"),
        ("인천광역시 영종구", "3491000", "시군구", "28155"),
        ("인천광역시 서해구", "3561000", "시군구", "28275"),
        ("경기도 광주시", "5540000", "시군구", "41610"),
        ("강원특별자치도 고성군", "4341000", "시군구", "51820"),
        ("대구광역시 군위군", "5141000", "시군구", "27720"),
        # examples beyond the sample
        ("서울주택도시공사", None, "지방공기업", "11"),
        ("부산광역시 사회서비스원", None, "지방출자_출연기관", "26"),
        ("경기도일자리재단", None, "지방출자_출연기관", "41"),
        ("강남구도시관리공단", None, "지방공기업", "11680"),
        ("인천광역시 서구 경제국", None, "시군구", "28"),  # split former name → its 시도
    ],
)
def test_agency_region(
    table: RegionTable, name: str, code: str | None, kind: str, region: str | None
) -> None:
    found = table.agency_region(name, code, kind)
    assert (found.code if found else None) == region


def test_an_unparseable_sigungu_name_falls_back_on_its_code(table: RegionTable) -> None:
    found = table.agency_region("남동구청 일자리정책과", "3530000", "시군구")
    assert found is not None and found.code == "28200"
    assert table.agency_region("어딘가", "9999999", "시군구") is None


def test_every_local_government_service_in_the_sample_gets_its_region(
    table: RegionTable,
) -> None:
    checked = 0
    for row in _gov24_rows():
        kind, name, code = row["소관기관유형"], row["소관기관명"], row["소관기관코드"]
        region = table.agency_region(name, code, kind)
        if kind in ("중앙행정기관", "공공기관"):
            assert region is None, name
            continue
        assert region is not None, name
        if kind == "시군구":
            assert region.level is RegionLevel.SIGUNGU, name
            assert name.endswith(region.name.split(" ", 1)[1]), name
        elif kind in ("광역시도", "교육청"):
            assert region.level is RegionLevel.SIDO, name
            assert name.startswith(region.name), name
        checked += 1
    assert checked == 1097 - 108 - 60


# ── the 온통청년 zipCd lists ─────────────────────────────────────────────────────────────


def test_every_youth_zipcd_resolves(table: RegionTable) -> None:
    codes = {
        code.strip()
        for policy in _youth_policies()
        for code in (policy.get("zipCd") or "").split(",")
        if code.strip()
    }
    assert len(codes) == 258
    for code in codes:
        region = table.resolve(code)
        assert region.level is RegionLevel.SIGUNGU
        assert table.canonical_code(code) == region.code == code


# ── the data files ──────────────────────────────────────────────────────────────────────


def _csv_rows(name: str) -> Iterator[dict[str, str]]:
    with (REGION_DIR / name).open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def test_every_source_id_is_documented() -> None:
    documented = (REGION_DIR / "SOURCES.md").read_text(encoding="utf-8")
    used: set[str] = set()
    for name in ("bjd_sido_sigungu_20250805.csv", "reorganisations.csv", "names.csv",
                 "agency_codes.csv"):  # fmt: skip
        for row in _csv_rows(name):
            assert row["source"].strip(), (name, row)
            used |= set(row["source"].split())
    missing = [s for s in used if f"`{s}`" not in documented]
    assert not missing


def test_every_former_code_leads_to_current_regions(table: RegionTable) -> None:
    retired = table.retired_codes()
    assert len(retired) > 150
    for code, entry in retired.items():
        assert entry.successors
        assert all(table.get(s) is not None for s in entry.successors), code
        assert table.get(code) is None


def test_a_row_without_a_source_is_refused(tmp_path: Path) -> None:
    shutil.copytree(REGION_DIR, tmp_path / "regions")
    path = tmp_path / "regions" / "names.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^서울,11,common-usage,", "서울,11,,", text, flags=re.M), "utf-8")
    with pytest.raises(RegionDataError, match="without a source"):
        RegionTable.load(tmp_path / "regions")


def test_a_change_to_an_unknown_region_is_refused(tmp_path: Path) -> None:
    shutil.copytree(REGION_DIR, tmp_path / "regions")
    path = tmp_path / "regions" / "reorganisations.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("2027-01-01,11110,서울특별시 종로구,11999,,yes,rename,test,\n")
    with pytest.raises(RegionDataError, match="no name"):
        RegionTable.load(tmp_path / "regions")
