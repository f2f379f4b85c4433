"""The live 온통청년 source against a real local HTTP server serving the bundled sample."""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from fake_open_data_server import FakeOpenData

from alrim.catalog.sources.base import RawRecord
from alrim.catalog.sources.paged_api import RetryPolicy
from alrim.catalog.sources.youth import YouthSource
from alrim.paths import REPO_ROOT

KEY = "youth-0000-SECRETKEY"
FAST_RETRY = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.05)


@pytest.fixture(scope="module")
def policies() -> list[dict[str, Any]]:
    path = REPO_ROOT / "data" / "youth" / "youthcenter_sample_2026-07.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows: list[dict[str, Any]] = json.load(fh)["result"]["youthPolicyList"]
    return rows


@pytest.fixture
def server(policies: list[dict[str, Any]]) -> Any:
    fake = FakeOpenData(rows={"youth": policies}, kind="youth", key=KEY).start()
    yield fake
    fake.stop()


def _source(server: FakeOpenData, **options: Any) -> YouthSource:
    key = options.pop("api_key", KEY)
    return YouthSource(
        api_key=key,
        base_url=server.base_url + "go/ythip/getPlcy",
        rate_limit=0,
        retry=FAST_RETRY,
        timeout=5.0,
        **options,
    )


def test_fetches_every_page(server: FakeOpenData) -> None:
    source = _source(server)
    keys = [r.key for r in source.records() if isinstance(r, RawRecord)]
    assert len(keys) == len(set(keys)) == 1324
    assert source.run.complete is True
    assert source.dataset == "youthcenter" and source.run.endpoints == ("youth",)
    assert server.pages_requested("youth") == list(range(1, 15))  # 1,324 rows / 100
    params = server.requests[0].params
    assert params == {"apiKeyNm": KEY, "pageNum": "1", "pageSize": "100", "rtnType": "json"}


def test_a_refused_key_in_a_200_answer_is_an_auth_failure(
    server: FakeOpenData, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    source = _source(server, api_key="wrong-SECRETKEY")
    assert list(source.records()) == []
    assert source.run.complete is False
    assert source.failure is not None and source.failure.kind == "auth"
    assert "인증키가 유효하지 않습니다" in source.failure.message
    assert len(server.requests) == 1
    assert "SECRETKEY" not in caplog.text
    assert "SECRETKEY" not in " ".join(source.run.notes)


def test_resumes_from_the_checkpoint_after_a_failure(server: FakeOpenData, tmp_path: Path) -> None:
    server.faults[("youth", 6)] = ["500", "500"]  # both attempts fail
    first = _source(server, checkpoint_dir=tmp_path)
    assert sum(isinstance(r, RawRecord) for r in first.records()) == 500
    assert first.run.complete is False

    second = _source(server, checkpoint_dir=tmp_path)
    keys = [r.key for r in second.records() if isinstance(r, RawRecord)]
    assert len(keys) == len(set(keys)) == 1324
    assert second.run.complete is True
    assert server.pages_requested("youth") == [1, 2, 3, 4, 5, 6, 6, *range(6, 15)]

    offline = YouthSource(offline=True, checkpoint_dir=tmp_path)
    assert [r.key for r in offline.records() if isinstance(r, RawRecord)] == keys
    assert offline.run.complete is True
