"""Which words of a 지원대상 line the profile can express, and which it cannot.

A target line ("관내 가축사육업 허가·등록 돼지 사육농가") is reduced to its *residue*: the words
left after removing everything a profile (or an existing criterion) can express — ages, regions,
income, residence, the contract's statuses and household traits, the yes/no facts of
`flags.KNOWN_FLAGS`, words for "people" (주민, 자, 가구 …) and grammar. Whatever remains
("가축사육업", "돼지", "사육") narrows the group in a way no profile field can say.

A word is *covered* when it can be cut into known words, with an optional ending ("농업인으로서",
"거주하는", "사육농가의"). Known words must match whole: "참전유공자" leaves "참전" (veteran is
broader than 참전유공자), "희귀질환자" leaves "희귀", "과수재배농가" leaves "과수재배".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, cast

from alrim.domain.region import Region
from alrim.eligibility.text.outline import mask_laws

# --- expressions removed before words are looked at ------------------------------------------

# Numbers with what they measure: ages, months, percentages, amounts, dates, head counts …
# (Units that name a group — 학년, 급, 구간, 분위 — stay: "2, 3학년 학생" is narrower.)
_NUMBER = re.compile(
    r"(?:만\s*)?\d[\d,.]*\s*"
    r"(?:세(?!대)|살|개월|%|퍼센트|만\s*원|천\s*원|억\s*원|백만\s*원|원|명|인(?![가-힣])|년|월|일|회|시간|개|"
    r"천|만|억)?"
    r"(?:\s*(?:이상|이하|미만|초과|이내|부터|까지|전후|내외|도|생|이후|이전))*"
    r"(?:\s*[~∼～〜\-–]\s*)?"
)
_ARTICLE = re.compile(
    r"(?:같은\s*)?(?:법|영|규칙|조례)?\s*(?:시행령|시행규칙)?\s*"
    r"제?\s*\d+\s*조(?:\s*의\s*\d+)?(?:\s*제?\s*\d+\s*항)?(?:\s*제?\s*\d+\s*호)?"
    r"(?:\s*[가-하]\s*목)?(?:\s*(?:및|또는|,|ㆍ|·)\s*제?\s*\d+\s*(?:조|항|호))*|§\s*\d+"
)
_PAREN = re.compile(r"[(（\[［][^()（）\[\]［］\n]*[)）\]］]")
_QUOTED = re.compile(r"[「｢『][^」｣』\n]{0,80}[」｣』]")
_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|\d{2,4}-\d{3,4}-\d{4}")


def _words(text: str) -> tuple[str, ...]:
    """Whitespace-separated words of a vocabulary block."""
    return tuple(text.split())


# A region name with what may follow it: "성남시에", "서울시민", "대구소재", "경북도내의".
_PLACE_SUFFIX = re.compile(
    r"(?:민|청|내|관내|소재|소재지|지역|거주|거주자|전역|일원)?"
    r"(?:에서는|에서|에는|에게|에|의|으로|로|를|을|가|이|와|과|는|은|까지|및)?$"
)
_REGION_SHAPE = re.compile(
    r"^[가-힣]{1,8}(?:특별자치도|특별자치시|통합특별시|특별시|광역시|도|시|군|구)$"
)
_SIDO_SHORT = frozenset(
    _words(
        """
서울 부산 대구 인천 광주 대전 울산 세종 경기 강원 충북 충남 전북 전남 경북 경남 제주
"""
    )
)
_AMBIGUOUS_GU = frozenset({"중구", "동구", "서구", "남구", "북구"})
_NOT_REGION = frozenset(
    _words(
        """
도시 상시 당시 즉시 수시 동시 표시 게시 지시 제시 수도 정도 제도 한도 용도 속도 온도 지구 연구
요구 도구 기구 가구 입구 출구 해군 육군 공군 국군 장군 전시 감시 개시 명시 고시 응시 무시 임시
평시 교도 신도 학도 보도 인도 지도 의도 태도 반도 적도 시도 효도 포도 친구 청구 창구 추구 탐구
전구 완구 공구 과도 농도 빈도 밀도 강도 경도 시군 시군구 시구 필수
"""
    )
)


_NOT_REGION_ENDINGS = frozenset(
    _words(
        """
가구 연구 기구 지구 도구 요구 청구 입구 출구 친구 제도 정도 한도 용도 지도 시도 효도 년도 해군
육군 공군 국군 장군 동시 당시 상시 수시 임시 표시 전시 감시 고시 응시 개시 명시 교도 보도 반도
적도 인도 의도
"""
    )
)


class RegionNames(Protocol):
    """A region table that can list its 시도 and their 시군구 (for their names)."""

    def sidos(self) -> Sequence[Region]: ...
    def sigungus(self, sido_code: str) -> Sequence[Region]: ...


_SUFFIX = re.compile(r"(?:특별자치도|특별자치시|통합특별시|특별시|광역시|도|시|군|구)$")


def region_names(regions: RegionNames | object | None) -> frozenset[str]:
    """Every 시도 and 시군구 name of the table, with and without its suffix ("성남시",
    "성남", "수원시", "장안구"); cached per table."""
    if regions is None or not hasattr(regions, "sidos") or not hasattr(regions, "sigungus"):
        return frozenset()  # a resolver that cannot list names: only shapes are used
    key = id(regions)
    if key not in _NAMES:
        names: set[str] = set()
        table = cast(RegionNames, regions)
        for sido in table.sidos():
            for region in (sido, *table.sigungus(sido.code)):
                for part in region.name.split():
                    names.add(part)
                    core = _SUFFIX.sub("", part)
                    if len(core) >= 2:
                        names.add(core)
        _NAMES[key] = frozenset(names)
    return _NAMES[key]


_NAMES: dict[int, frozenset[str]] = {}


def place_word(token: str, regions: RegionNames | object | None = None) -> bool:
    """Is `token` a region name, with what may follow it ("양천구에", "서울시민", "대구소재")?
    Names of the region table count; so does any word shaped like one ("강서구", "전라남도")."""
    names = region_names(regions)
    core = _PLACE_SUFFIX.sub("", token) or token
    for word in dict.fromkeys((token, core)):
        if len(word) < 2 or word in _NOT_REGION or word.endswith("년도"):
            continue
        if word in _SIDO_SHORT or word in _AMBIGUOUS_GU or word in names:
            return True
        shaped = _REGION_SHAPE.match(word) and (regions is None or len(word) >= 3)
        if shaped and word[-2:] not in _NOT_REGION_ENDINGS:
            return True  # "강서구": a real name the table cannot place alone
    return False


# --- words a profile or an existing criterion can express ------------------------------------

# People in general, and words that say "everyone".
_PEOPLE = _words(
    """
자 분 사람 개인 본인 당사자 세대 세대주 세대원 가구 가구원 가정 가족 가족구성원 구성원 부부 부
모 부모 부또는모 보호자 신청자 신청인 대상자 대상 희망자 이용자 참여자 참가자 지원자 해당자
수혜자 국민 시민 도민 군민 구민 주민 읍민 면민 동민 구민들 주민들 시민들 누구 누구나 누구든지
모두 모든 전체 전원 일반 일반인 일반국민 일반시민 국민누구나 내국인 대한민국 국적 국적자 한국인
남녀 아빠 엄마 본인과 배우자 인 명 분들 이들 각 전 모두가 사람들 누구라도 나 누구에게나 개인및
"""
)

# Where the person lives (the region criterion and the residence duration).
_PLACE = _words(
    """
관내 관외 도내 시내 군내 구내 읍내 관할 관할지역 지역 지역내 해당지역 거주 거주자 거주민 실거주
실제 실제로 주민등록 주민등록상 주소 주소지 주소를 주민등록지 등록지 전입 소재 소재지 현거주지
거주지 살고 살고있는 내 전국 국내 타지역 계속 계속하여 연속 연속하여 이상계속 주민등록표
주민등록표상 주민등록등본상 등본상 실제거주 상주
"""
)

# Words that name a group a profile field expresses, by the requirement that captures them: a
# word is removed only when the service's rule already has that requirement (an age criterion
# for 어르신, a status criterion for 임산부 …). Otherwise it stays in the residue: the group is
# named but nothing checks it.
_EXPRESSED: dict[str, str] = {
    # ages and the nouns that only say an age group
    "age": """
세 살 개월 만 나이 연령 청년 청년층 청년들 청소년 어르신 노인 고령 고령자 노령 노령자 경로
경로우대자 경로자 노년 노년층 아동 아동청소년 어린이 유아 영유아 영아 신생아 출생아 아이 아기
자녀 자녀들 미성년 미성년자 성년 성인 중장년 중장년층 장년 신중년 노인세대 어르신세대 아동세대
영유아자녀 만나이 출생 출생한 생 출생자 소아 학령기 미취학
""",
    "sex": "여성 남성 여자 남자",
    # pregnancy, birth, adoption (expecting_parent, pregnant, new_parent)
    "birth": """
임산부 임신부 임부 임신 임신한 임신중 임신중인 출생신고 입양신고 입양 입양한 출생일 입양일
출생신고일 입양신고일 산모 산부 출산 출산일 출산예정일 출산한 출산가정 출산가구 출산모 출산부모
출산자 출산가족 예비부모 예비엄마 예비아빠 난임 난임부부 난임자 난임여성 출산부
""",
    "farm": """
농업인 농민 농가 농업 농업경영체 농업경영인 농어업인 농어민 농어가 축산농가 축산농 축산인 축산업
축산농업인 어업인 어민 어가 어업 임업인 임가 임업 영농종사자 농업종사자
""",
    "student": """
학생 재학생 재학 재학중 재학중인 초등학생 초등생 중학생 고등학생 고교생 고등학교 중학교 초등학교
초 중 고 초중고 초중고생 초중고학생 대학생 대학원생 대학교 대학 대학원 대학재학생 휴학생
""",
    "employee": "근로자 직장인 재직자 재직 재직중 재직중인 노동자 취업자 임금근로자 근로",
    # "4대보험 미가입자" (the number is stripped) is how 미취업 is defined
    "job_seeker": "구직자 미취업자 미취업 실업자 취업준비생 구직 실직자 이직 이직자 미가입자 "
    "대보험",
    "disabled": "장애인 장애 등록장애인",
    "veteran": "국가유공자 유공자 보훈대상자 국가보훈대상자 보훈",
    "patient": "환자 질환자",
    "multicultural": "다문화 다문화가정 다문화가족 다문화가구 결혼이민자 이민자",
    "north_korean_defector": "북한이탈주민 새터민 탈북민 탈북주민",
    "single_parent": "한부모 한부모가정 한부모가족 한부모가구 조손 조손가정 조손가족",
    "single_person": "1인가구 독거 독거노인 홀로 사는 단독세대 독거어르신",
    "multi_child": "다자녀 다자녀가정 다자녀가구 다둥이",
    "no_home": "무주택 무주택자 무주택세대 무주택세대주 무주택세대구성원",
    "newly_moved_in": "전입자 전입세대 전입가구 전입가정 신규전입자",
    # yes/no facts the text reader asks (flags.KNOWN_FLAGS) and income
    "income": """
기초생활수급자 기초생활보장수급자 기초수급자 국민기초생활수급자 국민기초생활보장수급자 기초생활
기초생활보장 수급자 수급권자 수급가구 수급 차상위 차상위계층 차상위가구 차상위본인부담경감
기초연금 의료급여 생계급여 주거급여 교육급여 급여 법정 법정한부모 저소득 저소득층 저소득가구
저소득주민 소득 중위소득 기준중위소득 소득인정액 소득기준 가구소득 월소득 기초생계 생계 의료
주거 교육 기초의료 의료급여수급자 의료수급자 의료수급권자 기타의료급여자 기초생활보장수급권자
급여수급자 계층
""",
    "small_business": "소상공인 자영업자 개인사업자 사업자",
    "organization": "법인 단체 기관 시설 기업 업체",
    "sme": "중소기업",
}
WORD_NEEDS: dict[str, str] = {w: need for need, words in _EXPRESSED.items() for w in words.split()}
# Every requirement a rule may have (`Captured` is a subset).
REQUIREMENTS: frozenset[str] = frozenset(_EXPRESSED)
AGE_GROUP_WORDS = frozenset(_EXPRESSED["age"].split())

# Grammar and filler: particles, copulas, "the following", "as of", "who", "which" …
_GLUE = _words(
    """
및 또는 혹은 와 과 그 이 그리고 중 중에서 중인 등 등의 외 이외 기타 해당 해당하는 해당되는
해당하며 해당하고 해당하여 해당된 해당되는자 해당자로 있는 있고 있으며 있어 있음 없는 되어
되어있는 되어있고 된 되는 한 하는 하고 하여 하며 한자 인자 인 이며 이고 이면서 으로서 로서 으로
로 에 에서 의 을 를 은 는 이 가 도 만 에게 께 께서 현재 기준 기준일 당해 당해연도 해당연도
금년도 올해 신청일 공고일 모집공고일 접수일 선정일 지원 신청 가능 가능한 지원대상 대상임
대상으로 사업 사업대상 아래 다음 위 각호 요건 조건 자격 자격요건 신청자격 기준으로 경우 누구든
이하인 이상인 미만인 이내인 초과인 이하의 이상의 미만의 두고 둔 두고있는 두고있으며 둔자
두고있는자 등록 등록된 등록한 등록하고 등록되어 이상인자 이하인자 이고 이어야 일 이거나 거나
하거나 또 단 모두충족 충족 충족하는 충족한 만족 만족하는 해당없음 이상자 이하자 포함 포함한
포함하여 제한없음 제한 없음 무관 관계없이 상관없이 누구나가능 가능자 대상자로 대상자중 선정된
선정 희망 희망하는 원하는 필요한 하고자 하려는 하고자하는 받고자 받고자하는 자로서 사람으로서
이며 아님 아닌 이상거주 거주하는 거주하고 거주한 거주중인 거주중 거주하며 거주하여 거주해야
거주하 따른 따라 따라서 의한 의하여 의거 의거한 의거하여 관한 대한 같은 동법 법 법률 시행령
시행규칙 규정 조례 정한 정하는 정하여 명시된 정하는바 근거 근거한 법령 어느 하나 하나에 하나라도
각 호 각호 호의 각호의 목 항 조 에따른 에의한 보건소 이하 이상 미만 초과 이내 상 사이 이전 이후
이후의 이전의 소비자 사용자 계층 소지자 소지한 소지 최종 시험 예정일
"""
)

_ENDINGS = tuple(
    sorted(
        _words(
            """
이 가 은 는 을 를 의 에 에서 에게 으로 로 와 과 도 만 인 이며 이고 이나 이면 이면서 으로서 로서
으로는 로는 에는 에서는 까지 부터 들 님 중 시 중인 한 된 하는 하고 하여 하며 할 했던 하였던 된자
인자 한자 이거나 거나 이라면 라면 으로써 로써 이어야 여야 이든 든 과의 와의 에의 등 들의 들이
들은 중에
"""
        ),
        key=len,
        reverse=True,
    )
)
_ENDING_SET = frozenset(_ENDINGS)

# Words that do not narrow "who": people in general, places, grammar.
OPEN_WORDS: frozenset[str] = frozenset(w for group in (_PEOPLE, _PLACE, _GLUE) for w in group)
_MAX_WORD = max(len(w) for w in (*OPEN_WORDS, *WORD_NEEDS))


def _cuts(token: str, words: frozenset[str]) -> bool:
    """Can `token` be cut into `words` (then one ending)? One-letter words (자, 분, 부, 한 …)
    only count as the whole token: inside a compound they are usually part of another word
    ("한부모가족" is not 한 + 부모 + 가족)."""
    if token in words:
        return True
    n = len(token)
    reach = [False] * (n + 1)
    reach[0] = True
    for i in range(n):
        if not reach[i]:
            continue
        for j in range(i + 2, min(n, i + _MAX_WORD) + 1):
            if token[i:j] in words:
                reach[j] = True
        if i > 0 and token[i:] in _ENDING_SET:
            return True
    return reach[n]


@lru_cache(maxsize=256)
def _vocabulary(captured: frozenset[str]) -> frozenset[str]:
    return OPEN_WORDS | frozenset(w for w, need in WORD_NEEDS.items() if need in captured)


@lru_cache(maxsize=65536)
def covered(token: str, captured: frozenset[str] = REQUIREMENTS) -> bool:
    """Can `token` be cut into words that do not narrow who, or whose requirement is
    `captured`, optionally followed by one ending?"""
    return token in _ENDING_SET or _cuts(token, _vocabulary(captured))


@lru_cache(maxsize=65536)
def open_word(token: str) -> bool:
    """Is `token` made only of words that do not narrow who (주민, 거주하는, 자 …)?"""
    return token in _ENDING_SET or _cuts(token, OPEN_WORDS)


def strip_expressions(text: str) -> str:
    """`text` with law titles, parentheses, URLs and numbers blanked (same length, so offsets
    still match)."""
    out = mask_laws(text)
    for pattern in (_QUOTED, _URL, _ARTICLE, _PAREN, _PAREN, _NUMBER):
        out = pattern.sub(lambda m: " " * len(m.group(0)), out)
    return out


_TOKEN = re.compile(r"[가-힣]+|[A-Za-z]{2,}")


_AGE_NUMBER = re.compile(r"\d\s*(?:세(?!대)|살|개월)")


@dataclass(frozen=True, slots=True)
class LineReading:
    """What a target line says about who may apply."""

    residue: tuple[str, ...]  # words no profile field expresses ("체불된", "근로자" is known)
    narrows: bool  # it names a group at all (an age, a status, or residue words)

    @property
    def open(self) -> bool:
        return not self.narrows


_LAW_NAME = re.compile(
    r"[「｢『\[]([^」｣』\]\n]{2,60})[」｣』\]]"
    r"|([가-힣·ㆍ ]{2,40}?(?:법률|법))(?=\s*(?:시행령|제\s*\d|에\s*(?:따른|의한|해당)))"
)


def read_line(
    text: str,
    captured: frozenset[str] = REQUIREMENTS,
    regions: RegionNames | object | None = None,
) -> LineReading:
    """The residue of one target line, and whether it narrows the group at all.

    `captured`: the requirements the service's rule already has (see `WORD_NEEDS`); a word
    whose requirement is missing stays in the residue. `regions` tells region names
    ("양천구에", "서울시민") from other words.

    A line that names its group only by a law ("「참전유공자 예우 … 법률」 제2조제2호에
    해당하는 사람") narrows by that law: its residue is the law's name."""
    stripped = strip_expressions(text)
    left: list[str] = []
    narrows = bool(_AGE_NUMBER.search(mask_laws(text)))
    for m in _TOKEN.finditer(stripped):
        word = m.group(0)
        if word.isascii() or not covered(word, captured):
            if not place_word(word, regions):
                left.append(word)
        elif not open_word(word):
            narrows = True
    if not left and not narrows:
        law = _LAW_NAME.search(text)
        if law:
            left.append((law.group(1) or law.group(2)).strip())
    return LineReading(tuple(left), narrows or bool(left))
