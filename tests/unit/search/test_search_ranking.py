"""Ranking: field weights, saturation, synonyms, boosts and tie-breaks."""

from __future__ import annotations

from alrim.search.document import pack_tfs
from alrim.search.query import Concept, ConceptKind
from alrim.search.ranking import (
    DEFAULT_CONFIG,
    Candidate,
    factor_matrix,
    field_factors,
    max_boost,
    postings_arrays,
    rank,
    score_documents,
    top,
)

LENGTHS = (5, 30, 25, 35, 5)
FACTORS = factor_matrix({d: field_factors(LENGTHS, LENGTHS) for d in range(1, 6)})
DFS = {"틀니": 5, "의치": 3, "지원": 900}


def _scores(concepts: list[Concept], postings: dict[str, dict[int, int]], dfs=DFS):  # type: ignore[no-untyped-def]
    arrays = {term: postings_arrays(by_doc) for term, by_doc in postings.items()}
    scores = score_documents(concepts, arrays, dfs, 1000, FACTORS)
    return {d: float(scores[d]) for d in range(len(scores)) if scores[d] > 0}


def _concept(*terms: str, mult: float = 1.0) -> Concept:
    members = {t: (1.0 if i == 0 else mult) for i, t in enumerate(terms)}
    return Concept(terms[0], members, 1.0, ConceptKind.TERM)


def test_a_word_in_the_name_counts_more_than_in_the_content() -> None:
    postings = {"틀니": {1: pack_tfs([1, 0, 0, 0, 0]), 2: pack_tfs([0, 0, 0, 1, 0])}}
    scores = _scores([_concept("틀니")], postings)
    assert scores[1] > scores[2] > 0


def test_name_beats_summary_beats_target() -> None:
    postings = {
        "틀니": {
            1: pack_tfs([1, 0, 0, 0, 0]),
            2: pack_tfs([0, 1, 0, 0, 0]),
            3: pack_tfs([0, 0, 1, 0, 0]),
        }
    }
    s = _scores([_concept("틀니")], postings)
    assert s[1] > s[2] > s[3]


def test_repetition_saturates() -> None:
    postings = {"틀니": {1: pack_tfs([0, 0, 0, 1, 0]), 2: pack_tfs([0, 0, 0, 40, 0])}}
    s = _scores([_concept("틀니")], postings)
    assert s[1] < s[2] < 2.5 * s[1]  # forty times is not forty times the evidence


def test_a_rare_word_counts_more_than_a_common_one() -> None:
    postings = {"틀니": {1: pack_tfs([1, 0, 0, 0, 0])}, "지원": {2: pack_tfs([1, 0, 0, 0, 0])}}
    s = _scores([_concept("틀니"), _concept("지원")], postings)
    assert s[1] > 3 * s[2]


def test_synonyms_in_one_text_are_not_twice_the_evidence() -> None:
    both = {"틀니": {1: pack_tfs([1, 0, 0, 0, 0])}, "의치": {1: pack_tfs([1, 0, 0, 0, 0])}}
    one = {"틀니": {1: pack_tfs([1, 0, 0, 0, 0])}}
    concept = _concept("틀니", "의치", mult=0.9)
    s_both = _scores([concept], both)[1]
    s_one = _scores([concept], one)[1]
    assert s_one < s_both < 1.5 * s_one


def test_a_partial_word_needs_all_its_pieces_in_the_name() -> None:
    ngram = Concept("기초연", {"#기초": 1.0, "#초연": 1.0}, 0.3, ConceptKind.NGRAM)
    postings = {"#기초": {1: 1, 2: 1}, "#초연": {1: 1}}
    s = _scores([ngram], postings, {"#기초": 20, "#초연": 4})
    assert set(s) == {1}


def _candidate(doc: int, views: int | None, **kw: object) -> Candidate:
    return Candidate(
        doc_id=doc,
        service_id=f"id{9 - doc}",
        name=str(kw.get("name", "같은 이름")),
        views=views,
        open_now=bool(kw.get("open_now", False)),
        eligibility=kw.get("eligibility"),  # type: ignore[arg-type]
    )


def test_ties_go_to_the_most_viewed_never_to_the_id() -> None:
    scores = {1: 2.0, 2: 2.0, 3: 2.0}
    ranked = rank(scores, [_candidate(1, 10), _candidate(2, 500), _candidate(3, None)])
    assert [r.doc_id for r in ranked] == [2, 1, 3]


def test_eligibility_and_open_now_boost() -> None:
    scores = {1: 2.0, 2: 1.8, 3: 1.8}
    ranked = rank(
        scores,
        [
            _candidate(1, 10, eligibility="ineligible"),
            _candidate(2, 10, eligibility="eligible"),
            _candidate(3, 10, open_now=True),
        ],
    )
    assert [r.doc_id for r in ranked] == [2, 3, 1]
    assert ranked[0].score == round(1.8 * DEFAULT_CONFIG.eligibility_boost["eligible"], 2)


def test_the_early_stopping_top_k_equals_a_full_sort() -> None:
    scores = {d: 10.0 - d * 0.37 for d in range(1, 40)}
    cands = [
        _candidate(
            d, views=d * 7 % 13, open_now=d % 3 == 0, eligibility="eligible" if d % 5 else None
        )
        for d in range(1, 40)
    ]
    ordered = sorted(((scores[c.doc_id], c) for c in cands), key=lambda p: -p[0])
    ceiling = max_boost(DEFAULT_CONFIG, with_eligibility=True)
    assert top(ordered, 7, ceiling) == rank(scores, cands)[:7]
