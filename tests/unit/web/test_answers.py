from __future__ import annotations

from datetime import date

import pytest

from alrim.catalog.regions import RegionTable
from alrim.eligibility.questions import QUESTIONS, Question
from alrim.web.answers import AnswerError, apply_answer, question_key

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def regions() -> RegionTable:
    return RegionTable.default()


def _apply(
    regions: RegionTable, field: str, form: dict[str, list[str]], profile: dict | None = None
) -> dict:
    return apply_answer(profile or {}, QUESTIONS[field], form, regions=regions, today=TODAY)


def test_region_by_name_by_select_and_former_name(regions: RegionTable) -> None:
    assert _apply(regions, "region", {"region_query": ["서울 종로구"]})["region"] == "11110"
    assert _apply(regions, "region", {"sido": ["26"], "sigungu": [""]})["region"] == "26"
    assert _apply(regions, "region", {"sido": ["12"], "sigungu": ["12110"]})["region"] == "12110"
    # 전남 목포시 is 전남광주통합특별시 목포시 since 2026-07-01
    assert _apply(regions, "region", {"region_query": ["전남 목포시"]})["region"] == "12110"


def test_ambiguous_region_offers_the_candidates(regions: RegionTable) -> None:
    with pytest.raises(AnswerError) as err:
        _apply(regions, "region", {"region_query": ["중구"]})
    assert any("서울" in s for s in err.value.suggestions)


def test_birth_date_or_age(regions: RegionTable) -> None:
    assert _apply(regions, "birth_date", {"value": ["1994.03.02"]})["birth_date"] == "1994-03-02"
    by_age = _apply(
        regions, "birth_date", {"value": [""], "age": ["70"]}, {"birth_date": "1990-01-01"}
    )
    assert by_age["age"] == 70 and "birth_date" not in by_age
    with pytest.raises(AnswerError):
        _apply(regions, "birth_date", {"value": ["2027-01-01"]})  # after today
    with pytest.raises(AnswerError):
        _apply(regions, "birth_date", {"value": ["어제"]})
    with pytest.raises(AnswerError):
        _apply(regions, "moved_in_date", {"value": ["9659-05-20"]})
    with pytest.raises(AnswerError):
        _apply(regions, "birth_date", {"value": ["0099-09-17"]})


def test_income_is_asked_in_manwon(regions: RegionTable) -> None:
    out = _apply(regions, "household_income_monthly", {"value": ["420"]})
    assert out["household_income_monthly"] == 4_200_000
    with pytest.raises(AnswerError):
        _apply(regions, "household_income_monthly", {"value": ["-3"]})


def test_statuses_offered_in_full_make_the_list_complete(regions: RegionTable) -> None:
    out = _apply(
        regions, "statuses", {"values": ["pregnant", "employee"]}, {"statuses": ["veteran"]}
    )
    assert out["statuses"] == ["employee", "pregnant", "veteran"]
    assert out["statuses_complete"] is True
    none = _apply(regions, "statuses", {"values": []})
    assert none["statuses"] == [] and none["statuses_complete"] is True
    with pytest.raises(AnswerError):
        _apply(regions, "statuses", {"values": ["astronaut"]})


def test_business_stage_and_facts(regions: RegionTable) -> None:
    out = _apply(regions, "business", {"value": ["closing_or_hardship"]})
    assert out["business"] == {"stage": "closing_or_hardship"}
    fact = Question(
        "facts.closing_restaurant", "폐업하셨나요?", "yesno", (("yes", "네"), ("no", "아니요"))
    )
    answered = apply_answer({}, fact, {"value": ["no"]}, regions=regions, today=TODAY)
    assert answered["facts"] == {"closing_restaurant": False}


def test_children_dates_or_none(regions: RegionTable) -> None:
    q = QUESTIONS["children_birth_dates"]
    two = apply_answer(
        {}, q, {"children": ["2024-01-02", "", "2020-05-05"]}, regions=regions, today=TODAY
    )
    assert two["children_birth_dates"] == ["2020-05-05", "2024-01-02"]
    none = apply_answer({}, q, {"no_children": ["1"]}, regions=regions, today=TODAY)
    assert none["children_birth_dates"] == []


def test_question_key_tells_option_sets_apart() -> None:
    a = Question("statuses", "?", "multi", (("pregnant", "임신"),))
    b = Question("statuses", "?", "multi", (("employee", "근로자"),))
    assert question_key(a) != question_key(b)
    assert question_key(QUESTIONS["region"]) == "region"
