"""Static files: KRDS (npm `krds-uiux`) and htmx from node_modules, plus the pages' own."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from alrim.paths import REPO_ROOT

OWN_STATIC = Path(__file__).resolve().parent / "static"


class AssetsMissing(RuntimeError):
    pass


def node_modules_dir() -> Path:
    return Path(os.environ.get("ALRIM_NODE_MODULES") or REPO_ROOT / "node_modules")


def asset_dirs() -> dict[str, Path]:
    """URL prefix → directory. Raises `AssetsMissing` (saying to run `npm ci`) when the npm
    packages are not installed."""
    nm = node_modules_dir()
    wanted = {
        "/static/krds": nm / "krds-uiux" / "resources",
        "/static/htmx": nm / "htmx.org" / "dist",
    }
    missing = [str(p) for p in wanted.values() if not p.is_dir()]
    if missing:
        raise AssetsMissing(
            "The web pages need the npm packages krds-uiux and htmx.org, not found at "
            f"{', '.join(missing)}. Run `npm ci` (or `make run`) in {REPO_ROOT}, or set "
            "ALRIM_NODE_MODULES to the node_modules directory."
        )
    return {**wanted, "/static/web": OWN_STATIC}


def mount_static(app: FastAPI) -> None:
    for prefix, directory in asset_dirs().items():
        app.mount(
            prefix, StaticFiles(directory=directory), name=prefix.strip("/").replace("/", "_")
        )
