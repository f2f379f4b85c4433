""" "내가 사는 곳에서 받을 수 있는 것만" for a person under a divided old 구: the services of the
구 they may live in, not of the whole 시도."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from alrim.catalog.regions import RegionTable
from alrim.eligibility.profile_input import parse_profile
from alrim.services import search as search_service
from alrim.web.routes.browse import _places_of

pytestmark = pytest.mark.storage

AS_OF = date(2026, 11, 25)


def _regions_found(engine: Engine, codes: list[str] | None, region: str | None) -> set[str]:
    found = search_service.search(
        engine,
        search_service.SearchRequest(
            query="지원", as_of=AS_OF, region=region, region_codes=codes, limit=100
        ),
    )
    return {str(r["region"]) for r in found["results"] if r.get("region")}


def test_the_mine_filter_of_a_divided_old_gu_keeps_only_its_successors(
    catalog_engine: Engine,
) -> None:
    regions = RegionTable.default()
    person = parse_profile({"as_of": "2026-11-25", "region": "인천광역시 서구"}, regions=regions)
    assert person.region == "28" and person.region_candidates
    codes = _places_of(person, regions)
    assert codes is not None
    places = _regions_found(catalog_engine, codes, None)
    whole_sido = _regions_found(catalog_engine, None, person.region)
    # The 시도 filter lists other 구 (부평구, 미추홀구 …); the person's filter does not.
    assert any(p.startswith("인천광역시 부평구") for p in whole_sido)
    assert not any(p.startswith(("인천광역시 부평구", "인천광역시 미추홀구")) for p in places)
    assert places <= whole_sido


def test_everyone_else_keeps_the_plain_region_filter() -> None:
    regions = RegionTable.default()
    person = parse_profile({"as_of": "2026-11-25", "region": "인천 부평구"}, regions=regions)
    assert _places_of(person, regions) is None
