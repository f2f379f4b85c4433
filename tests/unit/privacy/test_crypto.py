"""Field encryption: round trip, fresh nonces, tamper detection, row/column binding, keys."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest

from alrim.privacy.crypto import (
    DecryptionError,
    Key,
    KeyConfigError,
    Keyring,
    UnknownKeyError,
    context,
    key_id_of,
    parse_key_list,
)
from alrim.privacy.keys import add_key_to_file, load_keyring, read_key_file
from alrim.settings import Settings

RING = Keyring([Key.generate("k1")])
HERE = context("account_profiles", "profile_enc", "a" * 32)


def test_round_trip_unicode() -> None:
    token = RING.encrypt_text("서울특별시 종로구 · 1994-03-02", HERE)
    assert RING.decrypt_text(token, HERE) == "서울특별시 종로구 · 1994-03-02"
    assert "종로구".encode() not in token
    assert key_id_of(token) == "k1"


def test_every_value_gets_a_fresh_nonce() -> None:
    tokens = {RING.encrypt(b"same", HERE) for _ in range(50)}
    assert len(tokens) == 50


@pytest.mark.parametrize("position", [0, 1, 2, 5, 20, -1])
def test_any_changed_byte_is_detected(position: int) -> None:
    token = bytearray(RING.encrypt(b"household_income_monthly: 4200000", HERE))
    token[position] ^= 0x01
    with pytest.raises((DecryptionError, UnknownKeyError)):
        RING.decrypt(bytes(token), HERE)


def test_truncated_or_foreign_values_are_rejected() -> None:
    token = RING.encrypt(b"x", HERE)
    for bad in (token[:10], b"", b"plain text that was never encrypted"):
        with pytest.raises(DecryptionError):
            RING.decrypt(bad, HERE)


def test_a_value_moved_to_another_row_or_column_does_not_decrypt() -> None:
    token = RING.encrypt(b"1994-03-02", HERE)
    with pytest.raises(DecryptionError):
        RING.decrypt(token, context("account_profiles", "profile_enc", "b" * 32))
    with pytest.raises(DecryptionError):
        RING.decrypt(token, context("accounts", "email_enc", "a" * 32))


def test_relabelled_key_id_fails_even_when_that_key_exists() -> None:
    a, b = Key.generate("aa"), Key(kid="bb", secret=os.urandom(32))
    ring = Keyring([a, b])
    token = bytearray(ring.encrypt(b"secret", HERE))
    assert token[2:4] == b"aa"
    token[2:4] = b"bb"
    with pytest.raises(DecryptionError):
        ring.decrypt(bytes(token), HERE)


def test_old_keys_decrypt_and_the_first_encrypts() -> None:
    old, new = Key.generate("old"), Key.generate("new")
    token = Keyring([old]).encrypt(b"v", HERE)
    rotated = Keyring([new, old])
    assert rotated.decrypt(token, HERE) == b"v"
    assert rotated.needs_reencryption(token)
    assert key_id_of(rotated.encrypt(b"v", HERE)) == "new"
    with pytest.raises(UnknownKeyError):
        Keyring([new]).decrypt(token, HERE)


def test_blind_index_is_keyed_and_stable() -> None:
    a, b = Keyring([Key.generate("a")]), Keyring([Key.generate("b")])
    assert a.blind_index("x@example.kr", "email") == a.blind_index("x@example.kr", "email")
    assert a.blind_index("x@example.kr", "email") != b.blind_index("x@example.kr", "email")
    assert a.blind_index("x@example.kr", "email") != a.blind_index("x@example.kr", "phone")
    both = Keyring([b.primary, a.primary])
    assert both.blind_indexes("x@example.kr", "email") == [
        b.blind_index("x@example.kr", "email"),
        a.blind_index("x@example.kr", "email"),
    ]


def test_key_list_from_the_environment() -> None:
    k1, k2 = os.urandom(32), os.urandom(32)
    keys = parse_key_list(
        f"one:{base64.b64encode(k1).decode()}, two:{base64.b64encode(k2).decode()}"
    )
    assert [k.kid for k in keys] == ["one", "two"]
    assert keys[0].secret == k1
    single = parse_key_list(base64.b64encode(k1).decode())
    assert single[0].secret == k1 and single[0].kid.startswith("k")
    for bad in ("", "one:not-base64!!", f"one:{base64.b64encode(b'short').decode()}"):
        with pytest.raises(KeyConfigError):
            parse_key_list(bad)
    with pytest.raises(KeyConfigError):
        Keyring([Key("same", k1), Key("same", k2)])


def test_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path, encryption_key=None)
    ring = load_keyring(settings)
    path = tmp_path / "keys.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_keyring(settings).primary == ring.primary
    token = ring.encrypt(b"v", HERE)
    added = add_key_to_file(path)
    reloaded = load_keyring(settings)
    assert reloaded.primary.kid == added.kid
    assert reloaded.decrypt(token, HERE) == b"v"
    assert [k.kid for k, _ in read_key_file(path)] == [added.kid, ring.primary.kid]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_environment_keys_win_over_the_file(tmp_path: Path) -> None:
    key = Key.generate("envk")
    settings = Settings(var_dir=tmp_path, encryption_key=f"envk:{key.to_base64()}")
    assert load_keyring(settings).kids == ["envk"]
    assert not (tmp_path / "keys.json").exists()
    with pytest.raises(KeyConfigError):
        load_keyring(Settings(var_dir=tmp_path, encryption_key=None), create=False)
