"""Pure parts of the API edge: cursors, fixed windows, ETag comparison, key handling."""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import Any

import pytest
from starlette.datastructures import Headers

from alrim.api.cursor import CursorError, decode_cursor, encode_cursor, fingerprint
from alrim.api.edge import etag_matches, presented_key, weak_etag
from alrim.api.keys import KEY_PREFIX, generate_key, hash_key
from alrim.api.ratelimit import MemoryRateLimiter, window_of


def _run(coro: Any) -> Any:
    """Run a coroutine on its own loop in a thread: the browser tests keep an event loop
    running in the main thread for the whole session, where `asyncio.run` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_a_cursor_round_trips_and_is_bound_to_its_query() -> None:
    query = fingerprint({"category": ["생활안정"], "sort": "views"})
    cursor = encode_cursor("services", [120, "000000465790"], query)
    assert "=" not in cursor and "/" not in cursor and "+" not in cursor  # URL-safe
    assert decode_cursor(cursor, "services", query) == [120, "000000465790"]
    with pytest.raises(CursorError):
        decode_cursor(cursor, "services", fingerprint({"sort": "views"}))
    with pytest.raises(CursorError):
        decode_cursor(cursor, "changes", query)
    for garbage in ("", "!!!", "e30", cursor[:-3]):
        with pytest.raises(CursorError):
            decode_cursor(garbage, "services", query)


def test_fingerprints_ignore_key_order_but_not_values() -> None:
    assert fingerprint({"a": 1, "b": [2]}) == fingerprint({"b": [2], "a": 1})
    assert fingerprint({"a": 1}) != fingerprint({"a": 2})


@pytest.mark.parametrize(
    ("now", "window", "expected"),
    [(0.0, 60, (0, 60)), (59.2, 60, (0, 1)), (60.0, 60, (1, 60)), (125.5, 60, (2, 55))],
)
def test_windows_are_aligned_on_the_epoch(
    now: float, window: int, expected: tuple[int, int]
) -> None:
    assert window_of(now, window) == expected


def test_memory_limiter_counts_per_identity_and_window() -> None:
    now = [1000.0]
    limiter = MemoryRateLimiter(60, clock=lambda: now[0])
    decisions = [_run(limiter.hit("ip:a", 2)) for _ in range(3)]
    assert [d.allowed for d in decisions] == [True, True, False]
    assert [d.remaining for d in decisions] == [1, 0, 0]
    assert decisions[-1].reset_after == 20
    assert dict(decisions[-1].headers())[b"retry-after"] == b"20"
    assert b"retry-after" not in dict(decisions[0].headers())
    assert _run(limiter.hit("ip:b", 2)).allowed  # another client, its own budget
    now[0] = 1020.0
    assert _run(limiter.hit("ip:a", 2)).remaining == 1


def test_weak_etags_compare_weakly() -> None:
    tag = weak_etag(b'{"a":1}')
    assert tag.startswith('W/"') and tag == weak_etag(b'{"a":1}') != weak_etag(b'{"a":2}')
    assert etag_matches(tag, tag)
    assert etag_matches(tag.removeprefix("W/"), tag)
    assert etag_matches(f'"x", {tag}', tag)
    assert etag_matches("*", tag)
    assert not etag_matches('W/"other"', tag)
    assert not etag_matches(None, tag)


def test_keys_are_long_random_and_hashed() -> None:
    a, b = generate_key(), generate_key()
    assert a != b and a.startswith(KEY_PREFIX) and len(a) >= len(KEY_PREFIX) + 43
    assert hash_key(a) == hash_key(a) != hash_key(b)
    assert a not in hash_key(a) and len(hash_key(a)) == 64


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"x-api-key": " alrim_abc "}, "alrim_abc"),
        ({"authorization": "Bearer alrim_abc"}, "alrim_abc"),
        ({"authorization": "bearer alrim_abc"}, "alrim_abc"),
        ({"authorization": "Basic dXNlcjpwYXNz"}, None),
        ({"authorization": "Bearer "}, None),
        ({}, None),
    ],
)
def test_a_key_may_come_in_either_header(headers: dict[str, str], expected: str | None) -> None:
    assert presented_key(Headers(headers)) == expected
