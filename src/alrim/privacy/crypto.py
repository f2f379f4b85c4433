"""Field encryption with AES-256-GCM and keyed blind indexes.

A token is ``VERSION || len(kid) || kid || nonce(12) || ciphertext+tag``. The header (version and
key id) is authenticated together with the caller's *context* — the table, column and row the
value belongs to — as associated data, so a ciphertext copied to another row, another column or
re-labelled with another key id fails to decrypt. A fresh random 96-bit nonce is drawn for every
value. Several keys coexist in a `Keyring`: the first encrypts, all decrypt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = 1
NONCE_BYTES = 12
KEY_BYTES = 32
_KID_RE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


class CryptoError(Exception):
    """Base class: a value could not be encrypted or decrypted."""


class KeyConfigError(CryptoError):
    """The configured keys are missing or malformed."""


class UnknownKeyError(CryptoError):
    """The token names a key id that is not in the keyring."""


class DecryptionError(CryptoError):
    """The token is malformed, was tampered with, or belongs to another row/column."""


def context(table: str, column: str, row_id: str | int) -> bytes:
    """Associated data binding a value to its place: table, column and row."""
    return f"alrim|{table}|{column}|{row_id}".encode()


@dataclass(frozen=True)
class Key:
    kid: str
    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not _KID_RE.match(self.kid):
            raise KeyConfigError(f"invalid key id {self.kid!r} (letters, digits, _.- only)")
        if len(self.secret) != KEY_BYTES:
            raise KeyConfigError(
                f"key {self.kid}: expected {KEY_BYTES} bytes, got {len(self.secret)}"
            )

    @classmethod
    def generate(cls, kid: str | None = None) -> Key:
        secret = os.urandom(KEY_BYTES)
        return cls(kid or default_kid(secret), secret)

    @classmethod
    def from_base64(cls, kid: str | None, value: str) -> Key:
        try:
            secret = base64.b64decode(value.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise KeyConfigError(f"key {kid or '?'} is not valid base64") from exc
        return cls(kid or default_kid(secret), secret)

    def to_base64(self) -> str:
        return base64.b64encode(self.secret).decode("ascii")


def default_kid(secret: bytes) -> str:
    """A stable id for a key given without one: a fingerprint that reveals nothing useful."""
    return "k" + hashlib.sha256(b"alrim-kid|" + secret).hexdigest()[:8]


def _derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


class Keyring:
    """Keys by id; ``primary`` (the first) encrypts and computes new blind indexes."""

    def __init__(self, keys: Sequence[Key]) -> None:
        if not keys:
            raise KeyConfigError("no encryption key configured")
        self._keys = list(keys)
        self._by_kid: dict[str, Key] = {}
        for key in self._keys:
            if key.kid in self._by_kid:
                raise KeyConfigError(f"duplicate key id {key.kid}")
            self._by_kid[key.kid] = key
        self._aead = {k.kid: AESGCM(k.secret) for k in self._keys}
        self._index_keys = {k.kid: _derive(k.secret, b"alrim blind index v1") for k in self._keys}
        self._headers = {k.kid: _header(k.kid) for k in self._keys}

    @property
    def primary(self) -> Key:
        return self._keys[0]

    @property
    def keys(self) -> list[Key]:
        return list(self._keys)

    @property
    def kids(self) -> list[str]:
        return [k.kid for k in self._keys]

    def __contains__(self, kid: object) -> bool:
        return kid in self._by_kid

    # encryption

    def encrypt(self, plaintext: bytes, aad: bytes) -> bytes:
        kid = self.primary.kid
        header = self._headers[kid]
        nonce = os.urandom(NONCE_BYTES)
        return header + nonce + self._aead[kid].encrypt(nonce, plaintext, header + aad)

    def decrypt(self, token: bytes, aad: bytes) -> bytes:
        kid, header_len = _parse_header(token)
        aead = self._aead.get(kid)
        if aead is None:
            raise UnknownKeyError(f"value encrypted with unknown key id {kid!r}")
        nonce = token[header_len : header_len + NONCE_BYTES]
        body = token[header_len + NONCE_BYTES :]
        try:
            return aead.decrypt(nonce, body, token[:header_len] + aad)
        except InvalidTag as exc:
            raise DecryptionError("value was altered or belongs to another row/column") from exc

    def encrypt_text(self, text: str, aad: bytes) -> bytes:
        return self.encrypt(text.encode("utf-8"), aad)

    def decrypt_text(self, token: bytes, aad: bytes) -> str:
        return self.decrypt(token, aad).decode("utf-8")

    def needs_reencryption(self, token: bytes) -> bool:
        return key_id_of(token) != self.primary.kid

    # blind indexes

    def blind_index(self, value: str, purpose: str, kid: str | None = None) -> str:
        """Keyed HMAC-SHA256 of a normalised value, for equality lookup without decryption."""
        key = self._index_keys[kid or self.primary.kid]
        message = purpose.encode() + b"|" + value.encode("utf-8")
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    def blind_indexes(self, value: str, purpose: str) -> list[str]:
        """The index under every key (primary first): lookups keep working mid-rotation."""
        return [self.blind_index(value, purpose, kid) for kid in self.kids]

    def mac(self, value: bytes, purpose: str) -> str:
        """A keyed hash under the primary key (for identifiers that must not be stored raw)."""
        key = self._index_keys[self.primary.kid]
        return hmac.new(key, purpose.encode() + b"|" + value, hashlib.sha256).hexdigest()


def header_for(kid: str) -> bytes:
    """The token prefix of values encrypted with key `kid` (for SQL prefix filters)."""
    return _header(kid)


def _header(kid: str) -> bytes:
    raw = kid.encode("ascii")
    return bytes([VERSION, len(raw)]) + raw


def _parse_header(token: bytes) -> tuple[str, int]:
    if len(token) < 2 or token[0] != VERSION:
        raise DecryptionError("not an Alrim encrypted value (bad version byte)")
    length = token[1]
    header_len = 2 + length
    if len(token) < header_len + NONCE_BYTES + 16:
        raise DecryptionError("encrypted value is truncated")
    try:
        return token[2:header_len].decode("ascii"), header_len
    except UnicodeDecodeError as exc:
        raise DecryptionError("malformed key id") from exc


def key_id_of(token: bytes) -> str:
    """The id of the key a token was encrypted with (no decryption)."""
    return _parse_header(bytes(token))[0]


def parse_key_list(value: str) -> list[Key]:
    """``ALRIM_ENCRYPTION_KEY``: ``base64`` or ``kid1:base64,kid2:base64`` (the first encrypts)."""
    keys: list[Key] = []
    for part in _split(value):
        kid, sep, b64 = part.partition(":")
        keys.append(Key.from_base64(kid.strip(), b64) if sep else Key.from_base64(None, part))
    if not keys:
        raise KeyConfigError("ALRIM_ENCRYPTION_KEY is empty")
    return keys


def _split(value: str) -> Iterable[str]:
    return (p.strip() for p in value.split(",") if p.strip())
