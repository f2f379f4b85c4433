"""Password reset by e-mail through a real SMTP server: single use, 1 hour, hashed at rest."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from account_steps import PASSWORD, Mailbox, csrf, log_in, register, set_cookie
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from alrim.accounts import service
from alrim.store.accounts_tables import AccountTokenRow
from alrim.store.base import utcnow
from alrim.store.db import session_scope

pytestmark = pytest.mark.storage
NEW_PASSWORD = "새로 정한 비밀번호 9876"


def _request_reset(client: TestClient, email: str) -> str:
    token = csrf(client, "/account/reset")
    response = client.post("/account/reset", data={"csrf_token": token, "email": email})
    assert response.status_code == 200
    return response.text


def _confirm(client: TestClient, link: str, password: str) -> object:
    page = client.get(link)
    token = re.search(r'name="token" value="([^"]+)"', page.text)
    assert token, page.text
    form_token = csrf(client, link)
    return client.post(
        "/account/reset/confirm",
        data={
            "csrf_token": form_token,
            "token": token.group(1),
            "password": password,
            "password_confirm": password,
        },
    )


def test_reset_by_mail_sets_a_new_password_once(
    client: TestClient, mailbox: Mailbox, engine: Engine
) -> None:
    register(client, mailbox, "reset@example.kr")
    client.cookies.clear()
    page = _request_reset(client, "reset@example.kr")
    assert "가입된 주소라면" in page
    mail = mailbox.to("reset@example.kr")[-1]
    assert "비밀번호" in mail["Subject"]
    assert mail.get_body(("html",)) is not None
    link = mailbox.last_link("reset@example.kr", "/account/reset/confirm")
    raw_token = link.split("token=", 1)[1]
    with session_scope(engine) as session:
        stored = session.scalars(
            select(AccountTokenRow.token_hash).where(AccountTokenRow.purpose == "reset")
        ).all()
    assert raw_token not in stored
    assert hashlib.sha256(raw_token.encode()).hexdigest() in stored

    done = _confirm(client, link, NEW_PASSWORD)
    assert "비밀번호를 바꿨어요" in done.text  # type: ignore[attr-defined]
    assert log_in(client, "reset@example.kr", PASSWORD).status_code == 401
    assert log_in(client, "reset@example.kr", NEW_PASSWORD).status_code == 303

    # The same link cannot be used again.
    reused = client.get(link)
    assert reused.status_code == 400
    assert "이미 쓰였어요" in reused.text


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    client: TestClient, mailbox: Mailbox
) -> None:
    register(client, mailbox, "known@example.kr")
    before = len(mailbox.messages)
    known = _request_reset(client, "known@example.kr")
    unknown = _request_reset(client, "unknown@example.kr")

    def body(html: str) -> str:
        return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]

    assert body(known) == body(unknown)
    assert len(mailbox.messages) == before + 1
    assert mailbox.to("unknown@example.kr") == []


def test_reset_link_expires_after_an_hour(
    client: TestClient, mailbox: Mailbox, engine: Engine, settings
) -> None:  # type: ignore[no-untyped-def]
    register(client, mailbox, "late@example.kr")
    issued = utcnow() - timedelta(minutes=61)
    service.request_password_reset(engine, settings, "late@example.kr", now=issued)
    link = mailbox.last_link("late@example.kr", "/account/reset/confirm")
    token = link.split("token=", 1)[1]
    assert client.get(link).status_code == 400
    with pytest.raises(service.AccountError):
        service.reset_password(engine, token, NEW_PASSWORD)
    # within the hour it works
    service.request_password_reset(engine, settings, "late@example.kr", now=utcnow())
    fresh = mailbox.last_link("late@example.kr", "/account/reset/confirm").split("token=", 1)[1]
    assert service.reset_password(engine, fresh, NEW_PASSWORD)


def test_a_newer_reset_link_replaces_the_older(
    client: TestClient, mailbox: Mailbox, engine: Engine, settings
) -> None:  # type: ignore[no-untyped-def]
    register(client, mailbox, "twice@example.kr")
    service.request_password_reset(engine, settings, "twice@example.kr")
    old = mailbox.last_link("twice@example.kr", "/account/reset/confirm").split("token=", 1)[1]
    service.request_password_reset(engine, settings, "twice@example.kr")
    with pytest.raises(service.AccountError):
        service.reset_password(engine, old, NEW_PASSWORD)


def test_reset_logs_out_every_other_session(client: TestClient, mailbox: Mailbox) -> None:
    register(client, mailbox, "stolen@example.kr")
    assert client.get("/account").status_code == 200
    attacker_cookie = client.cookies.get("alrim_auth")
    _request_reset(client, "stolen@example.kr")
    _confirm(client, mailbox.last_link("stolen@example.kr", "/account/reset/confirm"), NEW_PASSWORD)
    client.cookies.clear()
    set_cookie(client, "alrim_auth", attacker_cookie or "")
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_smtp_server_down_is_told_plainly(client: TestClient, settings, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    from alrim.accounts.mail import MailError

    down = settings.model_copy(update={"smtp_port": 1})
    with pytest.raises(MailError):
        service.sign_up(engine, down, "down@example.kr", PASSWORD, ["account"])


def test_reset_mails_are_throttled_per_account(
    client: TestClient, mailbox: Mailbox, engine: Engine, settings
) -> None:  # type: ignore[no-untyped-def]
    register(client, mailbox, "flood@example.kr")
    before = len(mailbox.to("flood@example.kr"))
    for _ in range(6):
        service.request_password_reset(engine, settings, "flood@example.kr")
    assert len(mailbox.to("flood@example.kr")) == before + service.MAX_RESET_MAILS
    later = utcnow() + timedelta(minutes=16)
    service.request_password_reset(engine, settings, "flood@example.kr", now=later)
    assert len(mailbox.to("flood@example.kr")) == before + service.MAX_RESET_MAILS + 1
