"""Korean names of the catalog's and the profile's vocabularies — written once.

Everything that shows a status, a household trait or a 서비스분야 to a person reads it from here
(rules, agency files, the compiler's labels, the web pages), so a wording changes in one place.
"""

from __future__ import annotations

from typing import Final

# Contract §1 `statuses` → the words a citizen reads (gov24's JA03xx labels, lightly smoothed).
STATUS_NAMES_KO: Final[dict[str, str]] = {
    "expecting_parent": "예비부모·난임",
    "pregnant": "임산부",
    "new_parent": "출산·입양",
    "farmer": "농업인",
    "fisher": "어업인",
    "livestock_farmer": "축산업인",
    "forester": "임업인",
    "elementary_student": "초등학생",
    "middle_school_student": "중학생",
    "high_school_student": "고등학생",
    "university_student": "대학생·대학원생",
    "employee": "근로자·직장인",
    "job_seeker": "구직자·실업자",
    "disabled": "장애인",
    "veteran": "국가보훈대상자",
    "patient": "질병·질환자",
}

# Contract §1 `household_traits` → words (gov24's JA04xx labels).
TRAIT_NAMES_KO: Final[dict[str, str]] = {
    "multicultural": "다문화가족",
    "north_korean_defector": "북한이탈주민",
    "single_parent_or_grandparent": "한부모·조손가정",
    "single_person": "1인 가구",
    "multi_child": "다자녀가구",
    "no_home": "무주택세대",
    "newly_moved_in": "신규 전입",
    "extended_family": "확대가족",
}

# 서비스분야 as gov24 publishes them: the catalog's one category vocabulary.
CATEGORIES: Final[tuple[str, ...]] = (
    "생활안정",
    "주거·자립",
    "보육·교육",
    "고용·창업",
    "보건·의료",
    "행정·안전",
    "임신·출산",
    "보호·돌봄",
    "문화·환경",
    "농림축산어업",
)
