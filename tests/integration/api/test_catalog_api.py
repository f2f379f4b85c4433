"""The catalog resources: paging covers the catalog exactly once, filters mean what they say,
records follow contract §3, and every error has the one error body."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from alrim.services.catalog import today_kst
from alrim.store.catalog_tables import ServiceRow
from alrim.store.db import session_scope

pytestmark = pytest.mark.storage

CONTRACT_FIELDS = (
    "service_id",
    "name",
    "agency",
    "region",
    "categories",
    "support_types",
    "summary",
    "target_text",
    "criteria_text",
    "benefit_text",
    "how_to_apply",
    "documents",
    "contact",
    "apply_url",
    "detail_url",
    "legal_basis",
    "updated_at",
    "source",
    "application_period",
)


def _all_pages(client: Any, **params: Any) -> tuple[list[dict[str, Any]], int, int]:
    """Every result of a listing, the `total` it announced, and how many pages it took."""
    results: list[dict[str, Any]] = []
    cursor = None
    pages = 0
    total = -1
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        r = client.get("/api/v1/services", params=query)
        assert r.status_code == 200, r.text
        body = r.json()
        total = body["total"]
        results.extend(body["results"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return results, total, pages
        assert pages < 1000


def _count(engine: Engine, *where: Any) -> int:
    with session_scope(engine) as s:
        return int(s.scalar(select(func.count()).select_from(ServiceRow).where(*where)) or 0)


@pytest.mark.parametrize("sort", ["service_id", "name", "views", "deadline"])
def test_paging_covers_the_whole_catalog_exactly_once(
    client: Any, catalog_engine: Engine, sort: str
) -> None:
    results, total, pages = _all_pages(client, sort=sort, limit=97, status="all")
    ids = [r["service_id"] for r in results]
    assert len(ids) == len(set(ids)) == total == _count(catalog_engine)
    assert pages == -(-total // 97)
    if sort == "views":  # most viewed first, unknown counts last
        views = [r["views"] for r in results]
        known = [v for v in views if v is not None]
        assert known == sorted(known, reverse=True)
        assert views[: len(known)] == known
    if sort == "deadline":
        ends = [r["application_period"]["end"] for r in results]
        dated = [e for e in ends if e is not None]
        assert dated == sorted(dated) and ends[: len(dated)] == dated


def test_a_cursor_only_continues_its_own_query(client: Any) -> None:
    first = client.get("/api/v1/services", params={"limit": 5, "category": "생활안정"}).json()
    cursor = first["next_cursor"]
    other = client.get("/api/v1/services", params={"limit": 5, "cursor": cursor})
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "invalid_cursor"
    assert other.json()["error"]["field"] == "cursor"
    garbage = client.get("/api/v1/services", params={"cursor": "not-a-cursor"})
    assert garbage.status_code == 422 and garbage.json()["error"]["code"] == "invalid_cursor"
    same = client.get(
        "/api/v1/services", params={"limit": 5, "category": "생활안정", "cursor": cursor}
    ).json()
    assert {r["service_id"] for r in same["results"]}.isdisjoint(
        r["service_id"] for r in first["results"]
    )


@pytest.mark.parametrize("limit", [0, 201, -1])
def test_limit_is_bounded(client: Any, limit: int) -> None:
    r = client.get("/api/v1/services", params={"limit": limit})
    assert r.status_code == 422
    assert r.json()["error"] == {
        "code": "invalid_request",
        "message": r.json()["error"]["message"],
        "field": "limit",
    }


def test_region_filter_lists_local_and_nationwide_services(
    client: Any, catalog_engine: Engine
) -> None:
    local, total, _ = _all_pages(
        client, region="서울특별시 종로구", include_nationwide="false", limit=200
    )
    assert total == len(local) > 0
    assert {r["region"]["code"] if r["region"] else None for r in local} <= {"11110", "11"}
    _, both_total, _ = _all_pages(client, region="11110", limit=200)
    nationwide = _count(
        catalog_engine, ServiceRow.region_code.is_(None), ServiceRow.status == "active"
    )
    assert both_total == total + nationwide


def test_unknown_and_ambiguous_regions_are_422_with_suggestions(client: Any) -> None:
    r = client.get("/api/v1/services", params={"region": "중구"})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "ambiguous_region" and err["field"] == "region"
    assert "서울특별시 중구" in err["suggestions"]
    r = client.get("/api/v1/services", params={"region": "없는동네시"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_region"


def test_category_agency_type_support_type_and_user_type_filters(client: Any) -> None:
    rows, _, _ = _all_pages(client, category="임신·출산", limit=200)
    assert rows and all("임신·출산" in r["categories"] for r in rows)

    rows, _, _ = _all_pages(client, agency_type="교육청", limit=200)
    assert rows and all(r["agency"]["type"] == "교육청" for r in rows)

    rows, _, _ = _all_pages(client, support_type="현금", limit=200)
    kinds = {t for r in rows for t in r["support_types"]}
    assert rows and all(
        any(t == "현금" or t.startswith("현금(") for t in r["support_types"]) for r in rows
    )
    assert "현금(융자)" in kinds  # the group matches its sub-kinds

    all_rows, _, _ = _all_pages(client, limit=200)
    business, _, _ = _all_pages(client, user_type="small_business", limit=200)
    assert 0 < len(business) < len(all_rows)
    bad = client.get("/api/v1/services", params={"user_type": "alien"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "user_type.0"


def test_open_now_and_closing_within(client: Any) -> None:
    today = today_kst_now()
    open_rows, _, _ = _all_pages(client, open_now="true", limit=200)
    assert open_rows
    for r in open_rows:
        period = r["application_period"]
        assert period["kind"] in ("always", "period", "until_budget")
        if period["end"]:
            assert date.fromisoformat(period["end"]) >= today
        if period["start"]:
            assert date.fromisoformat(period["start"]) <= today
    closing, _, _ = _all_pages(client, closing_within=60, limit=200)
    for r in closing:
        end = date.fromisoformat(r["application_period"]["end"])
        assert today <= end <= today + timedelta(days=60)


def today_kst_now() -> date:
    from datetime import UTC, datetime

    return today_kst(datetime.now(UTC))


def test_changed_since_in_the_future_is_empty(client: Any) -> None:
    r = client.get("/api/v1/services", params={"changed_since": "2999-01-01T00:00:00Z"})
    assert r.status_code == 200 and r.json()["total"] == 0 and r.json()["results"] == []


def test_service_detail_is_the_contract_record(client: Any, catalog_engine: Engine) -> None:
    first = client.get("/api/v1/services", params={"limit": 1}).json()["results"][0]
    r = client.get(f"/api/v1/services/{first['service_id']}")
    assert r.status_code == 200
    record = r.json()
    for key in CONTRACT_FIELDS:
        assert key in record, key
    assert record["name"] == first["name"]
    assert record["application_period"]["kind"] in {
        "always",
        "period",
        "recurring",
        "until_budget",
        "varies",
        "closed",
        "unknown",
    }


def test_fields_selects_top_level_fields(client: Any) -> None:
    sid = client.get("/api/v1/services", params={"limit": 1}).json()["results"][0]["service_id"]
    r = client.get(f"/api/v1/services/{sid}", params={"fields": "name, agency"})
    assert r.status_code == 200
    assert set(r.json()) == {"service_id", "name", "agency"}
    bad = client.get(f"/api/v1/services/{sid}", params={"fields": "name,salary"})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "unknown_field"
    assert "salary" in bad.json()["error"]["message"]


def test_errors_share_one_body(client: Any) -> None:
    cases = [
        (client.get("/api/v1/services/NO-SUCH-ID"), 404, "not_found"),
        (client.get("/api/v1/no-such-resource"), 404, "not_found"),
        (client.delete("/api/v1/services"), 405, "method_not_allowed"),
        (client.get("/api/v1/services", params={"sort": "salary"}), 422, "invalid_request"),
        (client.get("/api/v1/regions", params={"sido": "seoul"}), 422, "invalid_request"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/json")
        body = response.json()
        assert set(body) == {"error"}
        assert body["error"]["code"] == code
        assert body["error"]["message"] and isinstance(body["error"]["message"], str)
        assert "field" in body["error"]
        assert "Traceback" not in response.text


def test_pages_outside_the_api_get_html_errors(client: Any) -> None:
    r = client.get("/no-such-page")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert 'lang="ko"' in r.text and "Traceback" not in r.text


def test_categories_agencies_and_regions(client: Any, catalog_engine: Engine, regions: Any) -> None:
    cats = client.get("/api/v1/categories").json()["results"]
    names = [c["name"] for c in cats]
    assert "임신·출산" in names and len(names) == len(set(names))
    assert [c["count"] for c in cats] == sorted((c["count"] for c in cats), reverse=True)
    births = next(c for c in cats if c["name"] == "임신·출산")
    _, total, _ = _all_pages(client, category="임신·출산", limit=200)
    assert births["count"] == total

    agencies = client.get("/api/v1/agencies", params={"type": "교육청"}).json()["results"]
    assert agencies and all(a["type"] == "교육청" for a in agencies)
    assert sum(a["services"] for a in agencies) == _count(
        catalog_engine, ServiceRow.agency_type == "교육청", ServiceRow.status == "active"
    )

    listed_regions = client.get("/api/v1/regions").json()["results"]
    seoul = next(s for s in listed_regions if s["code"] == "11")
    assert seoul["name"] == "서울특별시"
    assert [s["code"] for s in listed_regions] == [s.code for s in regions.sidos()]
    assert any(g["name"] == "서울특별시 종로구" for g in seoul["sigungu"])
    only = client.get("/api/v1/regions", params={"sido": "26"}).json()["results"]
    assert [s["name"] for s in only] == ["부산광역시"]
