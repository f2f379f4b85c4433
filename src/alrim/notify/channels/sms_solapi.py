"""SMS / LMS and 카카오 알림톡 through SOLAPI (솔라피, formerly CoolSMS) — its REST API v4.

As documented by the provider:

- Authentication: ``Authorization: HMAC-SHA256 apiKey=<key>, date=<ISO 8601>, salt=<random
  12–64 bytes>, signature=<hex HMAC-SHA256(api secret, date + salt)>``. The server refuses a
  date more than 15 minutes off (``RequestTimeTooSkewed``) and a signature used twice
  (``DuplicatedSignature``), so every request gets a fresh salt.
- Sending: ``POST /messages/v4/send-many/detail`` with ``{"messages": [...]}``; a message is
  ``{"to", "from", "text"}`` plus ``"subject"`` for LMS, or ``"type": "ATA"`` with
  ``"kakaoOptions": {"pfId", "templateId", "variables"}`` for 알림톡 (falling back to SMS
  unless ``disableSms``). ``customFields`` carry our message key.
- Answer: HTTP 200 with ``groupInfo``, ``messageList`` (accepted, each with ``messageId`` and
  ``statusCode``) and ``failedMessageList`` (refused, each with ``statusCode`` and
  ``statusMessage``); other statuses carry ``{"errorCode", "errorMessage"}`` (e.g.
  ``InvalidAPIKey``, ``SignatureDoesNotMatch``, ``ValidationError``).

Off unless ``ALRIM_SMS_PROVIDER=solapi`` with a key, secret and registered sender number.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx

from alrim.notify.channels.base import Outgoing, SendResult

SEND_PATH = "/messages/v4/send-many/detail"
SMS_BYTES = 90  # longer texts go as LMS (EUC-KR bytes, as the provider counts them)


def auth_header(api_key: str, api_secret: str, date: str, salt: str) -> str:
    signature = hmac.new(
        api_secret.encode("utf-8"), (date + salt).encode("utf-8"), hashlib.sha256
    ).hexdigest()
    return f"HMAC-SHA256 apiKey={api_key}, date={date}, salt={salt}, signature={signature}"


def _iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sms_bytes(text: str) -> int:
    return len(text.encode("euc-kr", errors="replace"))


class SolapiSession:
    def __init__(self, channel: SolapiChannel) -> None:
        self.channel = channel
        self.client = httpx.Client(base_url=channel.base_url, timeout=channel.timeout)

    def body(self, message: Outgoing) -> dict[str, Any]:
        c = self.channel
        item: dict[str, Any] = {
            "to": message.to,
            "from": c.sender,
            "text": message.text,
            "customFields": {"alrimKey": message.key},
        }
        if c.pf_id and c.template_id:
            item["type"] = "ATA"
            item["kakaoOptions"] = {
                "pfId": c.pf_id,
                "templateId": c.template_id,
                "variables": {f"#{{{k}}}": str(v) for k, v in message.data.items()},
                "disableSms": False,
            }
        elif sms_bytes(message.text) > SMS_BYTES:
            item["type"] = "LMS"
            item["subject"] = message.subject[:20]
        else:
            item["type"] = "SMS"
        return {"messages": [item]}

    def send(self, message: Outgoing) -> SendResult:
        c = self.channel
        if not message.to:
            return SendResult.failed("no phone number for this account")
        headers = {
            "Authorization": auth_header(c.api_key, c.api_secret, c.clock(), c.salt()),
            "Content-Type": "application/json; charset=utf-8",
        }
        try:
            response = self.client.post(SEND_PATH, json=self.body(message), headers=headers)
        except httpx.TimeoutException:
            return SendResult.failed("SOLAPI timed out", in_doubt=True)
        except httpx.HTTPError as exc:
            return SendResult.failed(f"SOLAPI unreachable: {type(exc).__name__}")
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code != 200:
            code = str(data.get("errorCode", response.status_code))
            return SendResult.failed(
                f"SOLAPI {code}: {str(data.get('errorMessage', ''))[:300]}",
                in_doubt=response.status_code >= 500,
                errorCode=code,
                status=response.status_code,
            )
        failed = data.get("failedMessageList") or []
        if failed:
            first = failed[0]
            return SendResult.failed(
                f"SOLAPI refused: {first.get('statusCode')} {first.get('statusMessage', '')}",
                statusCode=str(first.get("statusCode")),
            )
        accepted = data.get("messageList") or []
        group = data.get("groupInfo") or {}
        first = accepted[0] if accepted else {}
        return SendResult.sent(
            groupId=group.get("groupId"),
            messageId=first.get("messageId"),
            statusCode=first.get("statusCode"),
        )

    def close(self) -> None:
        self.client.close()


class SolapiChannel:
    name = "sms"

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        api_secret: str,
        sender: str,
        pf_id: str | None = None,
        template_id: str | None = None,
        timeout: float = 10.0,
        clock: Callable[[], str] = _iso_now,
        salt: Callable[[], str] = lambda: secrets.token_hex(16),
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key, self.api_secret, self.sender = api_key, api_secret, sender
        self.pf_id, self.template_id = pf_id, template_id
        self.timeout, self.clock, self.salt = timeout, clock, salt

    def open(self) -> SolapiSession:
        return SolapiSession(self)

    def reconcile(self, keys: Sequence[str]) -> set[str] | None:
        return None  # not looked up: the in-doubt policy decides
