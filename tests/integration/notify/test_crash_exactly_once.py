"""SIGKILL the worker at random points, 20 times, during a run of 5,000 notifications: every
notification reaches the SMTP server exactly once (`benchmarks/notify_crash.py` does the work;
this test runs it in CI and holds its answer)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "benchmarks" / "notify_crash.py"

pytestmark = pytest.mark.slow


def _load():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("notify_crash", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["notify_crash"] = module
    spec.loader.exec_module(module)
    return module


def test_sigkill_twenty_times_during_5000_notifications_delivers_each_exactly_once(
    tmp_path: Path,
) -> None:
    from alrim.privacy.keys import install_keyring

    try:
        result = _load().run(n=5000, kills=20, seed_value=20261125, workdir=tmp_path)
    finally:
        install_keyring(None)
    assert result["kills"] >= 20
    assert result["final_worker_exit"] == 0
    assert result["lost"] == 0, result
    assert result["duplicates"] == 0, result
    assert result["distinct_received"] == result["received"] == 5000
    assert result["message_statuses"] == {"sent": 5000}
