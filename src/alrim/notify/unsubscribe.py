"""Signed one-click unsubscribe links: ``/notify/unsubscribe/<account>.<channel>.<mac>``.

The MAC is a keyed HMAC-SHA256 under the field-encryption keys (`Keyring.blind_index`), checked
against every key so links in old e-mails keep working through a key rotation. The link is the
authorisation — a mail client's RFC 8058 POST carries no cookie and no CSRF token.
"""

from __future__ import annotations

import hmac

from alrim.notify.preferences import CHANNELS
from alrim.privacy.crypto import Keyring

PURPOSE = "unsubscribe-v1"
MAC_CHARS = 32


def make_token(ring: Keyring, account_id: str, channel: str) -> str:
    mac = ring.blind_index(f"{account_id}.{channel}", PURPOSE)[:MAC_CHARS]
    return f"{account_id}.{channel}.{mac}"


def read_token(ring: Keyring, token: str) -> tuple[str, str] | None:
    """(account id, channel) of a genuine token, else None."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    account_id, channel, mac = parts
    if channel not in CHANNELS or not account_id.isalnum() or len(account_id) > 64:
        return None
    for expected in ring.blind_indexes(f"{account_id}.{channel}", PURPOSE):
        if hmac.compare_digest(expected[:MAC_CHARS], mac):
            return account_id, channel
    return None


def unsubscribe_url(base_url: str, ring: Keyring, account_id: str, channel: str) -> str:
    return f"{base_url.rstrip('/')}/notify/unsubscribe/{make_token(ring, account_id, channel)}"
