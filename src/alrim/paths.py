"""Where the project's bundled data lives (repo-relative, overridable by settings)."""

from __future__ import annotations

import os
from pathlib import Path

# src/alrim/paths.py → repository root is three levels up.
PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent


def _dir(env: str, default: Path) -> Path:
    value = os.environ.get(env)
    return Path(value) if value else default


DATA_DIR = _dir("ALRIM_DATA_DIR", REPO_ROOT / "data")
RULES_DIR = _dir("ALRIM_RULES_DIR", REPO_ROOT / "rules")
PARAMETERS_DIR = _dir("ALRIM_PARAMETERS_DIR", REPO_ROOT / "parameters")
