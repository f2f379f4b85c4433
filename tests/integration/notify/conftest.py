"""Fixtures for the notification tests: a test keyring, a real SMTP server (aiosmtpd) with an
accept log, settings pointing at both, and the notification hooks installed."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from notify_steps import MailServer

from alrim.privacy.crypto import Key, Keyring
from alrim.privacy.keys import install_keyring
from alrim.settings import Settings

# The account tests' browser steps (sign up, verify, log in) are reused here.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "accounts"))

TEST_KEY = Key.generate("ntest1")


@pytest.fixture
def ring() -> Iterator[Keyring]:
    keys = Keyring([TEST_KEY])
    install_keyring(keys)
    yield keys
    install_keyring(None)


@pytest.fixture
def mail(tmp_path: Path) -> Iterator[MailServer]:
    server = MailServer(tmp_path / "accept.log").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def settings(tmp_path: Path, mail: MailServer, ring: Keyring) -> Settings:
    return Settings(
        var_dir=tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=mail.port,
        smtp_timeout_seconds=1.0,
        public_base_url="http://testserver",
        encryption_key=f"{TEST_KEY.kid}:{TEST_KEY.to_base64()}",
        notify_accept_log=mail.accept_log,
        notify_backoff_seconds=60,
        notify_max_attempts=3,
    )


@pytest.fixture(autouse=True)
def _hooks() -> None:
    from alrim.notify.hooks import install_hooks
    from alrim.notify.snapshot import forget_snapshots

    install_hooks()
    forget_snapshots()
