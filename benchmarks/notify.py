"""Notification benchmark: a new service whose audience is 1,000,000 stored profiles, and
delivery throughput to a local SMTP server.

Setup (not timed): N people (default 1,000,000), each an account with an encrypted e-mail
address, the e-mail notification consent and an encrypted stored profile (AES-GCM, as the
accounts module stores them); all live in 서울, are adults, and so are in the audience of the
new service that is then ingested.

Printed figures:
- audience + outbox, cold: decrypt every stored profile into the matching snapshot, judge the
  service over it with the vectorised evaluator, write one outbox row per person (one
  transaction, insert-or-ignore) — the whole `process_catalog_changes` job;
- the same, warm: the worker's snapshot already in memory (the steady state);
- baseline: the naive way — per person, load + decrypt + parse the profile and ask the
  per-person engine — timed on a subset and scaled to N;
- delivery: one worker sending M messages (default 3,000) to an SMTP server in another
  process, one SMTP session per batch, messages/s.
Set ALRIM_DATABASE_URL to a PostgreSQL URL to measure that backend.

Run: .venv/bin/python benchmarks/notify.py [--people 1000000] [--messages 3000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import machine, peak_rss_mb, timed

AGENCY_YAML = """\
format: alrim-agency/1
published_at: 2026-11-20
complete: false
publisher: {{name: 알림성능시험공사, type: 지방공기업, code: PERF, region: 서울특별시}}
services:
  - id: {id}
    name: 서울 성인 생활 지원(성능 시험)
    summary: 성능 시험용 서비스예요.
    categories: [생활안정]
    support_types: [현금]
    target: 만 19세 이상
    benefit: 월 10만 원
    how_to_apply: 온라인 신청
    contact: 시험팀 / 02-000-0000
    application_period: 상시
    user_types: [individual]
    region: 서울특별시
"""
SEOUL = ["11110", "11140", "11170", "11200", "11215", "11230", "11260", "11290", "11305", "11680"]
NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def _profile(rng: random.Random) -> dict[str, Any]:
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 66))
    profile: dict[str, Any] = {
        "birth_date": born.isoformat(),
        "sex": rng.choice(["male", "female"]),
        "region": rng.choice(SEOUL),
        "household_size": rng.randint(1, 5),
        "household_income_monthly": rng.randrange(0, 9_000_000, 10_000),
    }
    if rng.random() < 0.3:
        profile["children_birth_dates"] = [
            (date(2008, 1, 1) + timedelta(days=rng.randrange(0, 6500))).isoformat()
        ]
    if rng.random() < 0.2:
        profile["statuses"] = ["employee"]
    return profile


def populate(url: str, people: int, seed: int = 1) -> None:
    """People with encrypted e-mail, consent and encrypted profile (bulk, not timed)."""
    from alrim.accounts.identity import email_index, encrypt_email
    from alrim.accounts.profiles import encode
    from alrim.privacy.keys import keyring
    from alrim.services.catalog import setup_database
    from alrim.store.accounts_tables import AccountRow, ConsentRow, ProfileRow
    from alrim.store.db import make_engine
    from alrim.store.notify_tables import table_of

    engine = make_engine(url)
    setup_database(engine)
    ring = keyring()
    rng = random.Random(seed)
    now = datetime.now(UTC)
    chunk = 50_000
    for start in range(0, people, chunk):
        accounts, consents, profiles = [], [], []
        for i in range(start, min(people, start + chunk)):
            account_id = f"{i:08d}" + secrets.token_hex(12)
            email = f"p{i}@example.kr"
            accounts.append(
                {
                    "id": account_id,
                    "email_enc": encrypt_email(ring, account_id, email),
                    "email_index": email_index(ring, email),
                    "role": "citizen",
                    "status": "active",
                    "password_hash": "-",
                    "created_at": now,
                    "password_changed_at": now,
                }
            )
            for purpose in ("matching", "notify_email"):
                consents.append(
                    {
                        "account_id": account_id,
                        "purpose": purpose,
                        "granted": True,
                        "wording_version": "bench",
                        "wording_hash": "-",
                        "source": "signup",
                        "recorded_at": now,
                    }
                )
            profiles.append(
                {
                    "account_id": account_id,
                    "profile_enc": encode(ring, account_id, _profile(rng)),
                    "version": 1,
                    "updated_at": now,
                }
            )
        with engine.begin() as connection:
            connection.execute(table_of(AccountRow).insert(), accounts)
            connection.execute(table_of(ConsentRow).insert(), consents)
            connection.execute(table_of(ProfileRow).insert(), profiles)
    engine.dispose()


def add_service(url: str, workdir: Path, name: str) -> str:
    from alrim.catalog.sources.registry import open_source
    from alrim.services.ingest import ingest
    from alrim.store.db import make_engine

    path = workdir / f"{name}.yaml"
    path.write_text(AGENCY_YAML.format(id=name), encoding="utf-8")
    engine = make_engine(url)
    (service_id,) = ingest(engine, open_source("agency", path=path)).changed_ids["new"]
    engine.dispose()
    return service_id


def audience_run(url: str, snapshot: Any, settings: Any) -> dict[str, Any]:
    from alrim.notify.jobs import process_catalog_changes
    from alrim.store.db import make_engine

    engine = make_engine(url)
    with timed() as t:
        result = process_catalog_changes(engine, settings, NOW, snapshot=snapshot)
    engine.dispose()
    return {**result, "total_seconds": round(t["seconds"], 2)}


def baseline(url: str, service_id: str, subset: int, people: int) -> dict[str, Any]:
    """The naive per-person loop: load + decrypt + parse each profile, ask the engine."""
    from sqlalchemy import select

    from alrim.accounts.profiles import load_profile
    from alrim.catalog.regions import RegionTable
    from alrim.eligibility.profile_input import parse_profile
    from alrim.notify.jobs import current_eligibility
    from alrim.store.accounts_tables import ProfileRow
    from alrim.store.db import make_engine

    engine = make_engine(url)
    eligibility = current_eligibility(engine)
    regions = RegionTable.default()
    with engine.connect() as connection:
        ids = connection.scalars(select(ProfileRow.account_id).limit(subset)).all()
    eligible = 0
    with timed() as t:
        for account_id in ids:
            data = load_profile(engine, account_id)
            profile = parse_profile(data, regions=regions, today=NOW.date())
            result = eligibility.explain(profile, service_id)
            eligible += int(result is not None and result.status.value == "eligible")
    engine.dispose()
    per = t["seconds"] / max(1, len(ids))
    return {
        "subset": len(ids),
        "seconds": round(t["seconds"], 2),
        "eligible": eligible,
        "scaled_seconds": round(per * people, 1),
    }


def _sink(port: int) -> subprocess.Popen[bytes]:
    code = (
        "import time\n"
        "from aiosmtpd.controller import Controller\n"
        "class H:\n"
        "    async def handle_DATA(self, server, session, envelope):\n"
        "        return '250 OK'\n"
        f"c = Controller(H(), hostname='127.0.0.1', port={port}); c.start()\n"
        "print('ready', flush=True)\n"
        "time.sleep(3600)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.readline()
    return process


def delivery(url: str, messages: int, settings: Any) -> dict[str, Any]:
    """One worker, `messages` e-mails due now, to an SMTP server in another process."""
    from sqlalchemy import func, select, update

    from alrim.notify.worker import Worker
    from alrim.store.db import make_engine, session_scope
    from alrim.store.notify_tables import MessageRow, NotificationRow

    engine = make_engine(url)
    with session_scope(engine) as session:
        first = select(NotificationRow.id).order_by(NotificationRow.id).limit(messages)
        ids = session.scalars(first).all()
        session.execute(
            update(NotificationRow).where(NotificationRow.id.in_(ids)).values(due_at=NOW)
        )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    sink = _sink(port)
    try:
        worker = Worker(
            engine,
            settings.model_copy(update={"smtp_port": port, "notify_batch_size": 200}),
            jobs=False,
            clock=lambda: NOW + timedelta(seconds=1),
        )
        with timed() as t:
            stats = worker.run_once()
    finally:
        sink.kill()
    with session_scope(engine) as session:
        sent = session.scalar(
            select(func.count()).select_from(MessageRow).where(MessageRow.status == "sent")
        )
    engine.dispose()
    return {
        "messages": stats.sent,
        "sent_in_db": int(sent or 0),
        "seconds": round(t["seconds"], 2),
        "per_second": round(stats.sent / t["seconds"], 1) if t["seconds"] else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--baseline", type=int, default=3000)
    args = parser.parse_args()

    from alrim.notify.hooks import install_hooks
    from alrim.notify.snapshot import MatchingSnapshot
    from alrim.privacy.crypto import Key, Keyring
    from alrim.privacy.keys import install_keyring
    from alrim.settings import Settings

    workdir = Path(tempfile.mkdtemp(prefix="alrim-notify-bench-"))
    url = os.environ.get("ALRIM_DATABASE_URL") or f"sqlite:///{workdir / 'bench.db'}"
    install_keyring(Keyring([Key.generate("bench1")]))
    install_hooks()
    settings = Settings(var_dir=workdir, public_base_url="http://bench", notify_digest_hour=9)
    print(f"machine: {machine()}")
    print(f"database: {url.split('://')[0]}")
    with timed() as t:
        populate(url, args.people)
    print(f"setup: {args.people:,} people, encrypted e-mail and profile: {t['seconds']:.0f} s")

    first = add_service(url, workdir, "cold")
    snapshot = MatchingSnapshot()
    cold = audience_run(url, snapshot, settings)
    print(
        f"audience + outbox, cold (decrypt all into the snapshot): {cold['total_seconds']} s — "
        f"snapshot build {snapshot.build_seconds:.1f} s, {cold['profiles']:,} judged, "
        f"{cold['written']:,} outbox rows written"
    )
    add_service(url, workdir, "warm")
    warm = audience_run(url, snapshot, settings)
    print(
        f"audience + outbox, warm (snapshot in memory): {warm['total_seconds']} s — "
        f"{warm['profiles']:,} judged, {warm['written']:,} outbox rows written"
    )
    base = baseline(url, first, args.baseline, args.people)
    print(
        f"baseline, per-person loop: {base['subset']:,} profiles in {base['seconds']} s → "
        f"~{base['scaled_seconds']:,} s for {args.people:,} (audience only, no outbox)"
    )
    sent = delivery(url, args.messages, settings)
    print(
        f"delivery: {sent['messages']:,} e-mails in {sent['seconds']} s = "
        f"{sent['per_second']} messages/s (one worker, one SMTP session per 200)"
    )
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    if url.startswith("sqlite"):
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        json.dumps(
            {"cold": cold, "warm": warm, "baseline": base, "delivery": sent},
            ensure_ascii=False,
            default=str,
        )
    )


if __name__ == "__main__":
    main()
