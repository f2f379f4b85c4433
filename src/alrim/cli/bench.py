"""`alrim bench`: run the benchmark scripts under benchmarks/ (they print their figures)."""

from __future__ import annotations

import subprocess
import sys
from typing import Annotated

import typer

from alrim.cli.common import fail
from alrim.paths import REPO_ROOT

BENCH_DIR = REPO_ROOT / "benchmarks"


def register(app: typer.Typer) -> None:
    app.command("bench")(bench)


def available() -> list[str]:
    return sorted(p.stem for p in BENCH_DIR.glob("*.py") if not p.stem.startswith("_"))


def bench(
    names: Annotated[
        list[str] | None, typer.Argument(help="Benchmarks to run (default: all).")
    ] = None,
    quick: Annotated[bool, typer.Option(help="Pass --quick to scripts that support it.")] = False,
) -> None:
    """Run benchmarks (ingest, eligibility, search, api, notify …) and print their figures."""
    known = available()
    wanted = names or known
    unknown = [n for n in wanted if n not in known]
    if unknown:
        fail(f"모르는 벤치마크예요: {', '.join(unknown)} (있는 것: {', '.join(known)})")
    for name in wanted:
        typer.echo(f"== benchmarks/{name}.py")
        args = [sys.executable, str(BENCH_DIR / f"{name}.py")]
        if quick:
            script = (BENCH_DIR / f"{name}.py").read_text(encoding="utf-8")
            if "--quick" in script:
                args.append("--quick")
        code = subprocess.call(args, cwd=REPO_ROOT)
        if code != 0:
            fail(f"benchmarks/{name}.py 가 실패했어요 (exit {code}).", code=code)
