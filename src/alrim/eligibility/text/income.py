"""Income as a share of 기준 중위소득: "기준 중위소득 50% 이하", "중위소득 120% 이하",
"기준중위소득 150% 이내", "100분의 50 이하", "50% 초과 ~130% 이하", "중위소득63%↓".

Only the 기준 중위소득 is read (not 도시근로자 월평균소득, 건강보험료 하위 N%, money amounts).
"N% 초과 … 제외" (those above are excluded) is read as "N% 이하".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from alrim.eligibility.model import IncomeRatio
from alrim.eligibility.text.mention import Mention, provenance

_PCT = r"(\d{1,3}(?:\.\d)?)\s*%"
_PAREN = r"(?:\s*[(（][^)）\n]{0,30}[)）])?"
_BASE = r"(?:기준|기본)?\s*중위\s*(?:소득)?" + _PAREN + r"\s*(?:의\s*)?"
_BOUND = r"(이하|이내|미만|까지|↓|초과|이상)"

_RANGE = re.compile(
    _BASE + _PCT + r"\s*(초과|이상)?" + r"\s*[~∼～〜\-–]\s*" + _PCT + _PAREN + r"\s*" + _BOUND
)
_SINGLE = re.compile(_BASE + _PCT + _PAREN + r"\s*" + _BOUND)
_HUNDREDTHS = re.compile(_BASE + r"100\s*분의\s*(\d{1,3})\s*" + _BOUND)
_NO_NUMBER = re.compile(r"기준\s*중위\s*소득\s*이하")
_EXCLUDED_ABOVE = re.compile(r"[^\n]{0,20}?(?:제외|불가|지원하지)")


def _label(lo: float | None, hi: float | None, lo_word: str) -> str:
    def fmt(v: float) -> str:
        return f"{v:g}"

    if lo is not None and hi is not None:
        return f"기준 중위소득 {fmt(lo)}% {lo_word} {fmt(hi)}% 이하"
    if hi is not None:
        return f"기준 중위소득 {fmt(hi)}% 이하"
    assert lo is not None
    return f"기준 중위소득 {fmt(lo)}% {lo_word}"


def read_income(text: str, field: str) -> Iterator[Mention]:
    taken: list[tuple[int, int]] = []
    for m in _RANGE.finditer(text):
        lo, lo_word, hi, bound = (
            float(m.group(1)),
            m.group(2) or "이상",
            float(m.group(3)),
            m.group(4),
        )
        if bound not in ("이하", "이내", "미만", "까지", "↓") or lo >= hi:
            continue
        taken.append((m.start(), m.end()))
        prov = provenance(field, text, m.start(), m.end())
        crit = IncomeRatio(
            label=_label(lo, hi, "초과" if lo_word == "초과" else "이상"),
            provenance=prov,
            max_percent=hi,
            min_percent=lo,
            min_inclusive=lo_word != "초과",
        )
        yield Mention("income", crit, m.start(), m.end())

    def spans() -> Iterator[tuple[re.Match[str], float]]:
        for m in _SINGLE.finditer(text):
            yield m, float(m.group(1))
        for m in _HUNDREDTHS.finditer(text):
            yield m, float(m.group(1))

    for m, value in spans():
        if any(a <= m.start() < b or a < m.end() <= b for a, b in taken):
            continue
        after = text[m.end() : m.end() + 4]
        if re.match(r"\s*의\s*\d", after):  # "기준 중위소득 40%의 60%": a share of a share
            continue
        bound = m.group(m.lastindex or 1)
        prov = provenance(field, text, m.start(), m.end())
        taken.append((m.start(), m.end()))
        if bound in ("이하", "이내", "미만", "까지", "↓"):
            crit = IncomeRatio(label=_label(None, value, ""), provenance=prov, max_percent=value)
            yield Mention("income", crit, m.start(), m.end())
        elif _EXCLUDED_ABOVE.match(text, m.end()):
            # "140% 초과 등 일정소득 이상자는 제외" → at most 140%.
            crit = IncomeRatio(label=_label(None, value, ""), provenance=prov, max_percent=value)
            yield Mention("income", crit, m.start(), m.end(), subject="excluded-above")
        else:
            word = "초과" if bound == "초과" else "이상"
            crit = IncomeRatio(
                label=_label(value, None, word),
                provenance=prov,
                min_percent=value,
                min_inclusive=bound == "이상",
            )
            yield Mention("income", crit, m.start(), m.end())

    for m in _NO_NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        prov = provenance(field, text, m.start(), m.end())
        crit = IncomeRatio(label="기준 중위소득 100% 이하", provenance=prov, max_percent=100.0)
        yield Mention("income", crit, m.start(), m.end())
