"""Refresh the generated files under ``data/regions/`` (developer tool, not used at run time).

    python -m alrim.catalog.regions_build bjd PATH.csv[.gz] [--encoding cp949] [--date YYYYMMDD]
        Extract the 시도/시군구-level rows (존재 and 폐지) of a 국토교통부 법정동코드 file into
        ``bjd_sido_sigungu_<date>.csv``.
    python -m alrim.catalog.regions_build agency-codes SERVICE_LIST.json[.gz]
        Rebuild ``agency_codes.csv`` from a gov24 serviceList dump: for every 시군구, 광역시도
        and 교육청 row, its 소관기관코드 → the region its 소관기관명 names.

Both write into ``--out`` (default ``DATA_DIR/regions``). See ``docs/regions.md``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from alrim.catalog.region_data import AGENCY_FILE, BJD_SOURCE
from alrim.catalog.regions import RegionTable
from alrim.paths import DATA_DIR

AGENCY_SOURCE = "gov24-sample-2026-07-12"
AGENCY_TYPES = ("시군구", "광역시도", "교육청")


def _open_text(path: Path, encoding: str) -> io.TextIOBase:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return io.StringIO(raw.decode(encoding))


def extract_bjd(path: Path, encoding: str = "cp949") -> list[dict[str, str]]:
    """The 시도/시군구-level rows of a 법정동코드 file.

    The file has the columns 법정동코드, 법정동명칭 and 폐지여부.
    """
    rows = []
    with _open_text(path, encoding) as fh:
        for row in csv.DictReader(fh):
            code = (row.get("법정동코드") or "").strip()
            if len(code) == 10 and code[5:] == "00000":
                rows.append(
                    {
                        "bjd_code": code,
                        "name": (row.get("법정동명칭") or "").strip(),
                        "status": (row.get("폐지여부") or "").strip(),
                    }
                )
    return rows


def agency_code_rows(
    services: Iterable[dict[str, Any]], table: RegionTable, source: str = AGENCY_SOURCE
) -> tuple[list[dict[str, str]], list[str]]:
    """(rows, problems): one row per distinct 소관기관코드 of a 자치단체 or 교육청."""
    found: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    for item in services:
        kind = str(item.get("소관기관유형") or "").strip()
        code = str(item.get("소관기관코드") or "").strip()
        name = " ".join(str(item.get("소관기관명") or "").split())
        if kind not in AGENCY_TYPES or not code:
            continue
        region = table.agency_region(name, None, kind)
        if region is None:
            problems.append(f"{code} {name} ({kind}): no region in the name")
            continue
        row = {
            "agency_code": code,
            "agency_name": name,
            "agency_type": kind,
            "region_code": region.code,
            "source": source,
        }
        previous = found.get(code)
        if previous and previous["region_code"] != region.code:
            problems.append(f"{code}: {previous['agency_name']} vs {name}")
            continue
        found.setdefault(code, row)
    return sorted(found.values(), key=lambda r: (r["region_code"], r["agency_code"])), problems


def _write(path: Path, fields: Sequence[str], rows: Iterable[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(fields), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m alrim.catalog.regions_build")
    parser.add_argument("--out", type=Path, default=DATA_DIR / "regions")
    sub = parser.add_subparsers(dest="command", required=True)
    bjd = sub.add_parser("bjd", help="extract 시도/시군구 rows of a 법정동코드 file")
    bjd.add_argument("path", type=Path)
    bjd.add_argument("--encoding", default="cp949")
    bjd.add_argument("--date", default="20250805", help="the file's date, for the output name")
    bjd.add_argument("--source", default=BJD_SOURCE)
    agency = sub.add_parser("agency-codes", help="rebuild agency_codes.csv from serviceList")
    agency.add_argument("path", type=Path)
    agency.add_argument("--source", default=AGENCY_SOURCE)
    args = parser.parse_args(argv)

    if args.command == "bjd":
        rows = [{**r, "source": args.source} for r in extract_bjd(args.path, args.encoding)]
        target = args.out / f"bjd_sido_sigungu_{args.date}.csv"
        _write(target, ("bjd_code", "name", "status", "source"), rows)
        print(f"{target}: {len(rows)} rows")
        return 0

    raw = args.path.read_bytes()
    if args.path.suffix == ".gz":
        raw = gzip.decompress(raw)
    payload = json.loads(raw.decode("utf-8"))
    services = payload["data"] if isinstance(payload, dict) else payload
    table = RegionTable.load(args.out)
    rows, problems = agency_code_rows(services, table, args.source)
    fields = ("agency_code", "agency_name", "agency_type", "region_code", "source")
    _write(args.out / AGENCY_FILE, fields, rows)
    print(f"{args.out / AGENCY_FILE}: {len(rows)} rows")
    for problem in problems:
        print("  not placed:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
