"""The person's saved questionnaire answers (contract §1 JSON), one AES-GCM blob per account.

API for other modules (notifications compute audiences with `iter_profiles`):

- `save_profile(bind, account_id, profile_json) -> int` (the new version)
- `load_profile(bind, account_id) -> dict | None`
- `remove_profile(bind, account_id) -> bool`
- `iter_profiles(engine, *, batch=10_000) -> Iterator[(account_id, profile_json)]`
- `profile_events_since(bind, after_seq, limit) -> list[ProfileEvent]` — a cursor over saves
  and removals; `register_profile_listener(fn)` runs `fn(session, account_id, profile_json |
  None, version)` inside the saving transaction (write outbox rows there).

A profile is saved only with the ``matching`` consent; withdrawing it removes the profile, so
every stored profile belongs to someone who currently consents to matching. Stored profiles
have no ``as_of``: whoever evaluates one sets the day.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alrim.privacy import consent
from alrim.privacy.crypto import Keyring, context
from alrim.privacy.keys import keyring
from alrim.privacy.transaction import Bind, unit_of_work
from alrim.store.accounts_tables import ProfileEventRow, ProfileRow
from alrim.store.base import utcnow

MATCHING = "matching"
ProfileListener = Callable[[Session, str, dict[str, Any] | None, int], None]
_listeners: list[ProfileListener] = []


class ConsentRequiredError(PermissionError):
    """Saving answers needs the ``matching`` consent."""


@dataclass(frozen=True)
class ProfileEvent:
    seq: int
    account_id: str
    kind: str  # saved | removed
    version: int
    at: datetime


def register_profile_listener(fn: ProfileListener) -> None:
    if fn not in _listeners:
        _listeners.append(fn)


def profile_context(account_id: str) -> bytes:
    return context("account_profiles", "profile_enc", account_id)


def normalize_profile(profile_json: dict[str, Any]) -> dict[str, Any]:
    """Validate with the contract parser and return the canonical JSON without ``as_of``.
    Raises `alrim.eligibility.profile_input.ProfileError` for bad input."""
    from alrim.eligibility.profile_input import parse_profile, profile_to_json
    from alrim.services.catalog import korea_today

    canonical = profile_to_json(parse_profile(profile_json, today=korea_today()))
    canonical.pop("as_of", None)
    return canonical


def encode(ring: Keyring, account_id: str, profile_json: dict[str, Any]) -> bytes:
    raw = json.dumps(profile_json, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return ring.encrypt(raw.encode("utf-8"), profile_context(account_id))


def decode(ring: Keyring, account_id: str, token: bytes) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ring.decrypt(token, profile_context(account_id)))
    return data


def save_profile(
    bind: Bind,
    account_id: str,
    profile_json: dict[str, Any],
    *,
    validate: bool = True,
    now: datetime | None = None,
) -> int:
    """Encrypt and store the answers; returns the new version (1 for the first save)."""
    profile = normalize_profile(profile_json) if validate else dict(profile_json)
    now = now or utcnow()
    with unit_of_work(bind) as session:
        if not consent.has_consent(session, account_id, MATCHING):
            raise ConsentRequiredError("answers can be saved only with the 'matching' consent")
        token = encode(keyring(), account_id, profile)
        row = session.get(ProfileRow, account_id)
        if row is None:
            row = ProfileRow(account_id=account_id, profile_enc=token, version=1, updated_at=now)
            session.add(row)
        else:
            row.profile_enc = token
            row.version += 1
            row.updated_at = now
        session.add(
            ProfileEventRow(account_id=account_id, kind="saved", version=row.version, at=now)
        )
        session.flush()
        for listener in _listeners:
            listener(session, account_id, profile, row.version)
        return row.version


def load_profile(bind: Bind, account_id: str) -> dict[str, Any] | None:
    with unit_of_work(bind) as session:
        token = session.scalar(
            select(ProfileRow.profile_enc).where(ProfileRow.account_id == account_id)
        )
    return decode(keyring(), account_id, token) if token is not None else None


def profile_meta(bind: Bind, account_id: str) -> tuple[int, datetime] | None:
    """(version, updated_at) of the saved profile, without decrypting it."""
    with unit_of_work(bind) as session:
        found = session.execute(
            select(ProfileRow.version, ProfileRow.updated_at).where(
                ProfileRow.account_id == account_id
            )
        ).first()
    return (found[0], found[1]) if found else None


def remove_profile(bind: Bind, account_id: str, *, now: datetime | None = None) -> bool:
    now = now or utcnow()
    with unit_of_work(bind) as session:
        row = session.get(ProfileRow, account_id)
        if row is None:
            return False
        version = row.version + 1
        session.delete(row)
        session.add(ProfileEventRow(account_id=account_id, kind="removed", version=version, at=now))
        session.flush()
        for listener in _listeners:
            listener(session, account_id, None, version)
        return True


def iter_profiles(engine: Engine, *, batch: int = 10_000) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every stored profile, decrypted in memory, ordered by account id. Reads in keyset pages
    of `batch` rows, each in its own short transaction (no long-held snapshot or locks)."""
    ring = keyring()
    after = ""
    while True:
        with engine.connect() as connection:
            rows = connection.execute(
                select(ProfileRow.account_id, ProfileRow.profile_enc)
                .where(ProfileRow.account_id > after)
                .order_by(ProfileRow.account_id)
                .limit(batch)
            ).all()
        if not rows:
            return
        for account_id, token in rows:
            yield account_id, decode(ring, account_id, token)
        if len(rows) < batch:
            return
        after = rows[-1][0]


def profile_events_since(
    bind: Bind, after_seq: int = 0, *, limit: int = 1000
) -> list[ProfileEvent]:
    """Saves and removals after `after_seq`, oldest first (keep the last `seq` as a cursor)."""
    with unit_of_work(bind) as session:
        rows = session.scalars(
            select(ProfileEventRow)
            .where(ProfileEventRow.seq > after_seq)
            .order_by(ProfileEventRow.seq)
            .limit(limit)
        ).all()
    return [ProfileEvent(r.seq, r.account_id, r.kind, r.version, r.at) for r in rows]


def _on_matching_withdrawn(session: Session, account_id: str) -> None:
    remove_profile(session, account_id)


consent.register_withdrawal_effect(MATCHING, _on_matching_withdrawn)
