"""Steps a person takes in a browser, shared by the account tests."""

from __future__ import annotations

import re
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response


class Mailbox:
    """What the SMTP server received, parsed."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def last_link(self, address: str, path: str) -> str:
        """The path+query of the last link to `path` mailed to `address`."""
        for message in reversed(self.to(address)):
            body = message.get_body(("plain",))
            assert body is not None
            found = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"\S*)", body.get_content())
            if found:
                return found.group(1)
        raise AssertionError(f"no mail to {address} with a link to {path}")


PASSWORD = "긴 비밀번호 correct horse 42"


def csrf(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_up(
    client: TestClient,
    email: str,
    password: str = PASSWORD,
    consents: tuple[str, ...] = ("account", "matching"),
) -> Response:
    token = csrf(client, "/account/signup")
    return client.post(
        "/account/signup",
        data={
            "csrf_token": token,
            "email": email,
            "password": password,
            "password_confirm": password,
            "consent": list(consents),
        },
    )


def verify_from_mail(client: TestClient, mailbox: Mailbox, email: str) -> Response:
    link = mailbox.last_link(email, "/account/verify")
    token = re.search(r"token=([^&\s]+)", link)
    assert token
    form_token = csrf(client, link)
    return client.post("/account/verify", data={"csrf_token": form_token, "token": token.group(1)})


def log_in(client: TestClient, email: str, password: str = PASSWORD) -> Response:
    token = csrf(client, "/account/login")
    return client.post(
        "/account/login",
        data={"csrf_token": token, "email": email, "password": password},
        follow_redirects=False,
    )


def register(client: TestClient, mailbox: Mailbox, email: str, password: str = PASSWORD) -> None:
    """Sign up, verify from the mail, and log in."""
    assert sign_up(client, email, password).status_code == 200
    assert verify_from_mail(client, mailbox, email).status_code == 200
    assert log_in(client, email, password).status_code == 303


def give_visitor_answers(client: TestClient, settings: Any, profile: dict[str, Any]) -> None:
    """Put questionnaire answers in the visitor's signed session, as the web pages keep them
    (key ``"profile"``, contract §1 JSON)."""
    import json
    from base64 import b64encode

    from itsdangerous import TimestampSigner

    from alrim.web import SESSION_COOKIE, session_secret

    payload = b64encode(json.dumps({"profile": profile}).encode("utf-8"))
    signed = TimestampSigner(session_secret(settings)).sign(payload).decode("utf-8")
    set_cookie(client, SESSION_COOKIE, signed)


def set_cookie(client: TestClient, name: str, value: str) -> None:
    """Replace a cookie the way the browser holds it (one cookie per name)."""
    for cookie in list(client.cookies.jar):
        if cookie.name == name:
            client.cookies.jar.clear(cookie.domain, cookie.path, cookie.name)
    client.cookies.set(name, value, domain="testserver.local", path="/")
