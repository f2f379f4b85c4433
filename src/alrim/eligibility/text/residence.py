"""How long the person has lived in the region: "6개월 이상 거주", "1년 이상 주민등록",
"180일 이상 계속 거주", "신청일 기준 6개월 전부터 관내 주민등록", "전입하여 6개월이 경과한".

A duration counts only when the same clause says where it was lived (거주, 주민등록, 주소) and
that place is *here* (not "타 시군구에 1년 이상 주민등록을 두고 있다가 전입한" — lived elsewhere)
nor a facility (시설, 쪽방 …). Durations counted back from a birth or wedding date ("출생일 기준
6개월 전부터") are weak: they are not the time lived here on the day of applying.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from alrim.eligibility.model import ResidenceDuration
from alrim.eligibility.text.mention import Mention, provenance
from alrim.eligibility.text.outline import line_bounds

_DURATION = re.compile(
    r"(\d{1,3})\s*(개월|년|일)\s*(?:[(（][^)）\n]{0,15}[)）]\s*)?"
    r"(이상|이전부터|전부터|전\s*부터|이\s*경과|가\s*경과|경과|이상\s*경과|동안|넘게)"
)
_DURATION_TAIL = re.compile(r"(?:거주\s*기간|거주기간)\s*이?\s*(\d{1,3})\s*(개월|년|일)\s*이상")
_LIVED = re.compile(r"거주|주민등록|주소|실거주|살고|전입")
_ELSEWHERE = re.compile(
    r"타\s*(?:지역|시\s*[·ㆍ.․]?\s*군|시도|지자체|도시)|타시군|타지역|다른\s*(?:시|지역|지방)|관외|"
    r"도시\s*지역|농촌\s*외|전입\s*전|이주하기\s*전|외의\s*지역"
)
_FACILITY = re.compile(r"시설|쪽방|고시원|여인숙|비닐하우스|컨테이너|입소|쉼터")
_ANCHORED_ELSEWHERE = re.compile(
    r"(?:출생|출산|입양|혼인|결혼|사망|입영|시술|진단)\S{0,4}\s*(?:일|신고일)?\s*(?:을\s*)?"
    r"(?:기준|포함|당시|부터|이전|전부터|까지)"
)
_NOT_RESIDENCE = re.compile(
    r"근무|근로|재직|영위|운영|종사|계약|가입|혼인\s*관계|사실혼|입원|치료|자동차|차량|건설기계|소유"
)


def _lived_elsewhere(before: str) -> bool:
    """An "elsewhere" phrase just before the duration, with no move-in in between ("타 지역에
    1년이상 거주하다 군에 전입신고하고 실제 6개월 이상" is six months *here*)."""
    last = None
    for m in _ELSEWHERE.finditer(before):
        last = m
    return last is not None and not re.search(r"전입|이주|이사|옮", before[last.end() :])


def _months(value: int, unit: str) -> int:
    if unit == "년":
        return value * 12
    if unit == "일":
        return max(1, math.ceil(value / 30))
    return value


def _label(months: int) -> str:
    if months % 12 == 0:
        return f"{months // 12}년 이상 거주"
    return f"{months}개월 이상 거주"


def read_durations(text: str, field: str) -> Iterator[Mention]:
    found: list[tuple[int, int, int]] = []
    for m in _DURATION.finditer(text):
        found.append((m.start(), m.end(), _months(int(m.group(1)), m.group(2))))
    for m in _DURATION_TAIL.finditer(text):
        found.append((m.start(), m.end(), _months(int(m.group(1)), m.group(2))))
    for start, end, months in sorted(found):
        left, right = line_bounds(text, start)
        before = text[left:start]
        after = text[end:right]
        near = before[-30:] + " " + after[:30]
        if not _LIVED.search(near):
            continue
        if _NOT_RESIDENCE.search(after[:14]) or _NOT_RESIDENCE.search(before[-8:]):
            continue
        if (
            _lived_elsewhere(before[-30:])
            or _ELSEWHERE.search(after[:15])
            or _FACILITY.search(near)
        ):
            continue
        if re.search(r"다가|있다가|하다가|하다\s", after[:20]):  # "… 거주하다 전입한": elsewhere
            continue
        if re.match(
            r"\s*(?:하지|되지|지나지)?\s*않|\s*\S{0,6}?(?:하기\s*위하여|하려는|할\s*예정)", after
        ):
            continue  # "5년이 경과하지 않은", "30일 이상 거주하기 위하여 전입하는"
        weak = ""
        if "통산" in before[-12:] or re.match(r"\S*\s*\S*(?:두었던|있었던|살았던)", after):
            weak = "a total or past period, not the current stay"
        elif _ANCHORED_ELSEWHERE.search(before[-30:]) or _ANCHORED_ELSEWHERE.search(after[:12]):
            weak = "counted from a birth or other date, not from the day of applying"
        prov = provenance(field, text, start, end)
        crit = ResidenceDuration(label=_label(months), provenance=prov, min_months=months)
        yield Mention("residence_duration", crit, start, end, weak=weak)
