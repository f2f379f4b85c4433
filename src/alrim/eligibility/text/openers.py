"""Openers: the text says a dimension is *not* limited — "일반국민", "누구나", "전 국민", "소득
무관", "연령기준 : 해당없음", "관내외 주민 모두". They can open a service whose JA codes are
narrower (issue: '"일반국민" opens a service whose codes say 농업인 only').
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from alrim.eligibility.text.mention import Mention

_EVERYONE = (
    r"일반\s*국민|일반\s*시민|일반인|국민\s*누구나|누구나|누구든지|전\s*국민|전국민|모든\s*국민"
    r"|모든\s*(?:시민|군민|구민|도민|주민)|(?:주민|시민|군민|구민|도민)\s*(?:모두|전체)"
    r"|전\s*(?:시민|군민|구민|도민)(?![가-힣])"
)
_OPENERS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (("status", "household"), re.compile(_EVERYONE)),
    (
        ("income",),
        re.compile(
            r"소득\s*(?:기준|요건|제한|수준)?\s*[)）]?\s*[:：]?\s*(?:은\s*)?"
            r"(?:없음|제한\s*없음|제한없음|무관|해당\s*없음)"
            r"|소득\s*(?:수준)?\s*(?:과|와|에)?\s*(?:무관|관계\s*없이|상관\s*없이)|소득무관"
        ),
    ),
    (
        ("age",),
        re.compile(
            r"연령\s*(?:기준|제한)?\s*[)）]?\s*[:：]?\s*(?:은\s*)?(?:없음|해당\s*없음|제한\s*없음|무관)"
            r"|나이\s*(?:제한|기준)?\s*[:：]?\s*(?:없음|무관)|연령\s*(?:과|에)?\s*(?:무관|관계\s*없이|상관\s*없이)"
        ),
    ),
    (
        ("region",),
        re.compile(
            r"관내\s*외|관내\s*[·ㆍ/]\s*외|(?:거주지|주소지|지역)\s*(?:와|과|에)?\s*(?:관계\s*없이|무관|상관\s*없이)"
            r"|[가-힣]+민이\s*아니어도|전국\s*어디서나"
        ),
    ),
    (
        ("residence_duration",),
        re.compile(r"거주\s*기간\s*(?:제한\s*)?(?:없음|무관)"),
    ),
    (("sex",), re.compile(r"성별\s*(?:무관|제한\s*없음|관계\s*없이)")),
)


def read_openers(text: str, field: str) -> Iterator[Mention]:
    for dimensions, pattern in _OPENERS:
        for m in pattern.finditer(text):
            for dimension in dimensions:
                yield Mention(dimension, None, m.start(), m.end(), opens=True)
