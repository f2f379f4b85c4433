"""`alrim worker`: scheduled jobs plus the delivery loop.

One pass: run the jobs whose cron slot has come (each slot once, whichever worker gets there
first), group due notifications into messages, claim a batch, deliver it channel by channel —
one SMTP session for the whole e-mail batch — and record each result as it comes.

Exactly-once to the mail server: a message is claimed (``sending``, leased) before it is handed
over and marked ``sent`` right after the server's 250. A worker killed in between leaves it
``sending``; once the lease runs out another worker claims it *in doubt* and asks the channel
(`reconcile`) whether it arrived — the Message-ID is the message's own key, the same on every
try — and re-sends only what did not. See docs/notifications.md for what holds without a
reconciler.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select

from alrim.notify import delivery
from alrim.notify.channels.base import Channel, ChannelSession, Outgoing, SendResult
from alrim.notify.delivery import Claimed
from alrim.notify.preferences import EMAIL, INBOX, SMS, WEBHOOK, phone_of, webhook_of
from alrim.notify.render import (
    Item,
    ServiceInfo,
    kakao_variables,
    make_item,
    render_email,
    render_sms,
    subject_of,
    webhook_body,
)
from alrim.privacy.crypto import CryptoError, Keyring
from alrim.settings import Settings
from alrim.store.base import utcnow
from alrim.store.db import session_scope
from alrim.store.notify_tables import NotificationRow

log = logging.getLogger(__name__)
LEASE_MARGIN = 0.2  # stop handing over messages when less than this share of the lease is left
# Sent messages are recorded in groups: at most this many, or this old, per commit. A crash
# leaves at most one group in doubt (settled by reconciliation).
FLUSH_EVERY = 25
FLUSH_SECONDS = 0.25


@dataclass
class PassStats:
    batched: int = 0
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    dead: int = 0
    reconciled: int = 0
    cancelled: int = 0
    released: int = 0
    jobs: dict[str, Any] = field(default_factory=dict)

    def add(self, other: PassStats) -> None:
        for name in ("batched", "claimed", "sent", "failed", "dead", "reconciled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.cancelled += other.cancelled
        self.released += other.released
        self.jobs.update(other.jobs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "batched": self.batched,
            "claimed": self.claimed,
            "sent": self.sent,
            "failed": self.failed,
            "dead": self.dead,
            "reconciled": self.reconciled,
            "cancelled": self.cancelled,
            "released": self.released,
            "jobs": self.jobs,
        }


def default_owner() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{os.urandom(3).hex()}"


class Worker:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        channels: Mapping[str, Channel] | None = None,
        *,
        ring: Keyring | None = None,
        owner: str | None = None,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
        jobs: bool = True,
    ) -> None:
        from alrim.notify.channels import channels_from_settings

        self.engine = engine
        self.settings = settings
        self.channels: Mapping[str, Channel] = (
            channels if channels is not None else channels_from_settings(settings)
        )
        self._ring = ring
        self.owner = owner or default_owner()
        self.clock = clock
        self.rng = rng or random.Random()
        self.jobs = jobs

    @property
    def ring(self) -> Keyring:
        if self._ring is None:
            from alrim.privacy.keys import keyring

            self._ring = keyring()
        return self._ring

    # -- the loop ------------------------------------------------------------------------------

    def run_once(self, *, max_batches: int | None = None) -> PassStats:
        """Jobs due now, then deliver until nothing is due (or `max_batches` batches)."""
        stats = PassStats()
        if self.jobs:
            from alrim.notify.jobs import run_due_jobs

            stats.jobs = run_due_jobs(self.engine, self.settings, self.clock())
        batches = 0
        while max_batches is None or batches < max_batches:
            stats.batched += delivery.batch_due(self.engine, self.clock())
            claimed = delivery.claim(
                self.engine,
                self.clock(),
                owner=self.owner,
                limit=self.settings.notify_batch_size,
                lease_seconds=self.settings.notify_lease_seconds,
            )
            if not claimed:
                break
            stats.add(self.deliver(claimed))
            batches += 1
        return stats

    def run_forever(self, stop: threading.Event, *, poll_seconds: float = 2.0) -> None:
        while not stop.is_set():
            try:
                stats = self.run_once(max_batches=50)
            except Exception:  # keep the worker alive; the next pass retries
                log.exception("worker pass failed")
                stats = PassStats()
            if stats.claimed:
                log.info("worker pass: %s", stats.to_dict())
            else:
                stop.wait(poll_seconds)

    # -- delivering a claimed batch --------------------------------------------------------------

    def deliver(self, claimed: Sequence[Claimed]) -> PassStats:
        stats = PassStats(claimed=len(claimed))
        by_channel: dict[str, list[Claimed]] = {}
        for message in claimed:
            by_channel.setdefault(message.channel, []).append(message)
        for name, messages in by_channel.items():
            channel = self.channels.get(name)
            if channel is None:  # e.g. SMS switched off after the rows were written
                delivery.release(self.engine, [m.id for m in messages], self.owner)
                stats.released += len(messages)
                continue
            self._deliver_channel(channel, messages, stats)
        return stats

    def _deliver_channel(self, channel: Channel, messages: list[Claimed], stats: PassStats) -> None:
        to_send = self._reconcile(channel, messages, stats)
        if not to_send:
            return
        outgoing = self._prepare(to_send)
        session: ChannelSession | None = None
        done: list[tuple[int, dict[str, Any]]] = []  # handed over, not yet recorded
        flushed = time.monotonic()
        try:
            for i, message in enumerate(to_send):
                if self._lease_ending(message):
                    rest = [m.id for m in to_send[i:]]
                    delivery.release(self.engine, rest, self.owner)
                    stats.released += len(rest)
                    break
                item = outgoing.get(message.id)
                if item is None:
                    delivery.mark_cancelled(
                        self.engine, message.id, self.owner, "nothing left to send"
                    )
                    stats.cancelled += 1
                    continue
                if session is None:
                    session = channel.open()
                try:
                    result = session.send(item)
                except Exception as exc:  # a channel bug must not stop the batch
                    log.exception("channel %s failed", channel.name)
                    result = SendResult.failed(f"{type(exc).__name__}", in_doubt=True)
                if result.ok:
                    done.append((message.id, result.response))
                    if len(done) >= FLUSH_EVERY or time.monotonic() - flushed > FLUSH_SECONDS:
                        stats.sent += self._flush(done)
                        flushed = time.monotonic()
                else:
                    self._record(message, result, stats)
        finally:
            stats.sent += self._flush(done)
            if session is not None:
                session.close()

    def _flush(self, done: list[tuple[int, dict[str, Any]]]) -> int:
        """Record handed-over messages as sent (one transaction for the group)."""
        if not done:
            return 0
        count = delivery.mark_sent_many(self.engine, done, self.owner, self.clock())
        done.clear()
        return count

    def _lease_ending(self, message: Claimed) -> bool:
        left = (message.lease_until - self.clock()).total_seconds()
        return left < self.settings.notify_lease_seconds * LEASE_MARGIN

    def _reconcile(
        self, channel: Channel, messages: list[Claimed], stats: PassStats
    ) -> list[Claimed]:
        doubtful = [m for m in messages if m.in_doubt]
        if not doubtful:
            return messages
        accepted = channel.reconcile([m.key for m in doubtful])
        out: list[Claimed] = []
        for message in messages:
            if not message.in_doubt:
                out.append(message)
            elif accepted is not None and message.key in accepted:
                delivery.mark_sent(
                    self.engine, message.id, self.owner, self.clock(), {"reconciled": True}
                )
                stats.reconciled += 1
            elif accepted is None and self.settings.notify_in_doubt == "hold":
                delivery.mark_failed(
                    self.engine,
                    message,
                    self.owner,
                    self.clock(),
                    error="in doubt: a worker stopped while handing it over; check, then resend",
                    response={},
                    in_doubt=True,
                    max_attempts=0,
                    retry_in=0,
                )
                stats.dead += 1
            else:
                out.append(message)
        return out

    def _record(self, message: Claimed, result: SendResult, stats: PassStats) -> None:
        now = self.clock()
        if result.ok:
            if delivery.mark_sent(self.engine, message.id, self.owner, now, result.response):
                stats.sent += 1
            return
        retry_in = delivery.backoff(
            message.attempts + 1,
            self.settings.notify_backoff_seconds,
            self.settings.notify_backoff_cap_seconds,
            self.rng,
        )
        status = delivery.mark_failed(
            self.engine,
            message,
            self.owner,
            now,
            error=result.error or "failed",
            response=result.response,
            in_doubt=result.in_doubt,
            max_attempts=self.settings.notify_max_attempts,
            retry_in=retry_in,
        )
        stats.failed += 1
        if status == "dead":
            stats.dead += 1
            log.warning("message %s dead-lettered after %d tries", message.id, message.attempts + 1)

    # -- rendering -------------------------------------------------------------------------------

    def _prepare(self, messages: Sequence[Claimed]) -> dict[int, Outgoing]:
        """The outgoing form of each message (None-less: missing ones are cancelled)."""
        from alrim.accounts.identity import decrypt_email
        from alrim.notify.unsubscribe import unsubscribe_url
        from alrim.store.accounts_tables import AccountRow

        base = self.settings.public_base_url
        ids = [m.id for m in messages]
        out: dict[int, Outgoing] = {}
        with session_scope(self.engine) as session:
            rows = session.execute(
                select(
                    NotificationRow.id,
                    NotificationRow.message_id,
                    NotificationRow.service_id,
                    NotificationRow.trigger,
                    NotificationRow.reason,
                    NotificationRow.payload,
                )
                .where(NotificationRow.message_id.in_(ids))
                .order_by(NotificationRow.id)
            ).all()
            services = load_services(session, {r.service_id for r in rows})
            items: dict[int, list[Item]] = {}
            for r in rows:
                service = services.get(r.service_id)
                if service is None or service.status != "active":
                    continue
                items.setdefault(int(r.message_id), []).append(
                    make_item(r.id, service, r.trigger, r.reason, dict(r.payload or {}), base)
                )
            accounts = {m.account_id for m in messages if m.channel == EMAIL}
            emails = dict(
                session.execute(
                    select(AccountRow.id, AccountRow.email_enc).where(
                        AccountRow.id.in_(sorted(accounts))
                    )
                ).all()
            )
            for m in messages:
                listed = items.get(m.id)
                if not listed:
                    continue
                try:
                    out[m.id] = self._outgoing(
                        session, m, listed, emails, decrypt_email, unsubscribe_url
                    )
                except CryptoError:
                    log.warning("message %s: contact details cannot be decrypted", m.id)
        return out

    def _outgoing(
        self,
        session: Any,
        m: Claimed,
        items: list[Item],
        emails: dict[str, bytes],
        decrypt_email: Callable[[Keyring, str, bytes], str],
        unsubscribe_url: Callable[[str, Keyring, str, str], str],
    ) -> Outgoing:
        base = self.settings.public_base_url
        subject = subject_of(items)
        if m.channel == EMAIL:
            from alrim.notify.channels.email import unsubscribe_headers

            token = emails.get(m.account_id)
            to = decrypt_email(self.ring, m.account_id, token) if token else None
            url = unsubscribe_url(base, self.ring, m.account_id, EMAIL)
            subject, text, html = render_email(items, base_url=base, unsubscribe_url=url)
            return Outgoing(
                m.key, EMAIL, m.account_id, to, subject, text, html, unsubscribe_headers(url)
            )
        if m.channel == SMS:
            text = render_sms(items, base)
            phone = phone_of(session, self.ring, m.account_id)
            return Outgoing(
                m.key, SMS, m.account_id, phone, subject, text, data=kakao_variables(items)
            )
        if m.channel == WEBHOOK:
            hook = webhook_of(session, self.ring, m.account_id)
            created = datetime.now(UTC).isoformat(timespec="seconds")
            return Outgoing(
                m.key,
                WEBHOOK,
                m.account_id,
                hook[0] if hook else None,
                subject,
                subject,
                data=webhook_body(m.key, m.account_id, items, created),
                secret=hook[1] if hook else None,
            )
        return Outgoing(m.key, INBOX, m.account_id, None, subject, subject)


def load_services(session: Any, service_ids: set[str]) -> dict[str, ServiceInfo]:
    from alrim.store.catalog_tables import AgencyRow, ServiceRow

    if not service_ids:
        return {}
    rows = session.execute(
        select(
            ServiceRow.service_id,
            ServiceRow.name,
            AgencyRow.name,
            ServiceRow.status,
            ServiceRow.period_end,
        )
        .join(AgencyRow, AgencyRow.key == ServiceRow.agency_key)
        .where(ServiceRow.service_id.in_(sorted(service_ids)))
    ).all()
    return {r[0]: ServiceInfo(r[0], r[1], r[2], r[3], r[4]) for r in rows}


def run_worker(
    engine: Engine, settings: Settings, *, once: bool = False, poll_seconds: float = 2.0
) -> PassStats | None:
    """Entry point of `alrim worker` (SIGTERM / SIGINT stop it after the current message)."""
    from alrim.notify.hooks import install_hooks

    install_hooks()
    worker = Worker(engine, settings)
    if once:
        return worker.run_once()
    stop = threading.Event()

    def _stop(_signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    log.info("worker %s started", worker.owner)
    started = time.monotonic()
    worker.run_forever(stop, poll_seconds=poll_seconds)
    log.info("worker %s stopped after %.0f s", worker.owner, time.monotonic() - started)
    return None
