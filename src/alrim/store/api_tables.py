"""Tables of the open API: partner API keys (stored hashed, never in clear)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from alrim.store.base import Base, UtcDateTime, utcnow

BigIntId = BigInteger().with_variant(Integer(), "sqlite")


class ApiKeyRow(Base):
    """One partner key. `key_hash` is the SHA-256 of the whole key; `prefix` is its first
    characters, shown in listings so an operator can tell keys apart without the secret."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    rate_limit: Mapped[int | None] = mapped_column(Integer)  # None: the keyed default
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
