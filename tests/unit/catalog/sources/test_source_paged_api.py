"""The politeness and secrecy parts of the paged-API machinery."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from alrim.catalog.sources.paged_api import (
    RateLimiter,
    Redactor,
    RetryPolicy,
    retry_after_seconds,
)


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=10.0, jitter=0.5)
    rng = random.Random(1)
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 10.0), (9, 10.0)]:
        delays = [policy.delay(attempt, rng) for _ in range(200)]
        assert all(ceiling * 0.5 <= d <= ceiling for d in delays)
        assert max(delays) - min(delays) > ceiling * 0.2  # jitter spreads the retries


def test_rate_limiter_spaces_requests() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(2.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        limiter.wait()
    assert slept == pytest.approx([0.5, 0.5, 0.5, 0.5])
    now[0] += 3.0  # a slow consumer is not made to wait
    limiter.wait()
    assert len(slept) == 4


def test_no_rate_limit() -> None:
    limiter = RateLimiter(0, sleep=lambda s: pytest.fail("should not sleep"))
    limiter.wait()
    limiter.wait()


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        (" 2.5 ", 2.5),
        ("-3", 0.0),
        ("Wed, 25 Nov 2026 12:00:30 GMT", 30.0),
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after(header: str | None, seconds: float | None) -> None:
    now = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds(header, now) == seconds


def test_redactor_hides_every_form_of_the_key() -> None:
    key = "Ab3/x+Yz9=="
    for given in (key, "Ab3%2Fx%2BYz9%3D%3D"):  # the portal's "Decoding" and "Encoding" forms
        redact = Redactor(given)
        for shown in (key, "Ab3%2Fx%2BYz9%3D%3D", "Ab3/x%2BYz9%3d%3d", "Ab3%2Fx%2BYz9=="):
            text = f"GET https://api.example/x?page=1&serviceKey={shown}&perPage=10"
            assert redact(text) == "GET https://api.example/x?page=1&serviceKey=***&perPage=10"


def test_redactor_without_a_secret_changes_nothing() -> None:
    assert Redactor(None, "")("serviceKey=abc") == "serviceKey=abc"
