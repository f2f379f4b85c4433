"""Where the encryption keys come from: the environment or a key file.

``ALRIM_ENCRYPTION_KEY`` (one base64 key, or ``kid1:key1,kid2:key2`` — the first encrypts) wins
over the key file ``ALRIM_ENCRYPTION_KEY_FILE`` (default ``<var_dir>/keys.json``). The key file
is created with one fresh key and mode 0600 the first time it is needed (``alrim setup`` /
``make run``). Its shape::

    {"keys": [{"kid": "k20261125a", "key": "<base64 32 bytes>", "created_at": "…"}, …]}

The first entry is the primary (encrypting) key; `add_key_to_file` puts a new one first.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alrim.privacy.crypto import Key, KeyConfigError, Keyring, parse_key_list
from alrim.settings import Settings, get_settings

_installed: Keyring | None = None


def key_file_path(settings: Settings) -> Path:
    return settings.encryption_key_file or settings.var_dir / "keys.json"


def keys_from_env(settings: Settings) -> bool:
    return bool(settings.encryption_key and settings.encryption_key.strip())


def load_keyring(settings: Settings, *, create: bool = True) -> Keyring:
    """The keyring from the environment, else from the key file (created when missing)."""
    if keys_from_env(settings):
        assert settings.encryption_key is not None
        return Keyring(parse_key_list(settings.encryption_key))
    path = key_file_path(settings)
    if not path.exists():
        if not create:
            raise KeyConfigError(f"no key file at {path} and ALRIM_ENCRYPTION_KEY is not set")
        create_key_file(path)
    return Keyring([key for key, _ in read_key_file(path)])


def create_key_file(path: Path) -> None:
    """Create the key file with one fresh key unless it exists. Safe when several processes
    start at once: the file appears whole, once (link, not replace), and all read that one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}")
    write_key_file(staging, [(Key.generate(new_kid()), _now())])
    try:
        os.link(staging, path)
    except FileExistsError:
        pass  # another process won the race; use its key
    finally:
        staging.unlink(missing_ok=True)


def read_key_file(path: Path) -> list[tuple[Key, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries: list[dict[str, Any]] = data["keys"]
        return [
            (Key.from_base64(e["kid"], e["key"]), str(e.get("created_at", ""))) for e in entries
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KeyConfigError(f"cannot read key file {path}: {exc}") from exc


def write_key_file(path: Path, entries: list[tuple[Key, str]]) -> None:
    """Write atomically with mode 0600 (never readable by other users, even briefly)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "keys": [
            {"kid": key.kid, "key": key.to_base64(), "created_at": created}
            for key, created in entries
        ]
    }
    fd, tmp = tempfile.mkstemp(prefix=".keys-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(body, handle, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_key_to_file(path: Path) -> Key:
    """Generate a key and make it primary; the older keys stay for decryption."""
    entries = read_key_file(path) if path.exists() else []
    key = Key.generate(new_kid({k.kid for k, _ in entries}))
    write_key_file(path, [(key, _now()), *entries])
    return key


def remove_key_from_file(path: Path, kid: str) -> None:
    entries = read_key_file(path)
    if entries and entries[0][0].kid == kid:
        raise KeyConfigError("the primary key cannot be retired")
    remaining = [(k, c) for k, c in entries if k.kid != kid]
    if len(remaining) == len(entries):
        raise KeyConfigError(f"no key {kid} in {path}")
    write_key_file(path, remaining)


def new_kid(taken: set[str] | None = None) -> str:
    stamp = datetime.now(UTC).strftime("k%Y%m%d")
    taken = taken or set()
    for suffix in "abcdefghijklmnopqrstuvwxyz":
        if stamp + suffix not in taken:
            return stamp + suffix
    return stamp + os.urandom(3).hex()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# The process-wide keyring used by the account, profile and rotation functions.


def keyring() -> Keyring:
    """The installed keyring, loading it from the settings on first use."""
    global _installed
    if _installed is None:
        _installed = load_keyring(get_settings())
    return _installed


def install_keyring(ring: Keyring | None) -> None:
    """Make `ring` the process keyring (the web app and the CLI do; tests too). None resets."""
    global _installed
    _installed = ring


@contextmanager
def using_keyring(ring: Keyring) -> Iterator[Keyring]:
    global _installed
    previous = _installed
    _installed = ring
    try:
        yield ring
    finally:
        _installed = previous
