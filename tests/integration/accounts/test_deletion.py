"""Deleting the account really deletes: no row anywhere still names the person."""

from __future__ import annotations

from typing import Any

import pytest
from account_steps import PASSWORD, Mailbox, csrf, log_in, register
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text

from alrim.accounts import profiles, staff
from alrim.accounts.service import create_staff, get_account
from alrim.privacy import erasure
from alrim.store.accounts_tables import AccountRow, AuditRow
from alrim.store.db import session_scope
from alrim.store.models import metadata

pytestmark = pytest.mark.storage


def _rows_naming(engine: Engine, account_id: str) -> dict[str, int]:
    """Rows in any table with a column holding the account id (the audit journal aside)."""
    found: dict[str, int] = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for column in table.columns:
                if column.name in ("account_id", "id", "subject_id") and str(
                    column.type
                ).startswith(("VARCHAR", "String")):
                    n = connection.scalar(
                        select(func.count()).select_from(table).where(column == account_id)
                    )
                    if n:
                        found[f"{table.name}.{column.name}"] = int(n)
    return found


def test_deleting_the_account_erases_everything(
    client: TestClient, mailbox: Mailbox, engine: Engine, settings: Any
) -> None:
    register(client, mailbox, "leaving@example.kr")
    with session_scope(engine) as session:
        account_id = session.scalars(select(AccountRow.id)).one()
    profiles.save_profile(engine, account_id, {"birth_date": "1990-01-01", "region": "11110"})
    admin, _ = create_staff(engine, "clerk@example.kr", "counter desk pass 1234", "staff")
    staff.read_person(engine, admin, account_id, "창구 상담")
    client.post(
        "/account/consents",
        data={"csrf_token": csrf(client, "/account"), "purpose": "notify_email", "action": "grant"},
    )
    erased: list[str] = []
    erasure.register_eraser(lambda session, who: erased.append(who) or 3, name="test.messages")
    try:
        wrong = client.post(
            "/account/delete",
            data={"csrf_token": csrf(client, "/account"), "password": "not my password"},
        )
        assert "비밀번호가 맞지 않아" in wrong.text
        assert get_account(engine, account_id) is not None
        assert _rows_naming(engine, account_id)

        done = client.post(
            "/account/delete",
            data={"csrf_token": csrf(client, "/account"), "password": PASSWORD},
        )
    finally:
        erasure._erasers.pop("test.messages")
    assert "계정을 지웠어요" in done.text
    assert erased == [account_id]  # the notification tables' eraser ran
    remaining = _rows_naming(engine, account_id)
    assert remaining == {"audit_log.subject_id": 1}  # opaque id only, kept by law
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(AccountRow)) == 1  # the clerk
        assert session.scalar(select(func.count()).select_from(AuditRow)) == 1
    assert log_in(client, "leaving@example.kr").status_code == 401
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_the_audit_journal_refuses_changes(engine: Engine) -> None:
    from alrim.privacy import audit

    with session_scope(engine) as session:
        audit.append(
            session,
            actor_id="a" * 32,
            actor_role="staff",
            subject_id="b" * 32,
            action="read_person",
            purpose="창구 상담",
        )
    for statement in ("UPDATE audit_log SET purpose = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    with session_scope(engine) as session:
        assert session.scalar(select(AuditRow.purpose)) == "창구 상담"
