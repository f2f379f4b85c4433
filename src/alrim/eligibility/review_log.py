"""Write the disagreement review log — the only file I/O of rule compilation.

Called by the services layer after compiling the catalog; the eligibility core stays pure.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from alrim.eligibility.disagreements import disagreement_lines
from alrim.eligibility.model import Disagreement
from alrim.paths import REPO_ROOT

DEFAULT_REVIEW_PATH = REPO_ROOT / "var" / "review" / "disagreements.jsonl"


def write_disagreements(
    disagreements: Iterable[Disagreement], path: Path | None = None
) -> tuple[Path, int]:
    """Replace `path` (default `var/review/disagreements.jsonl`) atomically; return it and the
    number of lines written."""
    target = path or DEFAULT_REVIEW_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = disagreement_lines(disagreements)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".disagreements-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for line in lines:
                out.write(line + "\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target, len(lines)
