"""The synonym and everyday-language lexicon, kept as data in `data/lexicon/*.yaml`.

People search with their own words ("아기 낳으면 받는 돈", "가게 문 닫을 때"); the catalog is
written in administrative ones (출산, 폐업, 소상공인). An entry says which catalog words to search
as well when a query contains a given word or phrase:

```yaml
entries:
  - when: [어르신]               # words or phrases people type
    add: [노인, 65세, 고령자]      # catalog words searched as well
    weight: 0.8                  # how much a match on an added word counts (default 0.8)
    keep: 1.0                    # how much the typed word itself still counts (default 1.0;
                                 #   lower it for a word the catalog uses in another sense)
    note: Why, and where the catalog uses the added words.
    test: {query: 어르신 틀니, finds: "SERVICE_ID"}   # checked by tests/search
  - same: [틀니, 의치]             # words that mean the same: each one adds the others
    note: …
    test: {query: 틀니, finds: "…"}
```

Words and phrases are analysed with the same analyser as the catalog, so "문 닫다" matches
"문을 닫을 때" and "장애인차" matches "장애인 차". Expansion happens at query time: editing the
lexicon needs no reindexing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from alrim.search.analyzer import Analysis, analyze, compact

DEFAULT_WEIGHT = 0.8
SAME_WEIGHT = 0.9


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Expansion:
    """One entry as used at query time: a trigger (a term sequence) and what it adds."""

    trigger: tuple[str, ...]  # analysed terms of a word or phrase, e.g. ("문", "닫다")
    add: tuple[tuple[str, ...], ...]  # for each added word, the index terms that stand for it
    weight: float
    keep: float  # weight left to the trigger's own terms
    entry: int  # index of the entry in `Lexicon.entries`


@dataclass(frozen=True, slots=True)
class Entry:
    source: str  # "file.yaml#3"
    when: tuple[str, ...]
    add: tuple[str, ...]
    weight: float
    keep: float
    note: str
    same: bool
    test_query: str | None
    test_finds: str | None


@dataclass(frozen=True, slots=True)
class Lexicon:
    entries: tuple[Entry, ...]
    expansions: tuple[Expansion, ...]

    @classmethod
    def empty(cls) -> Lexicon:
        return cls((), ())

    def matches(self, terms: Sequence[str]) -> list[tuple[Expansion, int]]:
        """Every expansion whose trigger occurs, in order and adjacent, in `terms`
        (with the position where it starts)."""
        found: list[tuple[Expansion, int]] = []
        for exp in self.expansions:
            size = len(exp.trigger)
            for i in range(len(terms) - size + 1):
                if tuple(terms[i : i + size]) == exp.trigger:
                    found.append((exp, i))
                    break
        return found


def word_terms(analysis: Analysis) -> tuple[str, ...]:
    """The index terms that stand for one written word or phrase.

    A single word is its one term (`틀니`); a word the analyser splits is the pair or compound
    it forms (`에너지바우처` → the pair `에너지바우처`); a phrase of several words is its pairs
    (`장애인 자동차 표지` → `장애인자동차`, `자동차표지`).
    """
    unigrams = tuple(dict.fromkeys(analysis.terms))
    if len(unigrams) == 1 and not analysis.pairs:
        return unigrams
    joined = tuple(dict.fromkeys([*analysis.compounds, *analysis.pairs]))
    return joined or unigrams


def load_lexicon(directory: Path) -> Lexicon:
    """Read every `*.yaml` file of `directory` (sorted by name)."""
    entries: list[Entry] = []
    for path in sorted(directory.glob("*.yaml")):
        entries.extend(parse_entries(path.read_text(encoding="utf-8"), path.name))
    return build_lexicon(entries)


def parse_entries(text: str, source: str) -> list[Entry]:
    data = yaml.safe_load(text) or {}
    if not isinstance(data, Mapping) or not isinstance(data.get("entries"), list):
        raise LexiconError(f"{source}: expected a mapping with a list under 'entries'")
    return [_entry(raw, f"{source}#{i + 1}") for i, raw in enumerate(data["entries"])]


def _words(raw: Any, where: str, key: str) -> tuple[str, ...]:
    if (
        not isinstance(raw, list)
        or not raw
        or not all(isinstance(w, str) and w.strip() for w in raw)
    ):
        raise LexiconError(f"{where}: '{key}' must be a non-empty list of words")
    return tuple(w.strip() for w in raw)


def _entry(raw: Any, where: str) -> Entry:
    if not isinstance(raw, Mapping):
        raise LexiconError(f"{where}: an entry must be a mapping")
    unknown = set(raw) - {"when", "add", "same", "weight", "keep", "note", "test"}
    if unknown:
        raise LexiconError(f"{where}: unknown keys {sorted(unknown)}")
    note = raw.get("note")
    if not isinstance(note, str) or not note.strip():
        raise LexiconError(f"{where}: every entry needs a 'note' saying why")
    test = raw.get("test") or {}
    if not isinstance(test, Mapping):
        raise LexiconError(f"{where}: 'test' must be a mapping with 'query' and 'finds'")
    if "same" in raw:
        if "when" in raw or "add" in raw:
            raise LexiconError(f"{where}: use either 'same' or 'when'/'add', not both")
        words = _words(raw["same"], where, "same")
        if len(words) < 2:
            raise LexiconError(f"{where}: 'same' needs at least two words")
        when, add, same = words, words, True
        default_weight = SAME_WEIGHT
    else:
        when, add, same = (
            _words(raw.get("when"), where, "when"),
            _words(raw.get("add"), where, "add"),
            False,
        )
        default_weight = DEFAULT_WEIGHT
    weight = raw.get("weight", default_weight)
    if not isinstance(weight, int | float) or not 0 < weight <= 1:
        raise LexiconError(f"{where}: 'weight' must be a number in (0, 1]")
    keep = raw.get("keep", 1.0)
    if not isinstance(keep, int | float) or not 0 <= keep <= 1:
        raise LexiconError(f"{where}: 'keep' must be a number in [0, 1]")
    finds = test.get("finds")
    return Entry(
        source=where,
        when=when,
        add=add,
        weight=float(weight),
        keep=float(keep),
        note=note.strip(),
        same=same,
        test_query=str(test["query"]) if test.get("query") else None,
        test_finds=str(finds) if finds else None,
    )


def build_lexicon(entries: Iterable[Entry]) -> Lexicon:
    """Analyse every trigger and added word once."""
    kept = tuple(entries)
    expansions: list[Expansion] = []
    for index, entry in enumerate(kept):
        targets = {w: word_terms(analyze(w)) for w in entry.add}
        for word in entry.when:
            trigger = analyze(word).terms
            if not trigger:
                raise LexiconError(f"{entry.source}: '{word}' has no searchable word in it")
            add = tuple(
                terms for w, terms in targets.items() if terms and compact(w) != compact(word)
            )
            if add:
                expansions.append(Expansion(tuple(trigger), add, entry.weight, entry.keep, index))
    return Lexicon(kept, tuple(expansions))
