"""Fixtures for the account tests: a test keyring, a real SMTP server (aiosmtpd) collecting
what the app sends, settings pointing at both, and a TestClient of the whole app."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from account_steps import Mailbox
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from alrim.privacy.crypto import Key, Keyring
from alrim.privacy.keys import install_keyring
from alrim.settings import Settings

TEST_KEY = Key.generate("test1")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox(_free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def keyring_for_test() -> Iterator[Keyring]:
    ring = Keyring([TEST_KEY])
    install_keyring(ring)
    yield ring
    install_keyring(None)


@pytest.fixture
def settings(tmp_path: Path, mailbox: Mailbox, keyring_for_test: Keyring) -> Settings:
    return Settings(
        var_dir=tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=mailbox.port,
        public_base_url="http://testserver",
        encryption_key=f"{TEST_KEY.kid}:{TEST_KEY.to_base64()}",
    )


@pytest.fixture
def client(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    from alrim.api.app import create_app

    app = create_app(settings, engine)
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client
