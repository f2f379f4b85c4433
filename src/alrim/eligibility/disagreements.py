"""The review log of text-vs-code disagreements.

`collect_disagreements` gathers them from compiled rules; `disagreement_lines` renders them as
JSON Lines (one object per line, sorted, stable). Writing the file (`var/review/
disagreements.jsonl`) is the caller's job: `alrim.eligibility.review_log.write_disagreements`.
A disagreement describes a *service* (its id, what its codes and its text say); no personal
data can enter it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from alrim.eligibility.model import Disagreement, Rule

FIELDS = ("service_id", "dimension", "codes_say", "text_says", "span")


def collect_disagreements(rules: Iterable[Rule]) -> list[Disagreement]:
    """Every disagreement of the given rules, ordered by service id then dimension."""
    found = [d for rule in rules for d in rule.disagreements]
    return sorted(found, key=lambda d: (d.service_id, d.dimension, d.codes_say, d.text_says))


def disagreement_record(disagreement: Disagreement) -> dict[str, object]:
    record = disagreement.to_dict()
    return {key: record[key] for key in FIELDS}


def disagreement_lines(disagreements: Iterable[Disagreement]) -> list[str]:
    """One compact JSON object per disagreement (Korean kept readable)."""
    return [
        json.dumps(disagreement_record(d), ensure_ascii=False, sort_keys=True)
        for d in disagreements
    ]
