"""The SMTP server refusing (5xx) or timing out: retried with backoff, then dead-lettered and
shown in the administrators' view, while the other notifications keep flowing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from account_steps import PASSWORD, csrf, log_in
from fastapi.testclient import TestClient
from notify_steps import MailServer, agency_file, ingest_agency, make_account
from sqlalchemy import Engine, select

from alrim.notify.outbox import write_candidates
from alrim.notify.preferences import reach_table
from alrim.notify.triggers import Candidate
from alrim.notify.worker import Worker
from alrim.privacy.crypto import Keyring
from alrim.settings import Settings
from alrim.store.db import session_scope
from alrim.store.notify_tables import MessageRow

pytestmark = pytest.mark.storage
T0 = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def _queue(engine: Engine, settings: Settings, service_id: str, *accounts: str) -> None:
    from alrim.notify.preferences import save_preferences
    from alrim.privacy.keys import keyring

    for account_id in accounts:
        save_preferences(
            engine,
            keyring(),
            account_id,
            mode="immediate",
            categories=[],
            quiet_start=None,
            quiet_end=None,
        )
    reach = reach_table(engine, settings)
    with session_scope(engine) as session:
        write_candidates(
            session,
            [Candidate(a, service_id, "eligible", "once", "catalog_new") for a in accounts],
            reach,
            T0,
            digest_hour=9,
        )


def _status(engine: Engine) -> dict[str, tuple[str, int, str | None]]:
    with session_scope(engine) as session:
        return {
            r.account_id: (r.status, r.attempts, r.last_error)
            for r in session.scalars(select(MessageRow))
        }


@pytest.fixture
def client(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    from alrim.api.app import create_app

    with TestClient(create_app(settings, engine), base_url="http://testserver") as test_client:
        yield test_client


def test_refused_and_timed_out_mail_is_retried_then_dead_lettered_while_others_flow(
    engine: Engine,
    settings: Settings,
    mail: MailServer,
    ring: Keyring,
    tmp_path: Path,
    client: TestClient,
) -> None:
    (service_id,) = ingest_agency(
        engine, agency_file(tmp_path, [{"id": "s", "name": "시험 서비스"}])
    ).changed_ids["new"]
    ok = make_account(engine, ring, "ok@example.kr")
    refused = make_account(engine, ring, "refuse@example.kr")
    slow = make_account(engine, ring, "slow@example.kr")
    mail.refuse.add("refuse@example.kr")
    mail.slow.add("slow@example.kr")
    _queue(engine, settings, service_id, ok, refused, slow)

    clock = {"now": T0}
    worker = Worker(engine, settings, jobs=False, clock=lambda: clock["now"])
    first = worker.run_once()
    assert (first.sent, first.failed) == (1, 2)
    status = _status(engine)
    assert status[ok][0] == "sent"
    assert status[refused][:2] == ("queued", 1) and "550" in (status[refused][2] or "")
    assert status[slow][:2] == ("queued", 1) and "connection lost" in (status[slow][2] or "")

    # Not yet due again (backoff), while a new notification goes straight through.
    later = make_account(engine, ring, "later@example.kr")
    _queue(engine, settings, service_id, later)
    clock["now"] = T0 + timedelta(seconds=5)
    assert worker.run_once().sent == 1
    assert _status(engine)[refused][:2] == ("queued", 1)

    # Retried with growing delays, then dead after the third try.
    for hours in (1, 3):
        clock["now"] = T0 + timedelta(hours=hours)
        worker.run_once()
    status = _status(engine)
    assert status[refused][:2] == ("dead", 3) and status[slow][:2] == ("dead", 3)
    assert [m["To"] for m in mail.messages] == ["ok@example.kr", "later@example.kr"]

    # The administrators see them (ids, channel, tries, error — no address) and can retry.
    from alrim.accounts.service import create_staff

    create_staff(engine, "admin@example.kr", PASSWORD, "admin")
    assert log_in(client, "admin@example.kr").status_code == 303
    page = client.get("/admin/notifications")
    assert page.status_code == 200
    assert "550" in page.text and "connection lost" in page.text
    assert "refuse@example.kr" not in page.text
    with session_scope(engine) as session:
        dead_id = session.scalars(
            select(MessageRow.id).where(MessageRow.account_id == refused)
        ).one()
    retried = client.post(
        "/admin/notifications/retry",
        data={"csrf_token": csrf(client, "/admin/notifications"), "id": str(dead_id)},
    )
    assert retried.status_code == 200 and "1건을 다시 보내도록" in retried.text
    assert _status(engine)[refused][:2] == ("queued", 0)


def test_citizens_cannot_see_dead_letters(
    engine: Engine, settings: Settings, client: TestClient, ring: Keyring
) -> None:
    from alrim.accounts.service import create_staff

    create_staff(engine, "staff@example.kr", PASSWORD, "staff")
    assert log_in(client, "staff@example.kr").status_code == 303
    assert client.get("/admin/notifications").status_code == 403
