"""`POST /api/v1/eligibility`: contract §1 in, contract §2 out, the same answer as the engine
itself gives — and nothing of the posted profile kept or logged anywhere."""

from __future__ import annotations

import importlib.util
import logging
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, func, select
from starlette.testclient import TestClient

from alrim.eligibility.profile_input import parse_profile

pytestmark = [
    pytest.mark.storage,
    pytest.mark.skipif(
        importlib.util.find_spec("alrim.services.eligibility") is None,
        reason="alrim.services.eligibility (the eligibility engine) is not installed yet",
    ),
]

# Distinctive values: if any of them shows up in a log line, the profile leaked.
INCOME = 4_231_987
BIRTH = "1987-06-05"
PROFILE: dict[str, Any] = {
    "as_of": "2026-11-25",
    "birth_date": BIRTH,
    "sex": "female",
    "region": "11110",
    "household_size": 3,
    "household_income_monthly": INCOME,
    "statuses": ["pregnant", "employee"],
    "household_traits": ["no_home"],
    "user_types": ["individual"],
}


def _engine_answer(engine: Engine, profile: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    from alrim.services.eligibility import get_eligibility

    result: dict[str, Any] = get_eligibility(engine).check(parse_profile(profile), **kwargs)
    return result


def test_a_full_profile_gets_the_contract_result(
    client: TestClient, catalog_engine: Engine
) -> None:
    r = client.post("/api/v1/eligibility", json=PROFILE)
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    body = r.json()
    assert body["as_of"] == "2026-11-25" and body["catalog_version"]
    assert body["results"]
    assert {x["status"] for x in body["results"]} <= {"eligible", "maybe"}
    for x in body["results"]:
        assert x["service_id"] and isinstance(x["reasons"], list)
        for reason in x["reasons"]:
            assert reason["outcome"] in ("pass", "fail", "unknown") and reason["text"]
    assert body == _engine_answer(catalog_engine, PROFILE)  # a thin door, not a second engine


def test_all_and_service_ids(client: TestClient, catalog_engine: Engine) -> None:
    everything = client.post("/api/v1/eligibility", params={"all": "true"}, json=PROFILE).json()
    statuses = {x["status"] for x in everything["results"]}
    assert "ineligible" in statuses
    default = client.post("/api/v1/eligibility", json=PROFILE).json()
    assert len(everything["results"]) > len(default["results"])
    some = [x["service_id"] for x in everything["results"][:3]]
    only = client.post(
        "/api/v1/eligibility", params={"all": "true", "service_ids": some}, json=PROFILE
    ).json()
    assert [x["service_id"] for x in only["results"]] == some


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        ({"region": "중구"}, "region"),
        ({"birth_date": "1990-02-30"}, "birth_date"),
        ({"sex": "other"}, "sex"),
        ({"statuses": ["astronaut"]}, "statuses"),
        ({"as_of": "2026-01-01", "birth_date": "2026-05-01"}, "birth_date"),
    ],
)
def test_invalid_profiles_are_422_naming_the_field(
    client: TestClient, profile: dict[str, Any], field: str
) -> None:
    r = client.post("/api/v1/eligibility", json=profile)
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid_profile"
    assert err["field"] is not None and err["field"].startswith(field)
    assert err["message"]  # Korean, for the citizen
    assert isinstance(err["suggestions"], list)


def test_region_suggestions_are_returned(client: TestClient) -> None:
    err = client.post("/api/v1/eligibility", json={"region": "중구"}).json()["error"]
    assert "서울특별시 중구" in err["suggestions"]


def test_bodies_that_are_not_profiles(client: TestClient) -> None:
    r = client.post(
        "/api/v1/eligibility", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_json"
    r = client.post("/api/v1/eligibility", json=[1, 2])
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_profile"
    big = {"facts": {"note": "x" * 70_000}}
    r = client.post("/api/v1/eligibility", json=big)
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"


def _row_counts(engine: Engine) -> dict[str, int]:
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        return {
            name: int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
            for name, table in meta.tables.items()
        }


def test_nothing_posted_is_stored_or_logged(
    catalog_engine: Engine,
    catalog_app: Any,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = _row_counts(catalog_engine)
    caplog.set_level(logging.DEBUG)  # every logger, every level
    with TestClient(catalog_app, raise_server_exceptions=False) as client:
        assert client.post("/api/v1/eligibility", json=PROFILE).status_code == 200
        bad = {**PROFILE, "birth_date": "2027-01-01"}
        assert client.post("/api/v1/eligibility", json=bad).status_code == 422

        # Even an unexpected failure while judging leaves no trace of the profile.
        from alrim.api.routers import eligibility as router

        class Exploding:
            def check(self, profile: Any, **_: Any) -> Any:
                raise ValueError(f"cannot judge income {profile.household_income_monthly}")

        async def exploding_engine(_engine: Engine) -> Exploding:
            return Exploding()

        monkeypatch.setattr(router, "current_engine", exploding_engine)
        failed = client.post("/api/v1/eligibility", json=PROFILE)
        assert failed.status_code == 500
        assert failed.json()["error"]["code"] == "internal_error"
    out, err = capfd.readouterr()
    logged = caplog.text + out + err
    assert "ValueError" in caplog.text  # the failure itself is logged …
    for value in (str(INCOME), BIRTH, "2027-01-01", "4231987"):  # … the profile is not
        assert value not in logged
        assert value not in failed.text
    assert _row_counts(catalog_engine) == before


def test_an_age_written_with_a_decimal_point_is_accepted(client: TestClient) -> None:
    r = client.post("/api/v1/eligibility", json={"age": 34.0})
    assert r.status_code == 200, r.text


def test_other_integral_numbers_written_with_a_decimal_point_are_accepted(
    client: TestClient,
) -> None:
    r = client.post(
        "/api/v1/eligibility", json={"household_size": 3.0, "household_income_monthly": 2.5e6}
    )
    assert r.status_code == 200, r.text
