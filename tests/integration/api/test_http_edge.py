"""What every /api response shares: keys, rate limits (in one process and through Redis),
ETag / 304, gzip, CORS and the error body — also for unexpected errors."""

from __future__ import annotations

import asyncio
import concurrent.futures
import socket
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.testclient import TestClient

from alrim.api import keys as api_keys
from alrim.api.ratelimit import MemoryRateLimiter, RedisRateLimiter


def _run(coro: Any) -> Any:
    """Run a coroutine on its own loop in a thread: the browser tests keep an event loop
    running in the main thread for the whole session, where `asyncio.run` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


AppFactory = Any

pytestmark = pytest.mark.storage

REDIS_URL = "redis://127.0.0.1:6379/15"
T0 = 1_800_000_010.0  # 10 s into a 60-second window


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _fixed_memory_limiter(app: FastAPI, clock: Clock) -> None:
    app.state.limiter = MemoryRateLimiter(app.state.settings.rate_limit_window_seconds, clock)


def _redis_limiter(app: FastAPI, clock: Clock, prefix: str, url: str = REDIS_URL) -> None:
    app.state.limiter = RedisRateLimiter(
        url, app.state.settings.rate_limit_window_seconds, prefix=prefix, clock=clock
    )


def _limits(r: Any) -> tuple[int, int, int]:
    h = r.headers
    return (
        int(h["x-ratelimit-limit"]),
        int(h["x-ratelimit-remaining"]),
        int(h["x-ratelimit-reset"]),
    )


# ── ETag, gzip, CORS ────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/services?limit=5",
        "/api/v1/categories",
        "/api/v1/regions",
        "/api/v1/agencies",
        "/api/v1/changes?limit=3",
    ],
)
def test_etag_and_if_none_match(client: TestClient, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert "x-ratelimit-remaining" in again.headers
    among = client.get(path, headers={"If-None-Match": f'"other", {etag.removeprefix("W/")}'})
    assert among.status_code == 304
    stale = client.get(path, headers={"If-None-Match": 'W/"not-this-one"'})
    assert stale.status_code == 200 and stale.content == first.content


def test_different_representations_have_different_etags(client: TestClient) -> None:
    a = client.get("/api/v1/services", params={"limit": 2})
    b = client.get("/api/v1/services", params={"limit": 3})
    assert a.headers["etag"] != b.headers["etag"]
    c = client.get(
        "/api/v1/services", params={"limit": 3}, headers={"If-None-Match": a.headers["etag"]}
    )
    assert c.status_code == 200


def test_service_detail_etag(client: TestClient) -> None:
    sid = client.get("/api/v1/services", params={"limit": 1}).json()["results"][0]["service_id"]
    r = client.get(f"/api/v1/services/{sid}")
    assert (
        client.get(
            f"/api/v1/services/{sid}", headers={"If-None-Match": r.headers["etag"]}
        ).status_code
        == 304
    )


def test_gzip_when_accepted(client: TestClient) -> None:
    plain = client.get(
        "/api/v1/services", params={"limit": 50}, headers={"Accept-Encoding": "identity"}
    )
    zipped = client.get(
        "/api/v1/services", params={"limit": 50}, headers={"Accept-Encoding": "gzip"}
    )
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) < len(plain.content) / 3
    assert zipped.json() == plain.json()  # the client inflates it
    assert zipped.headers["etag"] == plain.headers["etag"]


def test_cors_is_off_by_default(client: TestClient) -> None:
    r = client.get("/api/v1/regions", headers={"Origin": "https://app.example"})
    assert "access-control-allow-origin" not in r.headers


def test_cors_for_configured_origins(engine: Engine, make_app: AppFactory) -> None:
    app = make_app(engine, cors_origins=["https://app.example"])
    with TestClient(app) as c:
        pre = c.options(
            "/api/v1/services",
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "X-API-Key",
            },
        )
        assert pre.status_code == 200
        assert pre.headers["access-control-allow-origin"] == "https://app.example"
        assert "x-api-key" in pre.headers["access-control-allow-headers"].lower()
        r = c.get("/api/v1/regions", headers={"Origin": "https://app.example"})
        assert r.headers["access-control-allow-origin"] == "https://app.example"
        exposed = r.headers["access-control-expose-headers"].lower()
        assert "x-ratelimit-remaining" in exposed and "etag" in exposed
        other = c.get("/api/v1/regions", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


# ── keys and rate limits ────────────────────────────────────────────────────────────────


def test_anonymous_limit_then_429_with_headers(engine: Engine, make_app: AppFactory) -> None:
    app = make_app(engine, rate_limit_anonymous=3, rate_limit_window_seconds=60)
    clock = Clock()
    _fixed_memory_limiter(app, clock)
    with TestClient(app) as c:
        seen = [_limits(c.get("/api/v1/regions")) for _ in range(3)]
        assert seen == [(3, 2, 50), (3, 1, 50), (3, 0, 50)]
        r = c.get("/api/v1/regions")
        assert r.status_code == 429
        assert r.json()["error"]["code"] == "rate_limited"
        assert r.headers["retry-after"] == "50"
        assert _limits(r) == (3, 0, 50)
        # Every /api response counts and carries the headers, errors included.
        assert c.get("/api/v1/nowhere").status_code == 429
        # The next window starts afresh.
        clock.now += 50
        r = c.get("/api/v1/regions")
        assert r.status_code == 200 and _limits(r) == (3, 2, 60)


def test_api_docs_and_web_pages_are_not_limited(engine: Engine, make_app: AppFactory) -> None:
    app = make_app(engine, rate_limit_anonymous=1)
    _fixed_memory_limiter(app, Clock())
    with TestClient(app) as c:
        for _ in range(3):
            assert c.get("/api/v1/openapi.json").status_code == 200
            assert c.get("/healthz").status_code == 200
        assert c.get("/api/v1/regions").status_code == 200
        assert c.get("/api/v1/regions").status_code == 429


def test_keys_have_their_own_higher_limits(engine: Engine, make_app: AppFactory) -> None:
    partner = api_keys.create_key(engine, "partner", rate_limit=5)
    default = api_keys.create_key(engine, "default")
    app = make_app(engine, rate_limit_anonymous=2, rate_limit_keyed=4)
    _fixed_memory_limiter(app, Clock())
    with TestClient(app) as c:
        assert [c.get("/api/v1/regions").status_code for _ in range(3)] == [200, 200, 429]
        key = {"X-API-Key": partner.key}
        bearer = {"Authorization": f"Bearer {partner.key}"}
        statuses = [c.get("/api/v1/regions", headers=key).status_code for _ in range(3)]
        statuses += [c.get("/api/v1/regions", headers=bearer).status_code for _ in range(3)]
        assert statuses == [200, 200, 200, 200, 200, 429]  # both ways name the same key
        r = c.get("/api/v1/regions", headers={"X-API-Key": default.key})
        assert r.status_code == 200 and _limits(r)[:2] == (4, 3)


def test_wrong_and_revoked_keys_are_401(engine: Engine, make_app: AppFactory) -> None:
    created = api_keys.create_key(engine, "soon revoked")
    app = make_app(engine, rate_limit_anonymous=100)
    _fixed_memory_limiter(app, Clock())
    with TestClient(app) as c:
        assert c.get("/api/v1/regions", headers={"X-API-Key": created.key}).status_code == 200
        wrong = c.get("/api/v1/regions", headers={"X-API-Key": created.key + "x"})
        assert wrong.status_code == 401
        assert wrong.json()["error"] == {
            "code": "invalid_api_key",
            "message": wrong.json()["error"]["message"],
            "field": "X-API-Key",
        }
        assert "x-ratelimit-remaining" in wrong.headers  # guesses are counted
        assert api_keys.revoke_key(engine, str(created.info.id))[0].revoked_at is not None
        revoked = c.get("/api/v1/regions", headers={"X-API-Key": created.key})
        assert revoked.status_code == 401  # cache TTL is 0 in tests


def test_wrong_key_guessing_is_rate_limited(engine: Engine, make_app: AppFactory) -> None:
    app = make_app(engine, rate_limit_anonymous=2)
    _fixed_memory_limiter(app, Clock())
    with TestClient(app) as c:
        codes = [
            c.get("/api/v1/regions", headers={"X-API-Key": f"alrim_guess{i}"}).status_code
            for i in range(4)
        ]
        assert codes == [401, 401, 429, 429]


def test_anonymous_access_can_be_switched_off(engine: Engine, make_app: AppFactory) -> None:
    created = api_keys.create_key(engine, "only keyed")
    app = make_app(engine, rate_limit_anonymous=0)
    with TestClient(app) as c:
        r = c.get("/api/v1/regions")
        assert r.status_code == 401 and r.json()["error"]["code"] == "api_key_required"
        assert c.get("/api/v1/regions", headers={"X-API-Key": created.key}).status_code == 200


def test_key_lookups_are_cached_for_the_configured_time(engine: Engine) -> None:
    created = api_keys.create_key(engine, "cached")
    clock = Clock(0.0)
    cache = api_keys.KeyCache(engine, ttl=30, clock=clock)
    assert cache.lookup(created.key) is not None
    api_keys.revoke_key(engine, created.info.prefix)
    assert cache.lookup(created.key) is not None  # still trusted within the TTL
    clock.now += 31
    assert cache.lookup(created.key) is None


@needs_redis
def test_redis_limiter_is_shared_between_workers(engine: Engine, make_app: AppFactory) -> None:
    """Two app instances (two workers, or two servers) with one Redis share one budget."""
    prefix = f"alrim:test:{uuid.uuid4().hex}"
    clock = Clock()
    first = make_app(engine, rate_limit_anonymous=3, redis_url=REDIS_URL)
    second = make_app(engine, rate_limit_anonymous=3, redis_url=REDIS_URL)
    for app in (first, second):
        _redis_limiter(app, clock, prefix)
    with TestClient(first) as a, TestClient(second) as b:
        assert _limits(a.get("/api/v1/regions")) == (3, 2, 50)
        assert _limits(b.get("/api/v1/regions")) == (3, 1, 50)
        assert a.get("/api/v1/regions").status_code == 200
        r = b.get("/api/v1/regions")
        assert r.status_code == 429 and r.headers["retry-after"] == "50"
        clock.now += 60
        assert a.get("/api/v1/regions").status_code == 200


@needs_redis
def test_redis_limiter_counts_keys_separately(engine: Engine, make_app: AppFactory) -> None:
    created = api_keys.create_key(engine, "redis partner", rate_limit=2)
    app = make_app(engine, rate_limit_anonymous=1, redis_url=REDIS_URL)
    _redis_limiter(app, Clock(), f"alrim:test:{uuid.uuid4().hex}")
    with TestClient(app) as c:
        assert [c.get("/api/v1/regions").status_code for _ in range(2)] == [200, 429]
        key = {"X-API-Key": created.key}
        assert [c.get("/api/v1/regions", headers=key).status_code for _ in range(3)] == [
            200,
            200,
            429,
        ]


def test_the_default_limiter_uses_redis_when_configured(
    engine: Engine, make_app: AppFactory
) -> None:
    assert isinstance(make_app(engine, redis_url=REDIS_URL).state.limiter, RedisRateLimiter)
    assert isinstance(make_app(engine).state.limiter, MemoryRateLimiter)


def test_an_unreachable_redis_degrades_to_per_process_counting(
    engine: Engine, make_app: AppFactory
) -> None:
    app = make_app(engine, rate_limit_anonymous=2)
    _redis_limiter(app, Clock(), "alrim:test:down", url="redis://127.0.0.1:1/0")
    with TestClient(app) as c:
        codes = [c.get("/api/v1/regions").status_code for _ in range(3)]
        assert codes == [200, 200, 429]


@needs_redis
def test_redis_keys_expire_with_their_window() -> None:
    import redis

    prefix = f"alrim:test:{uuid.uuid4().hex}"
    limiter = RedisRateLimiter(REDIS_URL, 60, prefix=prefix, clock=Clock())
    decision = _run(limiter.hit("ip:1.2.3.4", 10))
    assert decision.allowed and decision.remaining == 9
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    assert len(keys) == 1 and 0 < client.ttl(keys[0]) <= 65
    client.delete(*keys)


# ── unexpected errors ───────────────────────────────────────────────────────────────────


def test_an_unexpected_error_is_a_json_500_without_a_trace(
    engine: Engine, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    from alrim.api.routers import catalog as catalog_router

    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(catalog_router, "category_counts", broken)
    app = make_app(engine)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/v1/categories")
    assert r.status_code == 500
    err = r.json()["error"]
    assert err["code"] == "internal_error" and "오류 번호" in err["message"]
    assert "database on fire" not in r.text and "Traceback" not in r.text
    assert "x-ratelimit-limit" in r.headers
    assert "database on fire" in caplog.text  # logged for operators (a GET has no body)
