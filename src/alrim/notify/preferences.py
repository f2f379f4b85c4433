"""A person's notification preferences and who can be reached how.

Channels are consents: e-mail needs ``notify_email``, SMS/알림톡 ``notify_sms`` and a phone
number, webhook ``notify_webhook`` and a URL, the inbox ``notify_inbox``. ``notify_maybe`` adds
"maybe" matches. The rest — digest or immediate, categories, quiet hours — is a
``notify_preferences`` row (defaults when there is none). Phone, webhook URL and secret are
encrypted (AES-GCM, bound to their row and column).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alrim.privacy.crypto import Keyring, context
from alrim.privacy.transaction import Bind, unit_of_work
from alrim.settings import Settings
from alrim.store.base import utcnow
from alrim.store.notify_tables import PreferenceRow

EMAIL, SMS, WEBHOOK, INBOX = "email", "sms", "webhook", "inbox"
CHANNELS = (EMAIL, SMS, WEBHOOK, INBOX)
PURPOSE_OF = {
    EMAIL: "notify_email",
    SMS: "notify_sms",
    WEBHOOK: "notify_webhook",
    INBOX: "notify_inbox",
}
MAYBE_PURPOSE = "notify_maybe"
DIGEST, IMMEDIATE = "digest", "immediate"
CHANNEL_LABELS = {EMAIL: "이메일", SMS: "문자·알림톡", WEBHOOK: "연계 기관·앱", INBOX: "알림함"}
_PHONE_RE = re.compile(r"^01[016789]\d{7,8}$")


class PreferenceError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True, slots=True)
class Preferences:
    mode: str = DIGEST
    categories: tuple[str, ...] = ()
    quiet_start: int | None = None
    quiet_end: int | None = None
    has_phone: bool = False
    has_webhook: bool = False

    def wants(self, categories: Collection[str]) -> bool:
        """Does a service with these categories interest the person? (no choice = all)"""
        return not self.categories or any(c in self.categories for c in categories)


@dataclass(frozen=True, slots=True)
class Reach:
    """How one person can be reached (channels in `CHANNELS` order)."""

    channels: tuple[str, ...]
    prefs: Preferences
    include_maybe: bool


@dataclass
class ReachTable:
    by_account: dict[str, Reach] = field(default_factory=dict)

    def get(self, account_id: str) -> Reach | None:
        return self.by_account.get(account_id)

    def __len__(self) -> int:
        return len(self.by_account)


def normalize_phone(value: str) -> str:
    digits = re.sub(r"[\s\-().]", "", value or "")
    if digits.startswith("+82"):
        digits = "0" + digits[3:]
    if not _PHONE_RE.match(digits):
        raise PreferenceError("휴대전화 번호를 확인해 주세요. 예: 010-1234-5678", "phone")
    return digits


def _ctx(column: str, account_id: str) -> bytes:
    return context("notify_preferences", column, account_id)


def enabled_channels(settings: Settings) -> tuple[str, ...]:
    """Channels this installation can deliver on (SMS only with a provider configured)."""
    return tuple(c for c in CHANNELS if c != SMS or settings.sms_provider)


def _prefs(row: PreferenceRow | None) -> Preferences:
    if row is None:
        return Preferences()
    return Preferences(
        mode=row.mode,
        categories=tuple(row.categories or ()),
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        has_phone=row.phone_enc is not None,
        has_webhook=row.webhook_url_enc is not None,
    )


def get_preferences(bind: Bind, account_id: str) -> Preferences:
    with unit_of_work(bind) as session:
        return _prefs(session.get(PreferenceRow, account_id))


def save_preferences(
    bind: Bind,
    ring: Keyring,
    account_id: str,
    *,
    mode: str,
    categories: Collection[str],
    quiet_start: int | None,
    quiet_end: int | None,
    phone: str | None = None,
    webhook_url: str | None = None,
    now: datetime | None = None,
) -> Preferences:
    """Store the choices. `phone` / `webhook_url`: None keeps, "" removes, else replaces. A
    new webhook URL gets a fresh signing secret (shown with `webhook_secret`)."""
    if mode not in (DIGEST, IMMEDIATE):
        raise PreferenceError("받는 방식을 골라 주세요.", "mode")
    for hour in (quiet_start, quiet_end):
        if hour is not None and not 0 <= hour <= 23:
            raise PreferenceError("방해 금지 시간은 0~23시 사이로 골라 주세요.", "quiet")
    if (quiet_start is None) != (quiet_end is None) or (
        quiet_start is not None and quiet_start == quiet_end
    ):
        raise PreferenceError("방해 금지 시작과 끝을 함께, 서로 다르게 골라 주세요.", "quiet")
    with unit_of_work(bind) as session:
        row = session.get(PreferenceRow, account_id)
        if row is None:
            row = PreferenceRow(account_id=account_id, categories=[])
            session.add(row)
        row.mode = mode
        row.categories = sorted(set(categories))
        row.quiet_start, row.quiet_end = quiet_start, quiet_end
        if phone is not None:
            row.phone_enc = (
                ring.encrypt_text(normalize_phone(phone), _ctx("phone_enc", account_id))
                if phone.strip()
                else None
            )
        if webhook_url is not None:
            url = webhook_url.strip()
            if url and not url.startswith(("https://", "http://")):
                raise PreferenceError("주소는 https:// 로 시작해야 해요.", "webhook_url")
            if not url:
                row.webhook_url_enc = row.webhook_secret_enc = None
            else:
                row.webhook_url_enc = ring.encrypt_text(url, _ctx("webhook_url_enc", account_id))
                row.webhook_secret_enc = ring.encrypt_text(
                    secrets.token_urlsafe(32), _ctx("webhook_secret_enc", account_id)
                )
        row.updated_at = now or utcnow()
        session.flush()
        return _prefs(row)


def phone_of(session: Session, ring: Keyring, account_id: str) -> str | None:
    row = session.get(PreferenceRow, account_id)
    if row is None or row.phone_enc is None:
        return None
    return ring.decrypt_text(row.phone_enc, _ctx("phone_enc", account_id))


def webhook_of(session: Session, ring: Keyring, account_id: str) -> tuple[str, str] | None:
    """(URL, signing secret) of the person's webhook."""
    row = session.get(PreferenceRow, account_id)
    if row is None or row.webhook_url_enc is None or row.webhook_secret_enc is None:
        return None
    return (
        ring.decrypt_text(row.webhook_url_enc, _ctx("webhook_url_enc", account_id)),
        ring.decrypt_text(row.webhook_secret_enc, _ctx("webhook_secret_enc", account_id)),
    )


def reach_table(
    engine: Engine | Session,
    settings: Settings,
    account_ids: Collection[str] | None = None,
) -> ReachTable:
    """Everybody (or the given accounts) reachable on at least one enabled channel — one query
    per consent purpose plus one for the preference rows, whatever the number of people."""
    enabled = enabled_channels(settings)
    wanted = set(account_ids) if account_ids is not None else None
    with unit_of_work(engine) as session:
        consented = {
            channel: _consented(session, PURPOSE_OF[channel], wanted) for channel in enabled
        }
        maybe = _consented(session, MAYBE_PURPOSE, wanted)
        query = select(PreferenceRow)
        if wanted is not None:
            query = query.where(PreferenceRow.account_id.in_(sorted(wanted)))
        prefs = {r.account_id: _prefs(r) for r in session.scalars(query)}
    table = ReachTable()
    people = set().union(*consented.values()) if consented else set()
    default = Preferences()
    interned: dict[tuple[tuple[str, ...], Preferences, bool], Reach] = {}
    sets = [(c, consented[c]) for c in enabled]
    for account_id in people:
        p = prefs.get(account_id, default)
        channels = tuple(
            c
            for c, members in sets
            if account_id in members
            and (c != SMS or p.has_phone)
            and (c != WEBHOOK or p.has_webhook)
        )
        if channels:
            key = (channels, p, account_id in maybe)
            reach = interned.get(key)
            if reach is None:
                reach = interned[key] = Reach(*key)
            table.by_account[account_id] = reach
    return table


def _consented(session: Session, purpose: str, wanted: set[str] | None) -> set[str]:
    from alrim.privacy.consent import accounts_with_consent, has_consent

    if wanted is not None and len(wanted) <= 500:
        return {a for a in wanted if has_consent(session, a, purpose)}
    ids = accounts_with_consent(session.get_bind(), purpose)  # type: ignore[arg-type]
    return ids if wanted is None else ids & wanted
