"""Code health: imports point inward (DESIGN.md). The core stays pure and fast.

- `alrim.domain` imports nothing else from alrim and no I/O libraries.
- `alrim.eligibility` and the catalog's pure parts never import the store, the API, the web
  pages, SQLAlchemy, FastAPI or HTTP clients.
- Nothing below the edges (api, web, cli) imports them.
"""

from __future__ import annotations

import ast
from collections.abc import Collection
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "alrim"
IO_LIBRARIES = ("sqlalchemy", "fastapi", "starlette", "httpx", "uvicorn", "alembic", "psycopg")
EDGES = ("alrim.api", "alrim.web", "alrim.cli")
# Modules of a core package that do I/O on purpose, and what they read.
DOES_IO = {
    "alrim.search.lexicon": "load_lexicon reads data/lexicon/*.yaml",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(package: str) -> list[Path]:
    folder = SRC / package.replace("alrim.", "").replace(".", "/")
    return sorted(folder.rglob("*.py")) if folder.is_dir() else [folder.with_suffix(".py")]


def _dotted(path: Path) -> str:
    return "alrim." + ".".join(path.relative_to(SRC).with_suffix("").parts)


def _violations(package: str, forbidden: tuple[str, ...], skip: Collection[str] = ()) -> list[str]:
    out = []
    for path in _modules(package):
        if _dotted(path) in skip:
            continue
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                out.append(f"{path.relative_to(SRC)} imports {name}")
    return out


def test_domain_is_pure() -> None:
    forbidden = (*IO_LIBRARIES, "alrim.store", "alrim.catalog", "alrim.eligibility",
                 "alrim.services", *EDGES)  # fmt: skip
    assert _violations("alrim.domain", forbidden) == []


@pytest.mark.parametrize(
    "package",
    [
        "alrim.eligibility",
        "alrim.catalog.text",
        "alrim.catalog.periods",
        "alrim.catalog.period_dates",
        "alrim.catalog.regions",
        "alrim.catalog.conditions",
        "alrim.catalog.normalize_gov24",
        "alrim.catalog.normalize_youth",
        "alrim.catalog.normalize_agency",
        "alrim.catalog.assemble",
        "alrim.search",
    ],
)
def test_core_does_no_io(package: str) -> None:
    forbidden = (*IO_LIBRARIES, "alrim.store", "alrim.services", *EDGES)
    assert _violations(package, forbidden, skip=DOES_IO) == []


def test_the_modules_allowed_io_exist() -> None:
    assert [m for m in DOES_IO if not _modules(m)[0].is_file()] == []


@pytest.mark.parametrize(
    "package",
    ["alrim.domain", "alrim.catalog", "alrim.eligibility", "alrim.store", "alrim.services"],
)
def test_inner_layers_never_import_the_edges(package: str) -> None:
    assert _violations(package, EDGES) == []
