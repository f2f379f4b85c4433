"""Sex: "여성" or "남성" when it names the people who can apply ("여성농업인", "남성 육아휴직자",
"만 13세 이상 55세 이하인 여성", "홀로사는 남자 어르신").

Not read: "여성의 주소" (whose address counts), "여성가족부", both sexes in one field, and
pregnancy words (임산부 is a status, and "임산부 및 배우자" includes men).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from alrim.eligibility.model import SexIn
from alrim.eligibility.text.mention import Mention, provenance

_FEMALE = re.compile(
    r"(?<![가-힣])(?:여성|여자)(?!\s*(?:의|이\s|가\s|\(?\s*기준|가족부|,|·|ㆍ|/|\s*및\s*남|\s*남|친화|인력|회관|센터|발전|"
    r"정책|복지관|단체|새로일하기|긴급전화|폭력|보호|긴급))"
)
_FEMALE_COMPOUND = re.compile(r"(?:피해|이주|결혼이민)\s*여성")
_MALE = re.compile(r"(?<![가-힣])(?:남성|남자)(?!\s*(?:의|,|·|ㆍ|/|\s*및\s*여|\s*여))")
_BOTH = re.compile(
    r"남녀|여성\s*[,·ㆍ/]\s*남성|남성\s*[,·ㆍ/]\s*여성|남성\s*(?:및|또는)\s*여성|여성\s*(?:및|또는)\s*남성"
)


def read_sex(text: str, masked: str, field: str) -> Iterator[Mention]:
    """`masked` is `text` with law titles blanked (same offsets)."""
    if _BOTH.search(masked):
        return
    females = [
        m
        for m in _FEMALE.finditer(masked)
        if not _FEMALE_COMPOUND.search(masked, max(0, m.start() - 5), m.end())
    ]
    males = list(_MALE.finditer(masked))
    if females and males:
        return
    for matches, allowed, label in ((females, "female", "여성"), (males, "male", "남성")):
        for m in matches:
            prov = provenance(field, text, m.start(), m.end())
            crit = SexIn(label=label, provenance=prov, allowed=frozenset({allowed}))
            weak = ""
            if _in_parenthesis(masked, m.start()):
                weak = "in a parenthesis (whose sex, or an example)"
            yield Mention("sex", crit, m.start(), m.end(), weak=weak)


def _in_parenthesis(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    depth = 0
    for ch in text[line_start:pos]:
        if ch in "(（":
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
    return depth > 0
