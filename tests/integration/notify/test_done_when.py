"""The issue's "done when", end to end: a citizen signs up, saves answers, chooses e-mail, and
receives a real e-mail when a service they can get is added to the catalog, then a reminder 7
days before it closes; one click in the mail unsubscribes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from account_steps import Mailbox, csrf, give_visitor_answers, log_in, sign_up
from fastapi.testclient import TestClient
from notify_steps import MailServer, agency_file, ingest_agency
from sqlalchemy import Engine

from alrim.notify.jobs import process_catalog_changes, send_reminders
from alrim.notify.worker import Worker
from alrim.privacy import consent
from alrim.settings import Settings

pytestmark = pytest.mark.storage

EMAIL = "citizen@example.kr"
ANSWERS = {"birth_date": "1990-05-01", "region": "서울 종로구", "household_size": 1}
# 2026-11-25 10:00 KST: the service closes on 2026-12-02, 7 days later.
NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
SERVICE = {"id": "rent", "name": "청년 월세 지원(시험)", "period": "2026.11.20~2026.12.02"}


class _Box(Mailbox):
    """The account tests' mailbox API over our SMTP server's messages."""

    def __init__(self, server: MailServer) -> None:
        super().__init__(server.port)
        self.messages = server.messages


@pytest.fixture
def client(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    from alrim.api.app import create_app

    with TestClient(create_app(settings, engine), base_url="http://testserver") as test_client:
        yield test_client


def _sign_up_and_save_answers(client: TestClient, mail: MailServer, settings: Settings) -> None:
    box = _Box(mail)
    signed = sign_up(client, EMAIL, consents=("account", "matching", "notify_email"))
    assert signed.status_code == 200
    link = box.last_link(EMAIL, "/account/verify")
    token = re.search(r"token=([^&\s]+)", link)
    assert token
    verified = client.post(
        "/account/verify", data={"csrf_token": csrf(client, link), "token": token.group(1)}
    )
    assert verified.status_code == 200
    assert log_in(client, EMAIL).status_code == 303
    give_visitor_answers(client, settings, ANSWERS)
    saved = client.post("/account/profile/save", data={"csrf_token": csrf(client, "/account")})
    assert "답변을 저장했어요" in saved.text


def _notifications_to(mail: MailServer) -> list:  # type: ignore[type-arg]
    return [m for m in mail.to(EMAIL) if m["List-Unsubscribe"]]  # not the account mails


def test_citizen_is_told_about_a_new_service_reminded_and_unsubscribes_in_one_click(
    client: TestClient, engine: Engine, settings: Settings, mail: MailServer, tmp_path: Path
) -> None:
    _sign_up_and_save_answers(client, mail, settings)
    # The e-mail channel is chosen on the settings page: immediate delivery.
    page = csrf(client, "/account/notifications")
    saved = client.post(
        "/account/notifications",
        data={"csrf_token": page, "channel": ["email", "inbox"], "mode": "immediate"},
    )
    assert saved.status_code == 200 and "알림 설정을 저장했어요" in saved.text

    # A service they can get is added to the catalog (an ingest) …
    report = ingest_agency(engine, agency_file(tmp_path, [SERVICE]))
    (service_id,) = report.changed_ids["new"]
    decided = process_catalog_changes(engine, settings, NOW)
    assert decided["written"] >= 1, decided
    worker = Worker(engine, settings, jobs=False, clock=lambda: NOW)
    assert worker.run_once().sent >= 1
    first = _notifications_to(mail)
    assert len(first) == 1, [str(m["Subject"]) for m in first]
    assert "청년 월세 지원(시험)" in str(first[0]["Subject"]) and "받을 수 있어요" in str(
        first[0]["Subject"]
    )
    body = first[0].get_body(("plain",))
    assert body is not None and f"/services/{service_id}" in body.get_content()
    assert first[0].get_body(("html",)) is not None

    # … and a reminder 7 days before it closes (the daily reminders job).
    send_reminders(engine, settings, NOW)
    worker.run_once()
    second = _notifications_to(mail)
    assert len(second) == 2
    assert "마감이 7일 남았어요" in str(second[1]["Subject"])
    assert "영업일 기준" in second[1].get_body(("plain",)).get_content()  # type: ignore[union-attr]

    # Running the jobs again tells nothing twice.
    process_catalog_changes(engine, settings, NOW)
    send_reminders(engine, settings, NOW)
    worker.run_once()
    assert len(_notifications_to(mail)) == 2

    # One click: the mail client POSTs to the List-Unsubscribe URL (RFC 8058), no cookies.
    assert second[1]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.search(r"<(https?://[^>]+)>", str(second[1]["List-Unsubscribe"]))
    assert url
    with TestClient(client.app, base_url="http://testserver") as mail_client:
        clicked = mail_client.post(
            urlsplit(url.group(1)).path,
            content=b"List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert clicked.status_code == 200 and "그만 보낼게요" in clicked.text
    from sqlalchemy import select

    from alrim.store.accounts_tables import AccountRow
    from alrim.store.db import session_scope

    with session_scope(engine) as session:
        account_id = session.scalars(select(AccountRow.id)).one()
    assert not consent.has_consent(engine, account_id, "notify_email")

    # A D-1 reminder the next day goes to the inbox only, no more e-mail.
    later = NOW + timedelta(days=6)
    send_reminders(engine, settings, later)
    Worker(engine, settings, jobs=False, clock=lambda: later).run_once()
    assert len(_notifications_to(mail)) == 2
    inbox = client.get("/account/inbox")
    assert "곧 마감돼요" in inbox.text and "새 알림" in inbox.text
