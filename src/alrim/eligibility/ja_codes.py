"""The gov24 supportConditions (JA) code groups: what each code means, written once, as data.

Source: the official Swagger `supportConditions_model` labels (copied in
`data/gov24/supportConditions_codes.csv`); the contract vocabularies (`STATUS_CODES`,
`HOUSEHOLD_TRAIT_CODES` and the business/organisation tuples in `alrim.domain.profile`).
How a group restricts a person is decided in `compile_ja.py` and argued, with evidence from
the data, in `docs/eligibility.md`.

A *group* is one question the agency answered by ticking boxes: the ticked codes are the
allowed answers. Personal statuses (임신·출산, 직업, 학생, 장애·보훈·질병) are ONE group with
one 해당사항없음 (JA0322), exactly as gov24's 맞춤형 서비스 shows them ("개인특성"): the data
only makes sense read that way (e.g. parking discounts flag 임산부 + 장애인 + 국가보훈대상자,
meaning any of them, never all three).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alrim.domain.profile import HOUSEHOLD_TRAIT_CODES, STATUS_CODES


class Track(StrEnum):
    """Who a group of codes can describe. A business cannot be pregnant; a person has no
    법인 업종. A track's groups are read only when the service is open to that track."""

    PERSONAL = "personal"  # 개인 / 가구 — contract user types individual, household
    BUSINESS = "business"  # 소상공인 — small_business
    ORGANIZATION = "organization"  # 법인/시설/단체 — organization
    SHARED = "shared"  # applies to every applicant (region, residence …)


@dataclass(frozen=True, slots=True)
class JaGroup:
    dimension: str  # the rule dimension (also used by text findings and disagreements)
    track: Track
    values: dict[str, str]  # JA code → contract value
    names: dict[str, str]  # JA code → Korean name a citizen reads
    none_code: str | None = None  # 해당사항없음 code of the group, if any
    title: str = ""  # Korean name of the group (for "제한 없음" summaries)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.values)

    def name_of_value(self, value: str) -> str:
        for code, v in self.values.items():
            if v == value:
                return self.names[code]
        return value


AGE_MIN_CODE = "JA0110"
AGE_MAX_CODE = "JA0111"
AGE_NO_LOWER = 0  # JA0110=0: no lower limit
AGE_NO_UPPER = 120  # JA0111=120: no upper limit

SEX = JaGroup(
    "sex",
    Track.PERSONAL,
    {"JA0101": "male", "JA0102": "female"},
    {"JA0101": "남성", "JA0102": "여성"},
    title="성별",
)

INCOME = JaGroup(
    "income",
    Track.PERSONAL,
    {
        "JA0201": "0-50",
        "JA0202": "51-75",
        "JA0203": "76-100",
        "JA0204": "101-200",
        "JA0205": "200+",
    },
    {
        "JA0201": "중위소득 0~50%",
        "JA0202": "중위소득 51~75%",
        "JA0203": "중위소득 76~100%",
        "JA0204": "중위소득 101~200%",
        "JA0205": "중위소득 200% 초과",
    },
    title="소득",
)

_STATUS_NAMES = {
    "JA0301": "예비부모/난임",
    "JA0302": "임산부",
    "JA0303": "출산/입양",
    "JA0313": "농업인",
    "JA0314": "어업인",
    "JA0315": "축산업인",
    "JA0316": "임업인",
    "JA0317": "초등학생",
    "JA0318": "중학생",
    "JA0319": "고등학생",
    "JA0320": "대학생/대학원생",
    "JA0326": "근로자/직장인",
    "JA0327": "구직자/실업자",
    "JA0328": "장애인",
    "JA0329": "국가보훈대상자",
    "JA0330": "질병/질환자",
}
STATUS = JaGroup(
    "status",
    Track.PERSONAL,
    {code: status for status, code in sorted(STATUS_CODES.items(), key=lambda kv: kv[1])},
    _STATUS_NAMES,
    none_code="JA0322",
    title="개인특성",
)

_HOUSEHOLD_NAMES = {
    "JA0401": "다문화가족",
    "JA0402": "북한이탈주민",
    "JA0403": "한부모가정/조손가정",
    "JA0404": "1인가구",
    "JA0411": "다자녀가구",
    "JA0412": "무주택세대",
    "JA0413": "신규전입",
    "JA0414": "확대가족",
}
HOUSEHOLD = JaGroup(
    "household",
    Track.PERSONAL,
    {code: t for t, code in sorted(HOUSEHOLD_TRAIT_CODES.items(), key=lambda kv: kv[1])},
    _HOUSEHOLD_NAMES,
    none_code="JA0410",
    title="가구특성",
)

BUSINESS_STAGE = JaGroup(
    "business_stage",
    Track.BUSINESS,
    {"JA1101": "prospective", "JA1102": "operating", "JA1103": "closing_or_hardship"},
    {"JA1101": "예비창업자", "JA1102": "영업 중", "JA1103": "생계곤란/폐업예정"},
    title="사업자 상태",
)

BUSINESS_INDUSTRY = JaGroup(
    "business_industry",
    Track.BUSINESS,
    {"JA1201": "food_service", "JA1202": "manufacturing", "JA1299": "other"},
    # The official label of JA1201 is "음식적업" (sic); citizens read the correct word.
    {"JA1201": "음식점업", "JA1202": "제조업", "JA1299": "기타업종"},
    title="사업자 업종",
)

ORGANIZATION_TYPE = JaGroup(
    "organization_type",
    Track.ORGANIZATION,
    {"JA2101": "sme", "JA2102": "social_welfare_facility", "JA2103": "institution_or_group"},
    {"JA2101": "중소기업", "JA2102": "사회복지시설", "JA2103": "기관/단체"},
    title="법인·기관 유형",
)

ORGANIZATION_INDUSTRY = JaGroup(
    "organization_industry",
    Track.ORGANIZATION,
    {
        "JA2201": "manufacturing",
        "JA2202": "agriculture_forestry_fishery",
        "JA2203": "information_communication",
        "JA2299": "other",
    },
    {"JA2201": "제조업", "JA2202": "농업·임업·어업", "JA2203": "정보통신업", "JA2299": "기타업종"},
    title="법인 업종",
)

FLAG_GROUPS: tuple[JaGroup, ...] = (
    SEX,
    INCOME,
    STATUS,
    HOUSEHOLD,
    BUSINESS_STAGE,
    BUSINESS_INDUSTRY,
    ORGANIZATION_TYPE,
    ORGANIZATION_INDUSTRY,
)

# Rule dimension → the track that owns it (facts about a person belong to the personal track).
# Dimensions not listed (region, residence_duration …) are shared by every applicant.
DIMENSION_TRACK: dict[str, Track] = {
    "age": Track.PERSONAL,
    "age_months": Track.PERSONAL,
    "child_age": Track.PERSONAL,
    "fact": Track.PERSONAL,
    **{g.dimension: g.track for g in FLAG_GROUPS},
}

# 사용자구분 (gov24 serviceList) → contract user types and track. A person is also a member of
# a household, so 개인 and 가구 both admit either: a 가구 service does not fail an individual.
USER_TYPE_TRACK: dict[str, Track] = {
    "개인": Track.PERSONAL,
    "가구": Track.PERSONAL,
    "소상공인": Track.BUSINESS,
    "법인/시설/단체": Track.ORGANIZATION,
    "법인": Track.ORGANIZATION,
    "시설": Track.ORGANIZATION,
    "단체": Track.ORGANIZATION,
}
TRACK_USER_TYPES: dict[Track, frozenset[str]] = {
    Track.PERSONAL: frozenset({"individual", "household"}),
    Track.BUSINESS: frozenset({"small_business"}),
    Track.ORGANIZATION: frozenset({"organization"}),
}
TRACK_NAMES: dict[Track, str] = {
    Track.PERSONAL: "개인·가구",
    Track.BUSINESS: "소상공인",
    Track.ORGANIZATION: "법인·시설·단체",
}


def dimension_track(dimension: str) -> Track:
    return DIMENSION_TRACK.get(dimension, Track.SHARED)
