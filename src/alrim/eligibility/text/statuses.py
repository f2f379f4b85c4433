"""Who the person is: statuses (장애인, 국가유공자, 농업인 …), household traits (한부모, 다문화 …)
and yes/no facts the profile cannot express (기초생활수급자, 차상위계층 … → `Flag`).

Words joined only by separators ("수급자, 차상위계층 및 한부모가족") form one list read as
*any of* them (`AnyOf`). A list is weak when it is open ("… 등") or has a member we cannot read
("소년소녀가장, 차상위계층"): someone in the unread group would be wrongly failed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from alrim.eligibility.model import AnyOf, Criterion, Flag, HouseholdTraitIn, Provenance, StatusIn
from alrim.eligibility.text.flags import flag
from alrim.eligibility.text.mention import Mention, provenance


@dataclass(frozen=True, slots=True)
class Atom:
    start: int
    end: int
    kind: str  # "status" | "household" | "fact"
    values: frozenset[str]
    label: str
    weak: str = ""


_BENEFIT = r"(?:생계|의료|주거|교육)"
_BENEFIT_SEP = r"(?:\s*[·ㆍ․,./]\s*|\s*(?:및|또는|혹은)\s*|\s+)?"
_BENEFIT_RUN = re.compile(
    r"(?<![가-힣])(?:국민\s*)?(?:기초\s*(?:생활\s*)?(?:보장\s*)?)?"
    r"("
    + _BENEFIT
    + r"(?:\s*급여)?"
    + _BENEFIT_SEP
    + r"(?:"
    + _BENEFIT
    + r"(?:\s*급여)?"
    + _BENEFIT_SEP
    + r"){0,3})"
    r"\s*(?:(?<=급여)\s*|급여\s*)?(?:\d\s*종\s*(?:및|,)?\s*(?:\d\s*종)?\s*)?"
    r"(?:수급\s*(?:자|권자|가구|대상자)|수급|(?<=급여)\s*대상자|(?<=급여\s)\s*대상자)"
)
_BENEFIT_FACTS = {
    "생계": "livelihood_benefit_recipient",
    "의료": "medical_aid_recipient",
    "주거": "housing_benefit_recipient",
    "교육": "education_benefit_recipient",
}

# (pattern, kind, values, label, weak-reason). Matched on law-masked text, in order; an
# earlier match wins where two overlap.
_TABLE: tuple[tuple[str, str, frozenset[str], str, str], ...] = (
    # yes/no facts
    (
        r"(?:국민\s*)?기초\s*(?:생활\s*)?(?:보장\s*)?(?:수급(?:자|권자|가구|대상자)?|생활수급)"
        r"|국민\s*기초\s*수급자|기초생활\s*수급|수급자\s*(?:가구)?(?=\s*(?:및|또는|,|·|ㆍ)\s*(?:법정\s*)?차상위)"
        r"|수급권자(?=\s*(?:및|또는|,|·|ㆍ)\s*(?:법정\s*)?차상위)"
        r"|(?:국민\s*)?기초(?=\s*[·ㆍ․,/]\s*차상위)",
        "fact",
        frozenset({"basic_livelihood_recipient"}),
        "기초생활수급자",
        "",
    ),
    (
        r"(?:법정\s*)?차상위\s*(?:계층|대상자|본인부담\s*경감\s*대상자|자활|장애인|가구)?",
        "fact",
        frozenset({"near_poverty"}),
        "차상위계층",
        "",
    ),
    (
        r"기초\s*(?:노령\s*)?연금\s*(?:수급\s*(?:자|권자)?|대상자)",
        "fact",
        frozenset({"basic_pension_recipient"}),
        "기초연금 수급자",
        "",
    ),
    (
        r"법정\s*(?:저소득\s*)?한부모\s*(?:가족|가정|가구)?|저소득\s*한부모\s*(?:가족|가정|가구)?"
        r"|한부모\s*가족\s*(?:지원|보호)\s*대상자|한부모가족보호대상자",
        "fact",
        frozenset({"legal_single_parent_family"}),
        "한부모가족 지원 대상자",
        "",
    ),
    # household traits
    (
        r"한부모\s*(?:가족|가정|가구)?(?:\s*및\s*조손\s*(?:가족|가정|가구)?)?|조손\s*(?:가족|가정|가구)"
        r"|미혼\s*한부모|미혼모부?|미혼부",
        "household",
        frozenset({"single_parent_or_grandparent"}),
        "한부모·조손가족",
        "",
    ),
    (
        r"다문화\s*(?:가족|가정|가구)?|결혼\s*이민자",
        "household",
        frozenset({"multicultural"}),
        "다문화가족",
        "",
    ),
    (
        r"북한\s*이탈\s*주민|새터민|탈북\s*(?:민|주민|학생)?|북향민",
        "household",
        frozenset({"north_korean_defector"}),
        "북한이탈주민",
        "",
    ),
    (
        r"1\s*인\s*가구|독거\s*(?:노인|어르신|가구|세대)?|홀로\s*사는|단독\s*(?:세대|가구)",
        "household",
        frozenset({"single_person"}),
        "1인 가구",
        "",
    ),
    (
        r"다자녀\s*(?:가정|가구|가족)?|다둥이\s*(?:가정|가족)?",
        "household",
        frozenset({"multi_child"}),
        "다자녀 가구",
        "",
    ),
    (
        r"무주택\s*(?:세대주?|자|가구|세대구성원)?",
        "household",
        frozenset({"no_home"}),
        "무주택",
        "",
    ),
    # statuses
    (
        r"장애인\s*(?:가정|가구|세대|이\s*있는)|장애\s*아동|장애아동?|장애\s*학생|장애인\s*부모",
        "status",
        frozenset({"disabled"}),
        "장애인",
        "a household member, not necessarily the applicant, is disabled",
    ),
    (
        r"(?:(?:장애의\s*)?정도가\s*심한\s*)?(?:등록\s*)?(?:(?:중증|경증|여성|발달|지체|시각|청각|뇌병변|정신|지적|심한|중복)\s*)?장애인"
        r"(?!\s*(?:복지|연금|고용|활동\s*지원|보조|협회|단체|체육|기업|시설|거주|주간|평생교육|직업재활"
        r"|쉼터|스포츠|콜택시|전용|주차|등록증이\s*교부|가족|자녀|의\s*자녀|관련|선수|우수선수|종합|센터|회관))",
        "status",
        frozenset({"disabled"}),
        "장애인",
        "",
    ),
    (
        r"(?:국가\s*)?보훈\s*(?:보상\s*)?대상자|(?:국가|독립|참전|5\s*[.·ㆍ]?\s*18\s*민주|특수임무)\s*유공자"
        r"|상이군경|전상군경|공상군경|무공수훈자|보국수훈자|애국지사",
        "status",
        frozenset({"veteran"}),
        "국가보훈대상자",
        "",
    ),
    (
        r"임산부|임신부|임부(?![가-힣])",
        "status",
        frozenset({"pregnant"}),
        "임산부",
        "",
    ),
    (
        r"난임\s*(?:부부|여성|자)?|예비\s*(?:부모|부부)",
        "status",
        frozenset({"expecting_parent"}),
        "예비부모·난임부부",
        "",
    ),
    (
        r"농어업인|농어업\s*경영체",
        "status",
        frozenset({"farmer", "fisher", "livestock_farmer"}),
        "농어업인",
        "",
    ),
    (
        r"(?:(?:여성|청년|고령|신규|귀농|전업|후계)\s*)?농업인(?!\s*(?:대학|단체|교육|수당|안전|경영))"
        r"|농업\s*경영체|(?:재배|과수|원예|화훼|인삼|시설)\s*농가|(?:축산|양돈|사육|한우|낙농|양봉|젖소|가금)\s*농가"
        r"|낙농가|축산업\s*(?:허가|등록)",
        "status",
        frozenset({"farmer", "livestock_farmer"}),
        "농업인",
        "",
    ),
    (
        r"(?:어선|양식|새우양식)?\s*어업인(?:\s*후계자)?|어업\s*근로자|수산업\s*경영인|어업\s*생산자",
        "status",
        frozenset({"fisher"}),
        "어업인",
        "",
    ),
    (
        r"임업인|임업\s*후계자|독림가|(?<![가-힣])임가",
        "status",
        frozenset({"forester"}),
        "임업인",
        "",
    ),
    (
        r"대학생|대학\s*(?:\(원\)\s*)?재학생|대학교\s*재학생|대학원생",
        "status",
        frozenset({"university_student"}),
        "대학생",
        "",
    ),
    (
        r"(?:초\s*[·ㆍ,]?\s*중\s*[·ㆍ,]?\s*고|초중고)\s*(?:등\s*)?(?:학생|생|재학생|신입생|입학생)?"
        r"|고등학생|고교생|중학생|초등학생",
        "status",
        frozenset({"elementary_student", "middle_school_student", "high_school_student"}),
        "초·중·고 학생",
        "a pupil: a parent may be the applicant",
    ),
    (
        r"(?:치매|한센병?|희귀|난치병?|정신|만성|중증|결핵|암|호흡기|심뇌혈관|희귀난치성|중증난치)\s*"
        r"(?:질)?환자(?!\s*(?:가구|가족|보호자))|고엽제\s*후유(?:의)?증\s*(?:2세\s*)?환자",
        "status",
        frozenset({"patient"}),
        "질병·질환자",
        "",
    ),
    (
        r"구직자|미취업자?|실업자|취업\s*준비생|구직\s*(?:청년|단념)|구직을\s*희망",
        "status",
        frozenset({"job_seeker"}),
        "구직자",
        "",
    ),
)

_ATOM_TABLE = tuple((re.compile(p), k, v, label, weak) for p, k, v, label, weak in _TABLE)

_FAMILY_WORDS = r"유족|유가족|배우자|미망인|자녀|가족|후손|손자녀|선순위|제매|유자녀|사망"
_VETERAN_FAMILY = re.compile(_FAMILY_WORDS)
_WITH_OTHERS_AFTER = re.compile(
    r"^\s*(?:[(（][^)）\n]*[)）])?\s*(?:및|또는|과|와)\s*(?:그\s*)?(?:배우자|영유아|예비|가족|자녀|보호자)"
)
_MEMBER_AFTER = re.compile(r"^\s*(?:이|가)?\s*\d+\s*명\s*이상\s*(?:포함|있는)")
_NEGATED_AFTER = re.compile(
    r"^[^\n]{0,12}?(?:해당하지\s*않|에\s*해당되지\s*않|가\s*아닌|이\s*아닌|미해당)"
)
_ALSO_ALLOWED = re.compile(r"^[^)）\n]{0,8}(?:가능|포함)\s*[)）]")
_SEPARATOR = re.compile(
    r"^(?:[\s,·ㆍ․/.*]|및|또는|혹은|이나|거나|이거나|와|과|그리고|등록|법정|저소득|계층|가구|세대|"
    r"가정|가족|대상자|본인|자|기타|노인|어르신|상|에\s*(?:따른|의한|따라)|정도가\s*심한|등록된|등록한)*$"
)
_PARENTHETICAL = re.compile(r"[(（][^()（）\n]*[)）]")
_OPEN_LIST = re.compile(r"^\s*(?:[)）]\s*)?등(?![가-힣])")
_ITEM_BREAK = re.compile(r"^\s*(?:,|및|또는|·|ㆍ|/)\s*[가-힣0-9]")


def _atoms(masked: str) -> list[Atom]:
    found: list[Atom] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a.start or s >= a.end for a in found)

    for m in _BENEFIT_RUN.finditer(masked):
        names = re.findall(_BENEFIT, m.group(1))
        facts = frozenset(_BENEFIT_FACTS[n] for n in names)
        if not facts:
            continue
        if len(facts) == 4:
            facts = frozenset({"basic_livelihood_recipient"})
        label = "·".join(dict.fromkeys(names)) + "급여 수급자"
        found.append(Atom(m.start(), m.end(), "fact", facts, label))
    for pattern, kind, values, label, weak in _ATOM_TABLE:
        for m in pattern.finditer(masked):
            s, e = m.start(), m.end()
            while s < e and masked[s] == " ":
                s += 1
            if e <= s or not free(s, e):
                continue
            found.append(Atom(s, e, kind, values, label, weak))
    return sorted(found, key=lambda a: a.start)


def _lists(masked: str, atoms: list[Atom]) -> list[list[Atom]]:
    groups: list[list[Atom]] = []
    for atom in atoms:
        if groups:
            prev = groups[-1][-1]
            between = _PARENTHETICAL.sub("", masked[prev.end : atom.start])
            if "\n" not in between and _SEPARATOR.match(between):
                groups[-1].append(atom)
                continue
        groups.append([atom])
    return groups


def _leaf(atom: Atom, prov: Provenance) -> list[Criterion]:
    if atom.kind == "status":
        return [StatusIn(label=atom.label, provenance=prov, allowed=atom.values, group=atom.values)]
    if atom.kind == "household":
        return [
            HouseholdTraitIn(
                label=atom.label, provenance=prov, allowed=atom.values, group=atom.values
            )
        ]
    return [flag(fact, prov) for fact in sorted(atom.values)]


def _combine(atoms: list[Atom], prov: Provenance) -> tuple[str, Criterion]:
    statuses: set[str] = set()
    traits: set[str] = set()
    facts: list[Flag] = []
    for atom in atoms:
        if atom.kind == "status":
            statuses |= atom.values
        elif atom.kind == "household":
            traits |= atom.values
        else:
            for c in _leaf(atom, prov):
                if isinstance(c, Flag) and all(f.fact != c.fact for f in facts):
                    facts.append(c)
    items: list[Criterion] = []
    labels = list(dict.fromkeys(a.label for a in atoms))
    if statuses:
        status_labels = [a.label for a in atoms if a.kind == "status"]
        items.append(
            StatusIn(
                label=" 또는 ".join(dict.fromkeys(status_labels)),
                provenance=prov,
                allowed=frozenset(statuses),
                group=frozenset(statuses),
            )
        )
    if traits:
        trait_labels = [a.label for a in atoms if a.kind == "household"]
        items.append(
            HouseholdTraitIn(
                label=" 또는 ".join(dict.fromkeys(trait_labels)),
                provenance=prov,
                allowed=frozenset(traits),
                group=frozenset(traits),
            )
        )
    items.extend(facts)
    dimension = "status" if statuses else ("household" if traits else "fact")
    if len(items) == 1:
        return dimension, items[0]
    return dimension, AnyOf(items=tuple(items), label=" 또는 ".join(labels))


def read_statuses(text: str, masked: str, field: str) -> Iterator[Mention]:
    atoms = _atoms(masked)
    # Veterans' families ("국가유공자 및 그 유족", "(본인 및 유족)", "사망위로금"): a veteran
    # status would fail the family member who applies.
    family = any(
        _VETERAN_FAMILY.search(masked[max(0, a.start - 15) : a.end + 15])
        for a in atoms
        if a.values == frozenset({"veteran"})
    )
    for group in _lists(masked, atoms):
        start, end = group[0].start, group[-1].end
        if _NEGATED_AFTER.match(masked[end : end + 24]):
            continue  # "수급자에 해당하지 않고", "수급자가 아닌"
        weak = ""
        for atom in group:
            tail = masked[atom.end : atom.end + 24]
            if atom.weak:
                weak = atom.weak
            elif atom.values == frozenset({"veteran"}) and family:
                weak = "families of veterans also qualify"
            elif _WITH_OTHERS_AFTER.match(tail):
                weak = "other people (spouse, family) also qualify"
            elif _MEMBER_AFTER.match(tail):
                weak = "a household member, not necessarily the applicant"
        if not weak and _inside_detail(masked, start, end):
            weak = "a detail inside a parenthesis"
        if _OPEN_LIST.match(masked[end : end + 4]):
            weak = weak or "an open list (… 등)"
        elif _ITEM_BREAK.match(masked[end : end + 6]) or re.search(
            r"[가-힣)]\s*(?:,|·|ㆍ|/|및|또는)\s*$", masked[max(0, start - 8) : start]
        ):
            weak = weak or "one of a list with groups we cannot read"
        prov = provenance(field, text, start, end)
        dimension, crit = _combine(group, prov)
        yield Mention(dimension, crit, start, end, weak=weak)


def _inside_detail(masked: str, start: int, end: int) -> bool:
    """Inside "(…)" that qualifies a word before it ("법정한부모(…청소년한부모…)"), or
    "(단독세대 가능)"."""
    open_at = masked.rfind("(", 0, start)
    if open_at < 0 or masked.find(")", open_at, start) >= 0:
        return False
    if masked.find("\n", open_at, start) >= 0:
        return False
    if _ALSO_ALLOWED.match(masked[end : end + 12]):
        return True
    inside = masked[open_at + 1 : start]
    return bool(re.search(r"[,·ㆍ]", inside) and re.search(r"\d|%|↓", inside))
