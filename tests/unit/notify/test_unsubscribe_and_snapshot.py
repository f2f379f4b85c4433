"""Signed unsubscribe tokens, and the fast profile table built from stored answers."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from alrim.eligibility.profile_input import parse_profile
from alrim.eligibility.profile_table import conform, profiles_to_frame
from alrim.notify.snapshot import frame_from_stored
from alrim.notify.unsubscribe import make_token, read_token
from alrim.privacy.crypto import Key, Keyring

TODAY = date(2026, 11, 25)


def test_token_round_trip_and_tampering() -> None:
    ring = Keyring([Key.generate("u1")])
    token = make_token(ring, "abc123", "email")
    assert read_token(ring, token) == ("abc123", "email")
    assert read_token(ring, token.replace("email", "sms")) is None
    assert read_token(ring, "abc124" + token[6:]) is None
    assert read_token(ring, "nonsense") is None
    assert read_token(Keyring([Key.generate("u2")]), token) is None


def test_token_survives_key_rotation() -> None:
    old = Key.generate("old")
    token = make_token(Keyring([old]), "abc123", "email")
    rotated = Keyring([Key.generate("new"), old])
    assert read_token(rotated, token) == ("abc123", "email")


STORED = [
    {
        "birth_date": "1960-03-02",
        "sex": "female",
        "region": "11110",
        "household_size": 3,
        "household_income_monthly": 4200000,
        "statuses": ["employee", "disabled"],
        "statuses_complete": True,
        "children_birth_dates": ["2020-01-01", "2022-06-30"],
        "moved_in_date": "2026-10-01",
        "facts": {"farmland": True},
    },
    {
        "age": 34,
        "region": "26",
        "income_band": "51-75",
        "user_types": ["small_business"],
        "business": {"stage": "operating", "industry": "food_service"},
        "household_traits": ["single_person"],
        "receiving": ["SVC1"],
        "children_birth_dates": [],
    },
    {},
    {
        "organization": {"type": "sme", "industry": "other"},
        "user_types": ["organization"],
        "facts": {"veteran_family": False},
    },
    # A divided old 구 (인천 서구, as `profile_to_json` stores it) and a merged old code.
    {"age": 40, "region": "28260"},
    {"region": "29110"},
]


@pytest.mark.parametrize("index", range(len(STORED)))
def test_frame_from_stored_equals_the_contract_parser(index: int) -> None:
    data = STORED[index]
    fast = frame_from_stored([("p", data)], TODAY)
    reference = conform(profiles_to_frame([parse_profile(data, today=TODAY)], ids=["p"]))
    fast = fast.select(sorted(fast.columns))
    reference = reference.select(sorted(reference.columns))
    assert fast.schema == reference.schema
    assert fast.to_dicts() == reference.to_dicts()


def test_fact_columns_appearing_late_are_unknown_before() -> None:
    frame = frame_from_stored([("a", {}), ("b", {"facts": {"x": True}})])
    assert frame["fact_x"].to_list() == [None, True]
    assert frame.schema["fact_x"] == pl.Boolean


def test_a_snapshot_of_many_people_equals_the_contract_parser() -> None:
    # One table for everybody: the candidates of the divided old 구 sit beside certain regions.
    items = [(f"p{i}", data) for i, data in enumerate(STORED)]
    fast = frame_from_stored(items, TODAY)
    reference = conform(
        profiles_to_frame(
            [parse_profile(data, today=TODAY) for _, data in items], ids=[i for i, _ in items]
        )
    )
    assert (
        fast.select(sorted(fast.columns)).to_dicts()
        == reference.select(sorted(reference.columns)).to_dicts()
    )
    assert fast["region"].to_list()[-2:] == ["28", "12210"]
    assert fast["region_candidates"].to_list()[-2:] == [["28275", "28290"], None]
