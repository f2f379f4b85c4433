"""The issue's examples, typos, autocomplete and filters on the bundled catalog."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from sqlalchemy import Engine

from alrim.catalog.regions import RegionTable
from alrim.services import search as search_service
from alrim.services.catalog import get_service, resolve_region_filter

pytestmark = pytest.mark.storage

BIRTH_GRANT_WORDS = ("출산", "출생", "첫만남")


def _ids(result: dict[str, Any]) -> list[str]:
    return [hit["service_id"] for hit in result["results"]]


def _names(result: dict[str, Any]) -> list[str]:
    return [hit["name"] for hit in result["results"]]


def test_a_baby_question_finds_birth_grants_first(search: Any) -> None:
    names = _names(search("아기 낳으면 받는 돈"))
    assert len(names) == 10
    assert all(any(w in n for w in BIRTH_GRANT_WORDS) for n in names), names


def test_dentures_for_older_people_are_all_on_top(search: Any) -> None:
    top = set(_ids(search("어르신 틀니"))[:6])
    assert {"354000000107", "426000000123", "432000000233", "461000000110"} <= top


def test_youth_rent_written_as_one_word(search: Any) -> None:
    names = _names(search("청년월세"))
    assert all("월세" in n for n in names[:8]), names


def test_closing_a_shop_finds_help_for_closing(search: Any) -> None:
    top = set(_ids(search("가게 문 닫을 때 지원")))
    closing = {"629000000196", "642000000735", "647000000165", "YP20260416005400212754"}
    assert len(top & closing) >= 3


def test_a_disabled_persons_car_finds_the_parking_discount(search: Any) -> None:
    assert "O00022600001" in _ids(search("장애인 차"))[:3]


def test_electricity_bills_find_the_energy_voucher(search: Any) -> None:
    assert _ids(search("전기세 지원"))[:3].count("B55353000001") == 1


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("청년월셰", "청년월세"), ("난밤비", "난방비"), ("출산장려굼", "출산장려금")],
)
def test_typos_are_corrected_and_said(search: Any, typed: str, meant: str) -> None:
    result = search(typed)
    assert result["did_you_mean"] == meant
    assert result["results"], typed


def test_a_known_word_is_not_corrected(search: Any) -> None:
    assert search("난방비")["did_you_mean"] is None


def test_a_half_typed_word_is_completed(search: Any) -> None:
    result = search("기초연")
    assert "기초연금" in result["completed"]["기초연"]
    assert result["results"]


def test_initial_consonants_search(search: Any) -> None:
    result = search("ㅊㄴㅇㅅ")
    assert result["did_you_mean"] == "청년월세"
    assert all("월세" in n for n in _names(result)[:5])


def test_autocomplete_for_the_counter(catalog_engine: Engine) -> None:
    found = search_service.suggestions(catalog_engine, "ㅊㄴㅇㅅ", 5)
    assert found["words"][0] == "청년월세"
    assert found["services"]
    typed = search_service.suggestions(catalog_engine, "청녀", 5)
    assert typed["words"][0] == "청년"
    assert all("청년" in s["name"] for s in typed["services"])


def test_equal_scores_are_ordered_by_views(search: Any) -> None:
    results = search("출산장려금 지원", limit=50)["results"]
    for a, b in itertools.pairwise(results):
        if a["score"] == b["score"]:
            assert (a["views"] or -1) >= (b["views"] or -1)
    assert any(a["score"] == b["score"] for a, b in itertools.pairwise(results))


def test_region_filter_keeps_local_and_nationwide_services(
    search: Any, regions: RegionTable, catalog_engine: Engine
) -> None:
    codes = set(resolve_region_filter(regions, "서울특별시 종로구"))
    result = search("어르신", region="서울특별시 종로구", limit=50)
    assert result["results"]
    for hit in result["results"]:
        service = get_service(catalog_engine, hit["service_id"])
        assert service is not None
        assert service.region is None or service.region.code in codes


def test_open_now_filter(search: Any) -> None:
    everything = search("청년 월세", limit=50)
    open_now = search("청년 월세", open_now=True, limit=50)
    assert open_now["total"] < everything["total"]
    assert all(hit["open_now"] for hit in open_now["results"])


def test_category_and_audience_filters(search: Any, catalog_engine: Engine) -> None:
    result = search("지원", categories=["보육"], limit=30)
    assert result["results"]
    assert all(any("보육" in c for c in hit["categories"]) for hit in result["results"])
    shops = search("지원", audiences=["small_business"], limit=30)
    assert shops["results"]
    for hit in shops["results"]:
        service = get_service(catalog_engine, hit["service_id"])
        assert service is not None and "소상공인" in service.user_types


def test_eligibility_lifts_the_services_a_person_can_get(search: Any) -> None:
    plain = _ids(search("출산장려금", limit=20))
    last = plain[-1]
    boosted = _ids(search("출산장려금", limit=20, eligibility={last: "eligible"}))
    assert boosted.index(last) < plain.index(last)
    demoted = _ids(search("출산장려금", limit=20, eligibility={plain[0]: "ineligible"}))
    assert demoted.index(plain[0]) > 0


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"region": "없는동네구"}, "region"),
        ({"audiences": ["aliens"]}, "audience"),
        ({"limit": 0}, "limit"),
        ({"eligibility": {"x": "perhaps"}}, "eligibility"),
    ],
)
def test_bad_requests_say_what_is_wrong(search: Any, kw: dict[str, Any], field: str) -> None:
    with pytest.raises(search_service.SearchError) as info:
        search("청년", **kw)
    assert info.value.field == field


def test_nothing_found_is_an_empty_page(search: Any) -> None:
    result = search("zzqxv")
    assert result["results"] == [] and result["total"] == 0
