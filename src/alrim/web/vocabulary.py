"""Words the pages use, written once as data: life events, 서비스분야, support-type groups,
and how to name a profile field to a citizen."""

from __future__ import annotations

from dataclasses import dataclass

from alrim.domain.vocabulary import CATEGORIES as CATEGORIES  # re-exported for the routes


@dataclass(frozen=True, slots=True)
class LifeEvent:
    slug: str
    label: str  # 임신·출산 …
    blurb: str  # one line under the label
    query: str  # what to search for
    categories: tuple[str, ...]  # 서비스분야 the event mostly lives in (may be empty)


LIFE_EVENTS: tuple[LifeEvent, ...] = (
    LifeEvent(
        "pregnancy", "임신·출산", "임신 검사부터 출산 뒤 지원까지", "임신 출산", ("임신·출산",)
    ),
    LifeEvent(
        "childcare", "육아", "아이를 키우는 가정을 위한 지원", "육아 아동 양육 보육", ("보육·교육",)
    ),
    LifeEvent(
        "employment", "취업", "일자리를 찾거나 일하고 있을 때", "취업 구직 일자리", ("고용·창업",)
    ),
    LifeEvent(
        "business", "창업·폐업", "가게를 열거나 닫을 때", "창업 폐업 소상공인", ("고용·창업",)
    ),
    LifeEvent("moving", "이사·전입", "새 동네로 옮겼을 때", "전입 이사", ()),
    LifeEvent("old_age", "노후", "어르신의 생활과 돌봄", "노인 어르신 노후", ()),
    LifeEvent("disability", "장애", "장애가 있는 분과 가족", "장애인", ()),
    LifeEvent("housing", "주거", "월세·전세와 집 마련", "주거 월세 전세 임대", ("주거·자립",)),
)
LIFE_EVENTS_BY_SLUG: dict[str, LifeEvent] = {e.slug: e for e in LIFE_EVENTS}


# Support types (지원유형) fold into a few groups a person recognises.
SUPPORT_GROUPS: tuple[str, ...] = ("현금", "현물", "서비스", "이용권", "기타")
_SERVICE_LIKE = (
    "서비스",
    "의료지원",
    "상담/법률지원",
    "기술지원",
    "문화/여가지원",
    "시설이용",
    "민원",
)


def support_group(support_type: str) -> str:
    """`현금(감면)` → 현금, `서비스(돌봄)` → 서비스, `이용권` → 이용권 …"""
    t = support_type.strip()
    for group in ("현금", "현물", "이용권"):
        if t.startswith(group):
            return group
    if t.startswith(_SERVICE_LIKE):
        return "서비스"
    return "기타"


def support_groups(support_types: list[str] | tuple[str, ...]) -> list[str]:
    seen: list[str] = []
    for t in support_types:
        g = support_group(t)
        if g not in seen:
            seen.append(g)
    return seen


# How the pages name a profile field ("… 을(를) 알려 주시면 확인할 수 있어요").
FIELD_LABELS: dict[str, str] = {
    "birth_date": "생년월일",
    "age": "나이",
    "sex": "성별",
    "region": "사는 곳",
    "household_size": "가구원 수",
    "household_income_monthly": "가구 소득",
    "income_band": "소득 수준",
    "statuses": "나의 상황",
    "household_traits": "가구 상황",
    "user_types": "신청하는 사람",
    "business": "사업 상황",
    "organization": "기관 정보",
    "children_birth_dates": "자녀 생년월일",
    "moved_in_date": "전입한 날",
    "receiving": "이미 받는 서비스",
    "facts": "추가 정보",
}


def field_label(field: str) -> str:
    top = field.split(".", 1)[0]
    return FIELD_LABELS.get(top, "추가 정보")


# Numbers asked in a friendlier unit: field → (unit shown, multiplier to the profile's unit).
NUMBER_UNITS: dict[str, tuple[str, int]] = {
    "household_income_monthly": ("만원", 10_000),
    "household_size": ("명", 1),
    "age": ("세", 1),
}
