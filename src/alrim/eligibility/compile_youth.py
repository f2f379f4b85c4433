"""온통청년 structured fields (`service.extra["youth"]`) → readings: ages, income, condition codes.

Read from the 1,324-policy sample (see docs/eligibility.md):

- Ages `sprtTrgtMinAge`/`sprtTrgtMaxAge` (만 나이): 0/0 means "not given" (340 policies: K-패스,
  business programmes …) → no criterion; a 0 minimum is no lower limit; a 0 maximum with a
  real minimum (18/0, 자립수당) or a maximum ≥ 99 (45 policies, e.g. 1/99, 34/99) is no upper
  limit.
- `sprtTrgtAgeLmtYn` is NOT read: "Y" comes with 0/0 (312) and with real ranges (268) alike,
  "N" with real ranges that the text confirms (188 of 211 with an age in the text agree), so
  the flag carries no reliable meaning; the numbers do.
- `earnCndSeCd`: 0043001 무관 (1,158) → no criterion; 0043003 기타 (153) → the condition is
  prose in `earnEtcCn` (it is in `target_text`, where the text reader finds "중위소득 150% 이하");
  0043002 연소득 (12) → `earnMinAmt`/`earnMaxAmt` in 만원 of annual income, which the profile
  cannot express → a yes/no `Flag` ("연소득 6,000만원 이하") so the answer is asked, not assumed.
- The condition codes (`jobCd` 취업상태, `schoolCd` 학력, `sbizCd` 특화분야, `mrgSttsCd` 혼인,
  `plcyMajorCd` 전공; table in `youth_codes`) — see docs/eligibility.md, "온통청년 codes":
  - 제한없음 listed, or every code that names a group listed → no criterion; no code → silent;
  - otherwise a person qualifies with ANY listed code (a list is the allowed set), and groups
    combine with AND (희망사다리장학금 2유형: 재직자 AND 고교 졸업/대학 재학/대졸 예정);
  - each code becomes what the profile can check where it can (재직자 → `employee`, 대학 재학 →
    `university_student`, 장애인 → `disabled`, 여성 → female …) and a yes/no `Flag` otherwise
    (프리랜서, 대학 졸업, 기혼 …); 예정 codes (고졸 예정, 대졸 예정) need the student status too;
  - 특화분야 is the policy's *focus*, not always a condition (서울시 청년해외봉사단 lists 한부모가정
    but takes every Seoul 19~39-year-old; 중개수수료 지원 lists 수급자·한부모 beside 청년): a
    member passes, anyone else is asked whether they are in the policy's target group — never
    failed by it;
  - 기타 means "a group the codes cannot name, see the text": it is the policy's target-group
    question (fact `target_<id>`, shared with the text reader). A lone 취업상태 기타 also
    admits students (the job codes have no 학생); a lone 학력 or 전공 기타 says nothing the text
    does not, so it is silent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from alrim.domain.profile import HOUSEHOLD_TRAIT_CODES, STATUS_CODES
from alrim.eligibility.compile_ja import age_label
from alrim.eligibility.model import (
    AgeRange,
    All,
    AnyOf,
    BusinessStageIn,
    Criterion,
    Flag,
    HouseholdTraitIn,
    Not,
    Provenance,
    ProvenanceKind,
    SexIn,
    StatusIn,
    UserTypeIn,
)
from alrim.eligibility.readings import Reading, open_, restricted, silent
from alrim.eligibility.target_facts import target_fact
from alrim.eligibility.youth_codes import JOB, MAJOR, MARRIAGE, SCHOOL, SPECIAL, CodeGroup

AGE_REF = "온통청년 sprtTrgtMinAge,sprtTrgtMaxAge"
INCOME_REF = "온통청년 earnCndSeCd,earnMinAmt,earnMaxAmt"
NO_UPPER_FROM = 99  # 99 and 100 are used as "no upper limit"

INCOME_ANY = "0043001"  # 무관
INCOME_ANNUAL = "0043002"  # 연소득 (만원)
INCOME_OTHER = "0043003"  # 기타 (see earnEtcCn)


def _int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(str(value).strip() or "0")
    except ValueError:
        return None


def read_youth_age(youth: Mapping[str, Any]) -> Reading:
    low_raw, high_raw = _int(youth.get("min_age")), _int(youth.get("max_age"))
    if not low_raw and not high_raw:
        return silent("age")
    low = low_raw if low_raw and low_raw > 0 else None
    high = high_raw if high_raw and 0 < high_raw < NO_UPPER_FROM else None
    if low is None and high is None:
        return open_("age", "모든 연령", AGE_REF)
    if low is not None and high is not None and low > high:
        return silent("age")
    label = age_label(low, high)
    criterion = AgeRange(
        label=label,
        provenance=Provenance(ProvenanceKind.SOURCE, AGE_REF),
        min_years=low,
        max_years=high,
    )
    return restricted("age", criterion, label, AGE_REF)


def _manwon(amount: int) -> str:
    return f"{amount:,}만원"


def read_youth_income(youth: Mapping[str, Any]) -> Reading:
    code = (youth.get("income_condition") or "").strip()
    if code == INCOME_ANY:
        return open_("income", "소득 무관", INCOME_REF)
    if code != INCOME_ANNUAL:
        return silent("income")  # 기타 / missing: the condition, if any, is prose
    low, high = _int(youth.get("income_min")) or 0, _int(youth.get("income_max")) or 0
    if high <= 0 and low <= 0:
        return silent("income")
    if high > 0 and low > 0:
        label = f"연소득 {_manwon(low)} 이상 {_manwon(high)} 이하"
        fact = f"annual_income_between_{low}_{high}_manwon"
    elif high > 0:
        label = f"연소득 {_manwon(high)} 이하"
        fact = f"annual_income_at_most_{high}_manwon"
    else:
        label = f"연소득 {_manwon(low)} 이상"
        fact = f"annual_income_at_least_{low}_manwon"
    criterion = Flag(
        label=label,
        provenance=Provenance(ProvenanceKind.SOURCE, INCOME_REF),
        fact=fact,
        question=f"{label}인가요?",
    )
    return restricted("income", criterion, label, INCOME_REF)


# ---------------------------------------------------------------------------------------------
# Condition codes (jobCd, schoolCd, sbizCd, mrgSttsCd, plcyMajorCd)

ALL_STATUSES = frozenset(STATUS_CODES)
STUDENTS = frozenset(
    {"elementary_student", "middle_school_student", "high_school_student", "university_student"}
)
WORKING = frozenset({"employee", "farmer", "fisher", "livestock_farmer", "forester"})
FARMING = frozenset({"farmer", "livestock_farmer"})
ALL_TRAITS = frozenset(HOUSEHOLD_TRAIT_CODES)

# Yes/no facts a profile field cannot say: fact → (label, question). Shared by every policy.
YOUTH_FACTS: dict[str, tuple[str, str]] = {
    "self_employed": ("자영업자", "자영업(개인사업)을 하고 있나요?"),
    "freelancer": ("프리랜서", "프리랜서(회사에 고용되지 않고 일감별로 일하는 분)인가요?"),
    "daily_worker": ("일용근로자", "일용근로자(하루 단위로 고용되어 일하는 분)인가요?"),
    "startup_founder": ("(예비)창업자", "창업했거나 창업을 준비하고 있나요?"),
    "short_term_worker": ("단기근로자", "단기근로자(짧은 기간이나 짧은 시간만 일하는 분)인가요?"),
    "below_high_school_graduate": ("고등학교 졸업 전(고졸 미만)", "고등학교를 졸업하지 않았나요?"),
    "high_school_final_year": ("고등학교 졸업 예정", "이번 학년도에 고등학교를 졸업할 예정인가요?"),
    "high_school_graduate": ("최종학력 고등학교 졸업", "최종학력이 고등학교 졸업인가요?"),
    "university_final_year": ("대학 졸업 예정", "이번 학년도에 대학을 졸업할 예정인가요?"),
    "university_graduate": ("대학 졸업", "대학(전문대학 포함)을 졸업했나요?"),
    "graduate_school": ("석·박사(대학원)", "대학원에 다니거나 석사·박사 학위가 있나요?"),
    "married": ("기혼", "결혼(혼인신고)했나요?"),
    "major_humanities": ("인문계열 전공", "전공이 인문계열인가요?"),
    "major_social_science": ("사회계열 전공", "전공이 사회계열인가요?"),
    "major_business": ("상경계열 전공", "전공이 상경계열(경영·경제 등)인가요?"),
    "major_natural_science": ("이학계열 전공", "전공이 이학계열(자연과학)인가요?"),
    "major_engineering": ("공학계열 전공", "전공이 공학계열인가요?"),
    "major_arts_sports": ("예체능계열 전공", "전공이 예체능계열인가요?"),
    "major_agriculture": ("농산업계열 전공", "전공이 농산업계열인가요?"),
}
BASIC_LIVELIHOOD = "basic_livelihood_recipient"  # text/flags.KNOWN_FLAGS asks it
_MAJOR_FACTS = {
    "0011001": "major_humanities",
    "0011002": "major_social_science",
    "0011003": "major_business",
    "0011004": "major_natural_science",
    "0011005": "major_engineering",
    "0011006": "major_arts_sports",
    "0011007": "major_agriculture",
}
# For 학력 and 전공 a lone 기타 adds nothing the text does not say (half of the 25 lone-기타
# 학력 policies restrict nobody: 공동훈련센터, 국가유산 인턴 …); for 취업상태 and 특화분야 it
# names a group (students, soldiers, 자립준비청년, 예술인 …).
_LONE_OTHER_IS_SILENT = frozenset({SCHOOL.field, MAJOR.field})


@dataclass(frozen=True, slots=True)
class Policy:
    """What the code readers need to know about the policy itself."""

    service_id: str = ""
    name: str = ""
    question: str = ""  # the target-group question the text asks, in the agency's words


def _ref(group: CodeGroup) -> str:
    return f"온통청년 {group.field}"


def _prov(group: CodeGroup) -> Provenance:
    return Provenance(ProvenanceKind.SOURCE, _ref(group))


def _codes(youth: Mapping[str, Any], group: CodeGroup) -> list[str]:
    raw = youth.get(group.key)
    items = raw if isinstance(raw, list | tuple) else str(raw or "").split(",")
    return list(dict.fromkeys(str(c).strip() for c in items if str(c).strip()))


def _fact(fact: str, prov: Provenance) -> Flag:
    label, question = YOUTH_FACTS[fact]
    return Flag(label=label, provenance=prov, fact=fact, question=question)


def _status(label: str, allowed: frozenset[str], prov: Provenance) -> StatusIn:
    return StatusIn(label=label, provenance=prov, allowed=allowed, group=ALL_STATUSES)


def _target_flag(policy: Policy, label: str, group_words: str, prov: Provenance) -> Flag:
    """The policy's own target-group question (the fact the text reader also asks)."""
    name = " ".join(policy.name.split())
    about = f" (사업명: {name})" if name else ""
    return Flag(
        label=label,
        provenance=prov,
        fact=target_fact(policy.service_id or "youth"),
        question=policy.question or f"이 정책이 정한 지원 대상({group_words})에 해당하나요?{about}",
    )


def _any(options: list[Criterion], label: str) -> Criterion:
    return options[0] if len(options) == 1 else AnyOf(tuple(options), label=label)


def _job_option(code: str, policy: Policy, prov: Provenance) -> Criterion:
    label = JOB.label(code)
    if code == "0013001":
        return _status("재직자", frozenset({"employee"}), prov)
    if code == "0013002":
        owner = UserTypeIn(label="소상공인", provenance=prov, allowed=frozenset({"small_business"}))
        return AnyOf((owner, _fact("self_employed", prov)), label=label)
    if code == "0013003":
        # Not employed: not an employee or farmer, and a 구직자 or not running a business (a
        # student, someone between jobs); an employee who also seeks a job is employed.
        working = _status("재직자·농어업인", WORKING, prov)
        business = UserTypeIn(
            label="사업 운영(소상공인)", provenance=prov, allowed=frozenset({"small_business"})
        )
        seeker = _status("미취업자(구직자)", frozenset({"job_seeker"}), prov)
        idle = AnyOf((seeker, Not(business)), label="구직 중이거나 사업을 하지 않음")
        return All((Not(working), idle), label=label)
    if code == "0013004":
        return _fact("freelancer", prov)
    if code == "0013005":
        return _fact("daily_worker", prov)
    if code == "0013006":
        stage = BusinessStageIn(
            label="예비창업자", provenance=prov, allowed=frozenset({"prospective"})
        )
        return AnyOf((stage, _fact("startup_founder", prov)), label=label)
    if code == "0013007":
        return _fact("short_term_worker", prov)
    if code == "0013008":
        return _status("영농종사자", FARMING, prov)
    # 0013009 기타: a state the codes cannot name — the policy's target-group question.
    return _target_flag(policy, "정책이 정한 취업상태(기타)", "취업상태 ‘기타’", prov)


def _school_option(code: str, policy: Policy, prov: Provenance) -> Criterion:
    if code == "0049001":
        below = _status("초·중·고등학생", STUDENTS - {"university_student"}, prov)
        return AnyOf((below, _fact("below_high_school_graduate", prov)), label="고졸 미만")
    if code == "0049002":
        return _status("고등학교 재학", frozenset({"high_school_student"}), prov)
    if code == "0049003":
        pupil = _status("고등학생", frozenset({"high_school_student"}), prov)
        return All((pupil, _fact("high_school_final_year", prov)), label="고등학교 졸업 예정")
    if code == "0049004":
        return _fact("high_school_graduate", prov)
    if code == "0049005":
        return _status("대학 재학", frozenset({"university_student"}), prov)
    if code == "0049006":
        student = _status("대학생", frozenset({"university_student"}), prov)
        return All((student, _fact("university_final_year", prov)), label="대학 졸업 예정")
    if code == "0049007":
        return _fact("university_graduate", prov)
    if code == "0049008":
        return _fact("graduate_school", prov)
    return _target_flag(policy, "정책이 정한 학력(기타)", "학력 ‘기타’", prov)


def _special_member(code: str, prov: Provenance) -> Criterion | None:
    """What a profile can say about one 특화분야 group (None: nothing)."""
    if code == "0014002":
        return SexIn(label="여성", provenance=prov, allowed=frozenset({"female"}))
    if code == "0014003":
        return Flag(
            label="기초생활수급자",
            provenance=prov,
            fact=BASIC_LIVELIHOOD,
            question="국민기초생활보장 수급자인가요?",
        )
    if code == "0014004":
        return HouseholdTraitIn(
            label="한부모가정",
            provenance=prov,
            allowed=frozenset({"single_parent_or_grandparent"}),
            group=ALL_TRAITS,
        )
    if code == "0014005":
        return _status("장애인", frozenset({"disabled"}), prov)
    if code == "0014006":
        return _status("농업인", FARMING, prov)
    return None  # 중소기업, 군인, 지역인재, 기타: only the policy's text says who


def _major_option(code: str, policy: Policy, prov: Provenance) -> Criterion:
    fact = _MAJOR_FACTS.get(code)
    if fact is not None:
        return _fact(fact, prov)
    return _target_flag(policy, "정책이 정한 전공(기타)", "전공 ‘기타’", prov)


def _open_or_silent(group: CodeGroup, codes: list[str]) -> Reading | None:
    """No codes → silent; 제한없음, or every code that names a group → open; else None."""
    if not codes:
        return silent(group.key)
    if group.any_code in codes or group.named <= set(codes):
        return open_(group.key, "제한 없음", _ref(group))
    if group.field in _LONE_OTHER_IS_SILENT and codes == [group.other_code]:
        return silent(group.key)
    return None


def _summary(group: CodeGroup, codes: list[str]) -> str:
    return "·".join(group.label(c) for c in codes)


def read_youth_job(youth: Mapping[str, Any], policy: Policy = Policy()) -> Reading:
    """취업상태 (jobCd): a person qualifies with any listed state."""
    codes = _codes(youth, JOB)
    settled = _open_or_silent(JOB, codes)
    if settled is not None:
        return settled
    prov = _prov(JOB)
    known = [c for c in codes if c in JOB.codes]
    if not known:
        return silent(JOB.key)
    summary = _summary(JOB, known)
    options = [_job_option(c, policy, prov) for c in known]
    if known == [JOB.other_code]:
        # 기타 alone: the job codes have no 학생, and 7 of the 17 policies that tick only 기타
        # are for students (충남도립대 장학금, 대학생 아르바이트, 일반고 특화훈련 …).
        options.insert(0, _status("학생", STUDENTS, prov))
    criterion = _any(options, summary)
    return restricted(JOB.key, criterion, summary, _ref(JOB))


def read_youth_school(youth: Mapping[str, Any], policy: Policy = Policy()) -> Reading:
    """학력 (schoolCd): a person qualifies with any listed level."""
    codes = _codes(youth, SCHOOL)
    settled = _open_or_silent(SCHOOL, codes)
    if settled is not None:
        return settled
    prov = _prov(SCHOOL)
    known = [c for c in codes if c in SCHOOL.codes]
    if not known:
        return silent(SCHOOL.key)
    summary = _summary(SCHOOL, known)
    criterion = _any([_school_option(c, policy, prov) for c in known], summary)
    return restricted(SCHOOL.key, criterion, summary, _ref(SCHOOL))


def read_youth_special(youth: Mapping[str, Any], policy: Policy = Policy()) -> Reading:
    """특화분야 (sbizCd): the policy's focus. Members of a listed group the profile can name
    pass; anyone else is asked the policy's target-group question, never failed."""
    codes = _codes(youth, SPECIAL)
    settled = _open_or_silent(SPECIAL, codes)
    if settled is not None:
        return settled
    prov = _prov(SPECIAL)
    known = [c for c in codes if c in SPECIAL.codes]
    if not known:
        return silent(SPECIAL.key)
    summary = _summary(SPECIAL, known)
    members = [m for m in (_special_member(c, prov) for c in known) if m is not None]
    flag = _target_flag(policy, f"특화 대상({summary})", summary, prov)
    criterion = _any([*members, flag], f"특화 대상: {summary}")
    return restricted(SPECIAL.key, criterion, summary, _ref(SPECIAL))


def read_youth_marriage(youth: Mapping[str, Any]) -> Reading:
    """혼인 (mrgSttsCd): 기혼 or 미혼, one yes/no fact ("married") either way."""
    codes = _codes(youth, MARRIAGE)
    settled = _open_or_silent(MARRIAGE, codes)
    if settled is not None:
        return settled
    prov = _prov(MARRIAGE)
    married = _fact("married", prov)
    if codes == ["0055001"]:
        return restricted(MARRIAGE.key, married, "기혼", _ref(MARRIAGE))
    if codes == ["0055002"]:
        return restricted(MARRIAGE.key, Not(married, label="미혼"), "미혼", _ref(MARRIAGE))
    return silent(MARRIAGE.key)  # both (= no restriction: handled above) or unknown codes


def read_youth_major(youth: Mapping[str, Any], policy: Policy = Policy()) -> Reading:
    """전공 (plcyMajorCd): a person qualifies with any listed field of study."""
    codes = _codes(youth, MAJOR)
    settled = _open_or_silent(MAJOR, codes)
    if settled is not None:
        return settled
    prov = _prov(MAJOR)
    known = [c for c in codes if c in MAJOR.codes]
    if not known:
        return silent(MAJOR.key)
    summary = _summary(MAJOR, known)
    criterion = _any([_major_option(c, policy, prov) for c in known], f"전공: {summary}")
    return restricted(MAJOR.key, criterion, summary, _ref(MAJOR))


def read_youth(
    youth: Mapping[str, Any], *, service_id: str = "", name: str = "", question: str = ""
) -> dict[str, Reading]:
    """Every reading of one 온통청년 policy's structured fields (region: see compile_region).

    `question`: the policy's target-group question as the text reader words it, if it asks
    one — the codes' 기타 and 특화분야 ask the same fact, so they ask it the same way."""
    policy = Policy(service_id=service_id, name=name, question=question)
    return {
        "age": read_youth_age(youth),
        "income": read_youth_income(youth),
        "job": read_youth_job(youth, policy),
        "school": read_youth_school(youth, policy),
        "special": read_youth_special(youth, policy),
        "marriage": read_youth_marriage(youth),
        "major": read_youth_major(youth, policy),
    }
