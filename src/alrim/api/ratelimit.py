"""Fixed-window rate limits: in one process by default, shared through Redis when configured.

Windows are aligned on the epoch (`window` seconds long), so every process and server agree on
when one ends without talking to each other. A client may therefore send up to twice its limit
across a window boundary; that is the usual price of a fixed window and is documented.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_after: int  # whole seconds until the window ends (>= 1)

    def headers(self) -> list[tuple[bytes, bytes]]:
        out = [
            (b"x-ratelimit-limit", str(self.limit).encode()),
            (b"x-ratelimit-remaining", str(self.remaining).encode()),
            (b"x-ratelimit-reset", str(self.reset_after).encode()),
        ]
        if not self.allowed:
            out.append((b"retry-after", str(self.reset_after).encode()))
        return out


def window_of(now: float, window: int) -> tuple[int, int]:
    """The index of the window holding `now`, and whole seconds until it ends."""
    index = int(now // window)
    reset_after = max(1, math.ceil((index + 1) * window - now))
    return index, reset_after


def decide(count: int, limit: int, reset_after: int) -> Decision:
    return Decision(
        allowed=count <= limit,
        limit=limit,
        remaining=max(0, limit - count),
        reset_after=reset_after,
    )


class RateLimiter(Protocol):
    async def hit(self, identity: str, limit: int) -> Decision: ...

    async def close(self) -> None: ...


class MemoryRateLimiter:
    """Counters in this process (the default; exact for one worker)."""

    def __init__(self, window: int, clock: Callable[[], float] = time.time) -> None:
        self.window, self._clock = window, clock
        self._counts: dict[str, tuple[int, int]] = {}  # identity → (window index, count)

    async def hit(self, identity: str, limit: int) -> Decision:
        return self.hit_now(identity, limit)

    def hit_now(self, identity: str, limit: int) -> Decision:
        index, reset_after = window_of(self._clock(), self.window)
        seen = self._counts.get(identity)
        count = seen[1] + 1 if seen is not None and seen[0] == index else 1
        if len(self._counts) > 100_000 and seen is None:
            self._counts = {k: v for k, v in self._counts.items() if v[0] == index}
        self._counts[identity] = (index, count)
        return decide(count, limit, reset_after)

    async def close(self) -> None:
        return None


class RedisRateLimiter:
    """Counters in Redis (`SET NX EX` + `INCR` per identity and window), shared by every
    worker and server. If Redis cannot be reached the request is counted in this process
    instead (and a warning logged), so an outage of Redis does not take the API down."""

    def __init__(
        self,
        url: str,
        window: int,
        *,
        prefix: str = "alrim:rl",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url, self.window, self.prefix, self._clock = url, window, prefix, clock
        self._client: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._fallback = MemoryRateLimiter(window, clock)
        self._warned_at = 0.0

    def _client_for_loop(self) -> Any:
        """A client bound to the running event loop (one per process in a server; tests
        may run each request in a loop of its own)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            import redis.asyncio as aioredis

            self._client = aioredis.Redis.from_url(
                self.url, socket_connect_timeout=0.5, socket_timeout=0.5
            )
            self._loop = loop
        return self._client

    async def hit(self, identity: str, limit: int) -> Decision:
        index, reset_after = window_of(self._clock(), self.window)
        key = f"{self.prefix}:{identity}:{index}"
        try:
            async with self._client_for_loop().pipeline(transaction=False) as pipe:
                pipe.set(key, 0, ex=self.window + 5, nx=True)  # created with its expiry
                pipe.incr(key)
                _, count = await pipe.execute()
        except Exception as exc:  # any Redis or network failure: count locally
            now = time.monotonic()
            if now - self._warned_at > 60:
                self._warned_at = now
                log.warning("rate limiter: Redis unavailable (%s); counting per process", exc)
            return self._fallback.hit_now(identity, limit)
        return decide(int(count), limit, reset_after)

    async def close(self) -> None:
        if self._client is not None and self._loop is asyncio.get_running_loop():
            await self._client.aclose()
        self._client = self._loop = None


def make_limiter(window: int, redis_url: str | None) -> RateLimiter:
    if redis_url:
        return RedisRateLimiter(redis_url, window)
    return MemoryRateLimiter(window)
