"""The "대상" lines of a 온통청년 policy's 지원내용 or 정책설명: who the policy is for.

온통청년's 지원대상 (추가자격조건) is empty or "해당없음" for most policies (973 of 1,324);
the agency then says who the policy is for in the 지원내용 (`plcySprtCn` → `benefit_text`) or
the 정책설명 (`plcyExplnCn` → `summary`), as a labelled line:

    ㅇ (대상) 지역 청년                              (창업허브센터 운영)
    ○ 지원대상 : 관내 예술인(단체) 또는 …            (거리공연 지원사업)
    ○ (사업 대상) ‘22.1.1이후 출생아의 보호자 …      (첫만남 이용권)
    ❍ (사업대상)⏎ - 18~45세 고령군 거주(예정)인 청년근로자

`target_lines(service)` returns the text of the first field that has such lines, with every
character outside the lines' content blanked (same length, newlines kept), so the readers'
offsets and spans still point into the real field. The label itself is blanked too: what is
left reads like a 지원대상 text. Lines that only look similar are not labels: "(대상물건)",
"대상시험", "지원대상으로 선정될 시", "대상자 수요에 적합한 …" (the label must be followed by a
closing bracket, a colon or the end of the line). Without such a line, `summary_phrases`
keeps the phrase of 정책설명 that says who in a sentence: "개인 및 예비창업자를 대상으로 창의적
아이디어를 …" → "개인 및 예비창업자", "○ 미취업여성 대상 직업교육훈련" → "미취업여성"; a clause
that describes what people want or do is self-declared and dropped ("진출을 희망하는 청년" →
"청년", "부산을 방문하는 타지역 청년" → "타지역 청년"). Pure: no I/O.
"""

from __future__ import annotations

import re

from alrim.domain.service import Service

YOUTH_PREFIX = "YP"
FIELDS: tuple[str, ...] = ("benefit_text", "summary")

_MARKER = r"(?:[○◯●◎❍⚬ㅇ◦▢■□★▶▷◆◇❖•∙▪·ㆍ\-–—*]|\d{1,2}\s*[.)]|[①-⑳])?"
_WHO = r"(?:지원|사업|모집|참여|신청|교육|선발)?\s*대\s*상\s*자?"
_LABEL = re.compile(
    rf"(?m)^[^\S\n]*{_MARKER}[^\S\n]*"
    rf"(?:[(（\[<〈【][^\S\n]*{_WHO}[^\S\n]*[)）\]>〉】][^\S\n]*[:：]?|{_WHO}[^\S\n]*(?:[:：]|(?=[^\S\n]*$)))"
)


_DASHES = "-–—·ㆍ•∙▪⦁"
_BULLET = re.compile(
    r"^[^\S\n]*(?:[○◯●◎❍⚬ㅇ◦▢■□★▶▷▹▸◆◇❖※*＊\-–—·ㆍ•∙▪⦁]|\d{1,2}[^\S\n]*[.)]|[①-⑳]|[(（](?=[^)）\n]{1,12}[)）]))"
)


def is_youth(service: Service) -> bool:
    return service.service_id.startswith(YOUTH_PREFIX)


def _masked(text: str, keep: list[tuple[int, int]]) -> str:
    out = [c if c == "\n" else " " for c in text]
    for start, end in keep:
        out[start:end] = text[start:end]
    return "".join(out)


def _marker(line: str) -> str | None:
    """The kind of bullet opening a line ("○", "-", "1." …), or None."""
    m = _BULLET.match(line)
    if m is None:
        return None
    head = m.group(0).strip()
    if head[0].isdigit():
        return "number"
    if head[0] in "(（":
        return "paren"
    return "dash" if head[0] in _DASHES else head[0]


def _extent(text: str, m: re.Match[str]) -> int:
    """Where a 대상 item ends: its line, then the lines below it that are its sub-items (a
    different bullet); a blank line, an unbulleted line or a sibling bullet ends it."""
    line_start = text.rfind("\n", 0, m.start()) + 1
    own = _marker(text[line_start : m.end()])
    end = text.find("\n", m.end())
    while end >= 0:
        nxt = text.find("\n", end + 1)
        line = text[end + 1 : nxt if nxt >= 0 else len(text)]
        kind = _marker(line)
        if not line.strip() or kind is None or kind == own:
            break
        end = nxt
    return len(text) if end < 0 else end


def label_spans(text: str) -> list[tuple[int, int]]:
    """(content start, item end) of every labelled 대상 item of `text`."""
    found: list[tuple[int, int]] = []
    for m in _LABEL.finditer(text):
        if found and m.start() < found[-1][1]:
            continue  # a 대상 label inside an item already kept ("(사업 대상) ⏎ - 지원대상 : …")
        end = _extent(text, m)
        if text[m.end() : end].strip():
            found.append((m.end(), end))
    return found


# "개인 및 예비창업자를 대상으로 …", "미취업여성 대상 직업교육훈련": who, said in a sentence.
_PHRASE = re.compile(
    r"([^\n.!?:;()\[\]○◯●◎❍ㅇ◦▶▷•※*]{2,60}?)\s*(?:을|를)?\s*대상"
    r"(?!\s*(?:자|기업|사업|범위|여부|확대|선정|지역|물건|시험|학교|기관))\s*(?:으로|으로서|인)?"
    r"(?=\s|$|[,.])"
)
# Where the phrase before 대상 starts: after a clause that says why or how.
_CLAUSE = re.compile(
    r".*(?:위해|위하여|통해|통한|하여|하고|하며|으로써|지원하는|제공하는|강화하는|,)\s*"
)
# A clause describing the people ("진출을 희망하는", "부산을 방문하는", "관심 있는"): what
# someone wants or does is self-declared, so the phrase starts after its last such word.
_PREDICATE = re.compile(r"\S+(?:을|를|에|에서|으로|는|던)(?=\s)\s*")
_PHRASE_WORDS = 5


def summary_phrases(service: Service) -> tuple[str, str] | None:
    """("summary", masked text) keeping only the phrases of 정책설명 that say who the policy is
    for in a sentence ("개인 및 예비창업자를 대상으로 …" → "개인 및 예비창업자"), or None."""
    if not is_youth(service):
        return None
    text = service.summary or ""
    keep: list[tuple[int, int]] = []
    for m in _PHRASE.finditer(text):
        phrase = m.group(1)
        start = m.start(1)
        cut = _CLAUSE.match(phrase)
        if cut is not None:
            start += cut.end()
        words = list(re.finditer(r"\S+", text[start : m.end(1)]))
        if len(words) > _PHRASE_WORDS:
            start += words[-_PHRASE_WORDS].start()
        for clause in _PREDICATE.finditer(text, start, m.end(1)):
            start = clause.end()  # "부산을 방문하는 타지역 청년" → "타지역 청년"
        while start < m.end(1) and text[start].isspace():
            start += 1
        if start < m.end(1):
            keep.append((start, m.end(1)))
    return ("summary", _masked(text, keep)) if keep else None


def target_lines(service: Service) -> tuple[str, str] | None:
    """(field, masked text) of a 온통청년 policy's 대상 lines, or None (not 온통청년, or no
    labelled line in its 지원내용 or 정책설명)."""
    if not is_youth(service):
        return None
    for field in FIELDS:
        text = getattr(service, field, None) or ""
        spans = label_spans(text)
        if spans:
            return field, _masked(text, spans)
    return None
