"""Webhook channel: HMAC-SHA256-signed JSON with a timestamp, checked by a real local receiver."""

from __future__ import annotations

import time

from http_fixture import Seen, local_server

from alrim.notify.channels.base import Outgoing
from alrim.notify.channels.webhook import WebhookChannel, sign, verify

SECRET = "s3cret-for-tests"


def _message(url: str) -> Outgoing:
    data = {"id": "k1", "notifications": [{"service_id": "S1", "headline": "받을 수 있어요"}]}
    return Outgoing("k1", "webhook", "acct", url, "제목", "제목", data=data, secret=SECRET)


def test_receiver_verifies_signature_and_timestamp() -> None:
    def receiver(seen: Seen) -> tuple[int, None]:
        ok = verify(
            SECRET, seen.body, seen.headers["x-alrim-timestamp"], seen.headers["x-alrim-signature"]
        )
        return (204 if ok else 401), None

    with local_server(receiver) as server:
        session = WebhookChannel().open()
        result = session.send(_message(server.url + "/hook"))
        session.close()
    assert result.ok, result.error
    seen = server.requests[0]
    assert seen.headers["x-alrim-id"] == "k1" == seen.headers["idempotency-key"]
    assert seen.json()["notifications"][0]["service_id"] == "S1"
    assert "받을 수 있어요" in seen.body.decode("utf-8")  # UTF-8 JSON, not escaped


def test_tampered_body_or_old_timestamp_fail_verification() -> None:
    ts = int(time.time())
    body = b'{"a":1}'
    signature = sign(SECRET, ts, body)
    assert verify(SECRET, body, str(ts), signature)
    assert not verify(SECRET, b'{"a":2}', str(ts), signature)
    assert not verify("other", body, str(ts), signature)
    assert not verify(SECRET, body, str(ts - 3600), sign(SECRET, ts - 3600, body))


def test_non_2xx_is_a_failure_to_retry_and_unreachable_too() -> None:
    with local_server(lambda seen: (503, {"error": "busy"})) as server:
        session = WebhookChannel(timeout=2).open()
        result = session.send(_message(server.url))
        session.close()
    assert not result.ok and "503" in (result.error or "")
    session = WebhookChannel(timeout=1).open()
    refused = session.send(_message("http://127.0.0.1:9/"))
    assert not refused.ok
    assert WebhookChannel().reconcile(["k1"]) == set()  # receivers deduplicate: resend
