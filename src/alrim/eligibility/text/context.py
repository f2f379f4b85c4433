"""Judging a mention by where it stands: is it a limit for everyone who applies (explicit), only
for some of them (weak), or not a limit at all (dropped — an exclusion rule)?

The rules, in order (each returns at the first that applies):

1. exclusion — the clause, the item's label, a parent item or a heading says 제외/불가/배제:
   the mention describes who is *excluded*, not who can apply → dropped;
2. the reader already judged it weak (whose age it is, an open list …);
3. a note line (※, *) → weak;
4. a priority or bonus (우선, 순위, 가점, 우대) → weak;
5. a benefit tier (money amounts, 감면/할인/무료/본인부담, "만 65세 이상: 보철") → weak;
6. a condition (…인 경우) → weak;
7. a disjunction in the clause (또는, 이거나 — but not "부 또는 모", "수급자 또는 차상위") → weak;
8. an age group that is one of a list of groups ("65세 이상 노인, 장애인, 한부모가족") → weak;
9. one of several alternative items ("○ 장애인 ○ 국가유공자 ○ 65세 이상") unless every
   alternative carries the same criterion → weak.
"""

from __future__ import annotations

import re

from alrim.eligibility.model import ChildAgeRange
from alrim.eligibility.text.mention import Mention, criterion_key, word_after
from alrim.eligibility.text.outline import (
    Item,
    Outline,
    clause_around,
    is_exclusion_heading,
    line_bounds,
)

_EXCLUSION = re.compile(
    r"제외|불가(?!능)|배제|미적용|불인정|지원하지\s*(?:않|아니)|참가할\s*수\s*없|신청할\s*수\s*없"
)
_PRIORITY = re.compile(r"우선|순위|가점|(?<!경로)우대|추가\s*지원|추가지원")
_MONEY = r"\d[\d,.]*\s*(?:만|천|백|억)?\s*원"
_TIER = re.compile(
    r"(?:월|연|연간|최대|1인당|회당|세대당|가구당)\s*"
    + _MONEY
    + r"|"
    + _MONEY
    + r"\s*(?:지원|지급|상당|한도|씩|까지\s*지원)"
    r"|\d+\s*%\s*(?:감면|할인|지원|본인부담)|감면|할인|[(（]\s*무료|본인\s*부담(?!금\s*(?:합산|납입|기준))|차등"
)
_CONDITION = re.compile(r"경우(?:에는|에|는|라도)?[ \t]*[^\s(（)）]|때에는|에\s*한하여|시에는")
_DISJUNCTION = re.compile(r"또는|혹은")
_LEFT_DISJUNCTION = re.compile(r"이거나|하거나|거나(?=\s)")
_KIN = (
    r"부|모|부모|본인|신청자|신청인|보호자|배우자|친권자|법정\s*보호자|학부모|세대주|세대원|자녀|그\s*자녀|"
    r"가족|유족|부부|부부\s*중|여성|남성|개인|단체"
)
_KIN_DISJUNCTION = re.compile(
    r"(?:"
    + _KIN
    + r"|학생)(?:\s*[(（][^)）\n]{0,10}[)）])?\s*(?:또는|혹은)\s*(?:그의?\s*|[가-힣]+의\s*)?"
    r"(?:" + _KIN + r"|(?:중\s*[·ㆍ]?\s*)?고등\s*[·ㆍ]?\s*대학생|대학생)"
    r"(?:가|는|의|와|과|를|로서|로|이)?(?![가-힣])"
    r"|[가-힣]+\s*또는\s*(?:그의?\s*|[가-힣]+의\s*)자녀|\d\s*인\s*(?:또는|혹은)\s*\d\s*인"
)
_AGE_GROUP_HEAD = re.compile(
    r"^(?:노인|어르신|고령자|경로|경로우대자|경로자|환자|노인세대|청년|아동|영유아|청소년|주민|구민|"
    r"시민|군민|도민|성인|노령자|자|사람|인\b)"
)
_GROUP_AFTER = re.compile(r"^[^,\n]{0,12}?(?:,|및|·|ㆍ|/)\s*(?:등록\s*)?([가-힣]{2,})")
_LABEL_COLON = re.compile(r"\s*[)）]?\s*[:：]")
_TIER_AFTER = re.compile(
    r"\s*[(（]\s*(?:무료|유료|국비|시비|도비|군비|구비|[^)）\n]{0,12}(?:본인\s*부담|지원\s*[)）]|형[)）]))"
)
_OTHER_BAND = re.compile(r"\d{1,3}\s*%\s*(?:초과|이상)")
_OPENER_LABEL = re.compile(r"([^:：/\n]{1,15})[:：][^:：\n]*$")


def _exclusion_context(outline: Outline, item: Item | None) -> bool:
    """Does the item's label, a parent's first line or the section heading announce an
    exclusion list?"""
    if item is None:
        return False
    text = outline.text
    chain = [item, *outline.ancestors(item)]
    if _EXCLUSION.search(text[item.start : min(item.end, item.start + 14)]):
        return True
    for it in chain:
        if it.label and _EXCLUSION.search(it.label):
            return True
        if it is not item:
            first = text[it.start : it.end].split("\n")[0]
            if is_exclusion_heading(first):
                return True
    # The heading of the section the item's top-level group is in ("< 지원제외 대상 >").
    top = chain[-1]
    for prev in reversed(outline.items[: top.index]):
        if prev.is_heading:
            return bool(_EXCLUSION.search(text[prev.start : prev.end]))
    return False


def _disjunctive(before: str, after: str) -> bool:
    """Is there an "or" near the mention, in its clause, that offers a way around it?
    `before`/`after` are the clause's text on each side of the mention."""
    before = _KIN_DISJUNCTION.sub(lambda m: " " * len(m.group(0)), before)[-30:]
    after = _KIN_DISJUNCTION.sub(lambda m: " " * len(m.group(0)), after)[:30]
    for side, stripped in (("before", before), ("after", after)):
        words = list(_DISJUNCTION.finditer(stripped))
        if side == "before":
            words += list(_LEFT_DISJUNCTION.finditer(stripped))
        elif re.search(r"거나\s*,?\s*$", stripped):
            return True  # "(기초, 차상위, 한부모)을 보유하거나, …": another way in
        for m in words:
            left = stripped[max(0, m.start() - 14) : m.start()]
            right = stripped[m.end() : m.end() + 14]
            if _only_groups(left, right):
                continue
            between = stripped[m.end() :] if side == "before" else stripped[: m.start()]
            if re.search(r"\s중(?:\s|에서)|중에서", between):
                continue  # "A 또는 B인 자 중 [mention]": the mention applies to both
            return True
    return False


def _only_groups(left: str, right: str) -> bool:
    """ "수급자 또는 차상위계층": both sides are groups of the same list (read by the status
    reader as one AnyOf), so the disjunction does not bypass another criterion."""
    return bool(
        re.search(r"(?:수급|차상위|장애인|유공자|한부모|조손|다문화)[가-힣]*\s*$", left)
        and re.match(r"\s*(?:법정\s*)?(?:수급|차상위|장애|유공자|한부모|조손|다문화|기초)", right)
    )


def judge(
    mention: Mention,
    outline: Outline,
    mentions_by_item: dict[int, list[Mention]],
) -> tuple[str | None, str]:
    """("explicit" | "weak" | None to drop, why) for one mention."""
    text = outline.text
    start, end = mention.start, mention.end
    item = outline.item_at(start)
    left, right = clause_around(text, start, end)
    clause = text[left:start] + " " + text[end:right]
    line_start, line_end = line_bounds(text, start)

    if mention.subject != "excluded-above" and (
        _EXCLUSION.search(clause) or _exclusion_context(outline, item)
    ):
        return None, "an exclusion rule"
    if mention.opens:
        label = _OPENER_LABEL.search(text[line_start:start])
        if label and not _form_label(label.group(1)):
            return "weak", "an opener under a condition label"
        if item is not None and item.is_note and _CONDITION.search(clause):
            return "weak", "an opener in a conditional note"
        return "explicit", ""
    if mention.weak:
        return "weak", mention.weak
    in_star = item is not None and item.kind == "star"
    if (item is not None and item.is_note) or ("※" in text[left:start] and not in_star):
        return "weak", "in a note (※, *)"
    if _PRIORITY.search(clause) or (item is not None and _label_matches(outline, item, _PRIORITY)):
        return "weak", "a priority or bonus, not a limit"
    if (
        _TIER.search(clause)
        or _LABEL_COLON.match(text, end)
        or _TIER_AFTER.match(text, end)
        or _TIER_LINE.match(text, end)
    ):
        return "weak", "a benefit tier"
    if mention.dimension == "income" and _OTHER_BAND.search(text, end, line_end):
        return "weak", "income bands with different treatment"
    if _CONDITION.search(clause):
        return "weak", "a condition (…인 경우)"
    if _disjunctive(text[left:start], text[end:right]):
        return "weak", "an alternative in the same clause (또는)"
    if _in_subprogram_parenthesis(text, start, line_start):
        return "weak", "inside a parenthesis about part of the service"
    if mention.subject in ("child", "youth") and _EXCEPTION_AFTER.search(text, end, line_end):
        return "weak", "an exception widens the age limit"
    if mention.dimension == "age" and _age_in_group_list(text, start, end, line_start, line_end):
        return "weak", "an age group that is one of a list of groups"
    if item is not None and item.label and item.label.replace(" ", "") == "공통":
        return "explicit", ""
    if item is not None and any(
        not outline.is_group(it) and not it.is_note for it in [item, *outline.ancestors(item)]
    ):
        return "weak", "in a part about priorities, supplements or exceptions"
    if mention.dimension == "income" and _GROUP_BEFORE.search(text[line_start:start]):
        return "weak", "one of a list of groups"
    if _in_other_section(outline, item, mention, mentions_by_item):
        return "weak", "in one of several sections"
    if item is not None and _among_alternatives(outline, item, mention, mentions_by_item):
        return "weak", "one of several alternative groups"
    return "explicit", ""


_EXCEPTION_AFTER = re.compile(r"[(（]\s*단\s*,|연장|예외|[(（][^)）\n]{0,20}포함")
_TIER_LINE = re.compile(r"[^\n:：]{0,20}[:：][^\n]{0,8}\d[\d,.]*\s*(?:천|만|백)?\s*원")
_SUBPROGRAM = re.compile(r"[(（][^()（）\n]{1,20}[:：][^()（）\n]*$")


def _in_subprogram_parenthesis(text: str, start: int, line_start: int) -> bool:
    """ "(실버카 수리 지원대상 : 등록장애인중 65세 이상)": a label inside the parenthesis."""
    return bool(_SUBPROGRAM.search(text[line_start:start]))


def _form_label(line_head: str) -> bool:
    return bool(re.search(r"소득|연령|나이|기준|요건|자격", line_head))


def _label_matches(outline: Outline, item: Item, pattern: re.Pattern[str]) -> bool:
    return any(it.label and pattern.search(it.label) for it in [item, *outline.ancestors(item)])


_GROUP_BEFORE = re.compile(r"[가-힣)）]\s*(?:,|및|·|ㆍ|/)\s*$")
_STATUS_HEAD = re.compile(
    r"^(?:기초|국민|생계|의료|주거|교육|수급|차상위|법정|저소득|등록|중증|경증|장애|발달)"
)
_LIST_AFTER = re.compile(r"^\s*(?:,|및|또는|·|ㆍ|/)\s*(?:[가-힣0-9]|「|｢)")


def _age_in_group_list(text: str, start: int, end: int, line_start: int, line_end: int) -> bool:
    """ "65세 이상 노인, 등록장애인, 한부모가족" / "장애인 및 65세 이상 노인": the age defines one
    group of several (not "65세 이상 수급자, 차상위계층", where it qualifies every group)."""
    open_at = text.rfind("(", line_start, start)
    close_at = text.find(")", end, line_end)
    if open_at >= 0 and close_at >= 0 and text.find(")", open_at, start) < 0:
        # Inside "X(…age…)": a list inside the parenthesis, or X itself one of a list.
        inside_before, inside_after = text[open_at + 1 : start], text[end:close_at]
        if re.search(r"[가-힣)]\s*(?:,|·|ㆍ|/|및)\s*$", inside_before) or _GROUP_AFTER.match(
            inside_after
        ):
            return True
        noun_start = open_at
        while noun_start > line_start and text[noun_start - 1] not in " ,·ㆍ/(":
            noun_start -= 1
        if _GROUP_BEFORE.search(text[line_start:noun_start]):
            return True
        return bool(_LIST_AFTER.match(text[close_at + 1 : line_end]))
    before = text[line_start:start]
    if _GROUP_BEFORE.search(before) and not re.search(r"\d\s*세|\d\s*%", before[-10:]):
        return True
    head = word_after(text, end)
    if not head or _STATUS_HEAD.match(head):
        return False  # "만 60세 이상, 소득…": a condition of its own; "65세 이상 수급자, …"
    # Past the head noun (and a parenthesis after it), does a list go on?
    m = re.match(
        r"\s*[)）]?\s*(?:의|인)?\s*[가-힣A-Za-z]*(?:\s*[(（][^)）\n]*[)）])?", text[end:line_end]
    )
    rest = text[end + (m.end() if m else 0) : line_end]
    tail = _LIST_AFTER.match(rest)
    if tail and _AGE_GROUP_HEAD.match(head):
        return True
    if re.match(r"[·ㆍ]", rest):
        return False  # "19세~39세 예비창업자·초기창업자": one list of kinds, all of that age
    return bool(tail and _GROUP_AFTER.match(text[end:line_end]) and not re.match(r"\s*중", rest))


_GENERIC_PERSON = re.compile(
    r"^(?:자|사람|인|분|이상|이하|미만|이면|이며|인자|누구|까지|이고|로서|으로|$)"
)


def family(mention: Mention, text: str) -> str:
    """What kind of group a mention describes: "group" (a status, a child age, or an age with
    a noun such as "65세 이상 노인"), "age" (a bare age limit), or its dimension."""
    if mention.dimension in ("status", "household", "fact", "age_months"):
        return "group"
    if mention.dimension == "age":
        if isinstance(mention.criterion, ChildAgeRange):
            return "group"
        head = word_after(text, mention.end)
        return "age" if _GENERIC_PERSON.match(head) else "group"
    return mention.dimension


def _among_alternatives(
    outline: Outline,
    item: Item,
    mention: Mention,
    mentions_by_item: dict[int, list[Mention]],
) -> bool:
    key = (mention.dimension, criterion_key(mention.criterion))
    node: Item | None = item
    while node is not None:
        if not node.is_note:
            sibs = outline.group_members(node)
            mode = outline.group_mode(node)
            if mode == "undecided":
                mode = _mode_from_content(outline, sibs, mentions_by_item)
            if mode == "alternatives":
                for sib in sibs:
                    if sib.index != node.index and key not in _subtree_keys(
                        outline, sib, mentions_by_item
                    ):
                        return True
        node = outline.items[node.parent] if node.parent is not None else None
    return False


def _mode_from_content(
    outline: Outline, sibs: list[Item], mentions_by_item: dict[int, list[Mention]]
) -> str:
    """Alternatives when two items describe groups of the same kind differently ("○ 장애인
    ○ 국가유공자", "- 은퇴자(65세 이하) - 다자녀(19세 미만 자녀)"); conditions when each item
    adds a different kind of requirement ("- 만 19~39세 - 중위소득 120% 이하")."""
    seen: dict[str, set[object]] = {}
    holders: dict[str, int] = {}
    for sib in sibs:
        fams: dict[str, set[object]] = {}
        if sib.label and not sib.has_form_label:
            fams.setdefault("group", set()).add(("label", sib.label))
        for i in _subtree(outline, sib):
            for m in mentions_by_item.get(i, ()):
                if m.opens or m.dimension in ("region", "residence_duration", "sex"):
                    continue
                fams.setdefault(family(m, outline.text), set()).add(
                    (m.dimension, criterion_key(m.criterion))
                )
        for fam, keys in fams.items():
            holders[fam] = holders.get(fam, 0) + 1
            if fam in seen and seen[fam] != keys:
                return "alternatives"
            seen.setdefault(fam, keys)
    return "conditions"


def _subtree(outline: Outline, item: Item) -> list[int]:
    out = [item.index]
    for c in item.children:
        out.extend(_subtree(outline, outline.items[c]))
    return out


def _subtree_keys(
    outline: Outline, item: Item, mentions_by_item: dict[int, list[Mention]]
) -> set[tuple[str, object]]:
    keys: set[tuple[str, object]] = set()
    for i in _subtree(outline, item):
        for m in mentions_by_item.get(i, ()):
            keys.add((m.dimension, criterion_key(m.criterion)))
    return keys


def _in_other_section(
    outline: Outline,
    item: Item | None,
    mention: Mention,
    mentions_by_item: dict[int, list[Mention]],
) -> bool:
    """Texts split by headings ("<도내 고교 출신>", "<타 시도 출신>") describe alternatives: a
    criterion under one heading holds only if every other section has it too."""
    if item is None:
        return False
    headings = [
        h
        for h in outline.items
        if h.is_heading and not _EXCLUSION.search(outline.text[h.start : h.end])
    ]
    if len(headings) < 2:
        return False
    key = (mention.dimension, criterion_key(mention.criterion))
    bounds = [h.start for h in headings] + [len(outline.text) + 1]
    own = next((i for i in range(len(headings)) if bounds[i] <= item.start < bounds[i + 1]), None)
    if own is None:
        return False
    for i in range(len(headings)):
        if i == own:
            continue
        keys = {
            (m.dimension, criterion_key(m.criterion))
            for it in outline.items
            if bounds[i] <= it.start < bounds[i + 1]
            for m in mentions_by_item.get(it.index, ())
        }
        if key not in keys:
            return True
    return False
