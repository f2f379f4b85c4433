"""Search quality on the test set (queries.yaml): recall@10 must not fall below the level
reached, and must stay far above plain substring (LIKE) search."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from sqlalchemy import Engine

from alrim.search.baseline import baseline_docs, like_search
from alrim.search.metrics import ndcg_at, recall_at
from alrim.store.catalog_repo import all_active_services
from alrim.store.db import session_scope

pytestmark = pytest.mark.storage

# Reached on the bundled catalog: recall@10 0.94, nDCG@10 0.94 (LIKE baseline: 0.33).
RECALL_FLOOR = 0.92
NDCG_FLOOR = 0.90
KIND_FLOOR = 0.80  # no kind of query (typos, partial words …) may be left behind


def _ids(result: dict[str, Any]) -> list[str]:
    return [hit["service_id"] for hit in result["results"]]


def test_the_test_set_has_real_queries_of_every_kind(
    test_queries: list[dict[str, Any]], catalog_engine: Engine
) -> None:
    assert len(test_queries) >= 60
    assert {q["kind"] for q in test_queries} == {
        "everyday",
        "typo",
        "spacing",
        "partial",
        "chosung",
    }
    with session_scope(catalog_engine) as session:
        active = {s.service_id for s in all_active_services(session)}
    for q in test_queries:
        assert q["relevant"], q["query"]
        missing = set(q["relevant"]) - active
        assert not missing, f"{q['query']}: not in the bundled catalog: {sorted(missing)}"


def test_recall_at_10_stays_above_the_floor(
    test_queries: list[dict[str, Any]], search: Any
) -> None:
    recalls, ndcgs = [], []
    by_kind: dict[str, list[float]] = defaultdict(list)
    misses = []
    for q in test_queries:
        ranked = _ids(search(q["query"], limit=10))
        r = recall_at(ranked, q["relevant"])
        recalls.append(r)
        ndcgs.append(ndcg_at(ranked, q["relevant"]))
        by_kind[q["kind"]].append(r)
        if r < 0.5:
            misses.append(f"{q['query']} ({r:.2f})")
    recall = sum(recalls) / len(recalls)
    ndcg = sum(ndcgs) / len(ndcgs)
    assert recall >= RECALL_FLOOR, f"recall@10 {recall:.3f}; weakest: {misses}"
    assert ndcg >= NDCG_FLOOR, f"nDCG@10 {ndcg:.3f}"
    for kind, values in by_kind.items():
        assert sum(values) / len(values) >= KIND_FLOOR, kind


def test_search_finds_far_more_than_substring_search(
    test_queries: list[dict[str, Any]], search: Any, catalog_engine: Engine
) -> None:
    with session_scope(catalog_engine) as session:
        docs = baseline_docs(all_active_services(session))
    ours = [recall_at(_ids(search(q["query"])), q["relevant"]) for q in test_queries]
    like = [recall_at(like_search(docs, q["query"]), q["relevant"]) for q in test_queries]
    ours_mean, like_mean = sum(ours) / len(ours), sum(like) / len(like)
    assert ours_mean >= like_mean + 0.4, (ours_mean, like_mean)
    # Not one query where plain substring search does better.
    worse = [q["query"] for q, a, b in zip(test_queries, ours, like, strict=True) if a < b]
    assert not worse
