"""Ages: "만 65세 이상", "만 19세~34세", "18세 미만", "0~5세", "생후 24개월 미만", birth years.

Whose age? The word after (or before) the expression names the person: a child noun (아동,
영유아, 자녀 …) makes it a `ChildAgeRange` — the applicant is a parent or guardian, so an adult
is never failed for being an adult; a pupil or youth noun (청소년, 학생 …), or a range made only
of minors' ages, is kept *weak* (the teenager or a parent may apply); a noun naming someone else
(사망자, 조부모, 직계존속 …) is weak too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from alrim.eligibility.model import (
    AgeRange,
    BornBetween,
    ChildAgeRange,
    ChildBornBetween,
    Criterion,
)
from alrim.eligibility.text.mention import (
    Mention,
    phrase_after,
    provenance,
    word_after,
    word_before,
)

_MAN = r"(?:만\s*)?"
_NUM = r"(\d{1,3})"
_SE = r"\s*세(?!대)"
_TILDE = r"\s*[~∼～〜\-–]\s*"
_HI = r"(?:\s*(이하|미만|까지))?"

# Ordered: the first pattern that matches at a position wins.
_YEAR_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 만 19세~34세 / 19~39세 / 18세 이상 ~ 65세 미만 / 만20세~만75세 미만 / 만15~39세 이하
    (
        "range",
        re.compile(
            _MAN
            + _NUM
            + r"(?:\s*세(?!대))?(?:\s*이상)?(?:\s*[(（][^)）\n]{0,20}[)）])?"
            + _TILDE
            + _MAN
            + _NUM
            + _SE
            + _HI
        ),
    ),
    # 만19세 이상 39세 이하 / 13세 이상 만 55세 이하
    (
        "range",
        re.compile(
            _MAN
            + _NUM
            + _SE
            + r"\s*(?:이상|부터)\s*,?\s*"
            + _MAN
            + _NUM
            + _SE
            + r"\s*(이하|미만|까지)"
        ),
    ),
    ("min", re.compile(_MAN + _NUM + _SE + r"\s*(이상|초과)")),
    ("max", re.compile(_MAN + _NUM + _SE + r"\s*(이하|미만)")),
)

# Child ages in months: 생후 3개월 ~ 36개월 이하, 만3개월 이상 ~ 만12세 이하, 24개월 미만 아이.
_MONTH_RANGE = re.compile(
    r"(?:생후|만)\s*(\d{1,2})\s*개월\s*(?:이상)?"
    + _TILDE
    + r"(?:생후\s*|만\s*)?(\d{1,3})\s*(개월|세)"
    r"(?:\s*(이하|미만))?"
)
_MONTH_MAX = re.compile(r"(?:생후\s*)?(\d{1,3})\s*개월\s*(미만|이하|까지)")

CHILD_NOUNS = re.compile(
    r"^(?:아동|유아|영유아|영아|어린이|신생아|출생아|자녀|아이|아기|손자녀|미취학|재원아동|장애아|"
    r"외국인\s*아동|비장애아동|막내|보호대상아동|위탁아동|중증장애아|취학|보육|초등학생\s*이하)"
)
_CHILD_ANYWHERE = re.compile(r"아동|영유아|영아|유아|어린이|자녀|아이")
YOUTH_NOUNS = re.compile(
    r"^(?:청소년|학생|초등학생|중학생|고등학생|학교|여성\s*청소년|소아|미성년|재학생|학령)"
)
_YOUTH_ANYWHERE = re.compile(r"청소년|학생|학교\s*밖|초\s*[·ㆍ]\s*중|중\s*[·ㆍ]\s*고|소아|미성년")
_CHILD_IN_PHRASE = re.compile(
    r"아동|영유아|영아|유아|어린이|자녀|아이(?![가-힣])|신생아|출생아|손자녀|막내"
)
_OTHER_PERSON = re.compile(r"^(?:조부모|직계존속|효도대상자|사망자|1대|사망|부양의무자|망인)")
_AFTER_OTHER = re.compile(r"^\s*[)）]?\s*(?:과|와)\s*[가-힣]*(?:자|인|부모)")


def _years(kind: str, m: re.Match[str]) -> tuple[int | None, int | None]:
    if kind == "range":
        lo, hi, bound = int(m.group(1)), int(m.group(2)), m.group(3)
        if bound == "미만":
            hi -= 1
        return lo, hi
    value, bound = int(m.group(1)), m.group(2)
    if kind == "min":
        return (value + 1 if bound == "초과" else value), None
    return None, (value - 1 if bound == "미만" else value)


def _label(lo: int | None, hi: int | None, child: bool) -> str:
    who = " 자녀" if child else ""
    if lo is not None and hi is not None:
        if lo == 0 and child:
            return f"만 {hi}세 이하{who}"
        return f"만 {lo}~{hi}세{who}"
    if lo is not None:
        return f"만 {lo}세 이상{who}"
    return f"만 {hi}세 이하{who}"


def _subject(text: str, start: int, end: int, name: str) -> str:
    """ "child" | "youth" | "other" | "" for the person an age expression describes."""
    after = word_after(text, end)
    phrase = phrase_after(text, end)
    before = word_before(text, start)
    if _OTHER_PERSON.match(after) or _OTHER_PERSON.match(before):
        return "other"
    if _AFTER_OTHER.match(text[end : end + 12]):
        return "other"
    if _YOUTH_ANYWHERE.search(phrase) or (before and YOUTH_NOUNS.match(before)):
        return "youth"
    if CHILD_NOUNS.match(after) or (before and CHILD_NOUNS.match(before)):
        return "child"
    if _CHILD_IN_PHRASE.search(phrase):
        return "child"
    if not after and _YOUTH_ANYWHERE.search(name):
        return "youth"
    if not after and _CHILD_ANYWHERE.search(name):
        return "child"
    return ""


def read_ages(text: str, field: str, name: str = "") -> Iterator[Mention]:
    """Every age expression in `text` as a mention (strength judged later)."""
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in _MONTH_RANGE.finditer(text):
        lo = int(m.group(1))
        hi = int(m.group(2))
        unit, bound = m.group(3), m.group(4)
        if unit == "세":
            hi = hi * 12 + (-1 if bound == "미만" else 11)
        elif bound == "미만":
            hi -= 1
        if lo > hi:
            continue
        taken.append((m.start(), m.end()))
        prov = provenance(field, text, m.start(), m.end())
        crit = ChildAgeRange(
            label=f"{lo}개월~{_months_label(hi)} 자녀",
            provenance=prov,
            min_months=lo,
            max_months=hi,
        )
        yield Mention("age_months", crit, m.start(), m.end(), subject="child")

    for m in _MONTH_MAX.finditer(text):
        if not free(m.start(), m.end()):
            continue
        after = word_after(text, m.end())
        inside = text[max(0, m.start() - 12) : m.start()]
        if not (
            CHILD_NOUNS.match(after) or "생후" in m.group(0) or re.search(r"나이|미취학", inside)
        ):
            continue
        hi = int(m.group(1)) - (1 if m.group(2) == "미만" else 0)
        taken.append((m.start(), m.end()))
        prov = provenance(field, text, m.start(), m.end())
        crit = ChildAgeRange(
            label=f"{_months_label(hi)} 이하 자녀", provenance=prov, min_months=None, max_months=hi
        )
        yield Mention("age_months", crit, m.start(), m.end(), subject="child")

    for kind, pattern in _YEAR_PATTERNS:
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            if m.start() > 0 and (text[m.start() - 1].isdigit() or text[m.start() - 1] == "."):
                continue
            y_lo, y_hi = _years(kind, m)
            if (y_lo is not None and y_lo > 120) or (y_hi is not None and (y_hi > 120 or y_hi < 0)):
                continue
            if y_lo is not None and y_hi is not None and y_lo > y_hi:
                continue
            taken.append((m.start(), m.end()))
            yield _age_mention(text, field, name, m.start(), m.end(), y_lo, y_hi)


def _age_mention(
    text: str, field: str, name: str, start: int, end: int, lo: int | None, hi: int | None
) -> Mention:
    prov = provenance(field, text, start, end)
    subject = _subject(text, start, end, name)
    if subject == "child" and hi is None and lo is not None and lo >= 18:
        subject = ""  # "18세 이상 보호종료아동": grown-up former foster children
    crit: Criterion
    if subject == "child":
        crit = ChildAgeRange(
            label=_label(lo, hi, True),
            provenance=prov,
            min_months=None if not lo else lo * 12,
            max_months=None if hi is None else hi * 12 + 11,
        )
        return Mention("age", crit, start, end, subject="child")
    crit = AgeRange(label=_label(lo, hi, False), provenance=prov, min_years=lo, max_years=hi)
    weak = ""
    young = (hi is not None and hi <= 24) or (hi is None and lo is not None and lo < 19)
    if subject == "other":
        weak = "the age is of someone other than the applicant"
    elif (subject == "youth" and young) or (hi is not None and hi <= 18):
        weak = "a minor's age: a parent may be the applicant"
        subject = "youth"
    elif re.match(
        r"\s*[(（]?\s*(?:연\s*나이|연령\s*기준\s*:?\s*출생\s*연도)", text[end : end + 12]
    ):
        weak = "counted in calendar years (연나이), not 만 나이"
    return Mention("age", crit, start, end, weak=weak, subject=subject)


def _months_label(months: int) -> str:
    if months >= 24 and (months + 1) % 12 == 0:
        return f"만 {(months + 1) // 12 - 1}세"
    return f"{months}개월"


# ---------------------------------------------------------------------------------------------
# Birth dates standing alone ("2016. 1. 1.~2016.12.31. 출생한 아동", "1937.12.31.이전 출생").

_D = r"(\d{4})\s*[.년]\s*(\d{1,2})\s*[.월]\s*(\d{1,2})\s*[.일]?"
_BIRTH_RANGE = re.compile(
    _D + _TILDE + r"(?:(\d{4})\s*[.년]\s*)?(\d{1,2})\s*[.월]\s*(\d{1,2})\s*[.일]?\s*(?:까지\s*)?"
    r"(?=[^\n]{0,3}(?:출생|생\b|생\)|생,|생\s))"
)
_BIRTH_YEARS = re.compile(r"(\d{4})\s*년?\s*[~∼～〜\-–]\s*(\d{4})\s*년\s*생")
_BIRTH_SHORT = re.compile(
    r"'(\d{2})\.\s*(\d{1,2})\.\s*(\d{1,2})\.?\s*[~∼～〜\-–]\s*'(\d{2})\.\s*(\d{1,2})\.\s*(\d{1,2})\.?"
)
_BIRTH_EDGE = re.compile(_D + r"\s*(이전|이후|까지)\s*(?:에\s*)?출생(아)?")


def read_birth_dates(text: str, field: str, name: str, age_lines: set[int]) -> Iterator[Mention]:
    """Birth-date limits not beside an age expression, as `BornBetween` (or `ChildBornBetween`
    for a child): exact, unlike a 만 나이 range."""
    for start, end, earliest, latest in _birth_matches(text):
        line = text.count("\n", 0, start)
        if line in age_lines:
            continue  # "19~39세(1986년∼2006년생)": the age says it already
        if earliest is not None and latest is not None and earliest > latest:
            continue
        prov = provenance(field, text, start, end)
        subject = (
            "child" if text[start:end].endswith("출생아") else _subject(text, start, end, name)
        )
        label = _birth_label(earliest, latest)
        crit: Criterion
        weak = ""
        if subject == "child":
            crit = ChildBornBetween(
                label=f"{label} 출생 자녀", provenance=prov, earliest=earliest, latest=latest
            )
        else:
            crit = BornBetween(
                label=f"{label} 출생", provenance=prov, earliest=earliest, latest=latest
            )
            if subject == "other":
                weak = "the birth date of someone other than the applicant"
            elif subject == "youth":
                weak = "a minor's birth date: a parent may be the applicant"
        yield Mention("age", crit, start, end, weak=weak, subject=subject)


def _birth_label(earliest: date | None, latest: date | None) -> str:
    def fmt(d: date) -> str:
        return f"{d.year}.{d.month}.{d.day}."

    if earliest and latest:
        return f"{fmt(earliest)}~{fmt(latest)}"
    if latest:
        return f"{fmt(latest)} 이전"
    assert earliest is not None
    return f"{fmt(earliest)} 이후"


def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _birth_matches(text: str) -> Iterator[tuple[int, int, date | None, date | None]]:
    seen: list[tuple[int, int]] = []
    for m in _BIRTH_RANGE.finditer(text):
        y1 = int(m.group(1))
        y2 = int(m.group(4)) if m.group(4) else y1
        first = _date(y1, int(m.group(2)), int(m.group(3)))
        last = _date(y2, int(m.group(5)), int(m.group(6)))
        if first and last:
            seen.append((m.start(), m.end()))
            yield m.start(), m.end(), first, last
    for m in _BIRTH_YEARS.finditer(text):
        if any(a <= m.start() < b for a, b in seen):
            continue
        yield m.start(), m.end(), date(int(m.group(1)), 1, 1), date(int(m.group(2)), 12, 31)
    for m in _BIRTH_SHORT.finditer(text):
        tail = text[m.end() : m.end() + 6]
        head = text[max(0, m.start() - 10) : m.start()]
        if "출생" not in tail and not re.search(r"\d\s*세", head):
            continue
        first = _date(2000 + int(m.group(1)), int(m.group(2)), int(m.group(3)))
        last = _date(2000 + int(m.group(4)), int(m.group(5)), int(m.group(6)))
        if first and last:
            yield m.start(), m.end(), first, last
    edges = [m for m in _BIRTH_EDGE.finditer(text) if not any(a <= m.start() < b for a, b in seen)]
    used: set[int] = set()
    for i, m in enumerate(edges):
        when = _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if i in used or when is None:
            continue
        after = m.group(4) == "이후"
        # "1986. 5. 2. 이후 출생, 2007. 5. 1. 이전 출생": one range.
        nxt = edges[i + 1] if i + 1 < len(edges) else None
        if (
            nxt is not None
            and after
            and nxt.group(4) != "이후"
            and "\n" not in text[m.end() : nxt.start()]
            and nxt.start() - m.end() <= 6
        ):
            last = _date(int(nxt.group(1)), int(nxt.group(2)), int(nxt.group(3)))
            if last is not None:
                used.add(i + 1)
                yield m.start(), nxt.end(), when, last
                continue
        if after:
            yield m.start(), m.end(), when, None
        else:
            yield m.start(), m.end(), None, when
