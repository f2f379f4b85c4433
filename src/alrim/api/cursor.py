"""Opaque pagination cursors: URL-safe base64 of a small JSON object.

A cursor records where the previous page ended (the sort key of its last row) and a fingerprint
of the query it belongs to, so a cursor reused with other filters or another sort is refused
instead of silently skipping rows. It is not secret and not signed: tampering with it can only
move the reader around the same listing. Clients must treat it as opaque.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

VERSION = 1


class CursorError(ValueError):
    """The cursor is malformed or belongs to another query."""


def fingerprint(params: dict[str, Any]) -> str:
    """A short, order-independent digest of the query parameters a cursor is bound to."""
    blob = json.dumps(params, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(blob.encode("utf-8"), digest_size=6).hexdigest()


def encode_cursor(kind: str, position: list[Any], query: str) -> str:
    payload = {"v": VERSION, "k": kind, "p": position, "q": query}
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, kind: str, query: str) -> list[Any]:
    """The position stored in `cursor`; raises CursorError if it is not one of ours for
    this kind of listing and this query."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw.decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise CursorError("malformed cursor") from exc
    if not isinstance(payload, dict) or payload.get("v") != VERSION or payload.get("k") != kind:
        raise CursorError("not a cursor of this listing")
    if payload.get("q") != query:
        raise CursorError("the cursor belongs to other filters or another sort")
    position = payload.get("p")
    if not isinstance(position, list):
        raise CursorError("malformed cursor")
    return position
