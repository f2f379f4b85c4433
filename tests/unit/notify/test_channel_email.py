"""E-mail channel against a real SMTP server (aiosmtpd): MIME parts, Korean headers, RFC 8058
one-click unsubscribe headers, one session for many messages, refusals, reconciliation."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from alrim.notify.channels.base import Outgoing
from alrim.notify.channels.email import EmailChannel, message_id, unsubscribe_headers

SENDER = "알림 <noreply@alrim.example>"


class Server:
    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.sessions: set[int] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.startswith("nobody@"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.sessions.add(id(session))
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp() -> Any:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = Server()
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    server.port = port  # type: ignore[attr-defined]
    yield server
    controller.stop()


def _message(key: str, to: str) -> Outgoing:
    url = "https://alrim.example/notify/unsubscribe/abc.email.0123"
    return Outgoing(
        key,
        "email",
        "acct",
        to,
        "[알림] ‘청년 월세 지원’ 서비스를 받을 수 있어요",
        "본문이에요.\n자세히 보기: https://alrim.example/services/S1",
        "<p>본문이에요.</p>",
        unsubscribe_headers(url),
    )


def test_korean_mail_with_both_parts_and_one_click_headers(smtp: Any) -> None:
    session = EmailChannel("127.0.0.1", smtp.port, SENDER).open()
    result = session.send(_message("k1", "hong@example.kr"))
    session.close()
    assert result.ok, result.error
    (mail,) = smtp.messages
    assert str(mail["Subject"]) == "[알림] ‘청년 월세 지원’ 서비스를 받을 수 있어요"
    assert mail["From"].addresses[0].display_name == "알림"
    assert mail["Message-ID"] == message_id("k1", "alrim.example") == "<alrim.k1@alrim.example>"
    assert mail["List-Unsubscribe"] == "<https://alrim.example/notify/unsubscribe/abc.email.0123>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "본문이에요" in mail.get_body(("plain",)).get_content()
    assert "<p>본문이에요.</p>" in mail.get_body(("html",)).get_content()


def test_many_messages_share_one_session_and_a_refusal_does_not_break_it(smtp: Any) -> None:
    session = EmailChannel("127.0.0.1", smtp.port, SENDER).open()
    results = [session.send(_message(f"k{i}", f"p{i}@example.kr")) for i in range(5)]
    refused = session.send(_message("bad", "nobody@example.kr"))
    after = session.send(_message("k9", "p9@example.kr"))
    session.close()
    assert all(r.ok for r in results) and after.ok
    assert not refused.ok and "550" in (refused.error or "") and not refused.in_doubt
    assert len(smtp.sessions) == 1 and len(smtp.messages) == 6


def test_unreachable_server_is_a_failure_not_a_crash() -> None:
    session = EmailChannel("127.0.0.1", 9, SENDER, timeout=1).open()
    result = session.send(_message("k1", "hong@example.kr"))
    assert not result.ok and "connect" in (result.error or "")


def test_reconcile_reads_the_accept_log(tmp_path: Path) -> None:
    log = tmp_path / "accept.log"
    channel = EmailChannel("127.0.0.1", 25, SENDER, accept_log=log)
    assert channel.reconcile(["a"]) == set()  # no log yet: nothing was accepted
    log.write_text("accepted <alrim.a@alrim.example>\nrefused <alrim.b@alrim.example>\n")
    assert channel.reconcile(["a", "b", "c"]) == {"a"}
    assert EmailChannel("127.0.0.1", 25, SENDER).reconcile(["a"]) is None  # cannot tell
