"""Jobs and hooks against a real database: a decision taken twice is written once, a profile
save re-screens at once, dated life events, withdrawn services, consent withdrawal, erasure,
export, retention, the snapshot following profile events, and `alrim notify preview`."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from notify_steps import agency_file, ingest_agency, make_account
from sqlalchemy import Engine, func, select

from alrim.accounts.profiles import remove_profile, save_profile
from alrim.notify.jobs import (
    daily_life_events,
    process_catalog_changes,
    run_due_jobs,
)
from alrim.notify.snapshot import MatchingSnapshot
from alrim.notify.worker import Worker
from alrim.privacy import consent
from alrim.privacy.crypto import Keyring
from alrim.privacy.erasure import erase_person
from alrim.privacy.export import export_person
from alrim.privacy.retention import purge
from alrim.services.catalog import today_kst
from alrim.settings import Settings
from alrim.store.db import session_scope
from alrim.store.notify_tables import MessageRow, NotificationRow

pytestmark = pytest.mark.storage
NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 10:00 KST
SENIOR = {"id": "senior", "name": "어르신 교통비 지원(시험)", "age_min": 65}
ADULT = {"id": "adult", "name": "청년 지원(시험)", "age_min": 19}


def _rows(engine: Engine, **where: str) -> list[NotificationRow]:
    with session_scope(engine) as session:
        query = select(NotificationRow).order_by(NotificationRow.id)
        for name, value in where.items():
            query = query.where(getattr(NotificationRow, name) == value)
        return list(session.scalars(query))


def _count(engine: Engine) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(NotificationRow)) or 0)


def test_a_decision_taken_twice_is_written_once_and_withdrawn_services_are_cancelled(
    engine: Engine, settings: Settings, ring: Keyring, tmp_path: Path
) -> None:
    people = [make_account(engine, ring, f"p{i}@example.kr") for i in range(3)]
    for account_id in people:
        save_profile(engine, account_id, {"birth_date": "1990-01-01", "region": "서울 종로구"})
    path = agency_file(tmp_path, [ADULT])
    ingest_agency(engine, path)
    snapshot = MatchingSnapshot()
    first = process_catalog_changes(engine, settings, NOW, snapshot=snapshot)
    assert first["written"] == 3 and first["profiles"] == 3, first
    # The same changes again (a second worker, a re-run after a crash): nothing new.
    with session_scope(engine) as session:
        from alrim.store.notify_tables import NotifyStateRow

        session.get(NotifyStateRow, "changes").cursor = 0  # type: ignore[union-attr]
    again = process_catalog_changes(engine, settings, NOW, snapshot=snapshot)
    assert again["planned"] == 3 and again["written"] == 0
    assert _count(engine) == 3
    # The service is withdrawn (a complete file without it): what is queued is cancelled.
    (tmp_path / "empty").mkdir()
    empty = agency_file(tmp_path / "empty", [SENIOR]).read_text(encoding="utf-8")
    path.write_text(empty.replace("complete: false", "complete: true"), encoding="utf-8")
    ingest_agency(engine, path)
    result = process_catalog_changes(engine, settings, NOW, snapshot=snapshot)
    assert result["cancelled"] == 3
    assert {r.status for r in _rows(engine, service_id="AG-TEST_NOTIFY-adult")} == {"cancelled"}


def test_saving_a_profile_rescreens_at_once_in_the_same_transaction(
    engine: Engine, settings: Settings, ring: Keyring, tmp_path: Path
) -> None:
    ingest_agency(engine, agency_file(tmp_path, [ADULT, SENIOR]))
    account_id = make_account(
        engine, ring, "save@example.kr", ("account", "matching", "notify_inbox")
    )
    save_profile(engine, account_id, {"birth_date": "1990-01-01", "region": "서울 종로구"})
    rows = _rows(engine, account_id=account_id)
    assert [(r.service_id, r.channel, r.reason) for r in rows] == [
        ("AG-TEST_NOTIFY-adult", "inbox", "profile")
    ]
    # Moving house is a life event: its reason is kept for the wording.
    save_profile(
        engine,
        account_id,
        {
            "birth_date": "1950-01-01",
            "region": "서울 종로구",
            "moved_in_date": datetime.now(UTC).date().isoformat(),
        },
    )
    senior = _rows(engine, service_id="AG-TEST_NOTIFY-senior")
    assert [r.reason for r in senior] == ["moved"]
    assert len(_rows(engine, account_id=account_id)) == 2  # the adult one is not repeated


def test_a_65th_birthday_makes_the_daily_job_tell_about_senior_services(
    engine: Engine, settings: Settings, ring: Keyring, tmp_path: Path
) -> None:
    ingest_agency(engine, agency_file(tmp_path, [SENIOR]))
    turning = make_account(engine, ring, "turning@example.kr")
    younger = make_account(engine, ring, "younger@example.kr")
    # Profiles are matched on save against the real clock, so the dates follow it.
    event_day = today_kst(datetime.now(UTC)) + timedelta(days=1)
    if (event_day.month, event_day.day) == (2, 29):
        event_day += timedelta(days=1)
    turning_birth = event_day.replace(year=event_day.year - 65).isoformat()
    younger_birth = event_day.replace(year=event_day.year - 64).isoformat()
    save_profile(engine, turning, {"birth_date": turning_birth, "region": "서울 종로구"})
    save_profile(engine, younger, {"birth_date": younger_birth, "region": "서울 종로구"})
    assert _count(engine) == 0  # 64 today
    birthday = datetime.combine(event_day, time(1, 0), tzinfo=UTC)  # 10:00 KST
    result = daily_life_events(engine, settings, birthday, snapshot=MatchingSnapshot())
    assert result["people"] >= 1
    rows = _rows(engine)
    assert [(r.account_id, r.reason) for r in rows] == [(turning, "birthday:65")]


def test_consent_withdrawal_erasure_export_and_retention(
    engine: Engine, settings: Settings, ring: Keyring, tmp_path: Path
) -> None:
    ingest_agency(engine, agency_file(tmp_path, [ADULT]))
    account_id = make_account(
        engine, ring, "priv@example.kr", ("account", "matching", "notify_email", "notify_inbox")
    )
    save_profile(engine, account_id, {"birth_date": "1990-01-01", "region": "서울 종로구"})
    assert {r.channel for r in _rows(engine)} == {"email", "inbox"}
    consent.withdraw(engine, account_id, "notify_email")
    assert {(r.channel, r.status) for r in _rows(engine)} == {
        ("email", "cancelled"),
        ("inbox", "queued"),
    }

    soon = datetime.now(UTC) + timedelta(minutes=1)  # the save used the real clock
    Worker(engine, settings, jobs=False, clock=lambda: soon).run_once()
    exported = export_person(engine, account_id)["notifications"]
    assert exported["preferences"]["mode"] == "digest"
    assert {n["status"] for n in exported["notifications"]} == {"cancelled", "sent"}

    # Retention: after 90 days the delivered message goes; a bare row keeps "told once".
    purge(engine, soon + timedelta(days=91), settings)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(MessageRow)) == 0
    remaining = _rows(engine)
    assert [(r.channel, r.status, r.payload, r.message_id) for r in remaining] == [
        ("inbox", "sent", {}, None)
    ]
    remove_profile(engine, account_id)
    save_profile(engine, account_id, {"birth_date": "1990-01-01", "region": "서울 종로구"})
    assert len(_rows(engine)) == 1  # still not told twice

    counts = erase_person(engine, account_id)
    assert counts["notifications"] >= 1 and _count(engine) == 0


def test_snapshot_follows_saves_and_removals(engine: Engine, ring: Keyring) -> None:
    a = make_account(engine, ring, "a@example.kr")
    b = make_account(engine, ring, "b@example.kr")
    save_profile(engine, a, {"age": 30})
    snapshot = MatchingSnapshot()
    snapshot.build(engine)
    assert snapshot.frame["person_id"].to_list() == [a]
    save_profile(engine, b, {"age": 40})
    save_profile(engine, a, {"age": 31})
    assert snapshot.refresh(engine) == 2
    ages = dict(
        zip(snapshot.frame["person_id"].to_list(), snapshot.frame["age"].to_list(), strict=True)
    )
    assert ages == {a: 31, b: 40}
    consent.withdraw(engine, a, "matching")  # removes the profile
    snapshot.refresh(engine)
    assert snapshot.frame["person_id"].to_list() == [b]


def test_scheduled_jobs_run_once_per_slot(engine: Engine, settings: Settings) -> None:
    first = run_due_jobs(engine, settings, NOW)
    assert set(first) == {"changes", "daily", "reminders", "purge"}  # ingest is off
    assert run_due_jobs(engine, settings, NOW + timedelta(minutes=1)) == {}
    later = run_due_jobs(engine, settings, NOW + timedelta(minutes=5))
    assert set(later) == {"changes"}


def test_preview_counts_without_names(
    engine: Engine,
    settings: Settings,
    ring: Keyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    from alrim.cli import app

    (service_id,) = ingest_agency(engine, agency_file(tmp_path, [ADULT])).changed_ids["new"]
    for i, born in enumerate(("1990-01-01", "1991-01-01", "2015-01-01")):
        account_id = make_account(engine, ring, f"v{i}@example.kr")
        save_profile(engine, account_id, {"birth_date": born, "region": "서울 종로구"})
    monkeypatch.setattr("alrim.cli.notify.engine", lambda: engine)
    monkeypatch.setattr("alrim.settings.get_settings", lambda: settings)
    result = CliRunner().invoke(app, ["notify", "preview", "--service", service_id, "--json"])
    assert result.exit_code == 0, result.output
    assert '"eligible": 2' in result.output and '"email": 2' in result.output
    assert "@example.kr" not in result.output


def test_contact_details_follow_a_key_rotation(engine: Engine, ring: Keyring) -> None:
    from alrim.notify.preferences import phone_of, save_preferences, webhook_of
    from alrim.privacy.crypto import Key
    from alrim.privacy.keys import using_keyring
    from alrim.privacy.rotation import pending, reencrypt

    account_id = make_account(engine, ring, "rot@example.kr")
    save_preferences(
        engine,
        ring,
        account_id,
        mode="digest",
        categories=[],
        quiet_start=None,
        quiet_end=None,
        phone="010-2222-3333",
        webhook_url="https://partner.example/hook",
    )
    both = Keyring([Key.generate("next"), *ring.keys])
    with using_keyring(both):
        assert pending(engine, both) >= 4  # e-mail + phone + webhook URL + secret
        reencrypt(engine, both)
        assert pending(engine, both) == 0
    newest = Keyring([both.primary])
    with session_scope(engine) as session:
        assert phone_of(session, newest, account_id) == "01022223333"
        hook = webhook_of(session, newest, account_id)
    assert hook is not None and hook[0] == "https://partner.example/hook"
