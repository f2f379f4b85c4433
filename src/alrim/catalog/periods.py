"""Read a 신청기한 (application period) the way a careful person would — contract §3.

gov24 publishes 신청기한 as free text: "상시신청", "접수기관 별 상이", "2025.3.4.~2025.3.31.",
"'26. 2. 25.(수) ~ 3. 12.(목)", "매년 3월 경", "예산소진시까지", "출생일로부터 1년 이내" … (314
distinct values in the 1,097-service sample). `parse_application_period` turns one such text into
an `ApplicationPeriod`; `youth_application_period` does the same for an 온통청년 policy, whose
period is coded (aplyPrdSeCd) with dates in aplyYmd.

How a text is read (docs/periods.md has the full account with real examples):

* What stands in brackets or after ※ is an aside; the main line decides, an aside only fills in
  what the main line leaves open (months, a budget limit) or is read when the main line says
  nothing at all.
* The first of these that the main line says wins: 마감 (closed) → written dates (period;
  with 예산 소진 it is until_budget) → a year's half, "2026년 상반기" (period) → months without a
  year (recurring) → 예산 소진 (until_budget) → 상시/연중/수시 (always) → 신청 불필요 (always:
  nothing to apply for) → 상반기/분기/매월/연초/설·추석 (recurring) → 상이/공고/공지/문의/미정
  (varies) → 매년 (recurring) → a deadline counted from the person's own event, "출생일로부터
  1년 이내" (always: the service takes applications all year) → unknown.
* A missing year is the reference date's year (the day the text was last edited), moved by one
  year when a written weekday says so; a range end without a year takes the start's year, plus
  one when it falls before the start. The clock is never read.
* Several windows (1차 … 4차) are read as one period from the first start to the last end.

Pure functions: no I/O, no clock. Never raises on any text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from alrim.catalog.period_dates import (
    DateSpan,
    ResolvedSpan,
    find_spans,
    has_day,
    is_dated,
    resolve_span,
    span_months,
)
from alrim.domain.period import ApplicationPeriod, Confidence, PeriodKind

__all__ = ["parse_application_period", "youth_application_period"]

# Longer texts are read only this far (the longest real value is ~150 characters).
MAX_CHARS = 1000

ALL_MONTHS = tuple(range(1, 13))

# --- what the words say -------------------------------------------------------------------------
_CLOSED = re.compile(r"(?:접수|신청|모집)\s*(?:이\s*)?(?:마감|종료)|^\s*(?:마감|종료)\s*$")
_BUDGET_CLAUSE = re.compile(r"(?:예산\s*)?소진[^,/]*")  # "예산소진시 조기 마감" is not 마감
_BUDGET = re.compile(r"예산\s*소진|할인\s*예산\s*소진")
_QUOTA = re.compile(r"소진|선착순|충원\s*시\s*까지")  # the quota, not the budget, runs out
_WITHIN_BUDGET = re.compile(r"예산\s*(?:범위\s*)?내")
_ALWAYS = re.compile(r"상시|연중|(?<!접)수시(?!\s*모집)|제한\s*(?:이\s*)?없|언제(?:든|나)")
_OFFICE_HOURS = re.compile(
    r"\d{1,2}:\d{2}|(?<![가-힣])[월화수목금]\s*~\s*[월화수목금토일](?![가-힣])"
)
_NO_APPLICATION = re.compile(r"신청\s*(?:절차\s*)?(?:가|이)?\s*(?:없|불필요|필요\s*없)|직권")
_NOTHING = re.compile(r"^\s*없음\s*$")
_HALF_YEAR = re.compile(r"반기")
_YEAR_HALF = re.compile(
    r"(?<![\d.])(?:(?P<y4>(?:19|20)\d{2})|'?(?P<y2>\d{2}))\s*(?:년\s*(?:도\s*)?)?(?P<h>[상하])\s*반기"
)
_QUARTER = re.compile(r"분기")
_MONTHLY = re.compile(r"매\s*월|매\s*달|월별|전월(?!세)|익월")
_EARLY_YEAR = re.compile(r"연\s*초|년\s*초")
_LATE_YEAR = re.compile(r"연\s*말|년\s*말")
_HOLIDAY = re.compile(r"(?<![가-힣])설(?![가-힣])|설날|추석|명절")
_YEARLY = re.compile(
    r"매\s*년|매\s*해|해마다|연도\s*별|매\s*학년도|연례|연간|연\s*\d+\s*회|\d+\s*년\s*\d+\s*회"
)
# "the year in question": with these, "7.1.~7.31." is every year, not the reference year
_GENERIC_YEAR = re.compile(r"신청\s*년도|당해\s*연도|해당\s*연도|당\s*년|전\s*년도|익\s*년도")
_APPROXIMATE = re.compile(r"경|예정|예상|변동|쯤|내외")
_VARIES_SURE = re.compile(
    r"상이|다를\s*수|달라|변동될|공고|공지|참조|참고|따름|따라\s*신청|기관\s*별|게시|계획에|수시\s*모집|결원"
)
_VARIES_LATER = re.compile(r"미정|추후|별도")  # to be announced
_VARIES_ASK = re.compile(r"문의|미시행")  # ask / not running yet
_TENTATIVE = re.compile(r"예정|예상")
# A deadline counted from the person's own event (birth, accident, moving in …).
_PERSONAL = re.compile(
    r"이내"
    r"|(?:후|부터|이후)\s*\d+\s*(?:년|개월|주|일)"
    r"|\d+\s*(?:년|개월|주)\s*(?:내|까지)"
    r"|(?:일|날|달)\s*(?:로|으로)?\s*부\s*터"
    r"|일\s*(?:을\s*)?기준"
    r"|(?:이후|후|전)\s*신청"
    r"|\s시\s*$|후\s+\S+시\s*$"
    r"|기간\s*(?:내|안에?|중)\s*$"
    r"|해당\s+\S+일\s*$"
)
_MEANINGLESS = re.compile(r"^[\s\-–—_.·,/~*?()\[\]]*$")

_DOWN = {
    Confidence.HIGH: Confidence.MEDIUM,
    Confidence.MEDIUM: Confidence.LOW,
    Confidence.LOW: Confidence.LOW,
    Confidence.NONE: Confidence.NONE,
}
_RANK = {Confidence.NONE: 0, Confidence.LOW: 1, Confidence.MEDIUM: 2, Confidence.HIGH: 3}


@dataclass(frozen=True, slots=True)
class _Reading:
    kind: PeriodKind
    confidence: Confidence
    start: date | None = None
    end: date | None = None
    months: tuple[int, ...] = ()
    note: str | None = None


# --- public -------------------------------------------------------------------------------------
def parse_application_period(
    text: str | None, *, reference: date | None = None
) -> ApplicationPeriod:
    """Read a gov24 신청기한 text.

    `reference` is the day the text was written or last edited (gov24 수정일시); it is used only
    to supply a year the text leaves out. `text` is kept as given in the result.
    """
    if text is None:
        return ApplicationPeriod(PeriodKind.UNKNOWN, None, note="no text")
    raw = text if isinstance(text, str) else str(text)
    norm = _normalize(raw)
    if _MEANINGLESS.match(norm):
        return ApplicationPeriod(PeriodKind.UNKNOWN, raw, note="empty")
    main, aside = _split_asides(norm)
    reading = _read(main, aside, reference)
    if reading is None and aside:
        inner = _read(aside, "", reference)
        if inner is not None:
            reading = replace(
                inner,
                confidence=_DOWN[inner.confidence],
                note=_join("read from a bracketed note", inner.note),
            )
    if reading is None:
        return ApplicationPeriod(PeriodKind.UNKNOWN, raw, note="no period words or dates")
    note = reading.note
    if len(raw) > MAX_CHARS:
        note = _join(note, f"only the first {MAX_CHARS} characters read")
    return ApplicationPeriod(
        kind=reading.kind,
        text=raw,
        start=reading.start,
        end=reading.end,
        confidence=reading.confidence,
        months=reading.months,
        note=note,
    )


YOUTH_PERIOD_CODES = {"0057001": "특정기간", "0057002": "상시", "0057003": "마감"}
_YMD_RANGE = re.compile(r"(\d{8})\s*~\s*(\d{8})")


def youth_application_period(item: Mapping[str, Any]) -> ApplicationPeriod:
    """Read an 온통청년 policy's application period (aplyPrdSeCd + aplyYmd).

    aplyPrdSeCd: 0057001 특정기간 (dates in aplyYmd, "20250101 ~ 20251231", several ranges
    joined by a literal ``\\N``), 0057002 상시, 0057003 마감 — checked against the sample: every
    0057001 row has aplyYmd, no 0057002/0057003 row has. bizPrd* is the 사업기간 (how long the
    programme runs), not the application period, and is not used. `text` is aplyYmd, or the
    code's label when aplyYmd is empty.
    """
    code = str(item.get("aplyPrdSeCd") or "").strip()
    raw = str(item.get("aplyYmd") or "").strip()
    label = YOUTH_PERIOD_CODES.get(code)
    text = raw or label
    if code == "0057002":
        return ApplicationPeriod(PeriodKind.ALWAYS, text, confidence=Confidence.HIGH)
    if code == "0057003":
        start, end, _notes = _youth_dates(raw)
        return ApplicationPeriod(
            PeriodKind.CLOSED, text, start=start, end=end, confidence=Confidence.HIGH
        )
    if raw:
        start, end, notes = _youth_dates(raw)
        if start is not None:
            dropped = any("dropped" in n for n in notes)
            return ApplicationPeriod(
                PeriodKind.PERIOD,
                text,
                start=start,
                end=end,
                confidence=Confidence.LOW if dropped else Confidence.HIGH,
                note=_join(*notes),
            )
        if notes:  # dates were written, but none exists
            return ApplicationPeriod(PeriodKind.UNKNOWN, text, note=_join(*notes))
        return parse_application_period(raw, reference=_youth_reference(item))
    return ApplicationPeriod(
        PeriodKind.UNKNOWN,
        text,
        note=f"aplyPrdSeCd {code or 'missing'} without aplyYmd",
    )


# --- youth helpers ------------------------------------------------------------------------------
def _ymd(value: str) -> date | None:
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None


def _youth_dates(raw: str) -> tuple[date | None, date | None, list[str]]:
    """The span of every "YYYYMMDD ~ YYYYMMDD" in aplyYmd, with notes on what was dropped."""
    starts: list[date] = []
    ends: list[date] = []
    notes: list[str] = []
    found = _YMD_RANGE.findall(raw)
    for a, b in found:
        start, end = _ymd(a), _ymd(b)
        if start is None or end is None:
            notes.append("a date that does not exist was dropped")
            continue
        starts.append(start)
        if end < start:
            notes.append("an end before its start was dropped")
            continue
        ends.append(end)
    if len(found) > 1:
        notes.append(f"{len(found)} windows; overall span")
    start = min(starts) if starts else None
    end = max(ends) if ends else None
    if start is not None and end is not None and end < start:
        end = None
    return start, end, notes


def _youth_reference(item: Mapping[str, Any]) -> date | None:
    digits = re.sub(r"\D", "", str(item.get("lastMdfcnDt") or ""))
    return _ymd(digits[:8]) if len(digits) >= 8 else None


# --- text helpers -------------------------------------------------------------------------------
def _normalize(text: str) -> str:
    t = unicodedata.normalize("NFKC", text[: MAX_CHARS * 2])
    t = t.replace("\\N", " / ")
    t = re.sub(r"[〜∼～]", "~", t)
    t = re.sub(r"[‘’`´]", "'", t)
    t = re.sub(r"\s+", " ", t).strip()
    return t[:MAX_CHARS]


_OPEN = {"(": ")", "[": "]", "「": "」", "『": "』", "<": ">"}
_WEEKDAY_ONLY = re.compile(r"^\s*[월화수목금토일]\s*$")


def _split_asides(text: str) -> tuple[str, str]:
    """Split into the main line and what is said in brackets or after ※.

    A bracketed weekday, "(수)", stays in the main line: it belongs to the date before it.
    Brackets that never close are left as they are.
    """
    main: list[str] = []
    asides: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "※":
            asides.append(text[i + 1 :])
            break
        closer = _OPEN.get(ch)
        if closer is not None:
            j = _matching(text, i, ch, closer)
            if j is not None:
                inner = text[i + 1 : j]
                if _WEEKDAY_ONLY.match(inner):
                    main.append(text[i : j + 1])
                else:
                    main.append(" ")
                    asides.append(inner)
                i = j + 1
                continue
        main.append(ch)
        i += 1
    return "".join(main).strip(), " / ".join(a.strip() for a in asides if a.strip())


def _matching(text: str, i: int, opener: str, closer: str) -> int | None:
    depth = 0
    for j in range(i, len(text)):
        if text[j] == opener:
            depth += 1
        elif text[j] == closer:
            depth -= 1
            if depth == 0:
                return j
    return None


def _join(*parts: str | None) -> str | None:
    kept = [p for p in parts if p]
    return "; ".join(kept) if kept else None


def _min_conf(*values: Confidence) -> Confidence:
    return min(values, key=lambda c: _RANK[c])


def _months_union(groups: Iterable[tuple[int, ...]]) -> tuple[int, ...]:
    return tuple(sorted({m for g in groups for m in g}))


# --- the reading --------------------------------------------------------------------------------
def _read(main: str, aside: str, reference: date | None) -> _Reading | None:
    """The first rule (in the order of the module docstring) that the main line satisfies."""
    if not main and not aside:
        return None
    spans = find_spans(main)
    budget = _budget_of(main, aside)

    if _CLOSED.search(_BUDGET_CLAUSE.sub(" ", main)) and not any(is_dated(s) for s in spans):
        return _Reading(PeriodKind.CLOSED, Confidence.HIGH, note="applications closed")

    recurring_context = bool(_YEARLY.search(main) or _GENERIC_YEAR.search(main))
    dated = _dated_reading(spans, main, reference, recurring_context)
    if dated is not None:
        if budget is not None:
            return replace(dated, kind=PeriodKind.UNTIL_BUDGET, note=_join(dated.note, budget))
        return dated

    half = _YEAR_HALF.search(main)
    if half is not None and not spans:
        year = int(half.group("y4") or 2000 + int(half.group("y2")))
        first = half.group("h") == "상"
        return _Reading(
            PeriodKind.UNTIL_BUDGET if budget else PeriodKind.PERIOD,
            Confidence.LOW,
            start=date(year, 1 if first else 7, 1),
            end=date(year, 6, 30) if first else date(year, 12, 31),
            note=_join("a named half-year: its first to last day", budget),
        )

    if spans:
        return _months_reading(spans, main, reference, recurring_context)

    if budget is not None and (_BUDGET.search(main) or _QUOTA.search(main)):
        sure = Confidence.HIGH if _BUDGET.search(main) else Confidence.MEDIUM
        return _Reading(PeriodKind.UNTIL_BUDGET, sure, note=budget)
    if _WITHIN_BUDGET.search(main) and _ALWAYS.search(main):
        return _Reading(PeriodKind.UNTIL_BUDGET, Confidence.MEDIUM, note="open within the budget")

    if _ALWAYS.search(main):
        if budget is not None:
            return _Reading(PeriodKind.UNTIL_BUDGET, Confidence.HIGH, note=budget)
        mixed = _VARIES_SURE.search(main) is not None
        return _Reading(
            PeriodKind.ALWAYS,
            Confidence.MEDIUM if mixed else Confidence.HIGH,
            note="some parts differ" if mixed else None,
        )
    if _OFFICE_HOURS.search(main):
        return _Reading(PeriodKind.ALWAYS, Confidence.MEDIUM, note="office hours given")
    if _NO_APPLICATION.search(main):
        return _Reading(PeriodKind.ALWAYS, Confidence.MEDIUM, note="no application needed")

    timing = _timing_reading(main, aside)
    if timing is not None:
        return timing

    varies = _varies_confidence(main)
    if varies is not None:
        from_aside = _aside_reading(aside, reference)
        if from_aside is not None:
            return from_aside
        return _Reading(PeriodKind.VARIES, varies, note=_varies_note(main))

    if _YEARLY.search(main):
        months = _aside_months(aside)
        return _Reading(
            PeriodKind.RECURRING,
            Confidence.MEDIUM,
            months=months,
            note="every year" if not months else "every year; months from a bracketed note",
        )
    if _PERSONAL.search(main):
        return _Reading(
            PeriodKind.ALWAYS,
            Confidence.MEDIUM,
            note="deadline counted from the applicant's own event",
        )
    if _NOTHING.match(main):
        return _Reading(PeriodKind.ALWAYS, Confidence.LOW, note="'없음' read as no deadline")
    if _TENTATIVE.search(main):
        return _Reading(PeriodKind.VARIES, Confidence.LOW, note="only 'planned'; no dates")
    return None


def _budget_of(main: str, aside: str) -> str | None:
    if _BUDGET.search(main) or _BUDGET.search(aside):
        return "until the budget runs out"
    if _QUOTA.search(main):
        return "until places run out"
    if _WITHIN_BUDGET.search(main) and not _NO_APPLICATION.search(main):
        return "within the budget"
    return None


def _dated_reading(
    spans: list[DateSpan], main: str, reference: date | None, recurring_context: bool
) -> _Reading | None:
    """A period from the spans that can be put on the calendar, or None when none can."""
    resolved: list[tuple[DateSpan, ResolvedSpan]] = []
    previous_end: date | None = None  # a later date without a year carries this one's year
    for span in spans:
        if span.start.generic_year or (span.end is not None and span.end.generic_year):
            continue
        if is_dated(span):
            r = resolve_span(span, carried_year=None, reference=None)
        elif previous_end is not None:
            wraps = span.start.month < previous_end.month  # "2025. 11. ~ 12. / 1. ~ 2."
            year = previous_end.year + (1 if wraps else 0)
            r = resolve_span(span, carried_year=year, reference=None)
        elif has_day(span) and not recurring_context:
            r = resolve_span(span, carried_year=None, reference=reference)
        else:
            continue
        if r is None:
            continue
        resolved.append((span, r))
        previous_end = r.end
    if not resolved:
        return None

    notes: list[str] = []
    confidence = Confidence.HIGH
    windows: list[tuple[date | None, date | None]] = []
    for span, r in resolved:
        start, end, span_conf, span_notes = _endpoints(span, r)
        windows.append((start, end))
        confidence = _min_conf(confidence, span_conf)
        notes.extend(span_notes)
    if any(r.month_level for _, r in resolved):
        notes.append("month-level dates: first to last day of the month")
    if len(windows) == 1:
        start, end = windows[0]
    else:
        confidence = _min_conf(confidence, Confidence.MEDIUM)
        notes.append(f"{len(windows)} windows; overall span")
        starts = [w[0] for w in windows if w[0] is not None]
        ends = [w[1] for w in windows if w[1] is not None]
        start = min(starts) if starts else None
        end = max(ends) if ends else None
        if start is not None and end is not None and start > end:
            end = None
            confidence = Confidence.LOW
    if _NO_APPLICATION.search(main):
        confidence = _min_conf(confidence, Confidence.LOW)
    return _Reading(
        PeriodKind.PERIOD, confidence, start=start, end=end, note=_join(*dict.fromkeys(notes))
    )


def _endpoints(
    span: DateSpan, r: ResolvedSpan
) -> tuple[date | None, date | None, Confidence, list[str]]:
    """Start and end of one resolved span, how sure they are, and notes on what was inferred."""
    start: date | None = r.start
    end: date | None = r.end
    confidence = Confidence.HIGH
    notes: list[str] = []
    if span.end is None and span.start.day is not None:
        # one day written alone: 신청기한 names the last day, unless it says 부터/이후/"~"
        if span.tail in ("부터", "이후") or span.open_end:
            end = None
        else:
            start = None
            if span.tail != "까지" and not span.open_start:
                confidence = Confidence.MEDIUM
                notes.append("a single date read as the deadline")
    elif span.open_end:
        end = None
    if start is not None and end is not None and start > end:
        end = None
        confidence = Confidence.LOW
        notes.append("end before start; end dropped")
    if r.month_level:
        confidence = _min_conf(confidence, Confidence.MEDIUM)
    if r.year_source == "reference":
        confidence = _min_conf(confidence, Confidence.MEDIUM)
        notes.append("year taken from the reference date")
    if r.weekday_mismatch:
        confidence = _min_conf(confidence, Confidence.MEDIUM)
        notes.append("written weekday does not match the date")
    if r.clamped:
        confidence = Confidence.LOW
        notes.append("a day that does not exist was moved to the month's last day")
    return start, end, confidence, notes


def _months_reading(
    spans: list[DateSpan], main: str, reference: date | None, recurring_context: bool
) -> _Reading:
    """Months without a year: the same months every year."""
    months = _months_union(span_months(s) for s in spans)
    confidence = Confidence.HIGH if recurring_context else Confidence.MEDIUM
    notes: list[str] = []
    if not recurring_context:
        notes.append("months without a year read as every year")
    if any(has_day(s) for s in spans) and reference is None and not recurring_context:
        confidence = Confidence.LOW
        notes.append("no year and no reference date")
    if _APPROXIMATE.search(main):
        confidence = _min_conf(confidence, Confidence.MEDIUM)
    if any(s.open_start for s in spans) or any(s.tail in ("이후", "까지") for s in spans):
        confidence = Confidence.LOW
        notes.append("only one end of the months is written")
    if _NO_APPLICATION.search(main):
        confidence = Confidence.LOW
        notes.append("mixed with 'no application'")
    return _Reading(PeriodKind.RECURRING, confidence, months=months, note=_join(*notes))


def _word_months(text: str) -> tuple[tuple[int, ...], list[str]]:
    groups: list[tuple[int, ...]] = []
    words: list[str] = []
    if _MONTHLY.search(text):
        groups.append(ALL_MONTHS)
        words.append("monthly")
    if _EARLY_YEAR.search(text):
        groups.append((1, 2))
        words.append("연초 = Jan-Feb")
    if _LATE_YEAR.search(text):
        groups.append((12,))
        words.append("연말 = Dec")
    if _HOLIDAY.search(text):
        groups.append((1, 2, 9, 10))
        words.append("설/추석 = Jan-Feb, Sep-Oct (lunar)")
    return _months_union(groups), words


def _timing_reading(main: str, aside: str) -> _Reading | None:
    """상반기/하반기/분기/매월/연초/연말/설·추석: recurring, months when the words give them."""
    months, words = _word_months(main)
    halves = _HALF_YEAR.search(main) is not None
    quarters = _QUARTER.search(main) is not None
    if not months and not halves and not quarters:
        return None
    aside_months = _aside_months(aside)
    if aside_months:
        return _Reading(
            PeriodKind.RECURRING,
            Confidence.MEDIUM,
            months=aside_months,
            note="months from a bracketed note",
        )
    if months == ALL_MONTHS:
        return _Reading(PeriodKind.RECURRING, Confidence.MEDIUM, months=months, note="monthly")
    if months:
        return _Reading(PeriodKind.RECURRING, Confidence.LOW, months=months, note=_join(*words))
    what = "half-yearly" if halves else "quarterly"
    return _Reading(PeriodKind.RECURRING, Confidence.MEDIUM, note=f"{what}; months not given")


def _aside_months(aside: str) -> tuple[int, ...]:
    spans = [s for s in find_spans(aside) if not is_dated(s)]
    return _months_union(span_months(s) for s in spans)


def _aside_reading(aside: str, reference: date | None) -> _Reading | None:
    """When the main line only says 'see the notice', a bracketed note may still give months."""
    if not aside:
        return None
    spans = find_spans(aside)
    if not spans:
        return None
    recurring_context = bool(_YEARLY.search(aside) or _GENERIC_YEAR.search(aside))
    dated = _dated_reading(spans, aside, reference, recurring_context)
    inner = dated or _months_reading(spans, aside, reference, recurring_context)
    if inner.confidence is Confidence.LOW:
        return None  # too vague to override "see the notice"
    return replace(
        inner,
        confidence=_min_conf(inner.confidence, Confidence.MEDIUM),
        note=_join("see the notice; timing from a bracketed note", inner.note),
    )


def _varies_confidence(main: str) -> Confidence | None:
    if _VARIES_SURE.search(main):
        return Confidence.HIGH
    if _VARIES_LATER.search(main):
        return Confidence.MEDIUM
    if _VARIES_ASK.search(main):
        return Confidence.LOW
    return None


def _varies_note(main: str) -> str:
    if re.search(r"공고|공지|게시|참조|참고", main):
        return "dates are in a separate notice"
    if _VARIES_LATER.search(main):
        return "not yet decided; to be announced"
    if re.search(r"미시행", main):
        return "not running yet"
    if re.search(r"문의", main):
        return "ask the office"
    return "differs by office or programme"
