"""The shape of a 지원대상 text: bulleted items, their labels, clauses, and masked law titles.

gov24 texts are outlines written by hand: "○" items with "-" sub-items, "①" or "1." numbering,
"※"/"*" notes and "<…>" headings, used inconsistently. `Outline` recovers a tree good enough to
tell whether sibling items are *alternatives* (each describes a different group of people) or
*conditions* (all must hold). Offsets always refer to the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Marker kinds, by the character(s) opening a line.
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("heading", re.compile(r"\s*(?:<[^>\n]{1,40}>|《[^》\n]{1,40}》|〔[^〕\n]{1,40}〕)\s*$")),
    ("note", re.compile(r"\s*(?:※|\*{1,3}|＊|☞|⇒)")),
    ("circle", re.compile(r"\s*[○◯●◎❍⚬ㅇ◦▢■□★▶▷◆◇❖]|\s*O\s")),
    ("dash", re.compile(r"\s*[-–—⁃‣·ㆍ•∙▪〮․](?!\d)")),
    ("round", re.compile(r"\s*[①-⑳➊-➓]")),
    ("number", re.compile(r"\s*\d{1,2}\s*[.)](?!\d)")),
    ("hangul", re.compile(r"\s*[가나다라마바사아자차카타파하]\s*[.)](?=\s|[「｢『\"'])")),
    ("paren", re.compile(r"\s*[(（]\s*\d{1,2}\s*[)）]")),
    ("bracket", re.compile(r"\s*\[[^\]\n]{2,24}\]\s*\S")),
    ("labelled", re.compile(r"\s*[가-힣A-Za-z][가-힣A-Za-z0-9 ·ㆍ()]{0,18}?\s*[:：]\s*\S")),
)

# A label opening an item: "(연령)", "연 령 :", "지원대상:", "〈청년〉".
_LABEL = re.compile(
    r"\s*(?:[(（<〈\[]\s*([^)）>〉\]\n]{1,20})\s*[)）>〉\]]|([가-힣A-Za-z0-9·ㆍ ]{1,16}?)\s*[:：]"
    r"|([가-힣A-Za-z][가-힣A-Za-z0-9·ㆍ()]{1,14}?)\s*[-–]\s*(?=[가-힣0-9만]))"
)
_TITLE_ONLY = re.compile(r"\s*([가-힣A-Za-z·ㆍ ]{2,12})\s*$")
# Items that are not groups of people: priorities, supplements, how to apply …
_NOT_A_GROUP = re.compile(
    r"우선|순위|추가|예외|제외|불가|유의|참고|문의|신청\s*(?:기간|방법|기한|장소|시기)|지원\s*(?:내용|규모|금액|형태)"
    r"|사업\s*(?:내용|기간)|지급\s*(?:방법|시기)"
)

# Labels naming a *condition* (the item states one requirement of a list that all must hold).
_FORM_LABEL = re.compile(
    r"연령|나이|(?<!저)소득|거주|주소|자격|요건|기준|재산|주택|혼인|국적|병역|경력|재직|가입|근로|공통|"
    r"조건|신청|지원대상|대상$|^대상|사업대상|범위|내용|규모|금액|기간|방법|형태|선정|성적|"
    r"진단|치료|등록|상태|학력|거주지|특별분야|주의|장소|관계|물품|지급|품목"
)

_CONJUNCTIVE = re.compile(
    r"(?:모두|동시에|전부|각각|다)\s*(?:를\s*)?(?:충족|해당|갖춘|갖추|만족|부합)|모두\s*충족|"
    r"아래\s*(?:의\s*)?(?:조건|요건|기준)을?\s*모두|요건\s*모두|"
    r"(?:\d|두|세|네)\s*가지\s*(?:요건|조건|기준)?\s*(?:을|를)?\s*(?:모두\s*)?(?:충족|만족)"
)
_PROGRAM_TITLE = re.compile(
    r"^\s*\S{1,3}\s*[^:：\n]{2,30}(?:지원|지원사업|사업|수당|지원금|장려금|축하금|위로금|감면|바우처|급여)\s*$"
)
_LAW_REFERENCE = re.compile(r"[「｢『]|법률|법\s*(?:제\s*\d|에\s*(?:따른|의한|따라))|조례")
_DISJUNCTIVE = re.compile(
    r"어느\s*하나|중\s*하나|중\s*1\s*개|한\s*가지|어느\s*한|중\s*어느|하나\s*이상|하나에\s*해당"
)

_LAW_TITLE = re.compile(
    r"[「｢『][^」｣』\n]{1,60}[」｣』]"
    r"|[가-힣·ㆍ ]{2,40}?에\s*관한\s*(?:특별)?법률"
    r"|[가-힣·ㆍ]{2,20}법(?=\s*(?:시행령|시행규칙|제\s*\d|에\s*(?:따른|의한|따라|의거)|상|[」｣]|\)))"
    r"|[가-힣·ㆍ ]{2,30}?에\s*대한\s*[가-힣]{2,12}법"
)


def mask_laws(text: str) -> str:
    """`text` with law titles blanked out (same length), so "장애인복지법" is not "장애인"."""
    return _LAW_TITLE.sub(lambda m: " " * len(m.group(0)), text)


@dataclass(slots=True)
class Item:
    """One bulleted item (its first line and the unmarked lines after it)."""

    index: int
    kind: str  # marker kind, or "intro" for text before the first item
    start: int
    end: int
    label: str | None
    parent: int | None = None
    children: list[int] = field(default_factory=list)

    @property
    def is_note(self) -> bool:
        return self.kind == "note"

    @property
    def is_heading(self) -> bool:
        return self.kind == "heading"

    @property
    def has_form_label(self) -> bool:
        return bool(self.label and _FORM_LABEL.search(self.label.replace(" ", "")))


class Outline:
    """Items of a text as a tree (by marker kind in order of first appearance)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.items: list[Item] = []
        self._parse()

    def _parse(self) -> None:
        text = self.text
        lines = text.split("\n")
        # A text with no bullet at all whose lines are short: each line is an item.
        body = [
            ln
            for ln in lines
            if ln.strip() and _marker_kind(ln) != "note" and not ln.strip().startswith(("(", "（"))
        ]
        plain = len(body) >= 2 and all(
            _marker_kind(ln) is None and len(ln.strip()) <= 100 and not _CONTINUED.search(ln)
            for ln in body
        )
        rank: dict[str, int] = {}
        stack: list[Item] = []  # open items by rank
        pos = 0
        for line in lines:
            start, end = pos, pos + len(line)
            pos = end + 1
            if not line.strip():
                continue
            kind = _marker_kind(line)
            if plain and kind is None and not line.strip().startswith(("(", "（")):
                kind = "line"
            if kind is None:
                if self.items:
                    self.items[-1].end = end
                else:
                    self.items.append(Item(0, "intro", start, end, None))
                continue
            if kind != "heading" and is_exclusion_heading(line):
                kind = "heading"  # "○ 아래의 경우 지원대상에서 제외", "(지원제외대상)"
            label = _label_after_marker(line, kind)
            if kind == "note" and (not self.items or (label and _FORM_LABEL.search(label))):
                kind = "star"  # a "※"/"*" line opening the text, or "* 연령 : …": an item
            item = Item(len(self.items), kind, start, end, label)
            if kind == "heading":
                stack = []
                rank = {}
                self.items.append(item)
                continue
            if kind == "note":
                # A note belongs to the item it follows; it never starts a sibling group.
                if stack:
                    item.parent = stack[-1].index
                    stack[-1].children.append(item.index)
                self.items.append(item)
                continue
            if kind not in rank:
                rank[kind] = len(rank)
            r = rank[kind]
            while stack and rank.get(stack[-1].kind, -1) >= r:
                stack.pop()
            if stack:
                item.parent = stack[-1].index
                stack[-1].children.append(item.index)
            self.items.append(item)
            stack.append(item)
        # Extend each item's end over its descendants' lines.
        for item in reversed(self.items):
            if item.parent is not None:
                parent = self.items[item.parent]
                parent.end = max(parent.end, item.end)

    # lookups

    def item_at(self, offset: int) -> Item | None:
        """The innermost item whose own line range holds `offset`."""
        best: Item | None = None
        for item in self.items:
            if item.start <= offset <= item.end and (best is None or item.start >= best.start):
                best = item
        return best

    def ancestors(self, item: Item) -> list[Item]:
        out: list[Item] = []
        while item.parent is not None:
            item = self.items[item.parent]
            out.append(item)
        return out

    def siblings(self, item: Item) -> list[Item]:
        """Items of the same group as `item` (same parent and kind), `item` included."""
        if item.kind in ("intro", "heading", "note"):
            return [item]
        if item.parent is not None:
            pool = [self.items[i] for i in self.items[item.parent].children]
        else:
            pool = [i for i in self.items if i.parent is None]
            # A top-level group ends at a heading.
            pool = [i for i in pool if self._same_section(i, item)]
        return [i for i in pool if i.kind == item.kind]

    def _same_section(self, a: Item, b: Item) -> bool:
        lo, hi = sorted((a.index, b.index))
        return not any(self.items[k].is_heading for k in range(lo + 1, hi + 1))

    def intro_of(self, item: Item) -> str:
        """The text that introduces `item`'s group: the parent's own line, or the lines and
        heading just before the first sibling."""
        sibs = self.siblings(item)
        first = min(sibs, key=lambda i: i.start)
        if item.parent is not None:
            parent = self.items[item.parent]
            return self.text[parent.start : first.start]
        prev = [i for i in self.items if i.end < first.start]
        return "\n".join(self.text[i.start : i.end] for i in prev[-2:])

    def own_text(self, item: Item) -> str:
        """The item's text without its children."""
        end = item.end
        if item.children:
            end = min(self.items[c].start for c in item.children) - 1
        return self.text[item.start : max(end, item.start)]

    def is_group(self, item: Item) -> bool:
        """Could the item describe a group of people (not a priority, supplement, how-to …)?"""
        line = self.text[item.start : item.end].split("\n")[0]
        head = re.sub(r"[(（][^)）]*[)）]", "", line)
        head = re.sub(r"^\s*\W?\s*", "", head)[:12]
        return not (
            item.is_note or _NOT_A_GROUP.search(item.label or "") or _NOT_A_GROUP.search(head)
        )

    def group_members(self, item: Item) -> list[Item]:
        """`item`'s siblings that could be alternatives to it (itself included)."""
        return [s for s in self.siblings(item) if s.index == item.index or self.is_group(s)]

    def group_mode(self, item: Item) -> str:
        """ "conditions" | "alternatives" | "single" | "undecided" for the group `item` belongs
        to, judged from the intro wording and the labels (the caller decides "undecided")."""
        sibs = self.group_members(item)
        if len(sibs) < 2:
            return "single"
        intro = self.intro_of(item)
        if _DISJUNCTIVE.search(intro):
            return "alternatives"
        heads = [self.text[s.start : s.end].split("\n")[0] for s in self.siblings(item)]
        earlier = [
            self.text[s.start : s.end].split("\n")[0]
            for s in self.siblings(item)
            if s.start < item.start
        ]
        if any(_DISJUNCTIVE.search(h[-24:]) for h in earlier):
            return "alternatives"  # "- … 다음의 어느 하나에 해당하는 경우" then the cases
        if _CONJUNCTIVE.search(intro) or any(_CONJUNCTIVE.search(h) for h in heads):
            return "conditions"
        if sum(1 for h in heads if _PROGRAM_TITLE.search(h)) >= 2:
            return "alternatives"  # "○ 주거 임차비 지원 ○ 전세자금 대출이자 지원": programs
        form = sum(1 for s in sibs if s.has_form_label)
        other = sum(1 for s in sibs if s.label and not s.has_form_label)
        if other == 0 and form * 2 >= len(sibs):
            return "conditions"
        if other >= 2:
            return "alternatives"
        if sum(1 for h in heads if _LAW_REFERENCE.search(h)) >= 2:
            return "alternatives"  # "○ 「장애인복지법」에 따른 장애인 ○ 「…」에 따른 수급자"
        if item.kind == "line" and len(sibs) >= 3:
            return "alternatives"  # unbulleted short lines: a list of groups
        if form == 0 and len(sibs) >= 3 and all(len(self.own_text(s).strip()) <= 40 for s in sibs):
            return "alternatives"  # "○ 장애인 ○ 국가유공자 ○ 65세 이상 경로우대자": short groups
        return "undecided"


_CONTINUED = re.compile(r"(?:,|및|또는|하고|이며|으로|하여|이고|[^다]고)\s*$")
_EXCLUSION_WORD = re.compile(
    r"(?:제외|불가|제한|배제)\s*(?:대상자?|사항|요건|기준|조건)?\s*[)）>》\]]?\s*[:：]?\s*$"
)
_EXCLUSION_INTRO = re.compile(
    r"해당하면[^\n]*(?:불가|제외)|(?:아래|다음)[^\n]{0,20}(?:제외|불가)\s*$"
)


def is_exclusion_heading(line: str) -> bool:
    """A short line announcing that what follows is excluded ("< 지원제외 대상 >", "※지원제외",
    "○ 아래의 경우 지원대상에서 제외")."""
    body = re.sub(r"^\s*\W?\s*", "", line.strip())
    if _EXCLUSION_INTRO.search(body):
        return True
    bracketed = bool(
        re.match(r"^\s*\W?\s*[<\[(（《〔][^<\[(（《〔\n]{0,20}[>\])）》〕]\s*[:：]?\s*$", line)
    )
    return (len(body) <= 16 or bracketed) and bool(_EXCLUSION_WORD.search(body))


def _marker_kind(line: str) -> str | None:
    for kind, pattern in _MARKERS:
        if pattern.match(line):
            return kind
    return None


def _label_after_marker(line: str, kind: str) -> str | None:
    if kind == "bracket":
        bm = re.match(r"\s*\[([^\]\n]+)\]", line)
        return bm.group(1).strip() if bm else None
    pattern = dict(_MARKERS).get(kind)
    m = pattern.match(line) if pattern is not None and kind != "labelled" else None
    rest = line[m.end() :] if m else line
    lm = _LABEL.match(rest)
    if not lm:
        tm = _TITLE_ONLY.match(rest)
        if tm and len(tm.group(1).strip()) <= 10 and tm.group(1).strip().count(" ") <= 1:
            return tm.group(1).strip()
        return None
    label = (lm.group(1) or lm.group(2) or lm.group(3) or "").strip()
    return label or None


# ---------------------------------------------------------------------------------------------
# Clauses: the stretch of text a finding belongs to.

_CLAUSE_BREAK = re.compile(r"[\n()（）\[\]]|(?<=[다함음임요])\.|,\s|;|/")


def clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the clause holding [start, end): up to the nearest line break, parenthesis,
    comma + space, slash or sentence end outside the span itself."""
    left = 0
    for m in _CLAUSE_BREAK.finditer(text, 0, start):
        left = m.end()
    right = len(text)
    after = _CLAUSE_BREAK.search(text, end)
    if after:
        right = after.start()
    return left, right


def line_bounds(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, (len(text) if end < 0 else end)
