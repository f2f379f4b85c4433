"""The one interface every channel implements, and the message it is handed.

A channel opens a `ChannelSession` per batch (one SMTP connection for many e-mails), sends
`Outgoing` messages one by one and says what happened in a `SendResult`. After a crash,
`reconcile` tells which of the messages a dead worker may have handed over really arrived:
a set of message keys (definite), or None when the channel cannot tell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Outgoing:
    key: str  # the message's stable key (Message-ID, webhook id, SMS custom field)
    channel: str
    account_id: str
    to: str | None  # e-mail address, phone number or webhook URL
    subject: str
    text: str
    html: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)  # structured body (webhook, 알림톡)
    secret: str | None = None  # webhook signing secret


@dataclass(frozen=True, slots=True)
class SendResult:
    ok: bool
    response: dict[str, Any] = field(default_factory=dict)  # what the provider said
    error: str | None = None
    # The provider may have taken the message although we saw an error (timeout, connection
    # lost mid-way): reconcile before sending it again.
    in_doubt: bool = False

    @classmethod
    def sent(cls, **response: Any) -> SendResult:
        return cls(True, dict(response))

    @classmethod
    def failed(cls, error: str, *, in_doubt: bool = False, **response: Any) -> SendResult:
        return cls(False, dict(response), error[:2000], in_doubt)


class ChannelSession(Protocol):
    def send(self, message: Outgoing) -> SendResult: ...

    def close(self) -> None: ...


class Channel(Protocol):
    name: str

    def open(self) -> ChannelSession: ...

    def reconcile(self, keys: Sequence[str]) -> set[str] | None: ...
