"""Every web route through the real app (TestClient) over the bundled catalog."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from web_helpers import answer, csrf_of, question_of  # type: ignore[import-not-found]

pytestmark = pytest.mark.storage

SERVICE_ID = "000000465790"  # 유아학비 (누리과정) 지원, nationwide


def test_home_offers_search_life_events_and_categories(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="ko">' in html
    assert "이 누리집은 대한민국 공식 전자정부 누리집입니다" in html
    assert 'href="#main"' in html and 'id="main"' in html  # skip link and its target
    for label in ("임신·출산", "육아", "취업", "창업·폐업", "이사·전입", "노후", "장애", "주거"):
        assert label in html
    assert 'href="/services?category=' in html
    counts = [int(n.replace(",", "")) for n in re.findall(r"서비스 ([\d,]+)개", html)]
    assert len(counts) == 10 and sum(counts) > 0
    assert "아무것도 저장하지 않아요" in html


@pytest.mark.parametrize(
    "path",
    [
        "/static/krds/css/component/output.css",
        "/static/krds/fonts/PretendardGOV-Regular.subset.woff2",
        "/static/htmx/htmx.min.js",
        "/static/web/alrim.css",
        "/static/web/alrim.js",
    ],
)
def test_static_assets_are_served(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 200


def test_search_finds_services_by_korean_words(client: TestClient) -> None:
    page = client.get("/search", params={"q": "출산"})
    assert page.status_code == 200
    links = re.findall(r'href="/services/([^"]+)" class="alrim-card-link">([^<]+)<', page.text)
    assert links, "no result cards"
    assert any("출산" in name or "임신" in name for _, name in links)


def test_search_without_query_shows_only_the_form(client: TestClient) -> None:
    page = client.get("/search")
    assert page.status_code == 200
    assert 'name="q"' in page.text and "alrim-card-link" not in page.text


def test_search_with_nothing_found_says_so_and_suggests(client: TestClient) -> None:
    page = client.get("/search", params={"q": "쀍쀍쀍"})
    assert page.status_code == 200
    assert "찾지 못했어요" in page.text


def test_life_event_lists_related_services(client: TestClient) -> None:
    page = client.get("/life/pregnancy")
    assert page.status_code == 200
    names = re.findall(r'class="alrim-card-link">([^<]+)<', page.text)
    assert names and any("임신" in n or "출산" in n or "산모" in n for n in names)


def test_unknown_life_event_is_a_friendly_404(client: TestClient) -> None:
    page = client.get("/life/nothing")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "없어요" in page.text and "Traceback" not in page.text


def test_category_listing_paginates_by_popularity(client: TestClient) -> None:
    first = client.get("/services", params={"category": "생활안정"})
    second = client.get("/services", params={"category": "생활안정", "page": 2})
    assert first.status_code == second.status_code == 200
    ids1 = re.findall(r'id="card-([^"]+)"', first.text)
    ids2 = re.findall(r'id="card-([^"]+)"', second.text)
    assert len(ids1) == 20 and ids2 and not set(ids1) & set(ids2)
    assert 'aria-current="page"' in first.text and "page=2" in first.text


def test_unknown_category_is_a_404_page(client: TestClient) -> None:
    assert client.get("/services", params={"category": "없는분야"}).status_code == 404


def test_service_page_has_every_contract_section(client: TestClient) -> None:
    page = client.get(f"/services/{SERVICE_ID}")
    assert page.status_code == 200
    html = page.text
    for heading in ("지원대상", "선정기준", "지원내용", "신청방법", "구비서류", "문의처", "법령"):
        assert f">{heading}</h2>" in html
    assert "유아학비" in html
    assert "마지막 변경" in html and "출처" in html
    assert "신청하러 가기" in html or "원문 보기" in html
    assert "받을 수 있는지 확인하기" in html  # no answers yet: an invitation, no verdict


def test_unknown_service_is_a_friendly_404(client: TestClient) -> None:
    page = client.get("/services/NO-SUCH-SERVICE")
    assert page.status_code == 404
    assert "찾으시는 서비스가 없거나" in page.text
    assert '<html lang="ko">' in page.text


def test_unknown_page_is_html_not_json(client: TestClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404
    if "application/json" in page.headers["content-type"]:
        pytest.skip("the API error handler does not yet hand non-/api errors to the web")
    assert "찾으시는 페이지가 없어요" in page.text


def test_sigungu_fragment_lists_only_that_sido(client: TestClient) -> None:
    page = client.get("/regions/sigungu", params={"sido": "12"})
    assert page.status_code == 200
    assert "목포시" in page.text and "종로구" not in page.text
    assert '<label for="sigungu">' in page.text


def test_session_cookie_is_httponly_lax_and_ends_with_the_browser(client: TestClient) -> None:
    page = client.get("/questions")
    cookie = page.headers.get("set-cookie", "")
    assert cookie.startswith("alrim_session=")
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "max-age" not in cookie.lower() and "expires" not in cookie.lower()


# ── the questionnaire ───────────────────────────────────────────────────────────────────


def test_questionnaire_asks_one_question_with_a_skip_button(client: TestClient) -> None:
    page = client.get("/questions")
    assert page.status_code == 200
    assert question_of(page.text) is not None
    assert "잘 모르겠어요" in page.text and 'href="/results"' in page.text
    assert "<progress" in page.text
    assert "저장하지 않아요" in page.text


@pytest.mark.parametrize("path", ["/questions", "/receiving"])
def test_posts_without_the_csrf_token_are_rejected(client: TestClient, path: str) -> None:
    client.get("/questions")  # a session exists, but the form is forged
    response = client.post(path, data={"action": "reset", "service_id": SERVICE_ID})
    assert response.status_code == 403
    assert "text/html" in response.headers["content-type"]
    forged = client.post(path, data={"csrf_token": "x" * 43, "service_id": SERVICE_ID})
    assert forged.status_code == 403


def test_answering_moves_on_and_the_answer_is_kept(client: TestClient) -> None:
    status, where = answer(client, "region", {"region_query": "서울 종로구"})
    assert (status, where) == (303, "/questions")
    following = question_of(client.get("/questions").text)
    assert following is None or following[0] != "region"
    # the answer shows in the service page's own check
    page = client.get(f"/services/{SERVICE_ID}")
    assert "나도 받을 수 있을까요?" in page.text and "verdict-" in page.text


def test_region_by_selects_without_javascript(client: TestClient) -> None:
    status, _ = answer(client, "region", {"sido": "12", "sigungu": "12110"})
    assert status == 303
    page = client.get("/questions", params={"focus": "region"})
    assert question_of(page.text) is None or "region" not in (question_of(page.text) or ("",))[0]


def test_ambiguous_region_is_explained_with_choices(client: TestClient) -> None:
    status, body = answer(client, "region", {"region_query": "중구"})
    assert status == 422
    assert 'name="region_pick"' in body  # 서울 중구, 부산 중구 … offered as buttons
    assert "중구" in body


def test_wrong_number_is_refused_with_a_korean_message(client: TestClient) -> None:
    status, body = answer(client, "household_income_monthly", {"value": "많이"})
    assert status == 422
    assert "숫자만 써 주세요" in body and 'aria-invalid="true"' in body


def test_skip_then_back_asks_the_same_question_again(client: TestClient) -> None:
    first = question_of(client.get("/questions").text)
    assert first is not None
    status, _ = answer(client, first[0], {}, action="skip")
    assert status == 303
    assert question_of(client.get("/questions").text) != first
    page = client.get("/questions")
    back = client.post("/questions", data={"csrf_token": csrf_of(page.text), "action": "back"})
    assert back.status_code == 303
    assert question_of(client.get("/questions").text) == first


def test_reset_forgets_every_answer(client: TestClient) -> None:
    answer(client, "region", {"region_query": "부산 해운대구"})
    page = client.get("/questions")
    assert "답 모두 지우고" in page.text
    client.post("/questions", data={"csrf_token": csrf_of(page.text), "action": "reset"})
    after = client.get("/questions")
    assert "답 모두 지우고" not in after.text


def test_answer_then_results_goes_to_results(client: TestClient) -> None:
    status, where = answer(client, "birth_date", {"value": "1956-05-01"}, action="results")
    assert (status, where) == (303, "/results")


# ── results ─────────────────────────────────────────────────────────────────────────────


def _results(client: TestClient, **params: str | list[str]) -> str:
    page = client.get("/results", params=params)
    assert page.status_code == 200
    return page.text


def _count(html: str, status: str) -> int:
    match = re.search(rf'id="sec-{status}-title"[^>]*>[^<]*<span class="alrim-count">(\d+)개', html)
    assert match, f"no {status} section"
    return int(match.group(1))


def test_results_group_eligible_and_maybe_with_counts(client: TestClient) -> None:
    answer(client, "region", {"region_query": "전라남도 목포시"})
    answer(client, "birth_date", {"value": "1956-05-01"})
    html = _results(client)
    assert "받을 수 있어요" in html and "확인이 필요해요" in html
    assert _count(html, "eligible") + _count(html, "maybe") > 0
    assert 'class="alrim-group-title"' in html
    # a maybe card names the question that would settle it
    assert "/questions?focus=" in html


def _places(html: str) -> list[str]:
    return re.findall(r'<span class="alrim-where">([^<]+)</span>', html)


def test_results_filters_narrow_the_list(client: TestClient) -> None:
    answer(client, "region", {"region_query": "서울 종로구"})
    total = _count(_results(client), "maybe")
    nationwide = _results(client, scope="nationwide", status="maybe", category="생활안정")
    local = _results(client, scope="sigungu", status="maybe", category="생활안정")
    assert _places(nationwide) and set(_places(nationwide)) == {"전국"}
    assert _places(local) and "전국" not in _places(local)
    assert all("종로구" in p for p in _places(local))
    cash = _results(client, type="현금")
    assert 0 < _count(cash, "maybe") < total
    open_now = _count(_results(client, open="1"), "maybe")
    closing = _count(_results(client, closing="1"), "maybe")
    assert closing <= open_now < total


def test_results_sort_by_deadline_puts_soonest_first(client: TestClient) -> None:
    html = _results(client, sort="deadline", status="maybe", category="고용·창업")
    badges = re.findall(r"신청 기간: </span>([^<]+)<", html)
    days = [int(b[2:]) for b in badges if b.startswith("D-")]
    assert days == sorted(days)


def test_category_view_paginates(client: TestClient) -> None:
    html = _results(client, status="maybe", category="생활안정")
    assert len(re.findall(r'id="card-', html)) == 20
    assert "모든 분야 결과로" in html and "page=2" in html


def test_print_view_lists_every_eligible_card_without_filters(client: TestClient) -> None:
    answer(client, "region", {"region_query": "서울 종로구"})
    answer(client, "birth_date", {"value": "1994-03-02"})
    html = _results(client, view="print")
    assert "print-view" in html and 'class="alrim-filters"' not in html
    assert "이미 받고 있어요" not in html
    eligible = html.split('id="sec-eligible"')[1].split('id="sec-maybe"')[0]
    assert len(re.findall(r'id="card-', eligible)) == _count(html, "eligible")


def test_already_receiving_hides_a_service_and_can_be_undone(client: TestClient) -> None:
    answer(client, "region", {"region_query": "서울 종로구"})
    before = _results(client, status="maybe", category="보육·교육")
    assert f'id="card-{SERVICE_ID}"' in before
    hide = client.post(
        "/receiving",
        data={
            "csrf_token": csrf_of(before),
            "service_id": SERVICE_ID,
            "receiving": "1",
            "next": "/results?status=maybe&category=보육·교육",
        },
    )
    assert hide.status_code == 303 and hide.headers["location"].startswith("/results")
    after = _results(client, status="maybe", category="보육·교육")
    assert f'id="card-{SERVICE_ID}"' not in after
    assert "숨긴 서비스" in after
    client.post(
        "/receiving",
        data={"csrf_token": csrf_of(after), "service_id": SERVICE_ID, "receiving": "0"},
    )
    assert f'id="card-{SERVICE_ID}"' in _results(client, status="maybe", category="보육·교육")


def test_receiving_with_htmx_returns_a_fragment(client: TestClient) -> None:
    page = client.get("/results")
    response = client.post(
        "/receiving",
        data={"csrf_token": csrf_of(page.text), "service_id": SERVICE_ID, "name": "유아학비"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text and "숨겼어요" in response.text
    assert "되돌리기" in response.text


def test_receiving_never_redirects_off_site(client: TestClient) -> None:
    page = client.get("/results")
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = client.post(
            "/receiving",
            data={"csrf_token": csrf_of(page.text), "service_id": SERVICE_ID, "next": target},
        )
        assert response.headers["location"] == "/results"


def test_a_long_session_keeps_the_cookie_small(client: TestClient) -> None:
    answers = {
        "region": {"region_query": "서울 종로구"},
        "birth_date": {"value": "1994-03-02"},
        "household_size": {"value": "3"},
        "household_income_monthly": {"value": "420"},
        "statuses": {"values": ["pregnant", "employee"]},
        "household_traits": {"values": ["no_home"]},
    }
    for field, data in answers.items():
        page = client.get("/questions", params={"focus": field})
        found = question_of(page.text)
        if found is None or found[0] != field:
            continue
        client.post("/questions", data={"csrf_token": csrf_of(page.text), "key": found[2], **data})
    page = client.get("/results")
    for i in range(80):  # more than the cap
        client.post(
            "/receiving",
            data={"csrf_token": csrf_of(page.text), "service_id": f"SVC{i:09d}"},
        )
    cookie = client.cookies.get("alrim_session") or ""
    assert 0 < len(cookie) < 4000
