"""A query as a set of weighted concepts, ready to be scored.

From the analysed query text:

1. **Repair** words the index has never seen: a half-typed word is completed from the
   vocabulary ("기초연" → 기초연금), a typo is corrected ("청년월셰" → 청년월세, reported as
   `did_you_mean`); a query of initial consonants ("ㅊㄴㅇㅅ") becomes the words they abbreviate.
2. **Concepts**: each term of the query is one concept. The lexicon adds its catalog words to
   that concept (a service that says 의치 matches the query 틀니); a phrase trigger
   ("문 닫다") adds a concept of its own (폐업). Pairs of adjacent words are weaker phrase
   concepts, and each word's character bigrams are a partial-word concept matched against names.

Pure: the vocabulary (document frequencies, completion, correction) is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from alrim.search.analyzer import NGRAM_PREFIX, Analysis, Word, analyze, bigrams, compact
from alrim.search.hangul import is_chosung_query
from alrim.search.lexicon import Lexicon

MAX_QUERY_LENGTH = 200

# Concept weights: how much each kind of evidence counts next to a plain query word (1.0).
VERB_WEIGHT = 0.6  # 낳다, 받다: weaker evidence than nouns
VAGUE_WEIGHT = 0.2  # 때, 방법 …: words of the question, not of the subject
PHRASE_WEIGHT = 0.5  # two words written together or side by side
NGRAM_WEIGHT = 0.3  # a name containing the typed characters
TRIGGER_DAMPING = 0.5  # the words of a lexicon phrase ("문", "닫다") count less on their own
COMPLETION_LIMIT = 3
CHOSUNG_LIMIT = 3

VAGUE_WORDS = frozenset(
    {
        "때",
        "경우",
        "방법",
        "곳",
        "데",
        "뭐",
        "무엇",
        "어디",
        "언제",
        "얼마",
        "누구",
        "거",
        "것",
        "관련",
    }
)


class ConceptKind(StrEnum):
    TERM = "term"  # a word of the query (with its lexicon synonyms)
    EXPANSION = "expansion"  # catalog words added by a lexicon phrase
    PHRASE = "phrase"  # a pair or compound of the query's words
    NGRAM = "ngram"  # a name containing all the character bigrams of a typed word


@dataclass(frozen=True, slots=True)
class Concept:
    label: str
    members: dict[str, float]  # index term → multiplier (1.0 for the word itself)
    weight: float
    kind: ConceptKind


@dataclass(frozen=True, slots=True)
class Query:
    text: str  # as given (trimmed)
    searched: str  # after corrections (equal to `text` when none)
    concepts: tuple[Concept, ...]
    did_you_mean: str | None = None
    completions: dict[str, list[str]] = field(default_factory=dict)  # word → completed as

    def terms(self) -> set[str]:
        return {t for c in self.concepts for t in c.members}


class VocabularyView(Protocol):
    def df(self, term: str) -> int: ...
    def is_word(self, term: str) -> bool: ...
    def complete(self, prefix: str, limit: int = 5) -> list[str]: ...
    def complete_chosung(self, abbreviation: str, limit: int = 5) -> list[str]: ...
    def near(self, word: str, limit: int = 3) -> list[str]: ...


def parse_query(text: str, lexicon: Lexicon, vocabulary: VocabularyView) -> Query:
    text = " ".join(text.split())[:MAX_QUERY_LENGTH]
    if not text:
        return Query(text, text, ())
    if is_chosung_query(text):
        return _chosung_query(text, vocabulary)

    analysis = analyze(text)
    corrected = _corrections(analysis, lexicon, vocabulary)
    searched = text
    if corrected:
        searched = " ".join(corrected.get(w.text, w.text) for w in analysis.words)
        analysis = analyze(searched)
    completions = _completions(analysis, lexicon, vocabulary)
    concepts = _concepts(analysis, lexicon, vocabulary, completions)
    return Query(
        text=text,
        searched=searched,
        concepts=tuple(concepts),
        did_you_mean=searched if corrected else None,
        completions=completions,
    )


def _chosung_query(text: str, vocabulary: VocabularyView) -> Query:
    words = vocabulary.complete_chosung(text, limit=CHOSUNG_LIMIT)
    if not words:
        return Query(text, text, ())
    members = {w: (1.0 if i == 0 else 0.6) for i, w in enumerate(words)}
    concept = Concept(text, members, 1.0, ConceptKind.TERM)
    return Query(text, words[0], (concept,), did_you_mean=words[0])


def _unknown(word: Word, vocabulary: VocabularyView) -> bool:
    """The word may be half-typed or mistyped: it is not itself a known word, and the
    analyser found in it a noun the index has never seen, or had to break it into
    one-syllable pieces ("청년월" → 청년 + 월, "난밤비" → 난 + 밤 + 비)."""
    if len(word.core) < 2 or vocabulary.is_word(compact(word.core)):
        return False
    return word.fragmented or any(vocabulary.df(t) == 0 for t in word.nominals)


def _triggered(word: Word, lexicon: Lexicon) -> bool:
    return bool(lexicon.matches(list(word.terms)))


def _corrections(
    analysis: Analysis, lexicon: Lexicon, vocabulary: VocabularyView
) -> dict[str, str]:
    """Typed word → corrected word, for unknown words that do not complete to anything."""
    out: dict[str, str] = {}
    for word in analysis.words:
        if not _unknown(word, vocabulary) or _triggered(word, lexicon):
            continue
        key = compact(word.core)
        if vocabulary.complete(key, limit=1):
            continue  # a partial word, completed later
        near = vocabulary.near(key, limit=1)
        if near:
            out[word.text] = word.text.replace(word.core, near[0], 1)
    return out


def _completions(
    analysis: Analysis, lexicon: Lexicon, vocabulary: VocabularyView
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for word in analysis.words:
        if not _unknown(word, vocabulary) or _triggered(word, lexicon):
            continue
        completed = vocabulary.complete(compact(word.core), limit=COMPLETION_LIMIT)
        if completed:
            out[word.text] = completed
    return out


def _concepts(
    analysis: Analysis,
    lexicon: Lexicon,
    vocabulary: VocabularyView,
    completions: dict[str, list[str]],
) -> list[Concept]:
    by_term: dict[str, Concept] = {}
    concepts: list[Concept] = []
    replaced: set[str] = set()
    for word in analysis.words:
        if word.text in completions:
            # The pieces of a half-typed word are misreadings ("난임시" → 난 + 임시).
            replaced.update(word.nominals)
            members = {t: 1.0 for t in completions[word.text]}
            concepts.append(Concept(word.core, members, 1.0, ConceptKind.TERM))

    verbs = {t for t in analysis.terms if t.endswith("다") and t not in _nominal_terms(analysis)}
    for term in dict.fromkeys(analysis.terms):
        if term in replaced:
            continue
        weight = VAGUE_WEIGHT if term in VAGUE_WORDS else VERB_WEIGHT if term in verbs else 1.0
        concept = Concept(term, {term: 1.0}, weight, ConceptKind.TERM)
        by_term[term] = concept
        concepts.append(concept)

    damping: dict[str, float] = {}  # term → factor on its own concept
    for expansion, position in lexicon.matches(list(analysis.terms)):
        members = {t: 1.0 for terms in expansion.add for t in terms}
        trigger = analysis.terms[position : position + len(expansion.trigger)]
        if len(expansion.trigger) == 1 and expansion.trigger[0] in by_term:
            target = by_term[expansion.trigger[0]]
            for t in members:
                target.members[t] = max(target.members.get(t, 0.0), expansion.weight)
            if expansion.keep < 1.0:
                target.members[expansion.trigger[0]] = expansion.keep
            continue
        label = " ".join(expansion.trigger)
        concepts.append(Concept(label, members, expansion.weight, ConceptKind.EXPANSION))
        factor = min(TRIGGER_DAMPING, expansion.keep)
        for term in trigger:
            damping[term] = min(damping.get(term, 1.0), factor)

    concepts = [
        Concept(c.label, c.members, c.weight * damping[c.label], c.kind)
        if c.kind is ConceptKind.TERM and c.label in damping
        else c
        for c in concepts
    ]
    for phrase in dict.fromkeys([*analysis.pairs, *analysis.compounds]):
        concepts.append(Concept(phrase, {phrase: 1.0}, PHRASE_WEIGHT, ConceptKind.PHRASE))
    for word in analysis.words:
        grams = bigrams(word.core) if word.core else []
        if grams:
            members = {NGRAM_PREFIX + g: 1.0 for g in dict.fromkeys(grams)}
            concepts.append(Concept(word.core, members, NGRAM_WEIGHT, ConceptKind.NGRAM))
    return _merge_duplicates(concepts)


def _nominal_terms(analysis: Analysis) -> set[str]:
    return {t for w in analysis.words for t in w.nominals}


def _merge_duplicates(concepts: list[Concept]) -> list[Concept]:
    """Keep one concept per (kind, member set): the one with the highest weight."""
    best: dict[tuple[ConceptKind, frozenset[str]], Concept] = {}
    order: list[tuple[ConceptKind, frozenset[str]]] = []
    for c in concepts:
        key = (c.kind, frozenset(c.members))
        if key not in best:
            order.append(key)
            best[key] = c
        elif c.weight > best[key].weight:
            best[key] = c
    return [best[k] for k in order]
