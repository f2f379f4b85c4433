"""Target groups the profile cannot express: one yes/no `Flag` per service.

Most 지원대상 texts name a group no profile field can say — "임금이 체불된 근로자", "학교폭력
피해학생", "관내 소재 중소기업", "전세사기 피해자", "참전유공자". Without a criterion for it the
engine would call everyone who meets the age and region "eligible"; a careful reader answers
"maybe — are you one of them?". This module finds such a group and asks exactly that:

    Flag(fact="target_<service id>", label="임금이 체불된 근로자",
         question="‘임금이 체불된 근로자’에 해당하나요?", provenance=TEXT + span)

How (details in docs/eligibility-text.md, "Target groups the profile cannot express"):

1. the field: 지원대상 (`target_text`), or 선정기준 when 지원대상 only points to it ("선정기준
   참조") or is empty; for 온통청년 policies the part before "참여 제한 대상:";
2. its items (`Outline`), without exclusions (제외, 불가 …), notes (※, *), priorities (우선,
   가점 …), how-to and benefit lines;
3. each item's *residue* (`target_words.read_line`): the words left once ages, regions,
   numbers, law titles, "people" words, grammar and the groups the rule already checks
   (`captured_requirements`: an age criterion covers 어르신, a status criterion 임산부 …) are
   removed. An item with residue names a group the profile cannot express; an item without
   residue is *open* ("서울시민 누구나") or already checked ("관내 거주 임산부");
4. no flag when no item has residue, or when an open item is an alternative to the others
   ("○ 평창군에 주소를 두고 있는 주민" among discount groups); else one flag quoting the items
   with residue (alternatives: "… 중 하나에 해당하나요?", conditions: "… 모두 해당하나요?").
   Alternatives the profile can say keep their own criterion: `AnyOf(장애인, Flag(…))`; a bare
   "청년"/"어르신" with no age criterion is `AnyOf(its usual age range, Flag)`;
5. when 지원대상 names nobody: a pointer to an announcement ("모집공고문 참고") is asked as
   such, and for 온통청년 policies a group in the policy's name ("제대군인 사이버교육").

The finding's dimension is `target_group` (not `fact`): the merge would OR it with the 수급자
flags of `fact`, and weaken person dimensions for business-only services. Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import cast

from alrim.domain.service import Service
from alrim.eligibility.compile_agency import read_agency_conditions
from alrim.eligibility.compile_ja import read_conditions
from alrim.eligibility.compile_youth import read_youth
from alrim.eligibility.ja_codes import TRACK_USER_TYPES, USER_TYPE_TRACK, Track
from alrim.eligibility.merge import merge_findings
from alrim.eligibility.model import (
    AgeMonthsRange,
    AgeRange,
    All,
    AnyOf,
    Criterion,
    Flag,
    HouseholdTraitIn,
    Leaf,
    Not,
    OrganizationTypeIn,
    Provenance,
    ProvenanceKind,
    StatusIn,
    TextSpan,
    UserTypeIn,
)
from alrim.eligibility.readings import Reading
from alrim.eligibility.target_facts import target_fact
from alrim.eligibility.text.finding import Strength, TextFinding
from alrim.eligibility.text.mention import text_span
from alrim.eligibility.text.outline import Item, Outline, is_exclusion_heading
from alrim.eligibility.text.target_words import (
    AGE_GROUP_WORDS,
    REQUIREMENTS,
    WORD_NEEDS,
    LineReading,
    RegionNames,
    read_line,
)
from alrim.eligibility.text.youth_target import summary_phrases, target_lines

DIMENSION = "target_group"

_YOUTH_PREFIX = "YP"  # 온통청년 policies: 지원대상 is 추가자격조건 (+ 소득 기타)
_YOUTH_EXCLUSIONS = "참여 제한 대상:"
# A field that only points elsewhere: "선정기준 참조", "지원대상과 동일".
_POINTER = re.compile(
    r"^\W*(?:지원\s*대상|선정\s*기준|신청\s*자격|대상)?\s*(?:과|와|은|는)?\s*"
    r"(?:동일|같음|상동|참조|참고|내용\s*참조)\W*$"
)
_EXCLUSION = re.compile(
    r"제외|불가(?!능)|배제|미적용|불인정|지원하지\s*(?:않|아니)|신청할\s*수\s*없|참여할\s*수\s*없|"
    r"제한\s*대상|참여\s*제한|지원\s*제한|결격"
)
_NEGATED_EXCLUSION = re.compile(
    r"[^,.\n]{0,40}?(?:제외|참여\s*제한|결격)\s*(?:대상자?|사유)?\s*(?:에|에도)?\s*"
    r"(?:해당하지|해당되지|해당이\s*없|포함되지)\s*(?:아니|않)?[가-힣]*"
)
# A note that explains a word, with items of its own: "* (참고) 직업재활시설 ⏎ - …".
_EXPLAINING_NOTE = re.compile(r"참고|예시|정의|범위|말함|이란|란\s|[:：]\s*$")
_PAREN_NOISE = re.compile(
    r"신분증|증명|증빙|카드|회원증|확인|제시|지참|본인|동반|포함|등록증|수첩|\d+\s*%|무료|유료|할인|"
    r"감면|예시|예\s*[:)]|상이|제한\s*없|무관|통보|문의|참고|참조|예산|기준\s*$|발급|[*※]"
)
_PAREN_CONDITION = re.compile(r"경우|한함|한하여|한정|에\s*한해")
_PROVISO = re.compile(r"(?:^|[\s,.])(?:단|다만)\s*[,，:]|※")
_PRIORITY = re.compile(r"우선|순위|가점|가산점|(?<![경예])우대|추가\s*지원")
_NOT_GROUP = re.compile(
    r"^\W*[(（<\[]?\s*(?:지원\s*(?:내용|금액|규모|기간|방법|한도|수준|형태|품목|절차)|"
    r"신청\s*(?:방법|기간|기한|장소|절차|시기|일정)|사업\s*(?:내용|기간|규모|개요|예산)|"
    r"제출\s*서류|구비\s*서류|문의|유의\s*사항|참고\s*사항|지급\s*(?:방법|시기|금액|액|일)|"
    r"운영\s*(?:기간|시간|방법|형태)|이용\s*(?:방법|시간|요금)|선정\s*(?:방법|절차|시기)|"
    r"교육\s*(?:내용|기간|일정)|모집\s*(?:기간|인원)|접수|감면\s*(?:율|내용)|기타\s*정보|"
    r"세부\s*내용|선발\s*(?:방법|인원)|결과\s*발표|일시|장소|방법)"
)
_PROCEDURE = re.compile(
    r"공고\s*(?:문|시)?\s*(?:참조|참고|확인)|홈페이지\s*(?:참조|참고|확인|공고|게시)|문의|https?://|www\.|\d{2,4}-\d{3,4}-\d{4}|"
    r"자세한\s*사항|세부\s*사항|상세\s*(?:요건|조건|내용)|신청\s*(?:하시|바랍|해\s*주)|제출하여야|"
    r"(?:을|를)\s*제출|지급합니다|지원합니다|드립니다|바랍니다|예정\W*$|통보\W*$|"
    r"(?:이내|까지|부터|후)\s*신청\W*$|신청\s*(?:해야|하여야|할\s*것)|"
    r"(?:등본|초본|확인서|증명서|사본|신청서|서약서|통장)(?!\s*(?:을|를)?\s*소지)"
)
# Benefit lines: "1인 최대 150만원 한도 지원", "사용료 50% 감면", "연속 3년 참여 가능".
_BENEFIT = re.compile(
    r"\d[\d,.]*\s*(?:만|천|백|억)?\s*원\s*(?:[가-힣]+\s*){0,2}(?:지원|지급|한도|상당|씩|이내\s*지원)|"
    r"(?:최대|연속)\s*\d+\s*(?:년|회|개월)|예산\s*(?:소진|범위|확보)|선착순|"
    r"(?:도|까지)\s*(?:참여|신청|지원|이용)\s*가능|^\W*-{3,}"
)
# "[활동내용]", "<지원내용>": a section about what is provided, not who.
_OTHER_SECTION = re.compile(
    r"[\[<〈《]\s*(?:활동|지원|교육|사업|운영|모집|신청|혜택|프로그램|선발)?\s*"
    r"(?:내용|혜택|방법|일정|절차|기간|분야|규모)\s*[\]>〉》]"
)
# A discount tier after a group ("장애인 50% 할인", "1인 면제"): dropped, the group stays.
_TIER = re.compile(
    r"\s*(?:\d+\s*인\s*)?(?:\d+\s*%\s*)?(?:감면|할인|면제|무료|경감)(?:\s*(?:대상|적용|혜택))?\s*$"
    r"|\s*\d+\s*%"
)
# Everyone: "일반국민", "국민 누구나", "관심 있는 국민", "주민 모두" (an item that says it is open).
_EVERYONE = re.compile(
    r"일반\s*(?:국민|시민|주민|인)|누구나|누구든지|전\s*국민|모든\s*(?:국민|시민|군민|구민|도민|주민)"
    r"|(?:국민|시민|군민|구민|도민|주민)\s*(?:모두|전체)|관심\s*(?:이\s*)?있는\s*(?:일반\s*)?(?:국민|시민|누구)"
    r"|^\W*개인\s*(?:,|또는|및|·|ㆍ)"  # "개인, 중소기업, 공공기관 …": any individual
    # "… 상담을 원하는 사람": wanting the service is self-declared
    r"|(?:원하는|희망하는)\s*(?:모든\s*)?(?:사람|자|분|국민|시민|주민)(?:\s*누구나)?\W*$"
)
# Where the conditions really are: an announcement, a web page, an office to ask.
_ANNOUNCEMENT = re.compile(
    r"공고|공지|지침|모집\s*요강|홈페이지|누리집|사이트|https?://|문의|상세\s*(?:요건|조건|내용)|별도\s*안내"
)
_OPEN_VALUE = re.compile(r"[:：]\s*(?:무관|제한\s*없음|제한없음|해당\s*없음|없음|누구나)\W*$")
_MARKER = re.compile(
    r"^\s*(?:[○◯●◎❍⚬ㅇ◦▢■□★▶▷◆◇❖•∙▪·ㆍ\-–—⁃‣〮․￭▸►*＊]|[①-⑳➊-➓❶-❿]|\d{1,2}\s*[.)]|"
    r"[가-하]\s*[.)]|[(（]\s*\d{1,2}\s*[)）]|O\s)\s*"
)
# Labels that only say "who": dropped before reading the item.
_GROUP_LABEL = re.compile(
    r"^\s*(?:[(（<\[]\s*)?(?:지원\s*대상자?|신청\s*(?:자격|대상자?)|사업\s*대상자?|대상자?|"
    r"자격\s*요건|선정\s*기준|지원\s*자격|참여\s*대상|모집\s*대상|교육\s*대상|이용\s*대상|"
    r"기본\s*요건|공통\s*(?:요건|자격)?|대상\s*범위)\s*(?:[)）>\]])?\s*[:：]?\s*"
)
# Any other short label ("취약계층 :", "(청년)", "참전유공자 :") before what it labels.
_ANY_LABEL = re.compile(
    r"^\s*(?:[(（<\[]\s*[^)）>\]\n]{1,16}[)）>\]]|[^:：\n]{1,16}[:：]|[^:：\n]{1,30}대상자?\s*[:：])\s*"
)
_LABEL_ONLY = re.compile(
    r"^[^:：\n]{0,12}(?:요건|조건|기준|자격|학력|대상|구분|범위|사항|분야)\s*[:：]?\s*$|^[^:：\n]{1,16}[:：]\s*$"
)
_TITLE = re.compile(
    r"(?:지원|사업|감면|할인|면제|운영|융자|대출|급여|수당|바우처|서비스|프로그램|교육|검진|접종|"
    r"지급|보조|장려금|지원금|이용료|입장료|사용료|감면\s*대상|조회|발급|상담|검사|점검|치료|수술|"
    r"조성|구축|접종)\s*[:：]?\s*$"
)
_DISCOUNT_NAME = re.compile(r"감면|할인|면제|무료|우대|이용\s*요금|사용료|입장료|관람료")
_PAREN = re.compile(r"[(（][^()（）\n]*[)）]")
_LONG_PAREN = re.compile(r"\s*[(（][^()（）\n]{12,}[)）]")
_TRAILING = re.compile(r"[\s,.·ㆍ:：;]+$")
_QUOTE_MAX = 44
_LABEL_MAX = 24
_QUOTED_ITEMS = 3


@dataclass(frozen=True, slots=True)
class _Unit:
    """One item of the target field that describes who may apply."""

    item: Item
    start: int  # offsets of the item's own text in the field
    end: int
    body: str  # what is read: marker, group label, parentheses and provisos removed
    reading: LineReading
    has_children: bool


def target_field(service: Service) -> tuple[str, str] | None:
    """(field name, text) that says who the service is for, or None.

    지원대상 first; 선정기준 when 지원대상 is empty or only points to it. For 온통청년 policies
    only 지원대상 (추가자격조건) counts — their 선정기준 field is the selection *method* — and
    only its part before "참여 제한 대상:"."""
    text = service.target_text or ""
    youth = service.service_id.startswith(_YOUTH_PREFIX)
    if youth:
        text = text.split(_YOUTH_EXCLUSIONS)[0]
    if text.strip() and not _POINTER.match(text.strip()):
        return "target_text", text
    if youth:
        return None
    criteria = service.criteria_text or ""
    if criteria.strip() and not _POINTER.match(criteria.strip()):
        return "criteria_text", criteria
    return None


def read_target_group(
    service: Service,
    findings: Sequence[TextFinding] = (),
    regions: RegionNames | object | None = None,
) -> TextFinding | None:
    """The service's target group as one explicit finding (a `Flag`, or for a bare age group
    such as "청년" an `AnyOf` of its usual age range and the `Flag`), or None when its text
    names no group beyond what the rule already checks.

    `findings`: the service's other text findings; with its JA codes and 온통청년 fields they
    say what the rule already checks (an age criterion captures "어르신", a status criterion
    "임산부" …). `regions` (the region table) tells region names from other words."""
    captured = captured_requirements(service, findings)
    youth = service.service_id.startswith(_YOUTH_PREFIX)
    # 온통청년: when 추가자격조건 does not say who, the 대상 lines of 지원내용 / 정책설명 do,
    # else a "… 대상으로" phrase of 정책설명.
    fallbacks = (target_lines(service) or summary_phrases(service)) if youth else None
    for found, says_who in ((target_field(service), False), (fallbacks, True)):
        if found is None:
            continue
        decided, finding = _read_field(service, found, captured, findings, regions)
        if decided or says_who:
            # A 대상 line that names only groups the rule checks ("(대상) 관내 청년") says
            # who the policy is for: the name's words are then what it does, not who
            # ("1인 광고콘텐츠 창작자 지원" is training for "청년").
            return finding or _qualifier_in_name(service, captured)
    return (
        _qualifier_in_name(service, captured)
        or _group_in_name(service, captured)
        or _youth_by_name(service, captured)
    )


def _read_field(
    service: Service,
    found: tuple[str, str],
    captured: frozenset[str],
    findings: Sequence[TextFinding],
    regions: RegionNames | object | None,
) -> tuple[bool, TextFinding | None]:
    """Read one field that says who: (True, the finding or None when it says the service is
    open) when the field decides, (False, None) when it names nobody the rule does not check."""
    field, text = found
    outline = Outline(text)
    units = _units(outline, captured, regions)
    narrowing = [u for u in units if u.reading.residue]
    if narrowing:
        discount = bool(_DISCOUNT_NAME.search(service.name or ""))
        if _open_alternative(outline, units, discount):
            return True, None
        mode = _mode(outline, narrowing, discount)
        if mode == "single" and _group_mode(outline, narrowing[0].item, discount) == (
            "alternatives"
        ):
            mode = "alternatives"  # "- 등록 장애인 - 상이등급 판정을 받은 국가유공자"
        if mode == "alternatives":
            quoted = [u for u in units if u.reading.narrows and not u.has_children]
            return True, _alternatives(service.service_id, field, text, quoted, findings, regions)
        return True, _finding(service.service_id, field, text, narrowing, mode)
    if not units:
        pointer = _ANNOUNCEMENT.search(text)
        if pointer is not None:
            return True, _announcement(service.service_id, field, text, pointer.start())
    if any(_EVERYONE.search(u.body) for u in units):
        return True, None  # the text says everyone may apply, whatever the name suggests
    youth = service.service_id.startswith(_YOUTH_PREFIX)
    if not youth and any(u.reading.narrows for u in units):
        return True, None  # gov24: 지원대상 names the group (and the rule checks it)
    return False, None


# Groups a policy's *name* names when its 지원대상 says nothing ("고교생 맞춤형 고용서비스",
# "제대군인 사이버교육", "산모·신생아 재가돌봄"): word → the requirement that would capture it
# ("" = none can).
_NAME_GROUPS: dict[str, str] = {
    "고교생": "student",
    "고등학생": "student",
    "대학생": "student",
    "대학원생": "student",
    "학부생": "student",
    "중학생": "student",
    "초등학생": "student",
    "산모": "birth",
    "임산부": "birth",
    "임신부": "birth",
    "신생아": "birth",
    "장애인": "disabled",
    "장애학생": "disabled",
    "한부모": "single_parent",
    "다문화": "multicultural",
    "북한이탈주민": "north_korean_defector",
    "구직자": "job_seeker",
    "미취업": "job_seeker",
    "재직자": "employee",
    "근로자": "employee",
    "소상공인": "small_business",
    "자영업자": "small_business",
    "농업인": "farm",
    "어업인": "farm",
    "제대군인": "",
    "군인": "",
    "장병": "",
    "국군": "",
    "병역의무자": "",
    "자립준비청년": "",
    "보호종료": "",
    "가족돌봄": "",
    "고립": "",
    "은둔": "",
    "경력단절": "",
    "신혼부부": "",
    "예술인": "",
    "창업기업": "",
    "예비창업": "",
    "창업자": "",
    "스타트업": "",
    "귀농": "",
    "전세사기": "",
    "박사후연구원": "",
    "퇴소청소년": "",
    # Groups 온통청년 names carry when no 대상 line says who (the judged sample: 벤처기업 공동채용,
    # 대학창업펀드, 제주 크리에이터 경제 …): the applicant is a company, a fund, a club, a creator.
    "크리에이터": "",
    "창작자": "",
    "예술가": "",
    "동아리": "",
    "펀드": "",
    "벤처기업": "",
    "강소기업": "",
    "입주기업": "",
}
# How a name word is asked when the word alone reads oddly.
_NAME_GROUP_LABELS: dict[str, str] = {
    "펀드": "펀드 운용사나 투자받는 기업",
    "동아리": "동아리(모임)",
    "강소기업": "강소기업(선정 대상 기업)",
    "벤처기업": "벤처기업(기업)",
    "입주기업": "입주기업(기업)",
}
_NAME_GROUP = re.compile("|".join(sorted(map(re.escape, _NAME_GROUPS), key=len, reverse=True)))


def _group_in_name(service: Service, captured: frozenset[str]) -> TextFinding | None:
    """A policy whose 지원대상 names nobody (for 온통청년: adds only conditions the rule
    checks), but whose name names a group no criterion checks."""
    name = service.name or ""
    for m in _NAME_GROUP.finditer(name):
        need = _NAME_GROUPS[m.group(0)]
        if need and need in captured:
            continue
        span = text_span("name", name, m.start(), m.end())
        group = _NAME_GROUP_LABELS.get(m.group(0), m.group(0))
        question = f"이 사업의 대상인 ‘{group}’에 해당하나요? (사업명: {' '.join(name.split())})"
        return _explicit(span, _flag(service.service_id, span, m.group(0), question))
    return None


_QUALIFIER = re.compile(r"[(（]([^()（）\n]{1,12})[)）]\s*$")


def _qualifier_in_name(service: Service, captured: frozenset[str]) -> TextFinding | None:
    """A name that ends by naming its group in brackets — "도시철도 요금 감면(단체)" (a group
    ticket; its 지원대상 lists only fare classes) — when nothing the rule checks covers it.
    Every word of the bracket must be a group word ("(장애인)", "(경로)", "(예술인)"); other
    brackets ("(마포사랑상품권)", "(10%)", "(상반기)") are not read."""
    name = service.name or ""
    m = _QUALIFIER.search(name)
    if m is None:
        return None
    words = [w for w in re.split(r"[\s,·ㆍ/]+", m.group(1)) if w]
    if not words or not all(w in WORD_NEEDS or w in _NAME_GROUPS for w in words):
        return None
    missing = [w for w in words if (WORD_NEEDS.get(w) or _NAME_GROUPS.get(w)) not in captured]
    if not missing:
        return None
    span = text_span("name", name, m.start(1), m.end(1))
    question = (
        f"이 서비스의 대상인 ‘{m.group(1)}’에 해당하나요? (서비스명: {' '.join(name.split())})"
    )
    return _explicit(span, _flag(service.service_id, span, m.group(1), question))


def _announcement(service_id: str, field: str, text: str, at: int) -> TextFinding:
    """지원대상 that only sends the reader elsewhere ("모집공고문 참고", "주소지 읍면사무소
    문의"): whoever it is for, the profile cannot tell."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    end = len(text) if end < 0 else end
    while start < end and text[start] in " \t-*※○ㅇ·":
        start += 1
    span = text_span(field, text, start, len(text[:end].rstrip()))
    words = " ".join(span.text.split())
    if len(words) > _QUOTE_MAX:
        words = words[:_QUOTE_MAX].rstrip() + "…"
    question = f"공고문이나 담당 기관이 안내하는 신청 자격에 해당하나요? (‘{words}’)"
    return _explicit(span, _flag(service_id, span, "공고문의 신청 자격", question))


def _youth_by_name(service: Service, captured: frozenset[str]) -> TextFinding | None:
    """An 온통청년 policy named for 청년 whose rule has no age: the group is 청년."""
    if not service.service_id.startswith(_YOUTH_PREFIX) or "age" in captured:
        return None
    name = service.name or ""
    m = _YOUTH_WORD.search(name)
    if m is None:
        return None
    span = text_span("name", name, m.start(), m.end())
    return _age_group_finding(service.service_id, span, "청년")


# ---------------------------------------------------------------------------------------------
# What the rule already checks


_STATUS_NEEDS = {
    "pregnant": "birth",
    "expecting_parent": "birth",
    "new_parent": "birth",
    "farmer": "farm",
    "fisher": "farm",
    "livestock_farmer": "farm",
    "forester": "farm",
    "elementary_student": "student",
    "middle_school_student": "student",
    "high_school_student": "student",
    "university_student": "student",
    "employee": "employee",
    "job_seeker": "job_seeker",
    "disabled": "disabled",
    "veteran": "veteran",
    "patient": "patient",
}
_TRAIT_NEEDS = {
    "multicultural": "multicultural",
    "north_korean_defector": "north_korean_defector",
    "single_parent_or_grandparent": "single_parent",
    "single_person": "single_person",
    "multi_child": "multi_child",
    "no_home": "no_home",
    "newly_moved_in": "newly_moved_in",
}
_DIMENSION_NEEDS = {
    "age": "age",
    "sex": "sex",
    "income": "income",
    "fact": "income",
    "business_stage": "small_business",
    "business_industry": "small_business",
}


def captured_requirements(service: Service, findings: Sequence[TextFinding] = ()) -> frozenset[str]:
    """What the service's rule will check (see `target_words.WORD_NEEDS`): its JA codes, user
    types and 온통청년 fields merged with the explicit text findings, as in `compile`."""
    tracks = [USER_TYPE_TRACK[u] for u in service.user_types if u in USER_TYPE_TRACK]
    readings: dict[str, Reading] = {}
    youth = service.extra.get("youth") if isinstance(service.extra, dict) else None
    if isinstance(youth, dict):
        readings.update(read_youth(youth, service_id=service.service_id, name=service.name))
    readings.update(read_conditions(service.conditions, tracks or None))
    agency = service.extra.get("agency_conditions") if isinstance(service.extra, dict) else None
    if isinstance(agency, dict):
        readings.update(read_agency_conditions(agency))
    merged = merge_findings(service.service_id, readings, findings)
    needs: set[str] = set()
    for dimension, criterion in merged.criteria.items():
        if dimension in _DIMENSION_NEEDS:
            needs.add(_DIMENSION_NEEDS[dimension])
        needs |= _leaf_needs(criterion)
    for track in set(tracks):
        if track is not Track.PERSONAL and len(set(tracks)) == 1:
            needs |= {"small_business"} if track is Track.BUSINESS else {"organization"}
    return frozenset(needs)


def _positive_leaves(criterion: Criterion) -> list[Leaf]:
    """The leaves a person must meet (those under a `Not` exclude instead)."""
    if isinstance(criterion, All | AnyOf):
        return [leaf for item in criterion.items for leaf in _positive_leaves(item)]
    if isinstance(criterion, Not):
        return []
    return [criterion]


def _leaf_needs(criterion: Criterion) -> set[str]:
    needs: set[str] = set()
    for leaf in _positive_leaves(criterion):
        if isinstance(leaf, StatusIn) and not leaf.none_ok:
            needs |= {_STATUS_NEEDS[s] for s in leaf.allowed if s in _STATUS_NEEDS}
        elif isinstance(leaf, HouseholdTraitIn) and not leaf.none_ok:
            needs |= {_TRAIT_NEEDS[t] for t in leaf.allowed if t in _TRAIT_NEEDS}
        elif isinstance(leaf, OrganizationTypeIn):
            needs.add("organization")
            if "sme" in leaf.allowed:
                needs.add("sme")
        elif isinstance(leaf, UserTypeIn):
            if leaf.allowed <= TRACK_USER_TYPES[Track.BUSINESS]:
                needs.add("small_business")
            elif leaf.allowed <= TRACK_USER_TYPES[Track.ORGANIZATION]:
                needs.add("organization")
    return needs


# ---------------------------------------------------------------------------------------------
# Items


def _units(
    outline: Outline, captured: frozenset[str], regions: RegionNames | object | None
) -> list[_Unit]:
    units: list[_Unit] = []
    note_kinds: set[str] | None = None  # kinds seen before a note; later new kinds belong to it
    seen_kinds: set[str] = set()
    other_from = _other_section_start(outline.text)
    for item in outline.items:
        if item.start >= other_from:
            break  # "[활동내용]" and what follows
        if item.is_heading:
            note_kinds = None
            continue
        if item.is_note:
            if _EXPLAINING_NOTE.search(outline.text[item.start : item.end].split("\n")[0]):
                note_kinds = set(seen_kinds)
            continue
        if note_kinds is not None:
            if item.kind not in note_kinds:
                continue  # "* (참고) 직업재활시설 ⏎ - 「장애인복지법」 … 시설": the note's items
            note_kinds = None
        seen_kinds.add(item.kind)
        own = outline.own_text(item)
        if item.end > other_from:
            own = outline.text[item.start : other_from]
        if _skip(outline, item, own):
            continue
        has_children = any(not outline.items[c].is_note for c in item.children)
        positive = positive_part(own)
        body = _body(positive)
        if not re.search(r"[가-힣A-Za-z]", body):
            continue  # "- (일반공급)": a label over the items that follow
        if has_children and (_TITLE.search(_PAREN.sub("", own)) or _LABEL_ONLY.match(body)):
            continue  # "○ 체육시설 이용료 감면(50%)", "- 학력": a title over its items
        reading = _read(body, captured, regions)
        if not reading.residue:
            # "18세 이상(보호종료 5년 이내)": a condition in parentheses.
            inner = _body(_PAREN.sub(_paren_condition, positive_part(own, keep_parens=True)))
            if inner != body:
                with_parens = _read(inner, captured, regions)
                if with_parens.residue:
                    body, reading = inner, with_parens
        units.append(
            _Unit(
                item=item,
                start=item.start,
                end=item.start + len(own.rstrip()),
                body=body,
                reading=reading,
                has_children=has_children,
            )
        )
    return units


def _other_section_start(text: str) -> int:
    m = _OTHER_SECTION.search(text)
    return m.start() if m else len(text)


def _body(text: str) -> str:
    """One item's words: its marker and a leading "지원대상 :" label dropped, on one line."""
    body = _MARKER.sub("", text.strip(), count=1)
    body = _GROUP_LABEL.sub("", body, count=1)
    return " ".join(body.split())


def _read(body: str, captured: frozenset[str], regions: RegionNames | object | None) -> LineReading:
    """Read an item; a short label ("취약계층 :") is dropped when what it labels says who; an
    item that says "everyone" ("장병, 군무원, 일반 국민") is open."""
    if _EVERYONE.search(body):
        return LineReading((), False)
    body = _TIER.sub("", body)
    m = _ANY_LABEL.match(body)
    if m and m.end() < len(body):
        rest = read_line(body[m.end() :], captured, regions)
        if rest.narrows:
            return rest
    return read_line(body, captured, regions)


def positive_part(text: str, keep_parens: bool = False) -> str:
    """The part of an item that says who may apply: parentheses (except conditions: "(발명자와
    출원인이 동일한 경우)"), "단, … 제외" provisos and "제외 대상에 해당하지 아니하는" removed."""
    if not keep_parens:
        text = _PAREN.sub(
            lambda m: (
                f" {m.group(0)[1:-1]} "
                if _PAREN_CONDITION.search(m.group(0)) and not _EXCLUSION.search(m.group(0))
                else ""
            ),
            text,
        )
    text = _NEGATED_EXCLUSION.sub(" ", text)
    m = _PROVISO.search(text)
    if m and m.start() > 0:
        text = text[: m.start()]
    return text


def _skip(outline: Outline, item: Item, own: str) -> bool:
    """Items that do not describe who may apply."""
    first = own.split("\n")[0]
    body = _MARKER.sub("", first, count=1)
    if not body.strip():
        return True
    if _excluded(outline, item, own):
        return True
    plain = _PAREN.sub("", own)
    if _PRIORITY.search(plain) or _OPEN_VALUE.search(plain):
        return True
    for it in outline.ancestors(item):
        if _PRIORITY.search(_PAREN.sub("", outline.text[it.start : it.end].split("\n")[0])):
            return True  # "○ 검진대상자 우선순위 ⏎ - …": the order of selection, not who
    if _NOT_GROUP.match(body) or (item.label and _NOT_GROUP.match(item.label)):
        return True
    if _PROCEDURE.search(plain) or _BENEFIT.search(plain):
        return True
    return _POINTER.match(_GROUP_LABEL.sub("", body)) is not None


def _paren_condition(m: re.Match[str]) -> str:
    """A parenthesis read as part of the item unless it is proof, a tier, an extension, a
    priority, an exclusion or a note ("(신분증)", "(50%)", "(휴학생 포함)", "(… 우선)")."""
    inner = m.group(0)[1:-1]
    if _PAREN_NOISE.search(inner) or _EXCLUSION.search(inner) or _PRIORITY.search(inner):
        return " "
    if len(inner.split()) < 2:
        return " "  # one word restating the one before: "최종시험(면접시험)", "파견학생(학부생)"
    return f" {inner} "


def _says_excluded(text: str) -> bool:
    """Does a line *state* an exclusion ("…는 제외", "지원제외 대상 :", "신청 불가")? An
    exclusion word inside the group's name ("긴급복지지원법상 지원 제외자로 … 가구",
    "최저임금 적용제외 근로장애인") does not."""
    line = " ".join(_PAREN.sub("", text).split())
    for m in _EXCLUSION.finditer(line):
        tail = line[m.end() :]
        if m.start() <= 8 or re.match(r"\s*(?:[:：)]|대상\s*[:：)]|[가-힣]{0,4}\W*$)", tail):
            return True
    return False


def _excluded(outline: Outline, item: Item, own: str) -> bool:
    if _says_excluded(positive_part(own)):
        return True
    text = outline.text
    for it in outline.ancestors(item):
        if it.label and _EXCLUSION.search(it.label):
            return True
        first = text[it.start : it.end].split("\n")[0]
        if is_exclusion_heading(first) or _says_excluded(positive_part(first)):
            return True
    top = ([item, *outline.ancestors(item)])[-1]
    for prev in reversed(outline.items[: top.index]):
        if prev.is_heading:
            return bool(_EXCLUSION.search(text[prev.start : prev.end]))
    return False


def _group_mode(outline: Outline, item: Item, discount: bool) -> str:
    """`Outline.group_mode`; undecided items of a discount service ("이용요금 감면") are the
    groups that each get it."""
    mode = outline.group_mode(item)
    if mode != "undecided":
        return mode
    members = outline.group_members(item)
    if discount and len(members) >= 2:
        return "alternatives"
    return mode


def _open_alternative(outline: Outline, units: list[_Unit], discount: bool) -> bool:
    """Is an item that names nobody in particular ("관내 주민") one of several alternatives?"""
    read = {u.item.index for u in units}
    for u in units:
        if not u.reading.open or u.has_children:
            continue
        members = [m for m in outline.group_members(u.item) if m.index in read]
        if len(members) < 2:
            continue
        mode = _group_mode(outline, u.item, discount)
        if mode == "alternatives" or (mode != "conditions" and _EVERYONE.search(u.body)):
            return True  # "○ HACCP 인증 희망업체 ○ HACCP에 관심이 있는 일반 국민"
    return False


def _mode(outline: Outline, narrowing: list[_Unit], discount: bool) -> str:
    if len(narrowing) < 2:
        return "single"
    modes = {_group_mode(outline, u.item, discount) for u in narrowing}
    if modes == {"alternatives"}:
        return "alternatives"
    if modes == {"conditions"}:
        return "conditions"
    return "undecided"


# ---------------------------------------------------------------------------------------------
# The finding


def _quote(text: str, unit: _Unit) -> tuple[int, int, str]:
    """The agency's words for one item: marker and group label dropped, on one line, short."""
    own = text[unit.start : unit.end]
    m = _MARKER.match(own)
    skip = m.end() if m else 0
    lm = _GROUP_LABEL.match(own, skip)
    if lm and lm.end() < len(own.rstrip()):
        skip = lm.end()
    while skip < len(own) and own[skip].isspace():
        skip += 1  # a masked 대상 line (youth_target) starts with blanks
    start = unit.start + skip
    words = " ".join(_LONG_PAREN.sub("", text[start : unit.end]).split())
    words = _TRAILING.sub("", words)
    if len(words) > _QUOTE_MAX:
        cut = words[:_QUOTE_MAX]
        space = cut.rfind(" ")
        words = _TRAILING.sub("", cut[:space] if space > _QUOTE_MAX // 2 else cut) + "…"
    return start, unit.end, words


def _label(unit: _Unit) -> str:
    """A short name for the group: the item from its first unexpressed word on, cut to its
    last words (a Korean noun phrase ends in its noun)."""
    body = _PAREN.sub("", unit.body)
    first = unit.reading.residue[0] if unit.reading.residue else ""
    at = body.find(first) if first else -1
    if at > 0:
        at = body.rfind(" ", 0, at) + 1  # from the start of the word ("1급부터", not "급부터")
    phrase = body[at:] if at >= 0 else body
    phrase = re.split(r"[.;]\s|\n", phrase)[0]
    phrase = _TRAILING.sub("", " ".join(phrase.split()))
    words = phrase.split()
    out: list[str] = []
    for w in reversed(words):
        if out and len(" ".join([w, *out])) > _LABEL_MAX:
            break
        out.insert(0, w)
    return " ".join(out) or _TRAILING.sub("", unit.body)[:_LABEL_MAX]


def _finding(service_id: str, field: str, text: str, units: list[_Unit], mode: str) -> TextFinding:
    quotes = [_quote(text, u) for u in units]
    shown = quotes[:_QUOTED_ITEMS]
    start = min(s for s, _, _ in shown)
    end = max(e for _, e, _ in shown)
    span = text_span(field, text, start, end)  # the words the question quotes
    residue = {w for u in units for w in u.reading.residue}
    if len(units) == 1 and residue and residue <= AGE_GROUP_WORDS:
        group = _age_group(residue)
        if group is not None:
            return _age_group_finding(service_id, span, group, quotes[0][2])
    names = ", ".join(f"‘{q}’" for _, _, q in shown)
    more = " 등" if len(quotes) > len(shown) else ""
    labelled = next((u for u in units if u.reading.residue), units[0])
    label = _label(labelled)
    if len(quotes) == 1:
        question = f"{names}에 해당하나요?"
    elif mode == "alternatives":
        question = f"{names}{more} 중 하나에 해당하나요?"
        label += " 등"
    elif mode == "conditions":
        question = f"{names}{more}에 모두 해당하나요?"
    else:
        question = f"{names}{more}에 해당하나요?"
    return _explicit(span, _flag(service_id, span, label, question))


_OR_KINDS = frozenset({"age", "age_months", "child_age", "status", "household", "fact", "sex"})


def _alternatives(
    service_id: str,
    field: str,
    text: str,
    units: list[_Unit],
    findings: Sequence[TextFinding],
    regions: RegionNames | object | None,
) -> TextFinding:
    """Alternative groups ("○ 장애인 ○ 만 65세 이상 ○ 병역명문가"): the groups a profile can
    express keep their own criterion (read by the other readers, usually as weak findings),
    the rest become the flag — `AnyOf(장애인, 만 65세 이상, Flag(병역명문가))`."""
    expressed: list[Leaf] = []
    asked: list[_Unit] = []
    for u in units:
        own = _own_criterion(u, field, text, findings, regions)
        if own is None:
            asked.append(u)
        else:
            expressed.extend(own)
    if not expressed:
        return _finding(service_id, field, text, units, "alternatives")
    span = text_span(field, text, min(u.start for u in units), max(u.end for u in units))
    prov = Provenance(ProvenanceKind.TEXT, field, span)
    items: list[Criterion] = [cast(Criterion, replace(leaf, provenance=prov)) for leaf in expressed]
    if asked:
        # Every group but these is one the profile can say: ask only about these.
        flag = _finding(service_id, field, text, asked, "alternatives").criterion
        assert isinstance(flag, Flag)
        items.append(replace(flag, provenance=prov))
    # else: every alternative is one the profile can say ("○ 65세 이상 노인 ○ 장애인 ○ 다자녀
    # 부모", each left weak by its own reader): the list itself is the criterion.
    label = " 또는 ".join(dict.fromkeys(i.label for i in items if isinstance(i, Leaf)))
    return _explicit(span, AnyOf(tuple(items), label=label))


def _own_criterion(
    unit: _Unit,
    field: str,
    text: str,
    findings: Sequence[TextFinding],
    regions: RegionNames | object | None,
) -> list[Leaf] | None:
    """The leaves another reader found for an item that names only expressible groups
    (alternatives among themselves), or None when the item needs the flag."""
    if read_line(unit.body, REQUIREMENTS, regions).residue:
        return None
    inside = [
        f
        for f in findings
        if f.criterion is not None
        and not f.opens
        and f.span.field == field
        and unit.start <= f.span.start
        and f.span.end <= unit.end
        and f.dimension in _OR_KINDS
    ]
    if not inside:
        return None  # nothing read
    if len(inside) > 1 and not _listed(text, inside, unit.start):
        return None  # several conditions that all hold ("65세 이상 수급자")
    found: list[Leaf] = []
    for f in inside:
        criterion = f.criterion
        if isinstance(criterion, Leaf):
            found.append(criterion)
        elif isinstance(criterion, AnyOf) and all(isinstance(c, Leaf) for c in criterion.items):
            found.extend(c for c in criterion.items if isinstance(c, Leaf))
        else:
            return None
    return found


_LIST_GAP = re.compile(r"\s*,\s*")
_ITEM_MARKS = re.compile(r"[\s○●◦▪■□◎•·*ㅇ※\-–①-⑳0-9.)(]*")


def _closed_range(f: TextFinding) -> bool:
    c = f.criterion
    if isinstance(c, AgeRange):
        return c.min_years is not None and c.max_years is not None
    if isinstance(c, AgeMonthsRange):
        return c.min_months is not None and c.max_months is not None
    return False


def _listed(text: str, inside: Sequence[TextFinding], start: int) -> bool:
    """Are the findings of one alternative item a comma list of groups ("○ 만65세 이상,
    장애인(1~3급 …)"), each group an alternative like the items themselves?

    Only a comma between two findings of different dimensions counts ("39세 이하 미취업 청년"
    is one group with two conditions), and only when every finding names a group on its own:
    a closed age range qualifies what follows ("○ 만 19~39세, 구직자" is a young job seeker,
    "○ 만 18~34세, 미취업 청년" a young one out of work), and so do words before the first
    one ("○ 관내 거주 만 65세 이상, 기초생활수급자")."""
    ordered = sorted(inside, key=lambda f: f.span.start)
    if len({f.dimension for f in ordered}) != len(ordered):
        return False
    if any(_closed_range(f) for f in ordered):
        return False
    if not _ITEM_MARKS.fullmatch(text[start : ordered[0].span.start]):
        return False
    return all(_LIST_GAP.fullmatch(text[a.span.end : b.span.start]) for a, b in pairwise(ordered))


def _flag(service_id: str, span: TextSpan, label: str, question: str) -> Flag:
    return Flag(
        label=label,
        provenance=Provenance(ProvenanceKind.TEXT, span.field, span),
        fact=target_fact(service_id),
        question=question,
    )


def _explicit(span: TextSpan, criterion: Criterion) -> TextFinding:
    return TextFinding(
        dimension=DIMENSION, criterion=criterion, strength=Strength.EXPLICIT, span=span
    )


# A bare age group with no age criterion: its usual range passes, otherwise ask.
# 청년: 청년기본법 제3조 (만 19~34세); local ordinances go up to 39 or 45, so older is "maybe".
# 어르신/노인: 노인복지법 (경로우대 만 65세 이상); some programmes start at 60.
_AGE_GROUPS: dict[str, tuple[tuple[str, ...], int | None, int | None]] = {
    "청년": (("청년", "청년층", "청년들"), 19, 34),
    "어르신": (
        ("어르신", "노인", "고령자", "노령자", "경로", "경로우대자", "노년", "노년층"),
        65,
        None,
    ),
}
_YOUTH_WORD = re.compile(r"청년")


def _age_group(words: set[str]) -> str | None:
    for group, (names, _, _) in _AGE_GROUPS.items():
        if words <= set(names):
            return group
    return None


def _age_group_finding(
    service_id: str, span: TextSpan, group: str, quote: str | None = None
) -> TextFinding:
    _, low, high = _AGE_GROUPS[group]
    usual = f"만 {low}~{high}세" if low is not None and high is not None else f"만 {low}세 이상"
    prov = Provenance(ProvenanceKind.TEXT, span.field, span)
    age = AgeRange(label=f"{group}({usual})", provenance=prov, min_years=low, max_years=high)
    words = quote or span.text
    flag = _flag(
        service_id,
        span,
        group,
        f"‘{words}’에 해당하나요? (‘{group}’의 나이 기준은 사업마다 달라요)",
    )
    return _explicit(span, AnyOf((age, flag), label=f"{group}({usual} 또는 사업 기준)"))
