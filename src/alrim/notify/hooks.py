"""How notifications plug into accounts and privacy (`install_hooks`, idempotent):

- profile saved → re-screen that person at once, in the saving transaction, and write what
  they can now get to the outbox (reason: the life event the change shows, else ``profile``);
- a ``notify_*`` consent withdrawn → that channel's queued notifications are cancelled (and
  withdrawing ``notify_maybe`` cancels queued "maybe" ones);
- "delete my data" deletes notifications, messages and preferences; "download my data"
  includes them; retention deletes delivered messages after ``ALRIM_MESSAGE_RETENTION_DAYS``;
- the encrypted preference columns join key rotation.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import Session

from alrim.notify.preferences import CHANNELS, MAYBE_PURPOSE, PURPOSE_OF
from alrim.settings import Settings, get_settings
from alrim.store.base import utcnow
from alrim.store.notify_tables import MessageRow, NotificationRow, PreferenceRow

log = logging.getLogger(__name__)
_installed = False
_OLD_PROFILES = "alrim_notify_old_profiles"


def install_hooks() -> None:
    global _installed
    if _installed:
        return
    from alrim.accounts.profiles import register_profile_listener
    from alrim.privacy import consent
    from alrim.privacy.erasure import register_eraser
    from alrim.privacy.export import register_exporter
    from alrim.privacy.retention import register_purger
    from alrim.privacy.rotation import (
        EncryptedColumn,
        encrypted_columns,
        register_encrypted_column,
    )
    from alrim.store.accounts_tables import ProfileRow

    event.listen(ProfileRow.profile_enc, "set", _remember_old_profile, active_history=True)
    register_profile_listener(on_profile_saved)
    for channel in CHANNELS:
        consent.register_withdrawal_effect(PURPOSE_OF[channel], _cancel_channel(channel))
    consent.register_withdrawal_effect(MAYBE_PURPOSE, _cancel_maybe)
    register_eraser(erase_notifications, name="notifications")
    register_exporter("notifications", export_notifications)
    register_purger("notify_messages", purge_messages)
    encrypted_columns()  # the accounts' own columns first: rotation walks them in order
    table = PreferenceRow.__table__
    for column in ("phone_enc", "webhook_url_enc", "webhook_secret_enc"):
        register_encrypted_column(EncryptedColumn(table, "account_id", column))  # type: ignore[arg-type]
    _installed = True


# ---------------------------------------------------------------------------------------------
# Profile changes.


def _remember_old_profile(target: Any, value: Any, old: Any, _initiator: Any) -> None:
    from sqlalchemy import inspect

    state = inspect(target)
    session = state.session
    if session is None or not isinstance(old, bytes | bytearray) or old == value:
        return
    session.info.setdefault(_OLD_PROFILES, {})[target.account_id] = bytes(old)


def on_profile_saved(
    session: Session, account_id: str, profile_json: dict[str, Any] | None, version: int
) -> None:
    """Re-screen the person now. Failures are logged and leave the save alone (the daily job
    catches up): the notification part runs in a savepoint of the saving transaction."""
    old_token = session.info.get(_OLD_PROFILES, {}).pop(account_id, None)
    if profile_json is None:
        return
    try:
        with session.begin_nested():
            rescreen(session, account_id, profile_json, old_token, now=utcnow())
    except Exception:
        log.exception("re-screening after a profile save failed")


def rescreen(
    session: Session,
    account_id: str,
    profile_json: dict[str, Any],
    old_token: bytes | None = None,
    *,
    now: datetime,
    settings: Settings | None = None,
) -> int:
    """Outbox rows for the services the person can get now; returns rows planned."""
    from alrim.catalog.regions import RegionTable
    from alrim.eligibility.profile_input import parse_profile
    from alrim.notify.audience import age_limits
    from alrim.notify.jobs import current_eligibility, today_kst
    from alrim.notify.outbox import insert_rows, plan_rows
    from alrim.notify.preferences import reach_table
    from alrim.notify.triggers import PROFILE, life_events, status_candidates

    settings = settings or get_settings()
    reach = reach_table(session, settings, [account_id])
    r = reach.get(account_id)
    if r is None:
        return 0
    bind = session.get_bind()
    eligibility = current_eligibility(bind)  # type: ignore[arg-type]
    today = today_kst(now)
    regions = RegionTable.default()
    profile = parse_profile(profile_json, regions=regions, today=today)
    previous = None
    if old_token is not None:
        from alrim.accounts.profiles import decode
        from alrim.privacy.keys import keyring

        previous = parse_profile(
            decode(keyring(), account_id, old_token), regions=regions, today=today
        )
    events = life_events(
        profile,
        today,
        age_limits=age_limits(eligibility.rules),
        moved_within_days=settings.notify_moved_within_days,
        previous=previous,
    )
    candidates = status_candidates(
        account_id,
        eligibility.statuses(profile),
        include_maybe=r.include_maybe,
        reason=events[0] if events else PROFILE,
    )
    from alrim.notify.jobs import _categories

    rows = plan_rows(
        candidates,
        reach,
        now,
        digest_hour=settings.notify_digest_hour,
        categories=_categories(session, {c.service_id for c in candidates}),
    )
    insert_rows(session, rows)
    return len(rows)


# ---------------------------------------------------------------------------------------------
# Consent withdrawals.


def _cancel_channel(channel: str) -> Any:
    def effect(session: Session, account_id: str) -> None:
        cancel_queued(session, account_id, channel=channel)

    effect.__name__ = f"cancel_{channel}"
    return effect


def _cancel_maybe(session: Session, account_id: str) -> None:
    cancel_queued(session, account_id, trigger="maybe")


def cancel_queued(
    session: Session, account_id: str, *, channel: str | None = None, trigger: str | None = None
) -> int:
    """Cancel what has not gone out yet (queued notifications and their unsent messages)."""
    where = [NotificationRow.account_id == account_id, NotificationRow.status == "queued"]
    if channel is not None:
        where.append(NotificationRow.channel == channel)
    if trigger is not None:
        where.append(NotificationRow.trigger == trigger)
    count = session.execute(update(NotificationRow).where(*where).values(status="cancelled"))
    if channel is not None and trigger is None:
        pending = select(MessageRow.id).where(
            MessageRow.account_id == account_id,
            MessageRow.channel == channel,
            MessageRow.status == "queued",
        )
        ids = list(session.scalars(pending))
        if ids:
            session.execute(
                update(MessageRow).where(MessageRow.id.in_(ids)).values(status="cancelled")
            )
            session.execute(
                update(NotificationRow)
                .where(NotificationRow.message_id.in_(ids))
                .values(status="cancelled")
            )
    return int(count.rowcount or 0)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# Erasure, export, retention.


def erase_notifications(session: Session, account_id: str) -> int:
    n = session.execute(delete(NotificationRow).where(NotificationRow.account_id == account_id))
    m = session.execute(delete(MessageRow).where(MessageRow.account_id == account_id))
    p = session.execute(delete(PreferenceRow).where(PreferenceRow.account_id == account_id))
    counts: list[int] = [int(getattr(r, "rowcount", 0) or 0) for r in (n, m, p)]
    return sum(counts)


def export_notifications(session: Session, account_id: str) -> dict[str, Any]:
    from alrim.notify.preferences import get_preferences

    prefs = get_preferences(session, account_id)
    rows = session.scalars(
        select(NotificationRow)
        .where(NotificationRow.account_id == account_id)
        .order_by(NotificationRow.id)
    ).all()
    return {
        "preferences": {
            "mode": prefs.mode,
            "categories": list(prefs.categories),
            "quiet_hours": (
                [prefs.quiet_start, prefs.quiet_end] if prefs.quiet_start is not None else None
            ),
            "phone_registered": prefs.has_phone,
            "webhook_registered": prefs.has_webhook,
        },
        "notifications": [
            {
                "service_id": r.service_id,
                "channel": r.channel,
                "trigger": r.trigger,
                "reason": r.reason,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
                "read_at": r.read_at.isoformat() if r.read_at else None,
            }
            for r in rows
        ],
    }


def purge_messages(session: Session, now: datetime, settings: Settings) -> int:
    """Past retention: delete delivered, dead and cancelled messages (content, provider
    answers, errors) and cancelled notifications. A sent notification keeps a bare row (no
    payload, no message) until the account goes: it is what stops the same news being sent
    twice — "never again for the same thing" outlives the message itself."""
    cutoff = now - timedelta(days=settings.message_retention_days)
    old = select(MessageRow.id).where(
        MessageRow.status.in_(["sent", "dead", "cancelled"]), MessageRow.created_at < cutoff
    )
    ids = list(session.scalars(old))
    if ids:
        session.execute(
            update(NotificationRow)
            .where(NotificationRow.message_id.in_(ids))
            .values(payload={}, message_id=None)
        )
    n = session.execute(
        delete(NotificationRow).where(
            NotificationRow.created_at < cutoff, NotificationRow.status == "cancelled"
        )
    )
    m = session.execute(delete(MessageRow).where(MessageRow.id.in_(ids)))
    return int(n.rowcount or 0) + int(m.rowcount or 0)  # type: ignore[attr-defined]
