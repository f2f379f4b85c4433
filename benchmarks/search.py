"""Search benchmark: latency on a synthetic 11,000-service catalog, quality on the test set.

Catalog. The bundled snapshot holds 2,424 services (a 10 % gov24 sample, half of 온통청년 and
three agency examples). The synthetic catalog keeps the 온통청년 policies and repeats the gov24
sample until there are 11,000 services: each copy gets a new id, its 조회수 scaled by a random
factor (0.2–3×, seeded) and — for a 시군구 service — another 시군구 as its agency, the way the
full catalog holds the same programme in many places. The texts are real.

Printed figures (SQLite by default; set ALRIM_DATABASE_URL to measure PostgreSQL):
- index build: a full rebuild of the search index over the 11,000 services (Kiwi analysis,
  postings, vocabulary), and its size (rows; bytes on disk per table);
- query latency: every query of tests/search/queries.yaml, 10 rounds, through the search use
  case (query analysis + lexicon + postings read + ranking + JSON) with a warm index
  snapshot — p50, p99, mean, plus the same with a filter and the first, cold query of a
  process; autocomplete latency likewise;
- quality on the bundled catalog (where the test set's relevance was judged): recall@10 and
  nDCG@10 by kind of query, side by side with the LIKE baseline (every word a substring of
  name/summary/target/content, most viewed first) in the same run.

Targets (issue 4): p50 ≤ 10 ms, p99 ≤ 50 ms; recall@10 ≥ 0.85.

Run: .venv/bin/python benchmarks/search.py [--services 11000] [--rounds 10] [--write-docs]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml
from _util import machine, peak_rss_mb, percentiles, timed
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from alrim.catalog.regions import RegionTable
from alrim.catalog.sources.registry import open_source
from alrim.search.analyzer import kiwi
from alrim.search.baseline import baseline_docs, like_search
from alrim.search.metrics import ndcg_at, recall_at
from alrim.services import search as search_service
from alrim.services.catalog import load_bundled, setup_database
from alrim.services.ingest import ingest
from alrim.store import search_repo
from alrim.store.catalog_repo import all_active_services
from alrim.store.db import make_engine, session_scope

ROOT = Path(__file__).resolve().parent.parent
GOV24 = ROOT / "data" / "gov24"
ENDPOINTS = ("serviceList", "serviceDetail", "supportConditions")
QUERIES = ROOT / "tests" / "search" / "queries.yaml"
PERFORMANCE_DOC = ROOT / "docs" / "performance.md"
AS_OF = date(2026, 11, 25)
SEARCH_TABLES = ("search_documents", "search_postings", "search_terms", "search_state")


# ── the synthetic catalog ────────────────────────────────────────────────────────────────


def synthetic_gov24(copies_needed: int, seed: int = 4) -> dict[str, list[dict[str, Any]]]:
    """gov24 rows: the sample, then copies with new ids, views and (시군구) agencies."""
    rng = random.Random(seed)
    regions = RegionTable.default()
    sigungu_names = [g.name for s in regions.sidos() for g in regions.sigungus(s.code)]
    raw = {
        e: json.loads(gzip.decompress((GOV24 / f"{e}_sample.json.gz").read_bytes()))["data"]
        for e in ENDPOINTS
    }
    by_id = {e: {r["서비스ID"]: r for r in rows} for e, rows in raw.items()}
    ids = [r["서비스ID"] for r in raw["serviceList"]]
    out: dict[str, list[dict[str, Any]]] = {e: [] for e in ENDPOINTS}
    for n in range(copies_needed):
        original = ids[n % len(ids)]
        copy = n // len(ids)
        new_id = original if copy == 0 else f"X{copy:02d}{original}"
        listed = by_id["serviceList"][original]
        agency = listed.get("소관기관명")
        if copy and listed.get("소관기관유형") == "시군구":
            agency = rng.choice(sigungu_names)
        views = listed.get("조회수")
        if copy and isinstance(views, int):
            views = max(1, int(views * rng.uniform(0.2, 3.0)))
        for endpoint in ENDPOINTS:
            row = by_id[endpoint].get(original)
            if row is None:
                continue
            new = {**row, "서비스ID": new_id}
            if "소관기관명" in new and agency:
                new["소관기관명"] = agency
            if endpoint == "serviceList":
                new["조회수"] = views
            out[endpoint].append(new)
    return out


def build_catalog(engine: Engine, folder: Path, services: int) -> float:
    """Load 온통청년 + synthetic gov24 (with the search index built by ingest); seconds."""
    setup_database(engine)
    youth = open_source("youth")
    with timed() as t:
        report = ingest(engine, youth)
        gov24_needed = max(0, services - report.ingested)
        rows = synthetic_gov24(gov24_needed)
        paths = []
        for endpoint, data in rows.items():
            path = folder / f"{endpoint}.json"
            path.write_text(json.dumps({"data": data}, ensure_ascii=False), encoding="utf-8")
            paths.append(path)
        ingest(engine, open_source("gov24", paths=paths, complete=True))
    return t["seconds"]


# ── figures ──────────────────────────────────────────────────────────────────────────────


def table_bytes(engine: Engine) -> dict[str, int]:
    sizes: dict[str, int] = {}
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            for table in SEARCH_TABLES:
                sizes[table] = int(
                    conn.execute(text(f"SELECT pg_total_relation_size('{table}')")).scalar() or 0
                )
            return sizes
        try:
            rows = conn.execute(
                text("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table','index')")
            ).all()
            owner = {name: tbl for name, tbl in rows}
            for name, size in conn.execute(
                text("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
            ).all():
                table = owner.get(name, name)
                if table in SEARCH_TABLES:
                    sizes[table] = sizes.get(table, 0) + int(size)
        except Exception:  # dbstat missing from this SQLite build
            pass
    return sizes


@contextmanager
def scratch_database(url: str | None) -> Iterator[str | None]:
    """A fresh PostgreSQL database next to the one `url` names (dropped afterwards)."""
    if not url or not url.startswith("postgresql"):
        yield None
        return
    base = make_url(url)
    name = f"alrim_bench_search_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def backend_name(engine: Engine) -> str:
    if engine.dialect.name == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with engine.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar()
    return f"PostgreSQL {version}"


def load_queries() -> list[dict[str, Any]]:
    return list(yaml.safe_load(QUERIES.read_text(encoding="utf-8"))["queries"])


def run_search(engine: Engine, query: str, **kw: Any) -> dict[str, Any]:
    kw.setdefault("limit", 10)
    return search_service.search(
        engine, search_service.SearchRequest(query=query, as_of=AS_OF, **kw)
    )


def latency(engine: Engine, queries: list[str], rounds: int, **kw: Any) -> dict[str, float]:
    samples = []
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter()
            run_search(engine, q, **kw)
            samples.append(time.perf_counter() - start)
    return {k: v * 1000 for k, v in percentiles(samples).items()}


def suggest_latency(engine: Engine, prefixes: list[str], rounds: int) -> dict[str, float]:
    samples = []
    for _ in range(rounds):
        for p in prefixes:
            start = time.perf_counter()
            search_service.suggestions(engine, p, 10)
            samples.append(time.perf_counter() - start)
    return {k: v * 1000 for k, v in percentiles(samples).items()}


def quality(engine: Engine, queries: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    with session_scope(engine) as session:
        docs = baseline_docs(all_active_services(session))
    per: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for q in queries:
        ours = [h["service_id"] for h in run_search(engine, q["query"])["results"]]
        like = like_search(docs, q["query"])
        for kind in (q["kind"], "all"):
            per[kind]["recall"].append(recall_at(ours, q["relevant"]))
            per[kind]["ndcg"].append(ndcg_at(ours, q["relevant"]))
            per[kind]["like_recall"].append(recall_at(like, q["relevant"]))
            per[kind]["like_ndcg"].append(ndcg_at(like, q["relevant"]))
            per[kind]["n"].append(1.0)
    return {
        kind: {k: (sum(v) if k == "n" else sum(v) / len(v)) for k, v in m.items()}
        for kind, m in per.items()
    }


def markdown(figures: dict[str, Any]) -> str:
    f = figures
    q = f["quality"]
    lines = [
        "## Search",
        "",
        "`benchmarks/search.py` (run: `.venv/bin/python benchmarks/search.py "
        "[--postgres URL] [--write-docs]`, about 8 minutes a backend). "
        f"Measured on {f['machine']}; load average {f['load']} during the run (the machine "
        "was shared with other work: figures are upper bounds).",
        "",
        f"**Catalog**: {f['services']:,} services, synthetic but built from the real catalog "
        "(온통청년 + the gov24 sample repeated with other ids, 조회수 and 시군구 agencies). "
        "The copies repeat their texts and the index analyses each distinct text once, so the "
        "rebuild time is that of about 2,400 distinct services; with every text distinct see "
        "[the ingest figures](#search-index-in-an-ingest).",
        "",
    ]
    for b in f["backends"]:
        lines += [
            f"### {b['backend']}",
            "",
            "| index | figure |",
            "|---|---|",
            f"| full rebuild ({b['services']:,} services, Kiwi analysis included) | "
            f"{b['build_seconds']:.1f} s ({b['services'] / b['build_seconds']:,.0f} services/s) |",
            f"| documents / postings / vocabulary rows | {b['size']['documents']:,} / "
            f"{b['size']['postings']:,} / {b['size']['terms']:,} |",
        ]
        if b["bytes"]:
            total = sum(b["bytes"].values())
            parts = ", ".join(
                f"{k.removeprefix('search_')} {v / 2**20:.1f}" for k, v in b["bytes"].items()
            )
            lines.append(f"| size on disk, with indexes | {total / 2**20:.1f} MiB ({parts}) |")
        lines += [
            f"| first query of a process (Kiwi model + index snapshot) | {b['cold_ms']:,.0f} ms |",
            "",
            f"Latency per query, warm ({b['rounds']} rounds × {b['n_queries']} test-set queries; "
            "query analysis, lexicon, postings read, ranking and JSON included):",
            "",
            "| | p50 | p99 | mean |",
            "|---|---|---|---|",
        ]
        for label, key in (
            ("search", "latency"),
            ("search + region filter", "latency_region"),
            ("search + open-now filter", "latency_open"),
            ("autocomplete", "latency_suggest"),
        ):
            v = b[key]
            lines.append(
                f"| {label} | {v['p50']:.1f} ms | {v['p99']:.1f} ms | {v['mean']:.1f} ms |"
            )
        lines.append("")
    lines += [
        "Targets: p50 ≤ 10 ms, p99 ≤ 50 ms.",
        "",
        f"### Quality (bundled catalog, {f['bundled']:,} services)",
        "",
        f"{int(q['all']['n'])} test-set queries with relevance judged by reading the services "
        "(`tests/search/queries.yaml`), search and baseline in the same run:",
        "",
        "| queries | n | recall@10 | nDCG@10 | LIKE recall@10 | LIKE nDCG@10 |",
        "|---|---|---|---|---|---|",
    ]
    for kind in ("all", "everyday", "typo", "spacing", "partial", "chosung"):
        if kind in q:
            m = q[kind]
            lines.append(
                f"| {kind} | {int(m['n'])} | {m['recall']:.3f} | {m['ndcg']:.3f} | "
                f"{m['like_recall']:.3f} | {m['like_ndcg']:.3f} |"
            )
    lines += [
        "",
        "LIKE baseline: every word of the query must be a substring of the name, summary, "
        "target or content; most viewed first (what most 보조금 finder apps do). Target: "
        "recall@10 ≥ 0.85. Both backends return the same results "
        "(`tests/search/test_search_backends.py`).",
        "",
    ]
    return "\n".join(lines)


def write_section(section: str) -> None:
    """Replace (or add) the '## Search' section of docs/performance.md, nothing else."""
    if PERFORMANCE_DOC.exists():
        current = PERFORMANCE_DOC.read_text(encoding="utf-8")
    else:
        current = "# Performance\n\nFigures measured by the scripts in `benchmarks/`.\n\n"
    pattern = re.compile(r"^## Search\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: section.rstrip() + "\n\n", current, count=1)
    else:
        updated = current.rstrip() + "\n\n" + section.rstrip() + "\n"
    PERFORMANCE_DOC.write_text(updated.rstrip() + "\n", encoding="utf-8")


def measure(url: str | None, folder: Path, services: int, rounds: int) -> dict[str, Any]:
    """Build the synthetic catalog on one backend and time the index and the queries."""
    texts = [q["query"] for q in load_queries()]
    b: dict[str, Any] = {}
    with scratch_database(url) as scratch_url:
        engine = make_engine(scratch_url or f"sqlite:///{folder / 'search.db'}")
        b["backend"] = backend_name(engine)
        print(f"== {b['backend']}")
        loaded = build_catalog(engine, folder, services)
        print(f"catalog built (ingest incl. indexing): {loaded:.1f} s")

        with timed() as t, session_scope(engine) as session:
            search_repo.reconcile(session, force_rebuild=True)
        b["build_seconds"] = t["seconds"]
        with session_scope(engine) as session:
            b["size"] = search_repo.index_size(session)
        b["services"] = b["size"]["documents"]
        b["bytes"] = table_bytes(engine)
        print(f"index rebuild: {t['seconds']:.1f} s; {b['size']}; bytes {b['bytes']}")

        search_service.forget_snapshots()
        start = time.perf_counter()
        run_search(engine, "청년 월세")
        b["cold_ms"] = (time.perf_counter() - start) * 1000
        latency(engine, texts, 1)  # warm-up round (vocabulary lookups are built lazily)
        b["rounds"], b["n_queries"] = rounds, len(texts)
        b["latency"] = latency(engine, texts, rounds)
        b["latency_region"] = latency(engine, texts, rounds, region="경기도 수원시")
        b["latency_open"] = latency(engine, texts, rounds, open_now=True)
        prefixes = ["청", "청녀", "청년월", "ㅊㄴㅇㅅ", "산후", "ㅅㅎㅈㄹ", "기초연", "출산장"]
        suggest_latency(engine, prefixes, 1)  # warm-up: the completion lookups are built lazily
        b["latency_suggest"] = suggest_latency(engine, prefixes, rounds * 5)
        for key in ("latency", "latency_region", "latency_open", "latency_suggest"):
            v = b[key]
            print(f"{key}: p50 {v['p50']:.1f} ms, p99 {v['p99']:.1f} ms, mean {v['mean']:.1f} ms")
        engine.dispose()
        search_service.forget_snapshots()
    return b


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=11_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get("ALRIM_DATABASE_URL"),
        help="also measure PostgreSQL (a scratch database is created next to URL's)",
    )
    parser.add_argument("--write-docs", action="store_true", help="update docs/performance.md")
    args = parser.parse_args()
    queries = load_queries()
    figures: dict[str, Any] = {"machine": machine()}
    print(f"machine: {figures['machine']}")
    load_before = os.getloadavg()[0]
    kiwi()  # load the model before timing anything

    urls: list[str | None] = [None]
    if args.postgres and args.postgres.startswith("postgresql"):
        urls.append(args.postgres)
    figures["backends"] = []
    for url in urls:
        with tempfile.TemporaryDirectory() as tmp:
            figures["backends"].append(measure(url, Path(tmp), args.services, args.rounds))
    figures["services"] = figures["backends"][0]["services"]

    with tempfile.TemporaryDirectory() as tmp:
        bundled = make_engine(f"sqlite:///{Path(tmp) / 'bundled.db'}")
        setup_database(bundled)
        load_bundled(bundled)
        with session_scope(bundled) as session:
            figures["bundled"] = search_repo.index_size(session)["documents"]
        figures["quality"] = quality(bundled, queries)
        bundled.dispose()
    for kind, m in figures["quality"].items():
        print(
            f"quality {kind:<9} n={int(m['n']):>2}: recall@10 {m['recall']:.3f} "
            f"nDCG@10 {m['ndcg']:.3f} | LIKE recall@10 {m['like_recall']:.3f} "
            f"nDCG@10 {m['like_ndcg']:.3f}"
        )
    figures["load"] = f"{load_before:.1f}–{os.getloadavg()[0]:.1f}"
    print(f"peak RSS: {peak_rss_mb():.0f} MiB; load average {figures['load']}")

    section = markdown(figures)
    if args.write_docs:
        write_section(section)
        print(f"written: {PERFORMANCE_DOC.relative_to(ROOT)} (section 'Search')")
    else:
        print()
        print(section)


if __name__ == "__main__":
    main()
