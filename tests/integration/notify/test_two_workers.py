"""Two workers at once on the same outbox (PostgreSQL in CI's storage pass: FOR UPDATE SKIP
LOCKED; SQLite otherwise): no notification is sent twice, none is left behind."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest
from notify_steps import MailServer
from sqlalchemy import Engine, func, select
from test_crash_exactly_once import _load

from alrim.notify.worker import Worker
from alrim.privacy.crypto import Keyring
from alrim.settings import Settings
from alrim.store.db import make_engine, session_scope
from alrim.store.notify_tables import MessageRow, NotificationRow

pytestmark = pytest.mark.storage
N = 600


def _open(engine: Engine) -> int:
    """Notifications not yet in a message plus messages not yet settled."""
    with session_scope(engine) as session:
        waiting = session.scalar(
            select(func.count())
            .select_from(NotificationRow)
            .where(NotificationRow.status == "queued")
        )
        unsettled = session.scalar(
            select(func.count())
            .select_from(MessageRow)
            .where(MessageRow.status.in_(["queued", "sending"]))
        )
        return int(waiting or 0) + int(unsettled or 0)


def test_two_workers_never_send_the_same_notification(
    engine: Engine, settings: Settings, mail: MailServer, ring: Keyring, tmp_path: Path
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    _load().seed(url, N, tmp_path)
    settings = settings.model_copy(update={"notify_batch_size": 10})
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(name: str) -> None:
        own = make_engine(url)
        worker = Worker(own, settings, jobs=False, owner=name)
        try:
            start.wait()
            while True:
                stats = worker.run_once(max_batches=1)
                if not stats.claimed and _open(own) == 0:
                    break
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=work, args=(f"worker-{i}",)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    ids = Counter(str(m["Message-ID"]) for m in mail.messages)
    assert len(ids) == N and max(ids.values()) == 1
    with session_scope(engine) as session:
        owners = Counter(session.scalars(select(MessageRow.lease_owner)).all())
        sent = session.scalar(
            select(func.count()).select_from(MessageRow).where(MessageRow.status == "sent")
        )
    assert sent == N
    assert set(owners) == {"worker-1", "worker-2"}  # both really worked
