"""Who a 온통청년 policy is for when its 지원대상 (추가자격조건) is empty: the 대상 lines of its
지원내용 / 정책설명, a "…를 대상으로" phrase, and a group in brackets at the end of a name.

Snippets are from the bundled sample (policy names in the comments), judged by reading them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from compile_fixtures import FakeRegions, service

from alrim.domain.region import Region
from alrim.domain.service import Service
from alrim.eligibility.model import AgeRange, Flag, leaves
from alrim.eligibility.text.youth_target import label_spans, summary_phrases, target_lines
from alrim.eligibility.text_criteria import TextFinding, extract_text_criteria

YOUTH = {"youth": {"min_age": 19, "max_age": 39, "region_codes": []}}


def policy(
    *,
    sid: str = "YP20260101000000000009",
    name: str = "테스트 청년정책",
    benefit: str | None = None,
    summary: str | None = None,
    target: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Service:
    base = service(sid, cond=None, extra=extra or YOUTH, target_text=target)
    return replace(base, name=name, benefit_text=benefit, summary=summary)


class Regions(FakeRegions):
    """The compile tests' table; names it cannot resolve stay unresolved."""

    def try_resolve(self, query: str | None) -> Region | None:
        return None


def findings(svc: Service) -> list[TextFinding]:
    return extract_text_criteria(svc, Regions())


def target(svc: Service) -> TextFinding | None:
    found = [f for f in findings(svc) if f.dimension == "target_group"]
    assert len(found) <= 1
    return found[0] if found else None


def question(finding: TextFinding) -> str:
    (flag,) = [leaf for leaf in leaves(finding.criterion) if isinstance(leaf, Flag)]  # type: ignore[arg-type]
    return flag.question


# --- finding the lines -----------------------------------------------------------------------


def test_a_labelled_line_and_its_sub_items_are_kept_and_siblings_are_not() -> None:
    text = (
        "ㅇ (목적) 유입초기 청년 주거 지원\n"
        "ㅇ (대상)\n"
        "   - 18~45세 고령군 거주(예정)인 청년근로자\n"
        "   - 중소기업에 근무하는 청년근로자\n"
        "ㅇ (내용) 교통비 월 5만원"
    )
    ((start, end),) = label_spans(text)
    kept = text[start:end]
    assert "청년근로자" in kept and "중소기업에 근무하는" in kept
    assert "교통비" not in kept and "유입초기" not in kept


def test_lines_that_only_look_like_labels_are_not_read() -> None:
    for text in (
        "(대상물건) 부산진구 내 주거용 건물",  # 전월세 안심계약: the house, not the person
        "- 지원대상으로 선정될 시, 신청일 기준 당월에 지출한 월세부터 지급",
        "- 대상자 수요에 적합한 맞춤형 프로그램 적극 추진",
        "○ 대상시험(총 906종)",
    ):
        assert label_spans(text) == [], text


def test_the_kept_lines_keep_their_offsets_in_the_real_field() -> None:
    benefit = "○ 사업기간 : 연중\n\n○ 지원대상 : 관내 예술인(단체) 또는 단체\n\n○ 지원인원 : 22개팀"
    svc = policy(benefit=benefit)
    found = target_lines(svc)
    assert found is not None
    field, masked = found
    assert field == "benefit_text" and len(masked) == len(benefit)
    at = benefit.index("관내 예술인")
    assert masked[at : at + 6] == "관내 예술인"
    assert "사업기간" not in masked and "지원인원" not in masked
    # gov24 services are never read this way: their 지원대상 is the authority.
    assert target_lines(replace(svc, service_id="T00000000001")) is None


# --- reading them ----------------------------------------------------------------------------


def test_a_target_line_of_the_benefit_text_is_asked_in_the_agencys_words() -> None:
    # 거리공연 지원사업: "○ 지원대상 : 관내 예술인(단체) 또는 최근 3년 이상 관내에서 …"
    svc = policy(
        benefit="○ 지원대상 : 관내 예술인(단체) 또는 최근 3년 이상 관내에서 공연활동한 단체"
    )
    found = target(svc)
    assert found is not None and found.span.field == "benefit_text"
    assert "예술인" in question(found)


def test_a_target_line_is_also_read_for_ages_statuses_and_income() -> None:
    svc = policy(benefit="○ 지원대상 : 울산 거주 만 19~34세 미취업 청년\n○ 지원금액 : 월 50만원")
    ages = [f for f in findings(svc) if isinstance(f.criterion, AgeRange) and f.explicit]
    assert ages and ages[0].span.field == "benefit_text"
    assert (ages[0].criterion.min_years, ages[0].criterion.max_years) == (19, 34)  # type: ignore[union-attr]


def test_an_open_target_line_says_the_policy_is_open_whatever_the_name_says() -> None:
    # 1인 광고콘텐츠 창작자 지원: the summary says "청년 대상" — the name says what it trains.
    svc = policy(name="1인 광고콘텐츠 창작자 지원", summary="청년 대상 광고콘텐츠 제작교육 등")
    assert target(svc) is None
    assert target(replace(svc, summary="광고콘텐츠 제작교육 등")) is not None  # the name alone
    # 은평청년축제: "대상 : 청년 및 남녀노소 누구나"
    assert target(policy(benefit="대상 : 청년 및 남녀노소 누구나")) is None


def test_wanting_the_service_is_not_a_group() -> None:
    # 고용평등 심층상담 (직장 내 성희롱, 고용상 성차별 …)
    line = "ㅇ 지원대상: 직장 내 성희롱, 고용상 성차별, 모성보호제도 등 상담을 원하는 사람"
    assert target(policy(benefit=line)) is None


def test_a_sentence_of_the_summary_can_say_who() -> None:
    # 2026 직업교육훈련 교육생 모집: "○ 미취업여성 대상 직업교육훈련 과정 운영"
    svc = policy(summary="○ 미취업여성 대상 직업교육훈련 과정 운영")
    found = target(svc)
    assert found is not None and found.span.field == "summary"
    assert found.span.text == "미취업여성"
    assert "미취업여성" in question(found)


def test_a_clause_about_what_people_do_or_want_is_dropped_from_the_phrase() -> None:
    phrase = summary_phrases(policy(summary="부산을 방문하는 타지역 청년을 대상으로 체류비 지원"))
    assert phrase is not None and phrase[1].strip() == "타지역 청년"
    wish = summary_phrases(
        policy(summary="사이버보안 분야 입문 및 진출을 희망하는 청년 대상 정보보호 교육")
    )
    assert wish is not None and wish[1].strip() == "청년"
    ideas = summary_phrases(policy(summary="개인 및 예비창업자를 대상으로 아이디어 권리화 지원"))
    assert ideas is not None and ideas[1].strip() == "개인 및 예비창업자"
    assert summary_phrases(policy(summary="지원 대상 확대 및 홍보 강화")) is None


# --- a group in brackets at the end of a name (any service) --------------------------------------


def test_a_group_in_brackets_at_the_end_of_a_name_is_asked() -> None:
    # 도시철도 요금 감면(단체): 지원대상 "○ 일반 ○ 청소년 ○ 어린이" are fare classes; the
    # ticket is a group ticket.
    gov24 = replace(
        service("O00026100004", cond=None, target_text="○ 일반\n\n○ 청소년\n\n○ 어린이"),
        name="도시철도 요금 감면(단체)",
    )
    found = target(gov24)
    assert found is not None and found.span.field == "name" and found.span.text == "단체"
    for name in ("주차요금 감면(10%)", "지역화폐(마포사랑상품권)", "청년 면접수당(상반기)"):
        assert target(replace(gov24, name=name)) is None, name
