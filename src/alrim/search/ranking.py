"""Ranking: BM25F over the five fields, concept by concept, then boosts and tie-breaks.

For a term t and a service d (BM25F: fields weighted before saturation):

    tf(t, d)    = Σ_f w_f · tf_f(t, d) / (1 − b_f + b_f · len_f(d) / avglen_f)
    s(t, d)     = idf(t) · tf(t, d) / (k1 + tf(t, d))
    idf(t)      = ln(1 + (N − df + 0.5) / (df + 0.5))

so a name counts more than a summary, which counts more than the target and content texts,
and repeating a word saturates instead of adding up. A concept (a query word with the
synonyms the lexicon adds, each with a multiplier m) scores like a dis-max query: its best
term, plus a little of the others,

    score(c, d) = weight(c) · (max_t m_t·s(t, d) + TIE · (Σ_t m_t·s(t, d) − max_t m_t·s(t, d)))

so saying 틀니 and 의치 in one text is not twice the evidence, and a rare synonym keeps its
weight next to a common one. A partial-word concept matches a service whose name holds all
the typed character pairs, as rare as its rarest pair.

The sum over concepts is multiplied by the boosts: the person's eligibility for the service
(when a profile is given) and whether it is open for applications now. Equal scores are
ordered by 조회수 (views), most viewed first — never by ID; only services with the same score,
views and name fall back to the ID, so that the order is the same on every run and backend.

Pure: no database, no clock (the day is passed in).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from alrim.search.document import FIELDS, NAME, TF_BITS, TF_MAX
from alrim.search.query import Concept, ConceptKind

SCORE_DIGITS = 2  # scores within 0.01 are equal (then views decide); backends cannot differ


@dataclass(frozen=True, slots=True)
class RankingConfig:
    # name > summary > target / content > agency and categories
    field_weights: tuple[float, ...] = (4.0, 2.0, 1.0, 1.0, 0.6)
    # Length normalisation per field: names are short and all alike, long texts vary.
    field_b: tuple[float, ...] = (0.3, 0.6, 0.75, 0.75, 0.3)
    k1: float = 1.2
    tie: float = 0.2  # share of a concept's other terms next to its best one
    eligibility_boost: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({"eligible": 1.3, "maybe": 1.1, "ineligible": 0.7})
    )
    open_now_boost: float = 1.15


DEFAULT_CONFIG = RankingConfig()


def idf(df: int, n: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def field_factors(
    lengths: Sequence[int], avg_lengths: Sequence[float], config: RankingConfig = DEFAULT_CONFIG
) -> tuple[float, ...]:
    """w_f / (1 − b_f + b_f · len_f / avglen_f) for each field of one service."""
    out = []
    for i in range(len(FIELDS)):
        avg = avg_lengths[i] if avg_lengths[i] > 0 else 1.0
        b = config.field_b[i]
        out.append(config.field_weights[i] / (1.0 - b + b * lengths[i] / avg))
    return tuple(out)


# Term postings as arrays: the documents that have the term and their packed field counts.
TermPostings = tuple[NDArray[np.int64], NDArray[np.int64]]
_SHIFTS = np.arange(len(FIELDS), dtype=np.int64) * TF_BITS


def postings_arrays(by_doc: Mapping[int, int]) -> TermPostings:
    """{doc_id: packed tfs} → (doc ids, packed tfs) arrays (handy in tests)."""
    docs = np.fromiter(by_doc.keys(), dtype=np.int64, count=len(by_doc))
    tfs = np.fromiter(by_doc.values(), dtype=np.int64, count=len(by_doc))
    return docs, tfs


def factor_matrix(
    factors: Mapping[int, Sequence[float]], size: int | None = None
) -> NDArray[np.float64]:
    """Row `doc_id` holds that document's field factors (zeros for absent documents)."""
    rows = (max(factors, default=-1) + 1) if size is None else size
    matrix = np.zeros((rows, len(FIELDS)), dtype=np.float64)
    for doc, values in factors.items():
        matrix[doc] = values
    return matrix


def weighted_tf(packed: NDArray[np.int64], factors: NDArray[np.float64]) -> NDArray[np.float64]:
    """Σ_f factor_f · tf_f for each posting (one row of `factors` per posting)."""
    counts = (packed[:, None] >> _SHIFTS) & TF_MAX
    result: NDArray[np.float64] = (counts * factors).sum(axis=1)
    return result


def concept_df(concept: Concept, dfs: Mapping[str, int]) -> int:
    values = [dfs.get(t, 0) for t in concept.members]
    if not values:
        return 0
    # A partial-word concept needs all its pieces: no more common than the rarest piece.
    return min(values) if concept.kind is ConceptKind.NGRAM else max(values)


def score_documents(
    concepts: Iterable[Concept],
    postings: Mapping[str, TermPostings],
    dfs: Mapping[str, int],
    n_docs: int,
    factors: NDArray[np.float64],
    config: RankingConfig = DEFAULT_CONFIG,
) -> NDArray[np.float64]:
    """BM25F score of every document (indexed by doc id; 0 for documents that do not match).

    `factors` is the factor matrix of the index (see `factor_matrix`); documents without a
    row (or with a zero row: not in the index) never score.
    """
    size = factors.shape[0]
    scores = np.zeros(size, dtype=np.float64)
    k1 = config.k1
    for concept in concepts:
        if concept.kind is ConceptKind.NGRAM:
            _score_ngram(concept, postings, dfs, n_docs, factors, config, scores)
            continue
        best = np.zeros(size, dtype=np.float64)
        total = np.zeros(size, dtype=np.float64)
        for term, mult in concept.members.items():
            df = dfs.get(term, 0)
            found = postings.get(term)
            if df <= 0 or found is None:
                continue
            docs, packed = _inside(found, size)
            if docs.size == 0:
                continue
            tf = weighted_tf(packed, factors[docs])
            s = mult * idf(df, n_docs) * tf / (k1 + tf)
            best[docs] = np.maximum(best[docs], s)
            total[docs] += s
        scores += concept.weight * (best + config.tie * (total - best))
    return scores


def _inside(found: TermPostings, size: int) -> TermPostings:
    docs, packed = found
    if docs.size and int(docs.max()) >= size:  # written after the snapshot: not known yet
        keep = docs < size
        return docs[keep], packed[keep]
    return docs, packed


def _score_ngram(
    concept: Concept,
    postings: Mapping[str, TermPostings],
    dfs: Mapping[str, int],
    n_docs: int,
    factors: NDArray[np.float64],
    config: RankingConfig,
    scores: NDArray[np.float64],
) -> None:
    df = concept_df(concept, dfs)
    if df <= 0 or any(t not in postings for t in concept.members):
        return
    size = factors.shape[0]
    hits = np.zeros(size, dtype=np.int64)
    for term in concept.members:
        docs, _ = _inside(postings[term], size)
        hits[docs] += 1
    match = hits == len(concept.members)
    tf = factors[match, NAME]
    weight = concept.weight * idf(df, n_docs)
    scores[match] += np.where(tf > 0, weight * tf / (config.k1 + tf), 0.0)


@dataclass(frozen=True, slots=True)
class Candidate:
    """What ranking needs to know about one matching service besides its text score."""

    doc_id: int
    service_id: str
    name: str
    views: int | None
    open_now: bool
    eligibility: str | None  # eligible | maybe | ineligible | None (no profile)


@dataclass(frozen=True, slots=True)
class Ranked:
    doc_id: int
    service_id: str
    score: float


def max_boost(config: RankingConfig, with_eligibility: bool) -> float:
    """The most any boost can multiply a score by."""
    eligibility = max(config.eligibility_boost.values(), default=1.0) if with_eligibility else 1.0
    return max(1.0, eligibility) * max(1.0, config.open_now_boost)


def boosted(text_score: float, candidate: Candidate, config: RankingConfig) -> float:
    score = text_score
    if candidate.eligibility is not None:
        score *= config.eligibility_boost.get(candidate.eligibility, 1.0)
    if candidate.open_now:
        score *= config.open_now_boost
    return round(score, SCORE_DIGITS)


def _key(score: float, c: Candidate) -> tuple[float, int, str, str]:
    return (-score, -(c.views if c.views is not None else -1), c.name, c.service_id)


def rank(
    scores: Mapping[int, float],
    candidates: Iterable[Candidate],
    config: RankingConfig = DEFAULT_CONFIG,
) -> list[Ranked]:
    """Candidates best first: boosted score, then views, then name (then ID, see above)."""
    keyed = [(_key(boosted(scores[c.doc_id], c, config), c), c) for c in candidates]
    keyed.sort(key=lambda pair: pair[0])
    return [Ranked(c.doc_id, c.service_id, -key[0]) for key, c in keyed]


def top(
    ordered: Iterable[tuple[float, Candidate]],
    k: int,
    ceiling: float,
    config: RankingConfig = DEFAULT_CONFIG,
) -> list[Ranked]:
    """The best `k` of candidates given in decreasing text score, reading only as far as needed.

    `ceiling` is the most a boost can multiply a score by (`max_boost`): once a text score,
    boosted to the ceiling, cannot reach the k-th boosted score so far, no later candidate can.
    The result equals `rank(...)[:k]`.
    """
    kept: list[tuple[tuple[float, int, str, str], Candidate]] = []
    for text_score, c in ordered:
        if len(kept) >= k:
            kth = -kept[k - 1][0][0]
            if round(text_score * ceiling, SCORE_DIGITS) < kth:
                break
        kept.append((_key(boosted(text_score, c, config), c), c))
        kept.sort(key=lambda pair: pair[0])
        del kept[k:]
    return [Ranked(c.doc_id, c.service_id, -key[0]) for key, c in kept]
