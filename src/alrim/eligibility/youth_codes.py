"""The 온통청년 condition codes (청년정책 API `getPlcy`): the official code table, as data.

Source: 한국고용정보원, 온통청년 Open API 코드정의서 ("API코드정보.xlsx", sheet 코드정보), published
with the API guide (https://www.youthcenter.go.kr/cmnFooter/openapiIntro/oaiDoc; data.go.kr
15143273). Checked against the bundled sample (`data/youth/youthcenter_sample_2026-07.json.gz`,
1,324 policies): every code that occurs is in this table, and each group's 제한없음 code is the
most frequent value (jobCd 0013010: 999, schoolCd 0049010: 1,142, sbizCd 0014010: 1,177,
mrgSttsCd 0055003: 1,287, plcyMajorCd 0011009: 1,267).

A field holds one code or several separated by commas. What the codes *mean* for eligibility
(which profile fact each one is, how a list combines) is `compile_youth`'s business and is
documented in docs/eligibility.md, "온통청년 codes".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

SOURCE = "온통청년 Open API 코드정의서 (API코드정보.xlsx)"


@dataclass(frozen=True, slots=True)
class CodeGroup:
    field: str  # the getPlcy field ("jobCd")
    key: str  # its key in Service.extra["youth"] (normalize_youth)
    name: str  # Korean name of the group, as the code table calls it
    codes: Mapping[str, str]  # code → official Korean label
    any_code: str  # the code meaning 제한없음 / 무관
    other_code: str | None = None  # the code meaning 기타 (see the policy's text)

    @property
    def named(self) -> frozenset[str]:
        """The codes that name a group of people (neither 제한없음 nor 기타)."""
        return frozenset(self.codes) - {self.any_code, self.other_code or ""}

    def label(self, code: str) -> str:
        return self.codes.get(code, code)


def _codes(*pairs: tuple[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(pairs))


JOB = CodeGroup(
    field="jobCd",
    key="job",
    name="정책취업요건",
    codes=_codes(
        ("0013001", "재직자"),
        ("0013002", "자영업자"),
        ("0013003", "미취업자"),
        ("0013004", "프리랜서"),
        ("0013005", "일용근로자"),
        ("0013006", "(예비)창업자"),
        ("0013007", "단기근로자"),
        ("0013008", "영농종사자"),
        ("0013009", "기타"),
        ("0013010", "제한없음"),
    ),
    any_code="0013010",
    other_code="0013009",
)

SCHOOL = CodeGroup(
    field="schoolCd",
    key="school",
    name="정책학력요건",
    codes=_codes(
        ("0049001", "고졸 미만"),
        ("0049002", "고교 재학"),
        ("0049003", "고졸 예정"),
        ("0049004", "고교 졸업"),
        ("0049005", "대학 재학"),
        ("0049006", "대졸 예정"),
        ("0049007", "대학 졸업"),
        ("0049008", "석·박사"),
        ("0049009", "기타"),
        ("0049010", "제한없음"),
    ),
    any_code="0049010",
    other_code="0049009",
)

SPECIAL = CodeGroup(
    field="sbizCd",
    key="special",
    name="정책특화요건",
    codes=_codes(
        ("0014001", "중소기업"),
        ("0014002", "여성"),
        ("0014003", "기초생활수급자"),
        ("0014004", "한부모가정"),
        ("0014005", "장애인"),
        ("0014006", "농업인"),
        ("0014007", "군인"),
        ("0014008", "지역인재"),
        ("0014009", "기타"),
        ("0014010", "제한없음"),
    ),
    any_code="0014010",
    other_code="0014009",
)

MARRIAGE = CodeGroup(
    field="mrgSttsCd",
    key="marriage",
    name="결혼상태",
    codes=_codes(("0055001", "기혼"), ("0055002", "미혼"), ("0055003", "제한없음")),
    any_code="0055003",
)

MAJOR = CodeGroup(
    field="plcyMajorCd",
    key="major",
    name="정책전공요건",
    codes=_codes(
        ("0011001", "인문계열"),
        ("0011002", "사회계열"),
        ("0011003", "상경계열"),
        ("0011004", "이학계열"),
        ("0011005", "공학계열"),
        ("0011006", "예체능계열"),
        ("0011007", "농산업계열"),
        ("0011008", "기타"),
        ("0011009", "제한없음"),
    ),
    any_code="0011009",
    other_code="0011008",
)

INCOME = CodeGroup(
    field="earnCndSeCd",
    key="income_condition",
    name="소득조건구분",
    codes=_codes(("0043001", "무관"), ("0043002", "연소득"), ("0043003", "기타")),
    any_code="0043001",
    other_code="0043003",
)

GROUPS: tuple[CodeGroup, ...] = (JOB, SCHOOL, SPECIAL, MARRIAGE, MAJOR, INCOME)
