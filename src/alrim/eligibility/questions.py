"""The questionnaire's vocabulary and `next_questions`: which unknown fact to ask first.

`next_questions(profile)` ranks the facts missing from the person's `maybe` results by how many
of those maybes each answer would settle, weighted by how likely each answer is (the answer
priors below, with their sources). Asking the highest-ranked question first is what keeps the
questionnaire short. Pure: the caller passes a screening function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from alrim.domain.profile import Profile

# (value, Korean label) pairs for choice questions.
Options = tuple[tuple[str, str], ...]

STATUS_OPTIONS: Options = (
    ("pregnant", "임신 중이에요"),
    ("expecting_parent", "임신을 준비하거나 난임 치료 중이에요"),
    ("new_parent", "최근 출산·입양했어요"),
    ("employee", "직장에 다녀요(근로자)"),
    ("job_seeker", "일자리를 찾고 있어요(구직자·실업자)"),
    ("farmer", "농업인이에요"),
    ("fisher", "어업인이에요"),
    ("livestock_farmer", "축산업인이에요"),
    ("forester", "임업인이에요"),
    ("elementary_student", "초등학생이에요"),
    ("middle_school_student", "중학생이에요"),
    ("high_school_student", "고등학생이에요"),
    ("university_student", "대학생·대학원생이에요"),
    ("disabled", "장애가 있어요(등록 장애인)"),
    ("veteran", "국가보훈대상자예요"),
    ("patient", "질병·질환으로 치료 중이에요"),
)
TRAIT_OPTIONS: Options = (
    ("single_person", "혼자 살아요(1인 가구)"),
    ("no_home", "집이 없어요(무주택 세대)"),
    ("multi_child", "자녀가 많아요(다자녀 가구)"),
    ("single_parent_or_grandparent", "한부모·조손 가정이에요"),
    ("multicultural", "다문화 가족이에요"),
    ("north_korean_defector", "북한이탈주민 가정이에요"),
    ("newly_moved_in", "최근에 이사 와서 전입했어요"),
    ("extended_family", "여러 세대가 함께 살아요(확대가족)"),
)
USER_TYPE_OPTIONS: Options = (
    ("individual", "개인"),
    ("household", "가구(세대) 단위"),
    ("small_business", "소상공인·자영업자"),
    ("organization", "법인·시설·단체"),
)
SEX_OPTIONS: Options = (("female", "여성"), ("male", "남성"))
INCOME_BAND_OPTIONS: Options = (
    ("0-50", "기준 중위소득 50% 이하"),
    ("51-75", "51~75%"),
    ("76-100", "76~100%"),
    ("101-200", "101~200%"),
    ("200+", "200% 초과"),
)
BUSINESS_STAGE_OPTIONS: Options = (
    ("prospective", "창업을 준비하고 있어요"),
    ("operating", "영업 중이에요"),
    ("closing_or_hardship", "폐업을 앞두었거나 생계가 어려워요"),
)
ORGANIZATION_TYPE_OPTIONS: Options = (
    ("sme", "중소기업"),
    ("social_welfare_facility", "사회복지시설"),
    ("institution_or_group", "기관·단체"),
)


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the questionnaire. `field` is a contract §1 field or `facts.<name>`."""

    field: str
    label: str  # the Korean question
    kind: str  # date | choice | multi | number | region | yesno | children
    options: Options = ()
    help: str | None = None
    settles: int = 0  # expected number of `maybe` results the answer settles
    asked_by: int = 0  # how many `maybe` results list this field as missing

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "label": self.label,
            "kind": self.kind,
            "options": [{"value": v, "label": lbl} for v, lbl in self.options],
            "help": self.help,
            "settles": self.settles,
            "asked_by": self.asked_by,
        }


QUESTIONS: dict[str, Question] = {
    q.field: q
    for q in (
        Question("region", "어디에 사나요?", "region", help="주민등록상 주소의 시·군·구예요."),
        Question("birth_date", "생년월일이 언제인가요?", "date", help="만 나이를 계산해요."),
        Question("sex", "성별이 무엇인가요?", "choice", SEX_OPTIONS),
        Question(
            "household_size", "함께 사는 가구원은 모두 몇 명인가요?", "number", help="본인 포함"
        ),
        Question(
            "household_income_monthly",
            "가구의 한 달 소득은 얼마인가요?",
            "number",
            help="가구원 모두의 월 소득을 더한 금액(원)이에요. 기준 중위소득과 비교해요.",
        ),
        Question(
            "income_band", "가구 소득은 기준 중위소득의 몇 %인가요?", "choice", INCOME_BAND_OPTIONS
        ),
        Question("statuses", "나에게 해당하는 것을 모두 골라 주세요.", "multi", STATUS_OPTIONS),
        Question(
            "household_traits", "우리 집에 해당하는 것을 모두 골라 주세요.", "multi", TRAIT_OPTIONS
        ),
        Question("user_types", "누구로서 받으려고 하나요?", "multi", USER_TYPE_OPTIONS),
        Question("business", "사업은 어떤 상태인가요?", "choice", BUSINESS_STAGE_OPTIONS),
        Question("organization", "어떤 기관·단체인가요?", "choice", ORGANIZATION_TYPE_OPTIONS),
        Question(
            "children_birth_dates",
            "자녀가 있다면 생년월일을 알려 주세요.",
            "children",
            help="자녀가 없으면 '자녀 없음'을 골라 주세요.",
        ),
        Question("moved_in_date", "지금 사는 곳으로 언제 전입했나요?", "date"),
    )
}

# Answer priors: (weight, change to the profile). Sources: 통계청 주민등록인구 연령 구조 2025
# (5-year bands, rounded), 통계청 인구주택총조사 2023 가구원수 분포 (1인 35.5 %, 2인 28.8 %,
# 3인 19.2 %, 4인 14.1 %, 5인+ 2.4 %), 기준 중위소득 대비 소득 분포 (가계금융복지조사 2024,
# rounded to five bands), 장애인 등록 5.1 %, 농가인구 3.9 % … (docs/synth.md lists them).
_AGE_PRIOR = (
    (3, 0.05), (9, 0.07), (16, 0.08), (24, 0.11), (33, 0.12), (43, 0.14),
    (53, 0.16), (63, 0.14), (72, 0.08), (82, 0.05),
)  # fmt: skip
_SIZE_PRIOR = ((1, 0.355), (2, 0.288), (3, 0.192), (4, 0.141), (5, 0.024))
_INCOME_PRIOR = ((30.0, 0.15), (63.0, 0.15), (88.0, 0.2), (150.0, 0.35), (250.0, 0.15))
_STATUS_PRIOR = (
    (None, 0.45), ("employee", 0.3), ("job_seeker", 0.05), ("university_student", 0.05),
    ("disabled", 0.05), ("farmer", 0.04), ("patient", 0.03), ("pregnant", 0.02),
    ("veteran", 0.01),
)  # fmt: skip
_TRAIT_PRIOR = (
    (None, 0.55), ("no_home", 0.2), ("single_person", 0.12), ("multi_child", 0.06),
    ("single_parent_or_grandparent", 0.03), ("multicultural", 0.02),
    ("newly_moved_in", 0.02),
)  # fmt: skip


def answer_variants(
    question: str, profile: Profile, median: Callable[[int, int], int | None]
) -> list[tuple[float, Profile]]:
    """Plausible answers to `question` as changed profiles, with their probabilities."""
    p = profile
    if question == "birth_date" or question == "age":
        return [(w, replace(p, age=a, birth_date=None)) for a, w in _AGE_PRIOR]
    if question == "sex":
        return [(0.5, replace(p, sex="female")), (0.5, replace(p, sex="male"))]
    if question == "region":
        sample: tuple[str, ...] = ("11110", "26110", "41111", "12110") if p.region is None else ()
        if p.region_candidates:  # a divided old 구: which of its successors
            sample = p.region_candidates
        elif p.region is not None and len(p.region) == 2:
            sample = (p.region + "110",)
        return (
            [(1 / len(sample), replace(p, region=c, region_candidates=())) for c in sample]
            if sample
            else []
        )
    if question == "household_size":
        return [(w, replace(p, household_size=n)) for n, w in _SIZE_PRIOR]
    if question in ("household_income_monthly", "income_band"):
        size = p.household_size or 2
        base = median(p.as_of.year, size)
        if not base:
            return []
        return [
            (w, replace(p, household_size=size, household_income_monthly=int(base * r / 100)))
            for r, w in _INCOME_PRIOR
        ]
    if question == "statuses":
        return [
            (
                w,
                replace(
                    p, statuses=frozenset({s} if s else ()) | p.statuses, statuses_complete=True
                ),
            )
            for s, w in _STATUS_PRIOR
        ]
    if question == "household_traits":
        return [
            (
                w,
                replace(
                    p,
                    household_traits=frozenset({t} if t else ()) | p.household_traits,
                    household_traits_complete=True,
                ),
            )
            for t, w in _TRAIT_PRIOR
        ]
    if question == "user_types":
        return [
            (0.85, replace(p, user_types=frozenset({"individual"}), user_types_given=True)),
            (0.1, replace(p, user_types=frozenset({"small_business"}), user_types_given=True)),
            (0.05, replace(p, user_types=frozenset({"organization"}), user_types_given=True)),
        ]
    if question == "children_birth_dates":
        day = p.as_of
        return [
            (0.5, replace(p, children_birth_dates=())),
            (0.1, replace(p, children_birth_dates=(day - timedelta(days=120),))),
            (0.2, replace(p, children_birth_dates=(day - timedelta(days=3 * 365),))),
            (0.2, replace(p, children_birth_dates=(day - timedelta(days=10 * 365),))),
        ]
    if question == "moved_in_date":
        return [
            (0.1, replace(p, moved_in_date=p.as_of - timedelta(days=90))),
            (0.9, replace(p, moved_in_date=p.as_of - timedelta(days=3 * 365))),
        ]
    if question == "business":
        return [
            (w, replace(p, business_stage=s))
            for s, w in (("prospective", 0.3), ("operating", 0.6), ("closing_or_hardship", 0.1))
        ]
    if question == "organization":
        return [
            (w, replace(p, organization_type=t))
            for t, w in (
                ("sme", 0.6),
                ("social_welfare_facility", 0.2),
                ("institution_or_group", 0.2),
            )
        ]
    if question.startswith("facts."):
        name = question.split(".", 1)[1]
        return [
            (0.2, replace(p, facts={**p.facts, name: True})),
            (0.8, replace(p, facts={**p.facts, name: False})),
        ]
    return []


@dataclass
class QuestionPlanner:
    """Ranks questions for one profile given a screening function over the maybe services."""

    screen: Callable[[Profile], Sequence[int]]  # outcome per service (1 / 0 / -1)
    median: Callable[[int, int], int | None]
    fact_questions: dict[str, str] = field(default_factory=dict)  # fact → Korean question
    fact_labels: dict[str, str] = field(default_factory=dict)

    def question_for(self, name: str) -> Question | None:
        if name in QUESTIONS:
            return QUESTIONS[name]
        if name == "age":
            return QUESTIONS["birth_date"]
        if name.startswith("facts."):
            fact = name.split(".", 1)[1]
            text = self.fact_questions.get(fact)
            if text is None:
                return None
            return Question(name, text, "yesno", (("yes", "네"), ("no", "아니요")))
        return None

    def rank(
        self,
        profile: Profile,
        maybe_missing: dict[int, Iterable[str]],
        *,
        limit: int = 5,
        candidates_cap: int = 12,
    ) -> list[Question]:
        """`maybe_missing`: service index → the facts its `maybe` result lists as missing."""
        counts: dict[str, int] = {}
        for facts in maybe_missing.values():
            for name in dict.fromkeys("birth_date" if f == "age" else f for f in facts):
                counts[name] = counts.get(name, 0) + 1
        if not counts:
            return []
        maybes = list(maybe_missing)
        ranked: list[Question] = []
        for name, asked in sorted(counts.items(), key=lambda kv: -kv[1])[:candidates_cap]:
            question = self.question_for(name)
            if question is None:
                continue
            expected = 0.0
            for weight, variant in answer_variants(name, profile, self.median):
                outcomes = self.screen(variant)
                settled = sum(1 for i in maybes if outcomes[i] != 0)
                expected += weight * settled
            ranked.append(replace(question, settles=round(expected), asked_by=asked))
        ranked.sort(key=lambda q: (-q.settles, -q.asked_by, q.field))
        return ranked[:limit]
