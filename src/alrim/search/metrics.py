"""Ranking quality measures for the search test set (tests/search, benchmarks/search.py)."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence


def recall_at(ranked: Sequence[str], relevant: Collection[str], k: int = 10) -> float:
    """Relevant services on the first `k` results, out of as many as could fit there
    (min(k, |relevant|)), so a query with 30 relevant services can still score 1."""
    if not relevant:
        return 1.0
    found = len(set(ranked[:k]) & set(relevant))
    return found / min(k, len(relevant))


def ndcg_at(ranked: Sequence[str], relevant: Collection[str], k: int = 10) -> float:
    """Normalised discounted cumulative gain with binary relevance."""
    wanted = set(relevant)
    if not wanted:
        return 1.0
    dcg = sum(1.0 / math.log2(i + 2) for i, sid in enumerate(ranked[:k]) if sid in wanted)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, len(wanted))))
    return dcg / ideal
