"""Yes/no facts the text asks about that a profile cannot express with its typed fields.

Each fact is read from `Profile.facts[<name>]`; absent means unknown. The question is what a
questionnaire asks (해요체). These names are introduced by the text reader; the lead may move
them to `alrim.eligibility.facts.KNOWN_FLAGS`.
"""

from __future__ import annotations

from alrim.eligibility.model import Flag, Provenance

# fact name → (label shown in reasons, yes/no question)
KNOWN_FLAGS: dict[str, tuple[str, str]] = {
    "basic_livelihood_recipient": (
        "기초생활수급자",
        "국민기초생활보장 수급자(생계·의료·주거·교육급여 중 하나라도 받는 분)인가요?",
    ),
    "livelihood_benefit_recipient": ("생계급여 수급자", "생계급여를 받고 있나요?"),
    "medical_aid_recipient": ("의료급여 수급자", "의료급여 수급자(1종 또는 2종)인가요?"),
    "housing_benefit_recipient": ("주거급여 수급자", "주거급여를 받고 있나요?"),
    "education_benefit_recipient": ("교육급여 수급자", "교육급여를 받고 있나요?"),
    "near_poverty": (
        "차상위계층",
        "차상위계층(차상위 본인부담경감·자활·장애인·계층확인 등)에 해당하나요?",
    ),
    "basic_pension_recipient": ("기초연금 수급자", "기초연금을 받고 있나요?"),
    "legal_single_parent_family": (
        "한부모가족 지원 대상자",
        "「한부모가족지원법」에 따른 한부모가족 지원 대상자(법정 한부모가족)인가요?",
    ),
}


def flag(fact: str, provenance: Provenance, label: str | None = None) -> Flag:
    """A `Flag` leaf for one of `KNOWN_FLAGS` (KeyError for an unknown name)."""
    default_label, question = KNOWN_FLAGS[fact]
    return Flag(label=label or default_label, provenance=provenance, fact=fact, question=question)
