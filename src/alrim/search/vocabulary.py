"""The index vocabulary in memory: document frequencies, completion, typo correction.

Built from the stored term table (term, df, name_df) and kept up to date incrementally.
Completion works on letters (jamo), so a half-typed syllable completes ("청녀" → 청년), and on
initial consonants ("ㅊㄴㅇㅅ" → 청년월세). Typo correction looks for words a few letters away
("청년월셰" → 청년월세) among words that share a syllable with the typed one.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from alrim.search.analyzer import NGRAM_PREFIX
from alrim.search.hangul import chosung, edit_distance, is_syllable, jamo

# A word is offered for completion or correction when it names a service or is not rare.
MIN_DF_FOR_SUGGESTION = 3
TYPO_LETTERS = 1


@dataclass(frozen=True, slots=True)
class TermInfo:
    df: int  # active services whose index has the term
    name_df: int  # … in their name


def _suggestible(term: str, info: TermInfo) -> bool:
    if term.startswith(NGRAM_PREFIX) or len(term) < 2 or info.df <= 0:
        return False
    if not any(is_syllable(ch) for ch in term):
        return False
    return info.name_df > 0 or info.df >= MIN_DF_FOR_SUGGESTION


class Vocabulary:
    """Term statistics plus lazily built lookup structures for suggestions."""

    def __init__(self, rows: Iterable[tuple[str, int, int]] = ()) -> None:
        self._terms: dict[str, TermInfo] = {}
        self._dirty = True
        self._by_jamo: list[tuple[str, str]] = []
        self._by_chosung: list[tuple[str, str]] = []
        self._by_syllable: dict[str, list[str]] = {}
        self.update(rows)

    def __len__(self) -> int:
        return len(self._terms)

    def copy(self) -> Vocabulary:
        """A copy to update while readers keep using this one (lookups are rebuilt lazily)."""
        clone = Vocabulary()
        clone._terms = dict(self._terms)
        return clone

    def update(self, rows: Iterable[tuple[str, int, int]]) -> None:
        """Apply (term, df, name_df) rows; a df of 0 removes the term."""
        for term, df, name_df in rows:
            if df > 0:
                self._terms[term] = TermInfo(df, name_df)
            else:
                self._terms.pop(term, None)
            self._dirty = True

    def df(self, term: str) -> int:
        info = self._terms.get(term)
        return info.df if info else 0

    def info(self, term: str) -> TermInfo | None:
        return self._terms.get(term)

    def is_word(self, term: str) -> bool:
        """A term people would type: it names services, or is not rare (not a stray pair)."""
        info = self._terms.get(term)
        return info is not None and _suggestible(term, info)

    def _build(self) -> None:
        if not self._dirty:
            return
        words = [t for t, info in self._terms.items() if _suggestible(t, info)]
        self._by_jamo = sorted((jamo(t), t) for t in words)
        self._by_chosung = sorted(
            (chosung(t), t) for t in words if all(is_syllable(ch) for ch in t)
        )
        by_syllable: dict[str, list[str]] = {}
        for t in words:
            for ch in set(t):
                if is_syllable(ch):
                    by_syllable.setdefault(ch, []).append(t)
        self._by_syllable = by_syllable
        self._dirty = False

    def _rank_key(self, term: str) -> tuple[int, int, str]:
        info = self._terms[term]
        return (-info.name_df, -info.df, term)

    def complete(self, prefix: str, limit: int = 5) -> list[str]:
        """Words that start with `prefix`, letter by letter ("청녀" → 청년, 청년월세 …),
        most common in service names first."""
        key = jamo(prefix)
        if not key:
            return []
        self._build()
        found = _prefixed(self._by_jamo, key)
        found = [t for t in found if t != prefix]
        return sorted(found, key=self._rank_key)[:limit]

    def complete_chosung(self, abbreviation: str, limit: int = 5) -> list[str]:
        """Words whose initial consonants start with `abbreviation` ("ㅊㄴㅇㅅ" → 청년월세),
        exact-length matches first."""
        key = "".join(abbreviation.split())
        if not key:
            return []
        self._build()
        found = _prefixed(self._by_chosung, key)
        return sorted(found, key=lambda t: (len(t) != len(key), *self._rank_key(t)))[:limit]

    def near(self, word: str, limit: int = 3) -> list[str]:
        """Known words a typo or two away from `word` (in letters), closest first.

        A typo is one letter (a key next to the right one, a vowel for its neighbour); it changes
        one syllable, so a candidate must share all the others with `word`, and only those
        candidates are compared letter by letter.
        """
        syllables = [ch for ch in word if is_syllable(ch)]
        if len(syllables) < 2 or word in self._terms:
            return []
        self._build()
        max_distance = TYPO_LETTERS
        needed = len(syllables) - max_distance
        shared: dict[str, int] = {}
        for ch in set(syllables):
            for candidate in self._by_syllable.get(ch, ()):
                shared[candidate] = shared.get(candidate, 0) + 1
        target = jamo(word)
        scored: list[tuple[int, tuple[int, int, str]]] = []
        for candidate, count in shared.items():
            if count < needed or abs(len(candidate) - len(word)) > 1:
                continue
            distance = edit_distance(target, jamo(candidate), max_distance)
            if distance <= max_distance:
                scored.append((distance, self._rank_key(candidate)))
        scored.sort()
        return [key[2] for _, key in scored[:limit]]


def _prefixed(pairs: list[tuple[str, str]], key: str) -> list[str]:
    start = bisect.bisect_left(pairs, (key, ""))
    out: list[str] = []
    for k, term in pairs[start:]:
        if not k.startswith(key):
            break
        out.append(term)
    return out
