"""What messages say: Korean subjects for one notification or a digest, links, no answers."""

from __future__ import annotations

from alrim.notify.render import (
    ServiceInfo,
    kakao_variables,
    make_item,
    render_email,
    render_sms,
    subject_of,
    webhook_body,
)

BASE = "https://alrim.example"
RENT = ServiceInfo("S1", "청년 월세 지원", "서울특별시")
CARE = ServiceInfo("S2", "어르신 돌봄 서비스", "종로구")


def test_single_and_digest_subjects() -> None:
    one = [make_item(1, RENT, "eligible", "catalog_new", {}, BASE)]
    assert subject_of(one) == "[알림] ‘청년 월세 지원’ 서비스를 받을 수 있어요"
    two = [
        *one,
        make_item(2, CARE, "closes_d7", "period", {"days_left": 7, "note": "곧 마감"}, BASE),
    ]
    assert subject_of(two) == "[알림] 오늘의 알림 2건: ‘청년 월세 지원’ 외 1건"
    assert two[1].headline == "‘어르신 돌봄 서비스’ 신청 마감이 7일 남았어요"


def test_email_lists_every_item_with_links_and_the_unsubscribe_link() -> None:
    items = [
        make_item(1, RENT, "eligible", "birthday:65", {}, BASE),
        make_item(2, CARE, "maybe", "catalog_new", {}, BASE),
    ]
    subject, text, html = render_email(
        items, base_url=BASE, unsubscribe_url=f"{BASE}/notify/unsubscribe/t"
    )
    assert "만 65세가 되셨어요" in text
    assert "받을 수도 있어요" in text and "정보가 더 있으면" in text
    assert f"{BASE}/services/S1" in text and f"{BASE}/services/S2" in html
    assert "이메일 알림 그만 받기: https://alrim.example/notify/unsubscribe/t" in text
    assert "<script" not in html and subject in html


def test_html_escapes_service_text() -> None:
    evil = ServiceInfo("S3", "<b>굵게</b>", "기관")
    _, _, html = render_email(
        [make_item(1, evil, "eligible", "profile", {}, BASE)], base_url=BASE, unsubscribe_url="u"
    )
    assert "<b>굵게</b>" not in html and "&lt;b&gt;" in html


def test_sms_webhook_and_kakao_forms() -> None:
    items = [
        make_item(1, RENT, "closes_d1", "period", {}, BASE),
        make_item(2, CARE, "eligible", "profile", {}, BASE),
    ]
    sms = render_sms(items, BASE)
    assert sms.startswith("[알림] 새 소식 2건") and sms.endswith("/account/inbox")
    body = webhook_body("k", "acct", items, "2026-11-25T10:00:00+09:00")
    assert [n["service_id"] for n in body["notifications"]] == ["S1", "S2"] and body["id"] == "k"
    assert kakao_variables(items)["서비스명"] == "청년 월세 지원 외 1건"
