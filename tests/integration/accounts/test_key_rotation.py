"""Key rotation: every encrypted value moves to the new key; lookups keep working; the run is
idempotent and resumable. Also through the CLI with a key file."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from alrim.accounts import profiles, service
from alrim.cli import app
from alrim.privacy import consent
from alrim.privacy.crypto import Key, Keyring, UnknownKeyError
from alrim.privacy.keys import install_keyring, using_keyring
from alrim.privacy.rotation import count_by_key, pending, reencrypt
from alrim.settings import get_settings
from alrim.store.accounts_tables import AccountRow

pytestmark = pytest.mark.storage
PASSWORD = "rotation test password 1"


def _people(engine: Engine, n: int) -> list[str]:
    ids = []
    for i in range(n):
        account, _ = service.create_staff(engine, f"person{i}@example.kr", PASSWORD, "citizen")
        consent.grant(engine, account.id, "matching")
        profiles.save_profile(engine, account.id, {"household_size": i + 1})
        ids.append(account.id)
    return ids


def test_rotation_reencrypts_everything_and_login_still_works(engine: Engine) -> None:
    old, new = Key.generate("old"), Key.generate("new")
    with using_keyring(Keyring([old])):
        ids = _people(engine, 5)
    both = Keyring([new, old])
    with using_keyring(both):
        assert pending(engine, both) == 10  # 5 e-mails + 5 profiles
        partial = reencrypt(engine, both, batch=2, max_batches=1)
        assert sum(partial.values()) == 2
        assert pending(engine, both) == 8  # stopped part-way …
        # … and lookups work mid-rotation (blind index under either key)
        assert service.authenticate(engine, get_settings(), "person0@example.kr", PASSWORD)
        assert service.authenticate(engine, get_settings(), "person4@example.kr", PASSWORD)
        rest = reencrypt(engine, both, batch=2)
        assert sum(rest.values()) == 8
        # Other packages register encrypted columns too (notification preferences); these
        # people have none there, so only the two account columns are checked by name.
        again = reencrypt(engine, both)
        assert again["accounts.email_enc"] == 0 and again["account_profiles.profile_enc"] == 0
        assert sum(again.values()) == 0
        counts = count_by_key(engine, both)
        assert counts["accounts.email_enc"] == {"new": 5, "old": 0}
        assert counts["account_profiles.profile_enc"] == {"new": 5, "old": 0}
    with using_keyring(Keyring([new])):  # the old key can go
        assert service.authenticate(engine, get_settings(), "person3@example.kr", PASSWORD)
        sizes = {a: p["household_size"] for a, p in profiles.iter_profiles(engine)}
        assert sizes == {a: n + 1 for n, a in enumerate(ids)}
    with using_keyring(Keyring([old])), pytest.raises(UnknownKeyError):
        profiles.load_profile(engine, ids[0])


@pytest.fixture
def cli(
    monkeypatch: pytest.MonkeyPatch, engine: Engine, tmp_path: Path
) -> Iterator[tuple[CliRunner, Path]]:
    key_file = tmp_path / "keys" / "keys.json"
    monkeypatch.setenv("ALRIM_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("ALRIM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ALRIM_ENCRYPTION_KEY_FILE", str(key_file))
    monkeypatch.delenv("ALRIM_ENCRYPTION_KEY", raising=False)
    get_settings.cache_clear()
    install_keyring(None)
    yield CliRunner(), key_file
    install_keyring(None)
    get_settings.cache_clear()


def _run(runner: CliRunner, *args: str, input: str | None = None) -> str:
    result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_keys_commands_with_a_key_file(cli: tuple[CliRunner, Path], engine: Engine) -> None:
    runner, key_file = cli
    out = _run(
        runner,
        "staff",
        "create",
        "--email",
        "Admin@Example.kr",
        "--role",
        "admin",
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert "created admin account" in out
    # the key file was created on first use, readable by its owner only
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    first = json.loads(_run(runner, "keys", "list", "--json"))
    old_kid = first["primary"]
    assert first["keys"] == [{"kid": old_kid, "values": 1}]

    out = _run(runner, "keys", "rotate", "--batch", "1")
    assert "re-encrypted 1 values" in out
    after = json.loads(_run(runner, "keys", "list", "--json"))
    assert after["primary"] != old_kid
    assert after["keys"] == [{"kid": after["primary"], "values": 1}, {"kid": old_kid, "values": 0}]
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600

    _run(runner, "keys", "retire", old_kid)
    install_keyring(None)
    account = service.authenticate(engine, get_settings(), "admin@example.kr", PASSWORD)
    assert account.role == "admin" and account.email == "admin@example.kr"
    # role changes keep the password
    _run(
        runner,
        "staff",
        "create",
        "--email",
        "admin@example.kr",
        "--role",
        "staff",
        "--keep-password",
    )
    with engine.connect() as connection:
        assert connection.scalar(select(AccountRow.role)) == "staff"


def test_rotate_with_keys_from_the_environment_needs_the_new_key_first(
    cli: tuple[CliRunner, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    runner, _ = cli
    key = Key.generate("envkey")
    monkeypatch.setenv("ALRIM_ENCRYPTION_KEY", f"envkey:{key.to_base64()}")
    get_settings.cache_clear()
    result = runner.invoke(app, ["keys", "rotate"])
    assert result.exit_code == 2
    assert "--no-new-key" in result.output
    assert "re-encrypted 0 values" in _run(runner, "keys", "rotate", "--no-new-key")
