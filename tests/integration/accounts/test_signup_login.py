"""Sign-up, e-mail verification, login, logout, CSRF and cookies, as a person meets them."""

from __future__ import annotations

import pytest
from account_steps import (
    PASSWORD,
    Mailbox,
    csrf,
    log_in,
    register,
    set_cookie,
    sign_up,
    verify_from_mail,
)
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from alrim.store.accounts_tables import AccountRow, SessionRow
from alrim.store.db import session_scope

pytestmark = pytest.mark.storage


def test_sign_up_verify_and_log_in(client: TestClient, mailbox: Mailbox) -> None:
    page = sign_up(client, "minji@example.kr")
    assert page.status_code == 200
    assert "메일을 확인해 주세요" in page.text
    assert len(mailbox.to("minji@example.kr")) == 1
    # Not usable before the address is verified; the login says why and re-sends the link.
    refused = log_in(client, "minji@example.kr")
    assert refused.status_code == 401
    assert "이메일 인증" in refused.text
    assert len(mailbox.to("minji@example.kr")) == 2

    verified = verify_from_mail(client, mailbox, "minji@example.kr")
    assert "이메일 인증을 마쳤어요" in verified.text
    response = log_in(client, "minji@example.kr")
    assert response.status_code == 303
    assert response.headers["location"] == "/account"
    account = client.get("/account")
    assert account.status_code == 200
    assert "minji@example.kr" in account.text


def test_verification_link_works_once(client: TestClient, mailbox: Mailbox) -> None:
    sign_up(client, "once@example.kr")
    assert "이메일 인증을 마쳤어요" in verify_from_mail(client, mailbox, "once@example.kr").text
    again = verify_from_mail(client, mailbox, "once@example.kr")
    assert again.status_code == 400


def test_sign_up_requires_the_required_consent(client: TestClient, mailbox: Mailbox) -> None:
    response = sign_up(client, "noconsent@example.kr", consents=("matching",))
    assert response.status_code == 422
    assert "필수 항목" in response.text
    assert mailbox.to("noconsent@example.kr") == []


def test_weak_password_and_bad_email_are_explained(client: TestClient) -> None:
    short = sign_up(client, "short@example.kr", password="abc")
    assert short.status_code == 422 and "10자 이상" in short.text
    bad = sign_up(client, "not-an-address")
    assert bad.status_code == 422 and "이메일 주소 형식" in bad.text


def test_signing_up_twice_reveals_nothing(client: TestClient, mailbox: Mailbox) -> None:
    register(client, mailbox, "taken@example.kr")
    client.cookies.clear()
    first_page = sign_up(client, "fresh@example.kr").text
    second_page = sign_up(client, "taken@example.kr").text

    def body(html: str) -> str:
        return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]

    assert body(first_page) == body(second_page)
    notice = mailbox.to("taken@example.kr")[-1]
    assert "이미 가입된" in notice["Subject"]
    # The owner's password still works: the second sign-up changed nothing.
    assert log_in(client, "taken@example.kr").status_code == 303


def test_wrong_password_and_unknown_address_get_the_same_answer(
    client: TestClient, mailbox: Mailbox
) -> None:
    register(client, mailbox, "real@example.kr")
    client.cookies.clear()
    wrong = log_in(client, "real@example.kr", "wrong password 123")
    unknown = log_in(client, "nobody@example.kr", "wrong password 123")
    assert wrong.status_code == unknown.status_code == 401
    assert "이메일 주소나 비밀번호가 맞지 않아요" in wrong.text
    assert "이메일 주소나 비밀번호가 맞지 않아요" in unknown.text
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_repeated_failures_lock_the_address_even_for_the_right_password(
    client: TestClient, mailbox: Mailbox
) -> None:
    register(client, mailbox, "target@example.kr")
    client.cookies.clear()
    for _ in range(5):
        assert log_in(client, "target@example.kr", "guess guess 1234").status_code == 401
    locked = log_in(client, "target@example.kr", PASSWORD)
    assert locked.status_code == 401
    assert "15분 뒤" in locked.text
    # The same lock applies to an address without an account (nothing to learn from it).
    for _ in range(5):
        log_in(client, "ghost@example.kr", "guess guess 1234")
    assert "15분 뒤" in log_in(client, "ghost@example.kr", "guess guess 1234").text


def test_posts_without_the_csrf_token_are_refused(client: TestClient, mailbox: Mailbox) -> None:
    csrf(client, "/account/login")  # the visitor has a session and a token
    no_token = client.post("/account/login", data={"email": "a@example.kr", "password": PASSWORD})
    assert no_token.status_code == 403
    forged = client.post(
        "/account/signup",
        data={
            "csrf_token": "forged-token-from-another-site-000000",
            "email": "victim@example.kr",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "consent": ["account"],
        },
    )
    assert forged.status_code == 403
    assert mailbox.to("victim@example.kr") == []
    register(client, mailbox, "csrf@example.kr")
    no_token_logout = client.post("/account/logout", follow_redirects=False)
    assert no_token_logout.status_code == 403
    assert client.get("/account").status_code == 200  # still logged in


def test_session_cookie_flags_and_rotation(
    client: TestClient, mailbox: Mailbox, engine: Engine
) -> None:
    register(client, mailbox, "cookie@example.kr")
    first = client.cookies.get("alrim_auth")
    assert first
    response = log_in(client, "cookie@example.kr")
    header = response.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header and "secure" not in header
    second = client.cookies.get("alrim_auth")
    assert second and second != first
    with session_scope(engine) as session:
        # the session the old cookie named is gone; the token itself is not stored
        assert session.scalar(select(func.count()).select_from(SessionRow)) == 1
        stored = session.scalars(select(SessionRow.token_hash)).all()
        assert second not in stored
    set_cookie(client, "alrim_auth", first)
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_secure_cookie_when_served_over_https(
    engine: Engine,
    settings,
    mailbox: Mailbox,  # type: ignore[no-untyped-def]
) -> None:
    from alrim.api.app import create_app

    https = settings.model_copy(update={"public_base_url": "https://alrim.example"})
    with TestClient(create_app(https, engine), base_url="https://testserver") as secure_client:
        register(secure_client, mailbox, "tls@example.kr")
        response = log_in(secure_client, "tls@example.kr")
        assert "secure" in response.headers["set-cookie"].lower()


def test_logout_ends_the_session(client: TestClient, mailbox: Mailbox, engine: Engine) -> None:
    register(client, mailbox, "bye@example.kr")
    token = csrf(client, "/account")
    response = client.post("/account/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/account", follow_redirects=False).status_code == 303
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(SessionRow)) == 0


def test_email_is_stored_encrypted(client: TestClient, mailbox: Mailbox, engine: Engine) -> None:
    register(client, mailbox, "secret.address@example.kr")
    with session_scope(engine) as session:
        row = session.scalars(select(AccountRow)).one()
        assert b"secret.address" not in row.email_enc
        assert "secret" not in row.email_index
