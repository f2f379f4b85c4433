"""The part of the index a process keeps in memory: one small record per service and the
vocabulary. The postings stay in the database and are read per query.

A snapshot is immutable: `apply` returns a new one with changed rows replaced, so threads
reading the old one are never disturbed. Stored rows carry the index generation in which they
were written; a process asks for rows newer than its snapshot and applies only those.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from alrim.domain.period import ApplicationPeriod
from alrim.search.document import FIELDS
from alrim.search.ranking import DEFAULT_CONFIG, RankingConfig, factor_matrix, field_factors
from alrim.search.vocabulary import Vocabulary


@dataclass(frozen=True, slots=True)
class DocInfo:
    doc_id: int
    service_id: str
    name: str
    agency_name: str
    region_code: str | None
    region_name: str | None
    agency_type: str
    categories: tuple[str, ...]
    user_types: tuple[str, ...]
    period: ApplicationPeriod
    views: int | None
    lengths: tuple[int, ...]

    def open_on(self, day: date) -> bool:
        return self.period.is_open(day) is True

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> DocInfo:
        return cls(
            doc_id=int(row["doc_id"]),
            service_id=str(row["service_id"]),
            name=str(row["name"]),
            agency_name=str(row["agency_name"] or ""),
            region_code=row["region_code"],
            region_name=row["region_name"],
            agency_type=str(row["agency_type"] or ""),
            categories=tuple(row["categories"] or ()),
            user_types=tuple(row["user_types"] or ()),
            period=ApplicationPeriod.from_dict(row["period"] or {"kind": "unknown"}),
            views=row["views"],
            lengths=tuple(int(n) for n in (row["field_lengths"] or [0] * len(FIELDS))),
        )


@dataclass(frozen=True, slots=True)
class IndexSnapshot:
    generation: int
    docs: Mapping[int, DocInfo]
    by_service: Mapping[str, int]
    vocabulary: Vocabulary
    avg_lengths: tuple[float, ...]
    # Row doc_id: the document's BM25F field factors (zeros for ids not in the index).
    factors: NDArray[np.float64] = field(repr=False)
    # Structures derived from this snapshot on first use (e.g. the name completion index).
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def n_docs(self) -> int:
        return len(self.docs)

    @classmethod
    def empty(cls) -> IndexSnapshot:
        return cls(-1, {}, {}, Vocabulary(), (0.0,) * len(FIELDS), factor_matrix({}))

    def apply(
        self,
        generation: int,
        doc_rows: Iterable[tuple[DocInfo, bool]],
        term_rows: Iterable[tuple[str, int, int]],
        config: RankingConfig = DEFAULT_CONFIG,
    ) -> IndexSnapshot:
        """A new snapshot with (doc, active) rows and (term, df, name_df) rows applied."""
        docs = dict(self.docs)
        by_service = dict(self.by_service)
        for doc, active in doc_rows:
            old = by_service.pop(doc.service_id, None)
            if old is not None:
                docs.pop(old, None)
            docs.pop(doc.doc_id, None)
            if active:
                docs[doc.doc_id] = doc
                by_service[doc.service_id] = doc.doc_id
        vocabulary = self.vocabulary.copy()
        vocabulary.update(term_rows)
        avg = _average_lengths(docs.values())
        factors = factor_matrix(
            {d.doc_id: field_factors(d.lengths, avg, config) for d in docs.values()}
        )
        return IndexSnapshot(generation, docs, by_service, vocabulary, avg, factors)

    def open_on(self, day: date) -> frozenset[int]:
        """Documents open for applications on `day` (computed once per snapshot and day)."""
        key = f"open:{day.isoformat()}"
        cached = self.derived.get(key)
        if isinstance(cached, frozenset):
            return cached
        found = frozenset(d.doc_id for d in self.docs.values() if d.open_on(day))
        self.derived[key] = found
        return found


def _average_lengths(docs: Iterable[DocInfo]) -> tuple[float, ...]:
    totals = [0] * len(FIELDS)
    count = 0
    for d in docs:
        count += 1
        for i, n in enumerate(d.lengths[: len(FIELDS)]):
            totals[i] += n
    return tuple(t / count if count else 0.0 for t in totals)
