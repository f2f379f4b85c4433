"""Crash test of the notification worker: SIGKILL at random points, exactly-once to SMTP.

5,000 e-mail notifications (one per person) are queued. A worker process is started and,
as soon as the SMTP server has taken a message from it, killed with SIGKILL after a random
0–250 ms — mid-batch, mid-SMTP-session, between the server's 250 and the database commit,
wherever it happens to be. That is repeated (20 times by default); then a last worker runs to
the end. The SMTP server (aiosmtpd, in this process) records every message it takes and, like
a relay's delivery log, appends ``accepted <Message-ID>`` before it answers 250.

Checked: every notification reached the SMTP server exactly once (none lost, none
duplicated: one message per Message-ID, one per person) and the outbox says ``sent`` for all.
`tests/integration/notify/test_crash_exactly_once.py` runs this in CI.

Run: .venv/bin/python benchmarks/notify_crash.py [--n 5000] [--kills 20] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))

AGENCY_YAML = """\
format: alrim-agency/1
published_at: 2026-11-20
complete: false
publisher: {name: 알림시험공사, type: 지방공기업, code: BENCH, region: 서울특별시}
services:
  - id: crash
    name: 충돌 시험 서비스
    summary: 시험용 서비스예요.
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


class Recorder:
    """aiosmtpd handler: keeps Message-IDs and writes the accept log before answering 250."""

    def __init__(self, accept_log: Path) -> None:
        self.accept_log = accept_log
        self.ids: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        mid = str(message["Message-ID"])
        with self.lock:
            with self.accept_log.open("a", encoding="utf-8") as log:
                log.write(f"accepted {mid}\n")
            self.ids.append(mid)
        return "250 OK"

    def count(self) -> int:
        with self.lock:
            return len(self.ids)


def _env(
    url: str, key: str, port: int, accept_log: Path, lease: float, batch: int
) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ALRIM_DATABASE_URL=url,
        ALRIM_ENCRYPTION_KEY=key,
        ALRIM_SMTP_HOST="127.0.0.1",
        ALRIM_SMTP_PORT=str(port),
        ALRIM_NOTIFY_ACCEPT_LOG=str(accept_log),
        ALRIM_NOTIFY_LEASE_SECONDS=str(lease),
        ALRIM_NOTIFY_BATCH_SIZE=str(batch),
        ALRIM_PUBLIC_BASE_URL="http://testserver",
    )
    return env


def seed(url: str, n: int, workdir: Path) -> None:
    """Schema, one service, `n` people with e-mail consent, `n` queued notifications."""
    import secrets

    from alrim.accounts.identity import email_index, encrypt_email
    from alrim.catalog.sources.registry import open_source
    from alrim.notify.outbox import idem_key, insert_rows
    from alrim.privacy.keys import keyring
    from alrim.services.catalog import setup_database
    from alrim.services.ingest import ingest
    from alrim.store.accounts_tables import AccountRow, ConsentRow
    from alrim.store.db import make_engine, session_scope

    engine = make_engine(url)
    setup_database(engine)
    path = workdir / "agency.yaml"
    path.write_text(AGENCY_YAML, encoding="utf-8")
    (service_id,) = ingest(engine, open_source("agency", path=path)).changed_ids["new"]
    ring = keyring()
    now = datetime.now(UTC)
    accounts, rows = [], []
    for i in range(n):
        account_id = secrets.token_hex(16)
        email = f"person{i}@example.kr"
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
        rows.append(
            {
                "idem_key": idem_key(account_id, service_id, "eligible", "once", "email"),
                "account_id": account_id,
                "channel": "email",
                "service_id": service_id,
                "trigger": "eligible",
                "window": "once",
                "reason": "catalog_new",
                "payload": {},
                "status": "queued",
                "created_at": now,
                "due_at": now,
            }
        )
    with session_scope(engine) as session:
        session.execute(AccountRow.__table__.insert(), accounts)  # type: ignore[attr-defined]
        session.execute(
            ConsentRow.__table__.insert(),  # type: ignore[attr-defined]
            [
                {
                    "account_id": a["id"],
                    "purpose": "notify_email",
                    "granted": True,
                    "wording_version": "bench",
                    "wording_hash": "-",
                    "source": "signup",
                    "recorded_at": now,
                }
                for a in accounts
            ],
        )
        insert_rows(session, rows)
    engine.dispose()


def child(until_done: bool) -> int:
    """A worker process: deliver until nothing is left (or forever, until killed)."""
    from sqlalchemy import func, select

    from alrim.notify.worker import Worker
    from alrim.settings import get_settings
    from alrim.store.db import make_engine, session_scope
    from alrim.store.notify_tables import MessageRow, NotificationRow

    settings = get_settings()
    engine = make_engine(settings.resolved_database_url())
    worker = Worker(engine, settings, jobs=False)
    while True:
        worker.run_once()
        if not until_done:
            continue
        with session_scope(engine) as session:
            open_notifications = session.scalar(
                select(func.count())
                .select_from(NotificationRow)
                .where(NotificationRow.status.in_(["queued", "batched"]))
            )
            open_messages = session.scalar(
                select(func.count())
                .select_from(MessageRow)
                .where(MessageRow.status.in_(["queued", "sending"]))
            )
        if not open_notifications and not open_messages:
            return 0
        time.sleep(0.05)


def run(
    *,
    n: int = 5000,
    kills: int = 20,
    seed_value: int = 1,
    lease: float = 1.0,
    batch: int = 50,
    url: str | None = None,
    workdir: Path | None = None,
) -> dict[str, Any]:
    from aiosmtpd.controller import Controller

    from alrim.privacy.crypto import Key, Keyring
    from alrim.privacy.keys import install_keyring

    rng = random.Random(seed_value)
    workdir = workdir or Path(tempfile.mkdtemp(prefix="alrim-crash-"))
    url = url or f"sqlite:///{workdir / 'crash.db'}"
    key = Key.generate("crash1")
    install_keyring(Keyring([key]))
    started = time.perf_counter()
    seed(url, n, workdir)
    seeded = time.perf_counter() - started

    accept_log = workdir / "accept.log"
    recorder = Recorder(accept_log)
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    env = _env(url, f"{key.kid}:{key.to_base64()}", port, accept_log, lease, batch)
    command = [sys.executable, str(HERE), "child"]
    killed = 0
    try:
        while killed < kills and recorder.count() < n:
            process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
            before = recorder.count()
            deadline = time.monotonic() + 30
            while recorder.count() == before and time.monotonic() < deadline:
                if process.poll() is not None:
                    break
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.25))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                killed += 1
            process.wait()
        final = subprocess.run([*command, "--until-done"], env=env, timeout=600, check=False)
    finally:
        controller.stop()
    seconds = time.perf_counter() - started - seeded

    from sqlalchemy import func, select

    from alrim.store.db import make_engine, session_scope
    from alrim.store.notify_tables import MessageRow

    engine = make_engine(url)
    with session_scope(engine) as session:
        statuses = dict(
            session.execute(
                select(MessageRow.status, func.count()).group_by(MessageRow.status)
            ).all()
        )
        reconciled = session.scalar(
            select(func.count())
            .select_from(MessageRow)
            .where(MessageRow.provider_response["reconciled"].as_boolean())
        )
    engine.dispose()
    counts = Counter(recorder.ids)
    return {
        "notifications": n,
        "kills": killed,
        "final_worker_exit": final.returncode,
        "received": len(recorder.ids),
        "distinct_received": len(counts),
        "duplicates": sum(c - 1 for c in counts.values() if c > 1),
        "lost": n - len(counts),
        "message_statuses": statuses,
        "settled_by_reconciliation": int(reconciled or 0),
        "seconds": round(seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "child"])
    parser.add_argument("--until-done", action="store_true")
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.mode == "child":
        sys.exit(child(args.until_done))
    from _util import machine

    workdir = Path(tempfile.mkdtemp(prefix="alrim-crash-"))
    try:
        result = run(n=args.n, kills=args.kills, seed_value=args.seed, workdir=workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"machine: {machine()}")
    for name, value in result.items():
        print(f"{name:>28}: {value}")
    ok = result["lost"] == 0 and result["duplicates"] == 0 and result["kills"] >= args.kills
    print("exactly once:", "yes" if ok else "NO")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
