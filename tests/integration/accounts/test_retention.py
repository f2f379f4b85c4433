"""Retention: `purge(engine, now)` removes what has outlived its purpose and calls the
registered purgers (the notification tables' message retention)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from account_steps import PASSWORD, Mailbox, register, sign_up
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from alrim.privacy import retention
from alrim.settings import Settings
from alrim.store.accounts_tables import AccountRow, AccountTokenRow, SessionRow
from alrim.store.base import utcnow
from alrim.store.db import session_scope

pytestmark = pytest.mark.storage


def _count(engine: Engine, table: Any) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_purge_removes_expired_data_and_calls_registered_purgers(
    client: TestClient, mailbox: Mailbox, engine: Engine, settings: Settings
) -> None:
    register(client, mailbox, "active@example.kr")  # verified, logged in
    client.cookies.clear()
    sign_up(client, "never-verified@example.kr", PASSWORD)
    assert _count(engine, AccountRow) == 2
    seen: list[tuple[datetime, int]] = []

    def messages(session: Any, now: datetime, s: Settings) -> int:
        seen.append((now, s.message_retention_days))
        return 7

    retention.register_purger("messages", messages)
    try:
        soon = retention.purge(engine, utcnow(), settings)
        assert soon["account_sessions"] == 0 and soon["pending_accounts"] == 0
        assert soon["account_tokens"] == 1  # the used verification token
        later = utcnow() + timedelta(days=15)
        counts = retention.purge(engine, later, settings)
    finally:
        retention._purgers.pop("messages")
    assert counts["account_sessions"] == 1
    assert counts["pending_accounts"] == 1
    assert counts["messages"] == 7
    assert seen[-1] == (later, 90)
    assert _count(engine, AccountRow) == 1
    assert _count(engine, SessionRow) == 0
    assert _count(engine, AccountTokenRow) == 0
