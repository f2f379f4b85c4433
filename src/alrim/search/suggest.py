"""Autocomplete for the counter clerk: words and service names from a few typed letters.

"청녀" (a syllable still being typed) completes to 청년…, "ㅊㄴㅇㅅ" (initial consonants) to
청년월세, and a service name matches from the start of any of its words ("월세" finds
"청년 월세 특별지원"). Words come first by how often they appear in service names; services by
조회수.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from alrim.search.analyzer import compact, normalize
from alrim.search.hangul import chosung, is_chosung_query, is_syllable, jamo
from alrim.search.snapshot import IndexSnapshot

_WORD_START = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Suggestions:
    query: str
    words: list[str]
    services: list[tuple[str, str]]  # (service_id, name)

    def to_dict(self) -> dict[str, object]:
        return {
            "query": self.query,
            "words": self.words,
            "services": [{"service_id": sid, "name": name} for sid, name in self.services],
        }


@dataclass(frozen=True, slots=True)
class _NameIndex:
    by_jamo: list[tuple[str, int]]
    by_chosung: list[tuple[str, int]]


def _name_index(snapshot: IndexSnapshot) -> _NameIndex:
    cached = snapshot.derived.get("names")
    if isinstance(cached, _NameIndex):
        return cached
    by_jamo: list[tuple[str, int]] = []
    by_chosung: list[tuple[str, int]] = []
    for doc in snapshot.docs.values():
        name = normalize(doc.name)
        squeezed = compact(name)
        starts = {len(compact(name[: m.start()])) for m in _WORD_START.finditer(name)}
        for pos in sorted(starts):
            tail = squeezed[pos:]
            if tail:
                by_jamo.append((jamo(tail), doc.doc_id))
                if is_syllable(tail[0]):
                    by_chosung.append((chosung(tail), doc.doc_id))
    index = _NameIndex(sorted(by_jamo), sorted(by_chosung))
    snapshot.derived["names"] = index
    return index


def _prefixed(pairs: list[tuple[str, int]], key: str) -> set[int]:
    found: set[int] = set()
    for k, doc_id in pairs[bisect.bisect_left(pairs, (key, -1)) :]:
        if not k.startswith(key):
            break
        found.add(doc_id)
    return found


def suggest(prefix: str, snapshot: IndexSnapshot, limit: int = 10) -> Suggestions:
    text = " ".join(prefix.split())
    if not text:
        return Suggestions(text, [], [])
    names = _name_index(snapshot)
    if is_chosung_query(text):
        key = "".join(text.split())
        words = snapshot.vocabulary.complete_chosung(key, limit)
        doc_ids = _prefixed(names.by_chosung, key)
    else:
        key = compact(text)
        words = snapshot.vocabulary.complete(key, limit)
        if snapshot.vocabulary.df(key) > 0:
            words = [key, *words][:limit]
        doc_ids = _prefixed(names.by_jamo, jamo(key)) if key else set()
    docs = [snapshot.docs[d] for d in doc_ids if d in snapshot.docs]
    docs.sort(key=lambda d: (-(d.views if d.views is not None else -1), d.name, d.service_id))
    return Suggestions(text, words, [(d.service_id, d.name) for d in docs[:limit]])
