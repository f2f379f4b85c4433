"""Eligibility benchmark: one person against every service, one service over millions of people.

Printed figures (with the baseline measured in the same run):

(a) `check`: one full profile against the full supportConditions catalog (10,245 rows of
    2025-04-03, compiled with `alrim.eligibility.compile.compile_service`), statuses plus the
    reasons of every returned service in contract §2 shape, p50/p99 over many runs. The catalog
    rows carry no agency, so each row borrows the agency (소관기관명/유형/코드) and 사용자구분 of
    a service of the 1,097-row 2026 sample drawn at random with a fixed seed (`CATALOG_SEED`):
    the regions then follow the sample's agency-region mix (85 % local). Rows whose JA values
    fail validation are skipped (2 rows: JA0111 = 120000).
    Baseline: a plain per-service Python loop over the raw rows (JA flags, age, a prefix test
    for the region, one sentence per criterion). Also shown: the reference evaluator.
(b) `audience` of one service over 1,000,000 and 10,000,000 synthetic profiles
    (`alrim.eligibility.synth`, seed 1): time, rows/s, peak memory (process high-water mark,
    reset before the step), against a plain pandas boolean filter of the same criteria on the
    same data (pandas knows no "unknown": it only counts the surely eligible).
(c) `screen_all`: 1,000,000 synthetic profiles against every service: time and peak memory.

Run: .venv/bin/python benchmarks/eligibility.py [--quick] [--big N]
(`--quick`: 100,000 rows instead of 1,000,000 and no 10,000,000 run).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import random
import re
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import machine, percentiles, repeat

from alrim.catalog.normalize_gov24 import RowError, normalize_gov24
from alrim.catalog.regions import RegionTable
from alrim.domain.profile import INCOME_BANDS, STATUS_CODES, Profile
from alrim.eligibility.compile import compile_service
from alrim.eligibility.evaluate import Context, evaluate
from alrim.eligibility.model import (
    AgeRange,
    HouseholdTraitIn,
    IncomeBandIn,
    LivesIn,
    Rule,
    SexIn,
    StatusIn,
    UserTypeIn,
)
from alrim.eligibility.parameters import Parameters
from alrim.eligibility.profile_table import (
    STATUS_BITS,
    TRAIT_BITS,
    USER_TYPE_BITS,
    frame_to_profiles,
)
from alrim.eligibility.screener import Screener
from alrim.eligibility.synth import synthesize
from alrim.eligibility.vectorized import audience, screen_all
from alrim.paths import PARAMETERS_DIR

DATA = Path(__file__).resolve().parent.parent / "data" / "gov24"
CATALOG_SEED = 20250403
AS_OF = date(2026, 11, 25)

FULL_PROFILE = Profile(
    as_of=AS_OF,
    birth_date=date(1994, 3, 2),
    sex="female",
    region="11110",
    household_size=3,
    household_income_monthly=4_200_000,
    statuses=frozenset({"pregnant", "employee"}),
    statuses_complete=True,
    household_traits=frozenset({"no_home"}),
    household_traits_complete=True,
    user_types=frozenset({"individual"}),
    user_types_given=True,
)


# ---------------------------------------------------------------------------------------------
# Memory: the process high-water mark, reset before each step (Linux).


def _hwm_mb() -> float:
    status = Path("/proc/self/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+)", status)
    return int(match.group(1)) / 1024 if match else float("nan")


def _rss_mb() -> float:
    match = re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text())
    return int(match.group(1)) / 1024 if match else float("nan")


def _reset_hwm() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def measure(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, seconds, peak MB above the RSS before the call)."""
    _reset_hwm()
    before = _rss_mb()
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    return result, seconds, _hwm_mb() - before


# ---------------------------------------------------------------------------------------------
# The catalog.


def catalog(regions: RegionTable) -> tuple[list[Rule], list[dict[str, Any]], dict[str, str]]:
    """Compiled rules, the raw rows they came from, and each row's borrowed area code."""
    with gzip.open(DATA / "serviceList_sample.json.gz") as fh:
        sample = json.load(fh)["data"]
    raw = pl.read_csv(
        DATA / "supportConditions_full_2025-04-03.csv.gz", infer_schema_length=0
    ).to_dicts()
    rng = random.Random(CATALOG_SEED)
    rules: list[Rule] = []
    rows: list[dict[str, Any]] = []
    areas: dict[str, str] = {}
    for row in raw:
        donor = rng.choice(sample)
        listing = {
            k: donor[k] for k in ("소관기관명", "소관기관유형", "소관기관코드", "사용자구분")
        }
        listing["서비스명"] = row["서비스명"]
        conditions: dict[str, Any] = {k: (v or None) for k, v in row.items()}
        for code in ("JA0110", "JA0111"):
            if conditions[code] is not None:
                conditions[code] = int(float(conditions[code]))
        try:
            service = normalize_gov24(
                row["서비스ID"],
                {"serviceList": listing, "supportConditions": conditions},
                regions=regions,
                fetched_at=None,
            )
        except RowError:
            continue
        rules.append(compile_service(service, regions=regions))
        rows.append(conditions)
        if service.region is not None:
            areas[row["서비스ID"]] = service.region.code
    return rules, rows, areas


# ---------------------------------------------------------------------------------------------
# (a) baseline: a plain Python loop over the raw supportConditions rows.

_STATUS_BY_CODE = {code: name for name, code in STATUS_CODES.items()}
_GROUPS = {
    "sex": {"JA0101": "male", "JA0102": "female"},
    "income": dict(
        zip(("JA0201", "JA0202", "JA0203", "JA0204", "JA0205"), INCOME_BANDS, strict=True)
    ),
}


def baseline_check(rows: list[dict[str, Any]], areas: dict[str, str], p: Profile) -> list[Any]:
    """Status and one sentence per criterion, per service, straight from the raw rows."""
    age = p.age_on()
    ratio = None
    if p.household_income_monthly is not None and p.household_size is not None:
        ratio = p.household_income_monthly * 100 / 5_359_036  # 3-person 2026 median
    band = (
        None
        if ratio is None
        else INCOME_BANDS[
            0
            if ratio <= 50
            else 1
            if ratio <= 75
            else 2
            if ratio <= 100
            else 3
            if ratio <= 200
            else 4
        ]
    )
    out = []
    for row in rows:
        reasons = []
        ok = True
        sexes = [v for k, v in _GROUPS["sex"].items() if row.get(k) == "Y"]
        if len(sexes) == 1:
            good = p.sex in sexes
            ok &= good
            verdict = "맞아요" if good else "맞지 않아요"
            reasons.append(("sex", good, f"{sexes[0]} 대상 조건에 {verdict}"))
        low, high = row.get("JA0110"), row.get("JA0111")
        if age is not None and (low or high):
            good = (low is None or age >= low) and (high is None or age <= high)
            ok &= good
            reasons.append(("age", good, f"만 {low}~{high}세 조건 (지금 만 {age}세)"))
        bands = [v for k, v in _GROUPS["income"].items() if row.get(k) == "Y"]
        if 0 < len(bands) < 5:
            good = band in bands
            ok &= good
            reasons.append(("income", good, f"기준 중위소득 {','.join(bands)} 조건"))
        statuses = [n for c, n in _STATUS_BY_CODE.items() if row.get(c) == "Y"]
        if statuses and len(statuses) < len(_STATUS_BY_CODE):
            good = bool(p.statuses & set(statuses)) or (
                row.get("JA0322") == "Y" and not p.statuses & set(_STATUS_BY_CODE.values())
            )
            ok &= good
            reasons.append(("status", good, f"{', '.join(statuses)} 조건"))
        area = areas.get(row["서비스ID"])
        if area is not None:
            good = p.region is not None and p.region.startswith(area)
            ok &= good
            reasons.append(("region", good, f"{area} 거주 조건"))
        out.append((row["서비스ID"], ok, reasons))
    return [x for x in out if x[1]]


def bench_check(
    rules: list[Rule], rows: list[dict[str, Any]], areas: dict[str, str], ctx: Context, runs: int
) -> dict[str, Any]:
    screener, build_s, build_mb = measure(lambda: Screener.build(rules, ctx))
    returned = screener.check(FULL_PROFILE)
    reference = [evaluate(r, FULL_PROFILE, ctx).to_dict() for r in rules]
    assert returned == [r for r in reference if r["status"] != "ineligible"], "screener ≠ reference"
    screener.check(FULL_PROFILE)  # warm (region covers cache)
    fast = percentiles(repeat(lambda: screener.check(FULL_PROFILE), runs))
    screen = percentiles(repeat(lambda: screener.screen(FULL_PROFILE), runs))
    base = percentiles(
        repeat(lambda: baseline_check(rows, areas, FULL_PROFILE), max(20, runs // 20))
    )
    ref = percentiles(
        repeat(lambda: [evaluate(r, FULL_PROFILE, ctx) for r in rules], max(5, runs // 100))
    )
    return {
        "services": len(rules),
        "returned": len(returned),
        "build_s": build_s,
        "build_mb": build_mb,
        "check": fast,
        "screen": screen,
        "baseline": base,
        "reference": ref,
    }


# ---------------------------------------------------------------------------------------------
# (b) audience, and its pandas baseline.


def pick_service(rules: list[Rule]) -> Rule:
    """A compiled rule with a 시도 region, an age range, an income band and statuses."""
    wanted = {LivesIn, AgeRange, IncomeBandIn, StatusIn, UserTypeIn}
    for rule in rules:
        items = rule.criteria.items
        kinds = {type(c) for c in items}
        if kinds >= wanted and all(type(c) in wanted | {SexIn, HouseholdTraitIn} for c in items):
            region = next(c for c in items if isinstance(c, LivesIn))
            if all(len(a) == 2 for a in region.areas):
                return rule
    raise SystemExit("no suitable service in the catalog")


def pick_nationwide(rules: list[Rule]) -> Rule:
    """The nationwide compiled rule with the most criteria the pandas filter also knows."""
    known = {AgeRange, IncomeBandIn, StatusIn, UserTypeIn, SexIn, HouseholdTraitIn}
    flat = [
        r for r in rules if all(type(c) in known for c in r.criteria.items) and r.criteria.items
    ]
    return max(flat, key=lambda r: (len({type(c) for c in r.criteria.items}), r.service_id))


def pandas_eligible(rule: Rule, pdf: pd.DataFrame, ctx: Context, passing_places: set[str]) -> int:
    """A plain boolean filter (known and passing) for the leaves of `rule`."""
    mask = pd.Series(True, index=pdf.index)
    born = pdf["birth_date"]
    years = (
        AS_OF.year
        - born.dt.year
        - (
            (born.dt.month > AS_OF.month)
            | ((born.dt.month == AS_OF.month) & (born.dt.day > AS_OF.day))
        ).astype("int64")
    )
    medians = {s: ctx.parameters.median_income(AS_OF.year, s) for s in range(1, 30)}
    ratio = pdf["household_income_monthly"] * 100.0 / pdf["household_size"].map(medians)
    bands = pd.cut(ratio, [-np.inf, 50, 75, 100, 200, np.inf], labels=list(INCOME_BANDS))
    for leaf in rule.criteria.items:
        if isinstance(leaf, AgeRange):
            mask &= years.between(leaf.min_years or 0, leaf.max_years or 999)
        elif isinstance(leaf, LivesIn):
            mask &= pdf["region"].isin(passing_places)
        elif isinstance(leaf, IncomeBandIn):
            mask &= bands.isin(list(leaf.allowed))
        elif isinstance(leaf, StatusIn):
            allowed = sum(STATUS_BITS[s] for s in leaf.allowed)
            mask &= (pdf["statuses"] & allowed) != 0
        elif isinstance(leaf, HouseholdTraitIn):
            allowed = sum(TRAIT_BITS[s] for s in leaf.allowed)
            mask &= (pdf["household_traits"] & allowed) != 0
        elif isinstance(leaf, SexIn):
            mask &= pdf["sex"].isin(list(leaf.allowed))
        elif isinstance(leaf, UserTypeIn):
            allowed = sum(USER_TYPE_BITS[s] for s in leaf.allowed)
            mask &= (pdf["user_types"] & allowed) != 0
    return int(mask.sum())


def bench_audience(
    rule: Rule, df: pl.DataFrame, ctx: Context, regions: RegionTable
) -> dict[str, Any]:
    audience(rule, df.head(1000), ctx)  # warm
    samples = []
    peak = 0.0
    for _ in range(5):
        outcome, seconds, mb = measure(lambda: audience(rule, df, ctx))
        samples.append(seconds)
        peak = max(peak, mb)
    counts = outcome.value_counts().sort(outcome.name).to_dicts()
    # Spot check against the reference evaluator on 2,000 rows.
    idx = np.random.default_rng(0).choice(df.height, size=min(2000, df.height), replace=False)
    sample = df[idx.tolist()]
    people = frame_to_profiles(sample)
    expected = [
        {"eligible": 1, "maybe": 0, "ineligible": -1}[evaluate(rule, p, ctx).status] for p in people
    ]
    assert outcome.gather(idx.tolist()).to_list() == expected, "audience ≠ reference"
    region = next((c for c in rule.criteria.items if isinstance(c, LivesIn)), None)
    places = {
        c
        for c in df["region"].unique().drop_nulls().to_list()
        if region is None or any(regions.covers(regions.get(a), c) for a in region.areas)
    }
    pdf = df.select(
        "birth_date",
        "sex",
        "region",
        "household_size",
        "household_income_monthly",
        "statuses",
        "household_traits",
        "user_types",
    ).to_pandas()
    pdf["region"] = pdf["region"].astype("category")
    pandas_times = []
    for _ in range(3):
        start = time.perf_counter()
        eligible_pd = pandas_eligible(rule, pdf, ctx, places)
        pandas_times.append(time.perf_counter() - start)
    del pdf
    med = sorted(samples)[len(samples) // 2]
    return {
        "rows": df.height,
        "seconds": med,
        "rows_per_s": df.height / med,
        "peak_mb": peak,
        "frame_mb": df.estimated_size("mb"),
        "counts": counts,
        "pandas_seconds": sorted(pandas_times)[1],
        "pandas_eligible": eligible_pd,
    }


# ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--big", type=int, default=10_000_000)
    args = parser.parse_args()
    rows_1m = 100_000 if args.quick else 1_000_000

    print(f"machine: {machine()}")
    regions = RegionTable.default()
    ctx = Context(regions=regions, parameters=Parameters.load(PARAMETERS_DIR))
    start = time.perf_counter()
    rules, raw_rows, areas = catalog(regions)
    print(f"catalog: {len(rules)} services compiled in {time.perf_counter() - start:.1f} s")

    a = bench_check(rules, raw_rows, areas, ctx, runs=200 if args.quick else 1000)
    ratio = a["baseline"]["p50"] / a["check"]["p50"]
    print("\n(a) one full profile against the catalog")
    print(f"  screener build: {a['build_s']:.2f} s, +{a['build_mb']:.0f} MB")
    print(f"  services returned (eligible/maybe): {a['returned']} of {a['services']}")
    for name in ("check", "screen", "baseline", "reference"):
        s = a[name]
        print(f"  {name:<10} p50 {s['p50'] * 1e3:8.3f} ms   p99 {s['p99'] * 1e3:8.3f} ms")
    print(f"  baseline / check (p50): {ratio:.1f}x")

    services = {"regional": pick_service(rules), "nationwide": pick_nationwide(rules)}
    print("\n(b) audience")
    for kind, rule in services.items():
        labels = "; ".join(c.label for c in rule.criteria.items)
        print(f"  {kind} service {rule.service_id}: {labels}")
    sizes = [rows_1m] + ([] if args.quick else [args.big])
    for n in sizes:
        df, gen_s, gen_mb = measure(
            lambda n=n: synthesize(n, 1, AS_OF, regions, parameters=ctx.parameters)
        )
        print(f"  synthesize {n:,} rows: {gen_s:.1f} s, peak +{gen_mb:.0f} MB")
        for kind, rule in services.items():
            b = bench_audience(rule, df, ctx, regions)
            print(
                f"  {kind:<10} {n:>10,} rows: {b['seconds'] * 1e3:7.1f} ms,"
                f" {b['rows_per_s'] / 1e6:6.1f} M rows/s, peak +{b['peak_mb']:.0f} MB"
                f" (table {b['frame_mb']:.0f} MB); pandas filter"
                f" {b['pandas_seconds'] * 1e3:7.1f} ms ({b['pandas_seconds'] / b['seconds']:.1f}x)"
            )
            counts = {c[rule.service_id]: c["count"] for c in b["counts"]}
            print(
                f"             eligible {counts.get(1, 0):,}, maybe {counts.get(0, 0):,},"
                f" ineligible {counts.get(-1, 0):,}; pandas 'eligible' {b['pandas_eligible']:,}"
            )
        if n == rows_1m:
            out, seconds, mb = measure(lambda df=df: screen_all(rules, df, ctx))
            print(
                f"\n(c) screen_all: {n:,} profiles x {len(rules)} services: {seconds:.1f} s,"
                f" peak +{mb:.0f} MB; eligible+maybe pairs:"
                f" {int(out['eligible'].sum() + out['maybe'].sum()):,}\n"
            )
        del df


if __name__ == "__main__":
    main()
