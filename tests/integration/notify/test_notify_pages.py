"""The notification pages: settings (channels are consents; phone stored encrypted), the inbox
(read/unread), the unsubscribe landing page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from account_steps import csrf, log_in
from fastapi.testclient import TestClient
from notify_steps import agency_file, ingest_agency
from sqlalchemy import Engine, select

from alrim.accounts.profiles import save_profile
from alrim.notify.preferences import get_preferences, phone_of
from alrim.notify.unsubscribe import make_token
from alrim.notify.worker import Worker
from alrim.privacy import consent
from alrim.privacy.crypto import Keyring
from alrim.settings import Settings
from alrim.store.db import session_scope
from alrim.store.notify_tables import PreferenceRow

pytestmark = pytest.mark.storage


@pytest.fixture
def sms_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "sms_provider": "solapi",
            "solapi_api_key": "k",
            "solapi_api_secret": "s",
            "sms_sender": "0212345678",
        }
    )


@pytest.fixture
def client(engine: Engine, sms_settings: Settings) -> Iterator[TestClient]:
    from alrim.api.app import create_app

    with TestClient(create_app(sms_settings, engine), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def citizen(engine: Engine, client: TestClient) -> str:
    from alrim.accounts.service import create_staff

    account, _ = create_staff(engine, "me@example.kr", "긴 비밀번호 correct horse 42", "citizen")
    consent.grant(engine, account.id, "matching")
    assert log_in(client, "me@example.kr").status_code == 303
    return account.id


def _save(client: TestClient, **data: object) -> object:
    return client.post(
        "/account/notifications",
        data={"csrf_token": csrf(client, "/account/notifications"), **data},
    )


def test_pages_need_a_login(client: TestClient) -> None:
    for path in ("/account/notifications", "/account/inbox"):
        page = client.get(path, follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/account/login")


def test_settings_turn_channels_into_consents_and_keep_the_phone_encrypted(
    client: TestClient, engine: Engine, citizen: str, ring: Keyring
) -> None:
    page = client.get("/account/notifications")
    assert "문자·알림톡" in page.text and "방해 금지 시간" in page.text
    missing = _save(client, channel=["sms"], mode="digest")
    assert missing.status_code == 422 and "휴대전화 번호" in missing.text  # type: ignore[attr-defined]
    saved = _save(
        client,
        channel=["sms", "inbox"],
        phone="010-1234-5678",
        mode="immediate",
        quiet_start="22",
        quiet_end="7",
        maybe="1",
    )
    assert saved.status_code == 200 and "저장했어요" in saved.text  # type: ignore[attr-defined]
    assert consent.has_consent(engine, citizen, "notify_sms")
    assert consent.has_consent(engine, citizen, "notify_maybe")
    assert not consent.has_consent(engine, citizen, "notify_email")
    prefs = get_preferences(engine, citizen)
    assert (prefs.mode, prefs.quiet_start, prefs.quiet_end, prefs.has_phone) == (
        "immediate",
        22,
        7,
        True,
    )
    with session_scope(engine) as session:
        blob = session.scalars(select(PreferenceRow.phone_enc)).one()
        assert blob is not None and b"1234" not in blob
        assert phone_of(session, ring, citizen) == "01012345678"
    bad_quiet = _save(client, channel=["inbox"], mode="digest", quiet_start="22")
    assert bad_quiet.status_code == 422  # type: ignore[attr-defined]


def test_inbox_shows_new_notifications_and_marks_them_read(
    client: TestClient, engine: Engine, citizen: str, settings: Settings, tmp_path: Path
) -> None:
    ingest_agency(engine, agency_file(tmp_path, [{"id": "x", "name": "알림함 시험 서비스"}]))
    _save(client, channel=["inbox"], mode="digest")
    save_profile(engine, citizen, {"birth_date": "1990-01-01", "region": "서울 종로구"})
    soon = datetime.now(UTC) + timedelta(minutes=1)
    Worker(engine, settings, jobs=False, clock=lambda: soon).run_once()
    inbox = client.get("/account/inbox")
    assert "‘알림함 시험 서비스’ 서비스를 받을 수 있어요" in inbox.text
    assert "읽지 않은 알림이 1건" in inbox.text
    client.post("/account/inbox/read", data={"csrf_token": csrf(client, "/account/inbox")})
    assert "새 알림이 없어요" in client.get("/account/inbox").text


def test_unsubscribe_landing_page_and_bad_links(
    client: TestClient, engine: Engine, citizen: str, ring: Keyring
) -> None:
    consent.grant(engine, citizen, "notify_email")
    token = make_token(ring, citizen, "email")
    landing = client.get(f"/notify/unsubscribe/{token}")
    assert landing.status_code == 200 and "이메일 알림 그만 받기" in landing.text
    assert consent.has_consent(engine, citizen, "notify_email")  # a GET changes nothing
    done = client.post(f"/notify/unsubscribe/{token}")
    assert done.status_code == 200 and "그만 보낼게요" in done.text
    assert not consent.has_consent(engine, citizen, "notify_email")
    assert client.get("/notify/unsubscribe/forged.email.0000").status_code == 404
    assert client.post(f"/notify/unsubscribe/{token[:-1]}x").status_code == 404
