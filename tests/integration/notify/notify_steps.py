"""Shared steps for the notification tests: a real SMTP server (aiosmtpd) that records what it
took — and, like a relay's log, appends ``accepted <Message-ID>`` before answering 250 — plus
quick ways to make accounts, profiles and catalog services."""

from __future__ import annotations

import asyncio
import secrets
import socket
import threading
from collections import Counter
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import Engine

from alrim.accounts.identity import email_index, encrypt_email
from alrim.privacy import consent
from alrim.privacy.crypto import Keyring
from alrim.store.accounts_tables import AccountRow
from alrim.store.base import utcnow
from alrim.store.db import session_scope


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class MailServer:
    """What the SMTP server received. `refuse` addresses get 550; `slow` ones never answer
    RCPT in time (the client times out)."""

    def __init__(self, accept_log: Path | None = None) -> None:
        self.port = free_port()
        self.accept_log = accept_log
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()
        self.slow: set[str] = set()
        self.slow_seconds = 3.0
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    def start(self) -> MailServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        if address in self.slow:
            await asyncio.sleep(self.slow_seconds)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            if self.accept_log is not None:
                with self.accept_log.open("a", encoding="utf-8") as log:
                    log.write(f"accepted {message['Message-ID']}\n")
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def message_ids(self) -> Counter[str]:
        return Counter(str(m["Message-ID"]) for m in self.messages)


def make_account(
    engine: Engine,
    ring: Keyring,
    email: str,
    purposes: tuple[str, ...] = ("account", "matching", "notify_email"),
    *,
    account_id: str | None = None,
) -> str:
    account_id = account_id or secrets.token_hex(16)
    now = utcnow()
    with session_scope(engine) as session:
        session.add(
            AccountRow(
                id=account_id,
                email_enc=encrypt_email(ring, account_id, email),
                email_index=email_index(ring, email),
                role="citizen",
                status="active",
                password_hash="-",
                created_at=now,
                verified_at=now,
                password_changed_at=now,
            )
        )
        session.flush()
        for purpose in purposes:
            consent.record(session, account_id, purpose, True, source="signup", at=now)
    return account_id


AGENCY_TEMPLATE = """\
format: alrim-agency/1
published_at: 2026-11-20
complete: false
publisher:
  name: 알림시험공사
  type: 지방공기업
  code: TEST_NOTIFY
  region: 서울특별시
services:
{services}
"""

SERVICE_TEMPLATE = """\
  - id: {id}
    name: {name}
    summary: 시험용 서비스예요.
    categories: [{category}]
    support_types: [현금]
    target: 서울특별시 거주 만 {age_min}세 이상
    benefit: 월 10만 원
    how_to_apply: 온라인 신청
    contact: 시험팀 / 02-000-0000
    application_period: {period}
    user_types: [individual]
    region: 서울특별시
    conditions:
      age_min: {age_min}
      age_max: {age_max}
"""


def agency_file(tmp: Path, services: list[dict[str, Any]], name: str = "agency.yaml") -> Path:
    body = "".join(
        SERVICE_TEMPLATE.format(
            id=s["id"],
            name=s["name"],
            period=s.get("period", "상시"),
            category=s.get("category", "생활안정"),
            age_min=s.get("age_min", 19),
            age_max=s.get("age_max", 120),
        )
        for s in services
    )
    path = tmp / name
    path.write_text(AGENCY_TEMPLATE.format(services=body), encoding="utf-8")
    return path


def ingest_agency(engine: Engine, path: Path) -> Any:
    from alrim.catalog.sources.registry import open_source
    from alrim.services.ingest import ingest

    return ingest(engine, open_source("agency", path=path))
