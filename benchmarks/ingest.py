"""Ingest benchmark: the full pipeline on a synthetic ~11,000-service gov24 catalog.

The bundled snapshot is a 10 % sample (1,097 services). The synthetic catalog repeats it ten
times with new service ids (and the names/agency codes untouched), so the text, the period strings
and the regions are all real; it is written as the three endpoint files the real API returns.
The search index analyses each distinct text once, so on these copies it analyses a tenth of
the text; `--distinct` appends the copy number to every name and description (서비스명,
서비스목적(요약), 지원대상, 선정기준, 지원내용), so that no two services share a text and the
index figure is the cost of analysing the whole catalog.

Printed figures:
- full pipeline (read files → join → normalise (regions, periods, conditions) → compare → write
  services, versions and the change log) into a fresh SQLite database, rows/s and services/s;
  then, separately, the search index update that the same `ingest()` call runs after the
  catalog commit (Korean morphological analysis of every new service);
- the same data again (nothing changed: the idempotent path);
- one field changed in 1 % of services;
- baseline in the same process: the same rows read and inserted raw (json.load + one INSERT of
  the raw row per service), i.e. the cost of storage without any normalisation or change log.
Set ALRIM_DATABASE_URL to a PostgreSQL URL to measure that backend instead.

Run: .venv/bin/python benchmarks/ingest.py [--copies 10] [--distinct]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import machine, peak_rss_mb, timed

from alrim.catalog.regions import RegionTable
from alrim.catalog.sources.gov24_files import Gov24FileSource
from alrim.services.catalog import setup_database
from alrim.services.ingest import ingest
from alrim.store.db import make_engine

DATA = Path(__file__).resolve().parent.parent / "data" / "gov24"
ENDPOINTS = ("serviceList", "serviceDetail", "supportConditions")
# The texts the search index analyses (the agency, 분야 and 지원유형 stay shared, as in reality).
TEXT_FIELDS = ("서비스명", "서비스목적요약", "서비스목적", "지원대상", "선정기준", "지원내용")


def synthetic_catalog(copies: int, distinct: bool = False) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for endpoint in ENDPOINTS:
        with gzip.open(DATA / f"{endpoint}_sample.json.gz") as fh:
            rows: list[dict[str, Any]] = json.load(fh)["data"]
        copied = []
        for c in range(copies):
            for row in rows:
                new = dict(row)
                new["서비스ID"] = f"{row['서비스ID']}" if c == 0 else f"X{c:02d}{row['서비스ID']}"
                if distinct:
                    for key in TEXT_FIELDS:
                        if isinstance(new.get(key), str) and new[key].strip():
                            new[key] = f"{new[key]} {c}"
                copied.append(new)
        out[endpoint] = copied
    return out


def write_files(folder: Path, catalog: dict[str, list[dict[str, Any]]]) -> dict[str, Path]:
    paths = {}
    for endpoint, rows in catalog.items():
        path = folder / f"{endpoint}.json"
        body = {"totalCount": len(rows), "currentCount": len(rows), "page": 1, "data": rows}
        path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        paths[endpoint] = path
    return paths


def baseline_raw_insert(paths: dict[str, Path], db: Path) -> float:
    """Read the same files and insert each endpoint's raw row as JSON text. No normalisation."""
    with timed() as t:
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE raw (id TEXT, endpoint TEXT, body TEXT)")
        for endpoint, path in paths.items():
            rows = json.loads(path.read_text(encoding="utf-8"))["data"]
            conn.executemany(
                "INSERT INTO raw VALUES (?, ?, ?)",
                ((r["서비스ID"], endpoint, json.dumps(r, ensure_ascii=False)) for r in rows),
            )
        conn.commit()
        conn.close()
    return t["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument(
        "--distinct", action="store_true", help="no two services share a name or description"
    )
    args = parser.parse_args()
    catalog = synthetic_catalog(args.copies, args.distinct)
    n_services = len(catalog["serviceList"])
    n_rows = sum(len(v) for v in catalog.values())
    regions = RegionTable.default()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_files(folder, catalog)
        url = os.environ.get("ALRIM_DATABASE_URL") or f"sqlite:///{folder / 'bench.db'}"
        engine = make_engine(url)
        setup_database(engine, regions)
        texts = "every name and description distinct" if args.distinct else "copies share texts"
        print(
            f"backend: {engine.dialect.name}; catalog: {n_services:,} services, {n_rows:,} rows "
            f"({texts})"
        )

        base = baseline_raw_insert(paths, folder / "baseline.db")
        print(f"baseline raw insert (no normalisation): {base:.2f} s, {n_rows / base:,.0f} rows/s")

        with timed() as t:
            report = ingest(engine, Gov24FileSource(paths, complete=True), regions=regions)
        full = report.seconds
        print(
            f"full pipeline, first load: {full:.2f} s — {n_rows / full:,.0f} rows/s, "
            f"{n_services / full:,.0f} services/s (new {report.new:,}, "
            f"quarantined {report.quarantined}) — {full / base:.1f}× the raw baseline"
        )
        print(
            f"  then search index for the {report.new:,} new services: "
            f"{report.index_seconds:.2f} s ({report.new / max(report.index_seconds, 1e-9):,.0f}"
            f" services/s); whole ingest() call {t['seconds']:.2f} s"
        )
        assert report.new + report.quarantined >= n_services - report.quarantined

        with timed() as t:
            again = ingest(engine, Gov24FileSource(paths, complete=True), regions=regions)
        print(
            f"same data again (idempotent): {t['seconds']:.2f} s — changed {again.changed}, "
            f"unchanged {again.unchanged:,} (index {again.index_seconds:.2f} s)"
        )

        for row in catalog["serviceDetail"][:: max(1, n_services // (n_services // 100))]:
            row["지원내용"] = (row.get("지원내용") or "") + " (변경)"
        paths = write_files(folder, catalog)
        with timed() as t:
            changed = ingest(engine, Gov24FileSource(paths, complete=True), regions=regions)
        print(
            f"1 % of services changed: {t['seconds']:.2f} s — changed {changed.changed:,} "
            f"(index {changed.index_seconds:.2f} s)"
        )
        print(f"peak RSS: {peak_rss_mb():,.0f} MB")
        whole = full + report.index_seconds
        target = "met" if whole < 30 else "NOT met"
        print(
            f"target: whole ~11,000-service catalog, search index included, in under 30 s — "
            f"{target} ({whole:.1f} s: catalog {full:.1f} s + index {report.index_seconds:.1f} s)"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
