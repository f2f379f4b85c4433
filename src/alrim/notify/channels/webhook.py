"""Webhooks for partner apps and 주민센터 systems: a JSON POST signed with HMAC-SHA256.

Headers: ``X-Alrim-Id`` (the message key — also ``Idempotency-Key``: a receiver that keeps the
ids it has processed gets every message exactly once, retries included), ``X-Alrim-Timestamp``
(Unix seconds) and ``X-Alrim-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>``.
A receiver recomputes the signature over the raw body and refuses timestamps older than a few
minutes (`verify` does both). Any 2xx is success; anything else, or no answer, is retried.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Sequence

import httpx

from alrim.notify.channels.base import Outgoing, SendResult

SIGNATURE_HEADER = "X-Alrim-Signature"
TIMESTAMP_HEADER = "X-Alrim-Timestamp"
ID_HEADER = "X-Alrim-Id"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def verify(
    secret: str,
    body: bytes,
    timestamp: str,
    signature: str,
    *,
    now: float | None = None,
    tolerance: int = 300,
) -> bool:
    """What a receiver does: check the signature and that the timestamp is recent."""
    if not timestamp.isdigit():
        return False
    ts = int(timestamp)
    if abs((now if now is not None else time.time()) - ts) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, ts, body), signature)


class WebhookSession:
    def __init__(self, channel: WebhookChannel) -> None:
        self.channel = channel
        self.client = httpx.Client(timeout=channel.timeout, follow_redirects=False)

    def send(self, message: Outgoing) -> SendResult:
        if not message.to or not message.secret:
            return SendResult.failed("no webhook configured for this account")
        body = json.dumps(message.data, ensure_ascii=False, separators=(",", ":")).encode()
        ts = int(self.channel.clock())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "alrim-webhook/1",
            ID_HEADER: message.key,
            "Idempotency-Key": message.key,
            TIMESTAMP_HEADER: str(ts),
            SIGNATURE_HEADER: sign(message.secret, ts, body),
        }
        try:
            response = self.client.post(message.to, content=body, headers=headers)
        except httpx.TimeoutException:
            return SendResult.failed("webhook timed out", in_doubt=True)
        except httpx.HTTPError as exc:
            return SendResult.failed(f"webhook unreachable: {type(exc).__name__}")
        if 200 <= response.status_code < 300:
            return SendResult.sent(status=response.status_code)
        return SendResult.failed(
            f"webhook answered HTTP {response.status_code}", status=response.status_code
        )

    def close(self) -> None:
        self.client.close()


class WebhookChannel:
    name = "webhook"

    def __init__(self, *, timeout: float = 10.0, clock: Callable[[], float] = time.time) -> None:
        self.timeout = timeout
        self.clock = clock

    def open(self) -> WebhookSession:
        return WebhookSession(self)

    def reconcile(self, keys: Sequence[str]) -> set[str] | None:
        # Receivers deduplicate on X-Alrim-Id, so sending again is the safe answer.
        return set()
