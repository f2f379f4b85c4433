"""The plain substring search that search quality is measured against.

What most 보조금 finder apps do: every word of the query must appear, as typed, somewhere in
the service's name, summary, target or content (`LIKE '%word%'` on each column), and matches
are shown most-viewed first. Used by the quality tests and benchmarks/search.py only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from alrim.domain.service import Service


@dataclass(frozen=True, slots=True)
class BaselineDoc:
    service_id: str
    text: str
    views: int


def baseline_docs(services: Iterable[Service]) -> list[BaselineDoc]:
    out = []
    for s in services:
        fields = (s.name, s.summary, s.purpose, s.target_text, s.criteria_text, s.benefit_text)
        text = "\n".join(f for f in fields if f)
        out.append(BaselineDoc(s.service_id, text.lower(), s.views or 0))
    return out


def like_search(docs: Sequence[BaselineDoc], query: str, limit: int = 10) -> list[str]:
    words = [w.lower() for w in query.split()]
    if not words:
        return []
    hits = [d for d in docs if all(w in d.text for w in words)]
    hits.sort(key=lambda d: (-d.views, d.service_id))
    return [d.service_id for d in hits[:limit]]
