"""The live gov24 source against a real local HTTP server serving the bundled sample."""

from __future__ import annotations

import gzip
import json
import logging
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fake_open_data_server import FakeOpenData, Request

from alrim.catalog.sources.base import RawRecord, Rejected
from alrim.catalog.sources.gov24_api import Gov24ApiSource
from alrim.catalog.sources.gov24_files import Gov24FileSource
from alrim.catalog.sources.paged_api import RetryPolicy
from alrim.paths import REPO_ROOT

DATA = REPO_ROOT / "data" / "gov24"
# A key with characters that URL-encoding changes, as data.go.kr keys have.
KEY = "Ab3/x+Yz9==SECRETKEY"
FAST_RETRY = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05)


def _sample(endpoint: str) -> list[dict[str, Any]]:
    with gzip.open(DATA / f"{endpoint}_sample.json.gz", "rt", encoding="utf-8") as fh:
        rows: list[dict[str, Any]] = json.load(fh)["data"]
    return rows


@pytest.fixture(scope="module")
def sample_rows() -> dict[str, list[dict[str, Any]]]:
    return {e: _sample(e) for e in ("serviceList", "serviceDetail", "supportConditions")}


@pytest.fixture
def server(sample_rows: dict[str, list[dict[str, Any]]]) -> Any:
    fake = FakeOpenData(rows={k: list(v) for k, v in sample_rows.items()}, key=KEY).start()
    yield fake
    fake.stop()


def _source(server: FakeOpenData, **options: Any) -> Gov24ApiSource:
    defaults: dict[str, Any] = {
        "base_url": server.base_url,
        "per_page": 100,
        "rate_limit": 0,
        "retry": FAST_RETRY,
        "timeout": 5.0,
    }
    defaults.update(options)
    key = defaults.pop("service_key", KEY)
    return Gov24ApiSource(key, **defaults)


def _no_secret_anywhere(texts: list[str]) -> None:
    for text in texts:
        assert "SECRETKEY" not in text
        assert "SECRETKEY".lower() not in text.lower()


def test_fetches_every_page_of_all_three_endpoints(server: FakeOpenData) -> None:
    source = _source(server)
    records = list(source.records())

    counts = Counter(r.endpoint for r in records if isinstance(r, RawRecord))
    assert counts == {"serviceList": 1097, "serviceDetail": 1097, "supportConditions": 1097}
    assert not [r for r in records if isinstance(r, Rejected)]
    assert source.run.complete is True
    assert source.run.endpoints == ("serviceList", "serviceDetail", "supportConditions")
    assert source.run.fetched_at is not None
    assert server.pages_requested("serviceList") == list(range(1, 12))
    first = next(r for r in records if isinstance(r, RawRecord))
    assert first.key == "000000465790"
    assert first.ref == "api:serviceList page 1 [0]"
    # The query carries what the API expects.
    params = server.requests[0].params
    assert params["perPage"] == "100" and params["returnType"] == "JSON"
    assert params["serviceKey"] == KEY


def test_an_encoding_form_key_is_decoded_once(server: FakeOpenData) -> None:
    encoded = KEY.replace("/", "%2F").replace("+", "%2B").replace("=", "%3D")
    source = _source(server, service_key=encoded, endpoints=["supportConditions"])
    assert sum(isinstance(r, RawRecord) for r in source.records()) == 1097
    assert source.run.complete is True


def test_retries_a_500_then_succeeds(server: FakeOpenData) -> None:
    server.faults[("serviceList", 2)] = ["500"]
    source = _source(server, endpoints=["serviceList"])
    keys = [r.key for r in source.records() if isinstance(r, RawRecord)]
    assert len(keys) == len(set(keys)) == 1097
    assert source.run.complete is True
    assert server.pages_requested("serviceList").count(2) == 2


def test_a_429_waits_as_long_as_retry_after_says(server: FakeOpenData) -> None:
    server.faults[("serviceList", 1)] = ["429:7"]
    slept: list[float] = []
    source = _source(
        server,
        endpoints=["serviceList"],
        retry=RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=30.0),
        sleep=slept.append,
    )
    assert sum(isinstance(r, RawRecord) for r in source.records()) == 1097
    assert slept and slept[0] == pytest.approx(7.0)
    assert source.run.complete is True


def test_a_timeout_is_retried(server: FakeOpenData) -> None:
    server.faults[("serviceDetail", 1)] = ["slow:2.5"]
    source = _source(server, endpoints=["serviceDetail"], timeout=1.0)
    assert sum(isinstance(r, RawRecord) for r in source.records()) == 1097
    assert source.run.complete is True
    assert server.pages_requested("serviceDetail").count(1) == 2


def test_a_truncated_json_body_is_retried(server: FakeOpenData) -> None:
    server.faults[("supportConditions", 4)] = ["truncated"]
    source = _source(server, endpoints=["supportConditions"])
    assert sum(isinstance(r, RawRecord) for r in source.records()) == 1097
    assert source.run.complete is True


def test_a_wrong_key_stops_with_a_clear_error_and_never_shows_the_key(
    server: FakeOpenData, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "WRONG/SECRETKEY+=="
    source = _source(server, service_key=wrong, checkpoint_dir=tmp_path)
    records = list(source.records())

    assert records == []
    assert source.run.complete is False
    assert source.failure is not None and source.failure.kind == "auth"
    assert "HTTP 401" in source.failure.message
    assert "등록되지 않은 인증키" in source.failure.message
    assert any("refused the key" in note for note in source.run.notes)
    assert len(server.requests) == 1  # an auth error is not retried
    checkpoint_text = [p.read_text() for p in tmp_path.rglob("*") if p.is_file()]
    _no_secret_anywhere(
        [caplog.text, repr(source), source.failure.message, *source.run.notes, *checkpoint_text]
    )
    assert wrong not in caplog.text


def test_the_key_stays_out_of_logs_even_when_pages_fail(
    server: FakeOpenData, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.faults[("serviceList", 1)] = ["500", "drop", "500"]
    source = _source(server, endpoints=["serviceList"])
    assert list(source.records()) == []
    assert source.run.complete is False
    assert source.failure is not None and "after 3 attempts" in source.failure.message
    assert "HTTP Request" in caplog.text  # httpx did log its requests …
    _no_secret_anywhere([caplog.text, *source.run.notes])  # … without the key


def test_a_dead_server_leaves_the_run_incomplete_and_a_rerun_resumes(
    sample_rows: dict[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    server = FakeOpenData(rows={"serviceList": sample_rows["serviceList"]}, key=KEY).start()
    port = server.port
    checkpoint = tmp_path / "checkpoint"
    first_keys: list[str] = []
    source = _source(server, endpoints=["serviceList"], checkpoint_dir=checkpoint)
    try:
        for record in source.records():
            assert isinstance(record, RawRecord)
            first_keys.append(record.key)
            if len(first_keys) == 300:  # the last row of page 3: the server dies
                server.stop()
    finally:
        server.stop()
    assert len(first_keys) == 300
    assert source.run.complete is False
    assert source.failure is not None and source.failure.kind == "network"
    assert sorted(p.name for p in (checkpoint / "serviceList").glob("page-*.json")) == [
        "page-0001.json",
        "page-0002.json",
        "page-0003.json",
    ]

    revived = FakeOpenData(
        rows={"serviceList": sample_rows["serviceList"]}, key=KEY, port=port
    ).start()
    try:
        rerun = _source(revived, endpoints=["serviceList"], checkpoint_dir=checkpoint)
        records = list(rerun.records())
    finally:
        revived.stop()
    keys = [r.key for r in records if isinstance(r, RawRecord)]
    assert len(keys) == len(set(keys)) == 1097  # every row once
    assert keys[:300] == first_keys
    assert revived.pages_requested("serviceList") == list(range(4, 12))  # 1–3 not refetched
    assert rerun.run.complete is True
    assert any("3 page(s) reused" in note for note in rerun.run.notes)
    assert records[0].ref == "checkpoint:serviceList/page-0001.json [0]"
    # The checkpoint holds raw answers and no key.
    saved = (checkpoint / "serviceList" / "page-0004.json").read_text(encoding="utf-8")
    assert json.loads(saved)["page"] == 4
    _no_secret_anywhere([p.read_text() for p in checkpoint.rglob("*") if p.is_file()])


def test_a_finished_checkpoint_is_read_offline_and_as_files(
    server: FakeOpenData, tmp_path: Path
) -> None:
    live = _source(server, endpoints=["serviceList", "supportConditions"], checkpoint_dir=tmp_path)
    live_keys = [r.key for r in live.records() if isinstance(r, RawRecord)]
    assert live.run.complete is True
    asked = len(server.requests)

    offline = Gov24ApiSource(
        None, endpoints=["serviceList", "supportConditions"], offline=True, checkpoint_dir=tmp_path
    )
    offline_keys = [r.key for r in offline.records() if isinstance(r, RawRecord)]
    assert offline_keys == live_keys
    assert offline.run.complete is True
    assert len(server.requests) == asked  # no network

    files = Gov24FileSource([tmp_path])
    file_keys = [r.key for r in files.records() if isinstance(r, RawRecord)]
    assert file_keys == live_keys
    assert files.run.complete is True  # 11 pages add up to totalCount


def test_a_rerun_after_a_finished_run_fetches_afresh(server: FakeOpenData, tmp_path: Path) -> None:
    for _ in range(2):
        source = _source(server, endpoints=["supportConditions"], checkpoint_dir=tmp_path)
        assert sum(isinstance(r, RawRecord) for r in source.records()) == 1097
    assert server.pages_requested("supportConditions") == list(range(1, 12)) * 2


def test_bad_rows_in_a_page_are_rejected_and_the_rest_kept(
    sample_rows: dict[str, list[dict[str, Any]]],
) -> None:
    rows: list[Any] = [dict(r) for r in sample_rows["supportConditions"][:250]]
    rows[5]["JA0110"] = "abc"
    rows[120] = ["not", "a", "row"]
    del rows[200]["서비스ID"]
    server = FakeOpenData(rows={"supportConditions": rows}, key=KEY).start()
    try:
        source = _source(server, endpoints=["supportConditions"])
        records = list(source.records())
    finally:
        server.stop()
    rejected = {r.ref: r for r in records if isinstance(r, Rejected)}
    assert len(records) == 250 and len(rejected) == 3
    assert rejected["api:supportConditions page 1 [5]"].reason == "JA0110 is not a number: 'abc'"
    assert rejected["api:supportConditions page 1 [5]"].key == rows[5]["서비스ID"]
    assert rejected["api:supportConditions page 2 [20]"].reason.startswith("row is not an object")
    assert rejected["api:supportConditions page 3 [0]"].reason == "missing 서비스ID"
    # Rows without a readable id may be services we cannot name: nothing may be withdrawn.
    assert source.run.complete is False


def test_a_catalog_that_changes_size_mid_run_is_not_complete(server: FakeOpenData) -> None:
    def grow(request: Request) -> None:
        if request.page == 5:
            server.totals["serviceList"] = 1098

    server.on_request = grow
    source = _source(server, endpoints=["serviceList"])
    list(source.records())
    assert source.run.complete is False
    assert any("totalCount changed" in note for note in source.run.notes)


def test_the_caller_can_make_a_live_run_partial_but_not_a_failed_one_complete(
    server: FakeOpenData,
) -> None:
    partial = _source(server, endpoints=["supportConditions"], complete=False)
    assert sum(isinstance(r, RawRecord) for r in partial.records()) == 1097
    assert partial.run.complete is False

    server.faults[("serviceList", 2)] = ["500"] * 3
    failed = _source(server, endpoints=["serviceList"], complete=True)
    list(failed.records())
    assert failed.run.complete is False
    assert "complete=True was given, but not every page was fetched" in failed.run.notes


def test_a_rerun_reuses_endpoints_finished_before_the_failure(
    server: FakeOpenData, tmp_path: Path
) -> None:
    server.faults[("serviceDetail", 2)] = ["500"] * 3
    first = _source(server, checkpoint_dir=tmp_path)
    list(first.records())
    assert first.run.complete is False
    assert first.run.endpoints == ("serviceList", "serviceDetail")  # partly read
    assert any(
        "not fetched because of the failure: supportConditions" in n for n in first.run.notes
    )

    second = _source(server, checkpoint_dir=tmp_path)
    counts = Counter(r.endpoint for r in second.records() if isinstance(r, RawRecord))
    assert counts == {"serviceList": 1097, "serviceDetail": 1097, "supportConditions": 1097}
    assert second.run.complete is True
    assert server.pages_requested("serviceList") == list(range(1, 12))  # never twice
    assert server.pages_requested("serviceDetail") == [1, 2, 2, 2, *range(2, 12)]


def test_an_old_unfinished_checkpoint_is_not_resumed(server: FakeOpenData, tmp_path: Path) -> None:
    server.faults[("serviceList", 3)] = ["500"] * 3
    day_one = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    first = _source(server, endpoints=["serviceList"], checkpoint_dir=tmp_path, now=lambda: day_one)
    list(first.records())
    assert first.run.complete is False

    three_days_later = day_one + timedelta(days=3)
    second = _source(
        server, endpoints=["serviceList"], checkpoint_dir=tmp_path, now=lambda: three_days_later
    )
    assert sum(isinstance(r, RawRecord) for r in second.records()) == 1097
    assert second.run.fetched_at == three_days_later  # no stale page mixed in
    assert server.pages_requested("serviceList")[-11:] == list(range(1, 12))
