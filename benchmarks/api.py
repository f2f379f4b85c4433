"""Open API load benchmark: the real server in a second process, driven over loopback.

The server is `uvicorn alrim.api.app:create_app --factory` (uvloop + httptools, access log off,
2 worker processes by default) on a SQLite copy of the bundled catalog (2,424 services). The
load comes from this process with `wrk` (C, one thread, keep-alive connections; installed with
apt when missing and allowed) — a Python load generator would take most of a core away from the
server on a 2-core machine. Without wrk, an asyncio + httpx driver is used instead (its figures
are lower bounds: it competes with the server for CPU).

Every scenario runs for the same time with the same key (a partner key with a limit far above
the load, so the rate limiter is exercised but never refuses) and prints requests/s, p50, p99
and errors:
- GET /healthz — the baseline: the framework and the server, no API edge, no database;
- GET /api/v1/services?limit=20 — a catalog page (count + page queries, summaries);
- GET /api/v1/services/{id} — service records, rotating over 200 ids;
- POST /api/v1/eligibility — a full contract §1 profile against the whole catalog (and the
  same with `Accept-Encoding: gzip`, as browsers and most HTTP clients send it).
Targets (issue 5): eligibility ≥ 300 req/s with p99 ≤ 100 ms; catalog list/detail ≥ 1,000 req/s.

Run: .venv/bin/python benchmarks/api.py [--workers 2] [--duration 15] [--db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import machine

REPO = Path(__file__).resolve().parent.parent

PROFILE = {
    "as_of": "2026-11-25",
    "birth_date": "1994-03-02",
    "sex": "female",
    "region": "11110",
    "household_size": 3,
    "household_income_monthly": 4_200_000,
    "statuses": ["pregnant", "employee"],
    "statuses_complete": True,
    "household_traits": ["no_home"],
    "household_traits_complete": True,
    "user_types": ["individual"],
}


@dataclass
class Figures:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    driver: str
    cpu_ms: float = 0.0  # server CPU time per request (user + system, all workers)


# ── setup ───────────────────────────────────────────────────────────────────────────────


def prepare_database(path: Path) -> str:
    from alrim.services.catalog import catalog_is_empty, load_bundled, setup_database
    from alrim.store.db import make_engine

    url = f"sqlite:///{path}"
    engine = make_engine(url)
    setup_database(engine)
    if catalog_is_empty(engine):
        print(f"loading the bundled catalog into {path} …", flush=True)
        load_bundled(engine)
    engine.dispose()
    return url


def partner_key(url: str) -> str:
    from alrim.api.keys import create_key
    from alrim.store.db import make_engine

    engine = make_engine(url)
    key = create_key(engine, "benchmark", rate_limit=1_000_000_000).key
    engine.dispose()
    return key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int, workers: int, var_dir: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ALRIM_DATABASE_URL": url,
        "ALRIM_VAR_DIR": str(var_dir),
        "ALRIM_REDIS_URL": "",
        "ALRIM_LOG_LEVEL": "warning",
        "ALRIM_PRELOAD_ELIGIBILITY": "true",
    }
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "alrim.api.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(cmd, env=env, cwd=REPO)


def wait_ready(base: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not start")


async def _warm_eligibility(base: str, key: str, workers: int, deadline: float = 900) -> float:
    """Each worker builds its eligibility engine on first use (seconds to a minute): keep
    sending batches of parallel requests on fresh connections (so they reach every worker)
    until two batches in a row answer quickly. Returns the seconds it took."""
    started = time.monotonic()
    quick = 0
    limits = httpx.Limits(max_keepalive_connections=0)  # a new connection per request
    async with httpx.AsyncClient(base_url=base, timeout=deadline, limits=limits) as client:
        while quick < 2:
            if time.monotonic() - started > deadline:
                raise SystemExit("the eligibility engine did not warm up in time")
            batch = time.monotonic()
            answers = await asyncio.gather(
                *(
                    client.post("/api/v1/eligibility", json=PROFILE, headers={"X-API-Key": key})
                    for _ in range(workers * 4)
                )
            )
            if any(a.status_code != 200 for a in answers):
                raise SystemExit(f"eligibility failed: {answers[0].text[:300]}")
            quick = quick + 1 if time.monotonic() - batch < 2 else 0
    return time.monotonic() - started


def _process_tree(root: int) -> list[int]:
    """`root` and its descendants (the uvicorn supervisor and its workers)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, ppid in parents.items() if ppid in frontier]
        tree.extend(frontier)
    return tree


def server_cpu_seconds(root: int) -> float:
    """User + system CPU time used so far by the server's processes (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


# ── drivers ─────────────────────────────────────────────────────────────────────────────


def ensure_wrk(allow_install: bool) -> str | None:
    found = shutil.which("wrk")
    if found or not allow_install or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    print("installing wrk (apt-get install wrk) …", flush=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return shutil.which("wrk")


def _lua(method: str, paths: list[str], headers: dict[str, str], body: str | None) -> str:
    quoted = ", ".join(json.dumps(p) for p in paths)
    header_items = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items())
    lines = [
        f"local paths = {{{quoted}}}",
        "local i = 0",
        f"local headers = {{{header_items}}}",
        f"local body = {json.dumps(body) if body is not None else 'nil'}",
        "request = function()",
        "  i = i + 1",
        f'  return wrk.format("{method}", paths[(i % #paths) + 1], headers, body)',
        "end",
    ]
    return "\n".join(lines) + "\n"


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if not m:
        raise ValueError(text)
    return float(m.group(1)) * _UNITS[m.group(2)]


def run_wrk(
    wrk: str,
    base: str,
    name: str,
    method: str,
    paths: list[str],
    headers: dict[str, str],
    body: str | None,
    *,
    connections: int,
    duration: int,
) -> Figures:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(_lua(method, paths, headers, body))
        script = fh.name
    try:
        out = subprocess.run(
            [
                wrk,
                "-t1",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                script,
                base + paths[0],
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (sum(int(g) for g in sock.groups()) if sock else 0)
    return Figures(name, rps, p50, p99, total, errors, f"wrk c={connections}")


async def _httpx_load(
    base: str,
    method: str,
    paths: list[str],
    headers: dict[str, str],
    body: str | None,
    connections: int,
    duration: int,
) -> tuple[int, int, list[float]]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    headers = {"Accept-Encoding": "identity", **headers}  # as wrk: no gzip unless asked
    stop = time.perf_counter() + duration
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:

        async def worker(offset: int) -> None:
            nonlocal errors
            i = offset
            while time.perf_counter() < stop:
                i += 1
                started = time.perf_counter()
                try:
                    r = await client.request(
                        method, paths[i % len(paths)], content=body, headers=headers
                    )
                    ok = r.status_code < 400
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += 0 if ok else 1

        await asyncio.gather(*(worker(n) for n in range(connections)))
    return len(latencies), errors, latencies


def run_httpx(
    base: str,
    name: str,
    method: str,
    paths: list[str],
    headers: dict[str, str],
    body: str | None,
    *,
    connections: int,
    duration: int,
) -> Figures:
    total, errors, latencies = asyncio.run(
        _httpx_load(base, method, paths, headers, body, connections, duration)
    )
    ordered = sorted(latencies) or [0.0]

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    return Figures(
        name, total / duration, pct(50), pct(99), total, errors, f"httpx c={connections}"
    )


# ── main ────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    paths: list[str]
    body: str | None
    connections: int
    gzip: bool = False  # send Accept-Encoding: gzip (as browsers and most HTTP clients do)


def drive(wrk: str | None, base: str, sc: Scenario, key: str, seconds: int) -> Figures:
    headers = {"X-API-Key": key, "Content-Type": "application/json"}
    if sc.gzip:
        headers["Accept-Encoding"] = "gzip"
    args = (base, sc.name, sc.method, sc.paths, headers, sc.body)
    if wrk:
        return run_wrk(wrk, *args, connections=sc.connections, duration=seconds)
    return run_httpx(*args, connections=sc.connections, duration=seconds)


def measure(
    wrk: str | None, base: str, sc: Scenario, key: str, seconds: int, server_pid: int
) -> Figures:
    drive(wrk, base, sc, key, 2)  # warm-up with the same requests
    cpu_before = server_cpu_seconds(server_pid)
    fig = drive(wrk, base, sc, key, seconds)
    fig.cpu_ms = (server_cpu_seconds(server_pid) - cpu_before) * 1000 / max(1, fig.requests)
    return fig


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--duration", type=int, default=15, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=32, help="for the GET scenarios")
    parser.add_argument(
        "--eligibility-connections", type=int, default=16, help="for POST /eligibility"
    )
    parser.add_argument("--db", type=Path, help="reuse this SQLite catalog (created if missing)")
    parser.add_argument("--driver", choices=["auto", "wrk", "httpx"], default="auto")
    parser.add_argument("--no-install", action="store_true", help="never apt-get install wrk")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]

    with tempfile.TemporaryDirectory(prefix="alrim-bench-api-") as tmp:
        db = args.db or Path(tmp) / "catalog.db"
        url = prepare_database(db)
        key = partner_key(url)
        wrk = None if args.driver == "httpx" else ensure_wrk(not args.no_install)
        if args.driver == "wrk" and wrk is None:
            raise SystemExit("wrk is not installed")
        ids = popular_ids(url, 200)
        scenarios = [
            Scenario("GET /healthz (baseline)", "GET", ["/healthz"], None, args.connections),
            Scenario(
                "GET /api/v1/services?limit=20",
                "GET",
                ["/api/v1/services?limit=20"],
                None,
                args.connections,
            ),
            Scenario(
                "GET /api/v1/services/{id}",
                "GET",
                [f"/api/v1/services/{i}" for i in ids],
                None,
                args.connections,
            ),
            Scenario(
                "POST /api/v1/eligibility (full profile)",
                "POST",
                ["/api/v1/eligibility"],
                json.dumps(PROFILE),
                args.eligibility_connections,
            ),
            Scenario(
                "POST /api/v1/eligibility, gzip",
                "POST",
                ["/api/v1/eligibility"],
                json.dumps(PROFILE),
                args.eligibility_connections,
                gzip=True,
            ),
        ]

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(url, port, args.workers, Path(tmp))
        results: list[Figures] = []
        try:
            wait_ready(base)
            warm = asyncio.run(_warm_eligibility(base, key, args.workers))
            print(f"eligibility engines built and warm in every worker after {warm:.0f} s")
            for sc in scenarios:
                fig = measure(wrk, base, sc, key, args.duration, server.pid)
                results.append(fig)
                print(
                    f"{fig.name:<40} {fig.rps:>7.0f} req/s  p50 {fig.p50_ms:>7.2f} ms  "
                    f"p99 {fig.p99_ms:>7.2f} ms  server CPU {fig.cpu_ms:>5.2f} ms/req  "
                    f"errors {fig.errors}  ({fig.driver})",
                    flush=True,
                )
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                for pid in reversed(_process_tree(server.pid)):
                    os.kill(pid, 9)
                server.wait(timeout=30)

    print()
    print(
        f"machine: {machine()}; load average {load_before:.1f} before the run, "
        f"{os.getloadavg()[0]:.1f} after"
    )
    print(
        f"server: uvicorn --workers {args.workers} --loop uvloop --http httptools "
        f"--no-access-log; SQLite catalog; {len(ids)} ids rotated for detail; "
        f"{args.duration} s per scenario; load from "
        + ("wrk (1 thread)" if wrk else "asyncio + httpx (lower bounds)")
        + " on loopback"
    )
    print(
        "capacity implied by server CPU (cores / CPU per request, ignoring the load generator): "
        + ", ".join(
            f"{f.name.split(' (')[0]} ≈ {args.workers * 1000 / f.cpu_ms:,.0f} req/s"
            for f in results
            if f.cpu_ms > 0
        )
    )
    elig = results[3]
    catalog_ok = min(results[1].rps, results[2].rps) >= 1000
    elig_ok = elig.rps >= 300 and elig.p99_ms <= 100
    print(
        f"targets: eligibility ≥ 300 req/s with p99 ≤ 100 ms: {'met' if elig_ok else 'NOT met'}; "
        f"catalog list/detail ≥ 1,000 req/s: {'met' if catalog_ok else 'NOT met'}"
    )


def popular_ids(url: str, n: int) -> list[str]:
    from alrim.store.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT service_id FROM services WHERE status = 'active' "
            f"ORDER BY views DESC LIMIT {int(n)}"
        )
        ids = [r[0] for r in rows]
    engine.dispose()
    return ids


if __name__ == "__main__":
    main()
