"""Staff reads of a person's data always leave an audit row first; admins see the journal."""

from __future__ import annotations

import pytest
from account_steps import Mailbox, csrf, log_in, register
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text

from alrim.accounts import profiles, staff
from alrim.accounts.service import create_staff, get_account
from alrim.privacy import audit
from alrim.store.accounts_tables import AccountRow, AuditRow
from alrim.store.db import session_scope

pytestmark = pytest.mark.storage
CLERK_PASSWORD = "창구 담당 비밀번호 2026"


@pytest.fixture
def citizen(client: TestClient, mailbox: Mailbox, engine: Engine) -> str:
    register(client, mailbox, "citizen@example.kr")
    client.cookies.clear()
    with session_scope(engine) as session:
        account_id = session.scalars(select(AccountRow.id)).one()
    profiles.save_profile(engine, account_id, {"birth_date": "1950-05-05", "region": "11110"})
    return account_id


def _journal(engine: Engine) -> list[AuditRow]:
    with session_scope(engine) as session:
        return list(session.scalars(select(AuditRow).order_by(AuditRow.id)))


def test_every_staff_read_is_journaled_with_who_whose_what_why(
    engine: Engine, citizen: str
) -> None:
    clerk, created = create_staff(engine, "clerk@example.kr", CLERK_PASSWORD, "staff")
    assert created and clerk.role == "staff"
    found = staff.find_person(engine, clerk, "citizen@example.kr", "주민 요청 창구 상담")
    assert found == citizen
    view = staff.read_person(engine, clerk, citizen, "주민 요청 창구 상담")
    assert view is not None and view.profile is not None
    assert view.profile["birth_date"] == "1950-05-05"
    rows = _journal(engine)
    assert [(r.actor_id, r.subject_id, r.action, r.purpose) for r in rows] == [
        (clerk.id, citizen, "lookup_by_email", "주민 요청 창구 상담"),
        (clerk.id, citizen, "read_person", "주민 요청 창구 상담"),
    ]
    assert view.audit_id == rows[1].id
    # the person sees it in their download (without the clerk's identity)
    from alrim.privacy.export import export_person

    access = export_person(engine, citizen)["staff_access"]
    assert [a["action"] for a in access] == ["read_person", "lookup_by_email"]
    assert all("actor_id" not in a for a in access)


def test_no_staff_read_without_an_audit_row(engine: Engine, citizen: str) -> None:
    """Every public function that returns a person's data to staff fails — and returns
    nothing — when the journal cannot be written, and refuses citizens and empty purposes."""
    clerk, _ = create_staff(engine, "clerk@example.kr", CLERK_PASSWORD, "staff")
    admin, _ = create_staff(engine, "admin@example.kr", CLERK_PASSWORD + "!", "admin")
    me = get_account(engine, citizen)
    assert me is not None
    calls = {
        "find_person": lambda actor, why: staff.find_person(
            engine, actor, "citizen@example.kr", why
        ),
        "read_person": lambda actor, why: staff.read_person(engine, actor, citizen, why),
        "read_audit_journal": lambda actor, why: staff.read_audit_journal(engine, actor),
    }
    for name, call in calls.items():
        with pytest.raises(staff.AccessDenied):
            call(me, "궁금해서 봤어요")
        actor = admin if name == "read_audit_journal" else clerk
        if name != "read_audit_journal":
            with pytest.raises(ValueError):
                call(actor, "  ")
        before = len(_journal(engine))
        call(actor, "주민 요청 창구 상담")
        assert len(_journal(engine)) == before + 1, name

    # With the journal unwritable, no data comes back.
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE audit_log RENAME TO audit_log_off"))
    for name, call in calls.items():
        actor = admin if name == "read_audit_journal" else clerk
        with pytest.raises(Exception) as caught:
            call(actor, "주민 요청 창구 상담")
        assert not isinstance(caught.value, AssertionError), name
    # and nothing listed here reads another person's data without an actor and a purpose
    public = {n for n in dir(staff) if callable(getattr(staff, n)) and not n.startswith("_")}
    readers = {n for n in public if n.startswith(("read_", "find_"))}
    assert readers == set(calls)


def test_counter_page_and_admin_journal(client: TestClient, engine: Engine, citizen: str) -> None:
    create_staff(engine, "clerk@example.kr", CLERK_PASSWORD, "staff")
    create_staff(engine, "admin@example.kr", CLERK_PASSWORD, "admin")
    assert log_in(client, "clerk@example.kr", CLERK_PASSWORD).status_code == 303
    no_reason = client.post(
        "/staff/person",
        data={
            "csrf_token": csrf(client, "/staff/person"),
            "email": "citizen@example.kr",
            "purpose": "",
        },
    )
    assert no_reason.status_code == 422
    assert _journal(engine) == []
    page = client.post(
        "/staff/person",
        data={
            "csrf_token": csrf(client, "/staff/person"),
            "email": "citizen@example.kr",
            "purpose": "창구에서 받을 수 있는 서비스 안내",
        },
    )
    assert page.status_code == 200
    assert "사는 곳" in page.text and "종로구" in page.text
    assert len(_journal(engine)) == 2
    assert client.get("/admin/audit").status_code == 403  # staff is not admin

    client.cookies.clear()
    assert log_in(client, "admin@example.kr", CLERK_PASSWORD).status_code == 303
    journal = client.get("/admin/audit")
    assert journal.status_code == 200
    assert journal.text.count("창구에서 받을 수 있는 서비스 안내") == 2
    assert "주민 정보 보기" in journal.text
    with session_scope(engine) as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(AuditRow)
                .where(AuditRow.action == "read_audit_journal")
            )
            == 1
        )


def test_citizens_cannot_open_staff_pages(
    client: TestClient, mailbox: Mailbox, engine: Engine, citizen: str
) -> None:
    assert log_in(client, "citizen@example.kr").status_code == 303
    assert client.get("/staff/person").status_code == 403
    assert client.get("/admin/audit").status_code == 403
    assert audit.entries(engine) == []
