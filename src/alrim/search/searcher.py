"""One search, start to finish: parse the query, read postings, score, filter, rank.

The postings come from a `PostingsSource` (the database, in production); everything else here
is computed in memory from the snapshot, so two backends holding the same index return the
same results.

Common terms (in more than `common_threshold` services, e.g. 지원, 대상) do not bring in
services on their own: they only score services that match a rarer term of the query. A
service that only says 지원 is not an answer to "청년 월세 지원".
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import numpy as np

from alrim.search.filters import SearchFilters
from alrim.search.lexicon import Lexicon
from alrim.search.query import Query, parse_query
from alrim.search.ranking import (
    DEFAULT_CONFIG,
    Candidate,
    RankingConfig,
    TermPostings,
    max_boost,
    score_documents,
    top,
)
from alrim.search.snapshot import IndexSnapshot

COMMON_DF_MIN = 500
COMMON_DF_RATIO = 0.05


class PostingsSource(Protocol):
    def fetch(self, terms: Collection[str]) -> dict[str, TermPostings]:
        """term → (doc ids, packed field counts) of every document that has the term."""
        ...


@dataclass(frozen=True, slots=True)
class SearchOptions:
    as_of: date  # "now" for the open-now boost and filter
    limit: int = 20
    offset: int = 0
    filters: SearchFilters = field(default_factory=SearchFilters)
    eligibility: Mapping[str, str] | None = None  # service_id → eligible | maybe | ineligible


@dataclass(frozen=True, slots=True)
class SearchHit:
    service_id: str
    name: str
    score: float
    agency: str
    region: str | None
    categories: tuple[str, ...]
    views: int | None
    open_now: bool
    eligibility: str | None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "service_id": self.service_id,
            "name": self.name,
            "score": self.score,
            "agency": self.agency,
            "region": self.region,
            "categories": list(self.categories),
            "views": self.views,
            "open_now": self.open_now,
        }
        if self.eligibility is not None:
            out["eligibility"] = self.eligibility
        return out


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: Query
    total: int  # services that match, after filters
    hits: list[SearchHit]


def common_threshold(n_docs: int) -> int:
    return max(COMMON_DF_MIN, int(n_docs * COMMON_DF_RATIO))


def run_search(
    text: str,
    snapshot: IndexSnapshot,
    lexicon: Lexicon,
    source: PostingsSource,
    options: SearchOptions,
    config: RankingConfig = DEFAULT_CONFIG,
) -> SearchResult:
    vocabulary = snapshot.vocabulary
    query = parse_query(text, lexicon, vocabulary)
    terms = query.terms()
    dfs = {t: vocabulary.df(t) for t in terms}
    known = [t for t in sorted(terms) if dfs[t] > 0]
    if not known:
        return SearchResult(query, 0, [])
    limit = common_threshold(snapshot.n_docs)
    postings = source.fetch(known)
    selective = [postings[t][0] for t in known if dfs[t] <= limit and t in postings]
    if selective:  # common terms only score services that a rarer term brought in
        brought_in = np.unique(np.concatenate(selective))
        for term in known:
            if dfs[term] > limit and term in postings:
                docs, packed = postings[term]
                keep = np.isin(docs, brought_in, assume_unique=True)
                postings[term] = (docs[keep], packed[keep])
    scores = score_documents(
        query.concepts, postings, dfs, snapshot.n_docs, snapshot.factors, config
    )

    matched = np.flatnonzero(scores > 0)
    filters = options.filters
    open_docs = snapshot.open_on(options.as_of)
    if filters.active:
        matched = np.fromiter(
            (
                d
                for d in matched.tolist()
                if d in snapshot.docs and filters.accepts(snapshot.docs[d], open_docs)
            ),
            dtype=np.int64,
        )
    order = matched[np.argsort(-scores[matched], kind="stable")]
    status_of = options.eligibility

    def candidates() -> Iterator[tuple[float, Candidate]]:
        for doc_id in order.tolist():
            doc = snapshot.docs.get(doc_id)
            if doc is None:
                continue
            yield (
                float(scores[doc_id]),
                Candidate(
                    doc_id=doc_id,
                    service_id=doc.service_id,
                    name=doc.name,
                    views=doc.views,
                    open_now=doc_id in open_docs,
                    eligibility=status_of.get(doc.service_id) if status_of is not None else None,
                ),
            )

    wanted = options.offset + options.limit
    ceiling = max_boost(config, status_of is not None)
    page = top(candidates(), wanted, ceiling, config)[options.offset :]
    hits = []
    for r in page:
        doc = snapshot.docs[r.doc_id]
        hits.append(
            SearchHit(
                service_id=doc.service_id,
                name=doc.name,
                score=r.score,
                agency=doc.agency_name,
                region=doc.region_name,
                categories=doc.categories,
                views=doc.views,
                open_now=r.doc_id in open_docs,
                eligibility=status_of.get(doc.service_id) if status_of is not None else None,
            )
        )
    return SearchResult(query, int(order.size), hits)
