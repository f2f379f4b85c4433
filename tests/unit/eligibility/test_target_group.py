"""Target groups the profile cannot express (text/target_group.py), on real 지원대상 snippets.

Each snippet was judged by reading it before the code ran: does the text restrict WHO may apply
in a way no profile field (age, region, status, household, income …) says, and is that
restriction not already checked by the service's other criteria?
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from compile_fixtures import (
    HOUSEHOLD_ALL,
    INCOME_ALL,
    SEX_ALL,
    STATUS_ALL,
    FakeRegions,
    conditions,
    region,
    service,
)

from alrim.domain.profile import Profile
from alrim.domain.region import Region
from alrim.domain.service import Service
from alrim.eligibility.compile import compile_service
from alrim.eligibility.evaluate import Context, evaluate
from alrim.eligibility.model import AgeRange, AnyOf, Flag, ProvenanceKind, StatusIn, leaves
from alrim.eligibility.parameters import Parameters
from alrim.eligibility.text.target_group import read_target_group, target_fact
from alrim.eligibility.text_criteria import TextFinding, extract_text_criteria
from alrim.paths import PARAMETERS_DIR

OPEN_CODES = (*SEX_ALL, *INCOME_ALL, *STATUS_ALL, "JA0322", *HOUSEHOLD_ALL, "JA0410")
BUSAN = region("26", "부산광역시")


class Regions(FakeRegions):
    """The compile tests' small table, plus name lookup (부산, 성남 …) for the text reader."""

    def __init__(self) -> None:
        super().__init__()
        self._regions[BUSAN.code] = BUSAN

    def try_resolve(self, query: str | None) -> Region | None:
        if not query:
            return None
        for r in self._regions.values():
            short = r.name.split()[-1]
            if query in (r.name, short, short[:-1]) and len(query) >= 2:
                return r
        return None


def with_text(
    target: str,
    *,
    sid: str = "T00000000001",
    name: str = "테스트 서비스",
    cond: dict[str, Any] | None = None,
    criteria: str | None = None,
    area: Region | None = None,
    extra: dict[str, Any] | None = None,
) -> Service:
    from dataclasses import replace

    base = service(sid, cond=cond, area=area, extra=extra, target_text=target)
    return replace(base, name=name, criteria_text=criteria)


def target(svc: Service) -> TextFinding | None:
    found = [f for f in extract_text_criteria(svc, Regions()) if f.dimension == "target_group"]
    assert len(found) <= 1, "one target-group finding per service"
    return found[0] if found else None


def flag_of(finding: TextFinding) -> Flag:
    flags = [leaf for leaf in leaves(finding.criterion) if isinstance(leaf, Flag)]  # type: ignore[arg-type]
    assert len(flags) == 1
    return flags[0]


# --- a group the profile cannot express: one flag, quoting the agency's words -----------------

FLAGGED = [
    # (service text, codes, the agency's words the question must quote)
    ("○ 임금이 체불된 근로자", conditions(*OPEN_CODES, age=(0, 120)), "임금이 체불된 근로자"),
    (
        "○ 관내 가축사육업 허가·등록 돼지 사육농가",
        conditions("JA0313", "JA0315", age=(0, 120)),
        "관내 가축사육업 허가·등록 돼지 사육농가",
    ),
    # veteran is broader than 참전유공자
    ("○ 참전유공자", conditions("JA0329", age=(0, 120)), "참전유공자"),
    ("○ 가정위탁 보호 아동", None, "가정위탁 보호 아동"),
    ("○ 성폭력 피해자", conditions(*OPEN_CODES, age=(0, 120)), "성폭력 피해자"),
    # 희귀질환자: the "patient" status does not say which disease
    ("○ 관내 거주 희귀질환자", conditions("JA0330", age=(0, 120)), "관내 거주 희귀질환자"),
    # a status named, but the rule does not check it: the status reader keeps "장애인 가정"
    # weak (the applicant may be another member), and the codes leave every status open
    ("○ 장애인 가정의 자녀", conditions(*OPEN_CODES, age=(0, 120)), "장애인 가정의 자녀"),
    # an exclusion word inside the group's name is not an exclusion rule
    (
        "장애인 직업재활시설 최저임금 적용제외 근로장애인",
        conditions("JA0328", age=(0, 120)),
        "장애인 직업재활시설 최저임금 적용제외 근로장애인",
    ),
]


@pytest.mark.parametrize(("text", "cond", "words"), FLAGGED)
def test_a_group_the_profile_cannot_express_is_asked(
    text: str, cond: dict[str, Any] | None, words: str
) -> None:
    svc = with_text(text, cond=cond, sid="149200000030")
    found = target(svc)
    assert found is not None and found.explicit
    flag = flag_of(found)
    assert flag.fact == target_fact("149200000030") == "target_149200000030"
    assert flag.question == f"‘{words}’에 해당하나요?"
    assert flag.label and len(flag.label) <= 48
    # The flag cites the exact words it quotes.
    span = found.span
    assert flag.provenance.kind is ProvenanceKind.TEXT and flag.provenance.span == span
    assert text[span.start : span.end] == span.text and words in span.text


# --- open or already checked: no flag ---------------------------------------------------------

NOT_FLAGGED = [
    ("서울시민 누구나", None),
    ("지역 주민 모두", None),
    ("○ 만 14세 이상 누구나 신청 가능", None),
    ("○ 관내 거주 임산부", conditions("JA0302", age=(0, 120))),
    # the text reader reads 임산부 as an explicit status, so the rule checks it
    ("○ 관내 거주 임산부", conditions(*OPEN_CODES, age=(0, 120))),
    ("○ 만 65세 이상 어르신", conditions(*OPEN_CODES, age=(65, 120))),
    ("○ 성남시에 주민등록이 되어 있는 8세 미만 아동", None),
    # an exclusion list is not who may apply
    ("○ 관내 거주 농업인\n○ 지원제외 대상 : 법인, 영농조합", conditions("JA0313", age=(0, 120))),
    # priorities and notes are not limits
    (
        "○ 관내 거주 만 65세 이상 어르신(저소득층 우선)\n※ 자세한 사항은 홈페이지 참고",
        conditions(*OPEN_CODES, age=(65, 120)),
    ),
    # one alternative is open to every resident: a 부산 resident gets the discount
    ("○ 국가유공자\n○ 부산시민(신분증)\n○ 장애인(본인)\n○ 15인 단체(일괄결제시)", None),
    # a list of groups that says "일반 국민" is open
    ("○ 장병, 군무원, 일반 국민", None),
]


@pytest.mark.parametrize(("text", "cond"), NOT_FLAGGED)
def test_an_open_or_expressed_target_is_not_asked(text: str, cond: dict[str, Any] | None) -> None:
    name = "시티투어버스 이용요금 감면" if "부산시민" in text else "테스트 서비스"
    assert target(with_text(text, cond=cond, name=name, area=BUSAN)) is None


def test_selection_criteria_are_read_when_the_target_points_to_them() -> None:
    svc = with_text("선정기준 참조", criteria="○ 학교폭력 피해학생", cond=None)
    found = target(svc)
    assert found is not None and found.span.field == "criteria_text"
    assert flag_of(found).question == "‘학교폭력 피해학생’에 해당하나요?"


def test_alternatives_keep_the_groups_the_profile_can_say() -> None:
    # A discount list: a disabled person qualifies outright; the 병역명문가 must be asked.
    text = "○ 장애인\n○ 국가유공자\n○ 병역명문가"
    found = target(with_text(text, name="체육시설 이용요금 감면", cond=None))
    assert found is not None and isinstance(found.criterion, AnyOf)
    items = found.criterion.items
    assert any(isinstance(i, StatusIn) and "disabled" in i.allowed for i in items)
    assert flag_of(found).question == "‘병역명문가’에 해당하나요?"
    for item in items:  # every alternative cites the list it came from
        assert item.provenance.span == found.span  # type: ignore[union-attr]


def test_a_youth_policy_without_ages_is_for_young_people() -> None:
    youth = {"youth": {"min_age": 0, "max_age": 0, "region_codes": []}}
    svc = with_text("", sid="YP20250101000000000001", name="청년 마음건강 지원", extra=youth)
    found = target(svc)
    assert found is not None and isinstance(found.criterion, AnyOf)
    ages = [i for i in found.criterion.items if isinstance(i, AgeRange)]
    assert ages and (ages[0].min_years, ages[0].max_years) == (19, 34)
    assert found.span.field == "name" and found.span.text == "청년"


def test_a_youth_policy_that_only_points_to_its_announcement_is_asked() -> None:
    svc = with_text("모집공고문 참고", sid="YP20250101000000000002", name="청년몰 운영")
    found = target(svc)
    assert found is not None
    assert flag_of(found).label == "공고문의 신청 자격"
    assert "모집공고문 참고" in flag_of(found).question


def test_the_youth_exclusions_are_not_the_target() -> None:
    text = "참여 제한 대상: 국세 또는 지방세 체납 기업"
    assert target(with_text(text, sid="YP20250101000000000003", name="일자리 정보 제공")) is None
    # The name may name the group (the applicants of "강소기업 선정" are companies); the
    # exclusions still are not read as who may apply.
    found = target(with_text(text, sid="YP20250101000000000003", name="강소기업 선정"))
    assert found is not None and found.span.field == "name"


def test_a_service_without_target_text_gets_no_flag() -> None:
    assert read_target_group(with_text("")) is None


# --- what a person sees -------------------------------------------------------------------------


def test_the_flag_turns_eligible_into_maybe_until_the_person_answers() -> None:
    svc = with_text("○ 임금이 체불된 근로자", cond=conditions(*OPEN_CODES, age=(18, 64)))
    regions = Regions()
    rule = compile_service(svc, regions=regions, text_findings=extract_text_criteria(svc, regions))
    ctx = Context(regions=regions, parameters=Parameters.load(PARAMETERS_DIR))
    fact = target_fact(svc.service_id)
    person = Profile(as_of=date(2026, 11, 25), birth_date=date(1994, 3, 2))

    result = evaluate(rule, person, ctx)
    assert result.status.value == "maybe"
    assert f"facts.{fact}" in result.missing
    assert any("임금이 체불된 근로자" in r.text for r in result.reasons)

    assert evaluate(rule, person.with_(facts={fact: True}), ctx).status.value == "eligible"
    assert evaluate(rule, person.with_(facts={fact: False}), ctx).status.value == "ineligible"
