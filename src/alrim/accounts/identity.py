"""E-mail addresses: normalisation, validation, encryption and blind-index lookup keys."""

from __future__ import annotations

import re
import unicodedata

from alrim.privacy.crypto import Keyring, context

EMAIL_INDEX_PURPOSE = "email"
_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")


def normalize_email(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip().lower()


def is_valid_email(value: str) -> bool:
    return len(value) <= 254 and bool(_EMAIL_RE.match(value))


def email_context(account_id: str) -> bytes:
    return context("accounts", "email_enc", account_id)


def encrypt_email(ring: Keyring, account_id: str, email: str) -> bytes:
    return ring.encrypt_text(normalize_email(email), email_context(account_id))


def decrypt_email(ring: Keyring, account_id: str, token: bytes) -> str:
    return ring.decrypt_text(token, email_context(account_id))


def email_index(ring: Keyring, email: str) -> str:
    return ring.blind_index(normalize_email(email), EMAIL_INDEX_PURPOSE)


def email_indexes(ring: Keyring, email: str) -> list[str]:
    """Indexes under every key, so lookups work while a key rotation is under way."""
    return ring.blind_indexes(normalize_email(email), EMAIL_INDEX_PURPOSE)
