"""Partner API keys: create (the secret is shown once), list, revoke, authenticate.

A key is `alrim_` followed by 43 URL-safe characters from `secrets` (256 random bits). Only its
SHA-256 digest is stored. A slow password hash (argon2) protects *low*-entropy secrets against
guessing; a 256-bit random key cannot be guessed, so a fast digest is as safe here and lets
every request find its key with one indexed lookup. The first characters (`prefix`) are kept in
clear so an operator can tell keys apart in `alrim apikey list`.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from threading import Lock
from typing import Any

from sqlalchemy import Engine, select

from alrim.store.api_tables import ApiKeyRow
from alrim.store.base import utcnow
from alrim.store.db import session_scope

KEY_PREFIX = "alrim_"
SHOWN_PREFIX_LENGTH = 12  # "alrim_" + 6 random characters
MAX_KEY_LENGTH = 200


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ApiKeyInfo:
    id: int
    name: str
    prefix: str
    rate_limit: int | None  # None: the keyed default from settings
    created_at: datetime
    revoked_at: datetime | None
    key_hash: str

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "prefix": self.prefix,
            "rate_limit": self.rate_limit,
            "created_at": self.created_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


@dataclass(frozen=True, slots=True)
class CreatedKey:
    info: ApiKeyInfo
    key: str  # the secret: shown once, never stored


def _info(row: ApiKeyRow) -> ApiKeyInfo:
    return ApiKeyInfo(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        rate_limit=row.rate_limit,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        key_hash=row.key_hash,
    )


def create_key(
    engine: Engine,
    name: str,
    *,
    rate_limit: int | None = None,
    now: Callable[[], datetime] = utcnow,
) -> CreatedKey:
    name = name.strip()
    if not name:
        raise ValueError("a key needs a name (the partner or app it is for)")
    if rate_limit is not None and rate_limit < 1:
        raise ValueError("rate_limit must be at least 1 request per window")
    key = generate_key()
    with session_scope(engine) as session:
        row = ApiKeyRow(
            name=name[:200],
            prefix=key[:SHOWN_PREFIX_LENGTH],
            key_hash=hash_key(key),
            rate_limit=rate_limit,
            created_at=now(),
        )
        session.add(row)
        session.flush()
        return CreatedKey(info=_info(row), key=key)


def list_keys(engine: Engine, *, include_revoked: bool = True) -> list[ApiKeyInfo]:
    with session_scope(engine) as session:
        stmt = select(ApiKeyRow).order_by(ApiKeyRow.id)
        if not include_revoked:
            stmt = stmt.where(ApiKeyRow.revoked_at.is_(None))
        return [_info(r) for r in session.scalars(stmt)]


def revoke_key(
    engine: Engine, ref: str, *, now: Callable[[], datetime] = utcnow
) -> list[ApiKeyInfo]:
    """Revoke the key whose id or shown prefix is `ref`; returns the keys revoked (none if
    nothing matched; a prefix shared by several keys revokes none and returns them all
    unrevoked, so the caller can ask for the id)."""
    ref = ref.strip()
    with session_scope(engine) as session:
        if ref.isdigit():
            rows = list(session.scalars(select(ApiKeyRow).where(ApiKeyRow.id == int(ref))))
        else:
            rows = list(session.scalars(select(ApiKeyRow).where(ApiKeyRow.prefix == ref)))
        if len(rows) != 1:
            return [_info(r) for r in rows]
        row = rows[0]
        if row.revoked_at is None:
            row.revoked_at = now()
        session.flush()
        return [_info(row)]


def find_active_key(engine: Engine, key: str) -> ApiKeyInfo | None:
    """The active key whose secret is `key`, or None (unknown or revoked)."""
    if not key.startswith(KEY_PREFIX) or len(key) > MAX_KEY_LENGTH:
        return None
    with session_scope(engine) as session:
        row = session.scalar(select(ApiKeyRow).where(ApiKeyRow.key_hash == hash_key(key)))
        if row is None or row.revoked_at is not None:
            return None
        return _info(row)


class KeyCache:
    """Looked-up keys (and misses) remembered for `ttl` seconds, so a request costs no
    database round trip. A revocation is seen by every process within `ttl`."""

    def __init__(
        self, engine: Engine, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._engine, self._ttl, self._clock = engine, ttl, clock
        self._entries: dict[str, tuple[float, ApiKeyInfo | None]] = {}
        self._lock = Lock()

    def lookup(self, key: str) -> ApiKeyInfo | None:
        digest = hash_key(key)
        now = self._clock()
        with self._lock:
            hit = self._entries.get(digest)
        if hit is not None and now - hit[0] < self._ttl:
            return hit[1]
        info = find_active_key(self._engine, key)
        if self._ttl > 0:
            with self._lock:
                if len(self._entries) > 10_000:
                    self._entries.clear()  # bounded memory against floods of wrong keys
                self._entries[digest] = (now, info)
        return info

    def cached(self, key: str) -> tuple[bool, ApiKeyInfo | None]:
        """(True, info) when `key` is known without asking the database."""
        hit = self._entries.get(hash_key(key))
        if hit is not None and self._clock() - hit[0] < self._ttl:
            return True, hit[1]
        return False, None
