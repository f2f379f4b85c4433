"""The in-app inbox: delivery is the database itself — a message marked sent is what the
person's inbox page shows (read/unread kept per notification)."""

from __future__ import annotations

from collections.abc import Sequence

from alrim.notify.channels.base import Outgoing, SendResult


class InboxSession:
    def send(self, message: Outgoing) -> SendResult:
        return SendResult.sent(inbox=True)

    def close(self) -> None:
        return None


class InboxChannel:
    name = "inbox"

    def open(self) -> InboxSession:
        return InboxSession()

    def reconcile(self, keys: Sequence[str]) -> set[str] | None:
        return set(keys)  # nothing leaves the database: "handed over" is "delivered"
