"""One source of truth per vocabulary: the typed copies must agree with `domain.vocabulary`."""

from __future__ import annotations

import json
from typing import get_args

from alrim.catalog.sources import agency_file
from alrim.domain.profile import HOUSEHOLD_TRAIT_CODES, STATUS_CODES
from alrim.domain.vocabulary import CATEGORIES, STATUS_NAMES_KO, TRAIT_NAMES_KO
from alrim.eligibility.profile_input import profile_schema


def test_every_contract_status_and_trait_has_a_korean_name() -> None:
    schema = profile_schema()["properties"]
    assert set(schema["statuses"]["items"]["enum"]) == set(STATUS_NAMES_KO) == set(STATUS_CODES)
    traits = set(schema["household_traits"]["items"]["enum"])
    assert traits == set(TRAIT_NAMES_KO) == set(HOUSEHOLD_TRAIT_CODES)


def test_agency_format_uses_the_same_vocabularies() -> None:
    assert tuple(get_args(agency_file.Category)) == CATEGORIES
    assert set(get_args(agency_file.Status)) == set(STATUS_NAMES_KO)
    assert set(get_args(agency_file.HouseholdTrait)) == set(TRAIT_NAMES_KO)


def test_bundled_catalog_categories_are_the_gov24_vocabulary() -> None:
    import gzip

    from alrim.paths import DATA_DIR

    with gzip.open(DATA_DIR / "gov24" / "serviceList_sample.json.gz") as fh:
        rows = json.load(fh)["data"]
    assert {r["서비스분야"] for r in rows} == set(CATEGORIES)
