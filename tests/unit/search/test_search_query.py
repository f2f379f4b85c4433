"""Query parsing: repairs (completion, correction, 초성) and concepts from the lexicon."""

from __future__ import annotations

from alrim.search.lexicon import Lexicon, build_lexicon, parse_entries
from alrim.search.query import ConceptKind, parse_query
from alrim.search.vocabulary import Vocabulary

VOCAB = Vocabulary(
    [
        ("청년", 900, 300),
        ("월세", 50, 22),
        ("청년월세", 40, 20),
        ("기초", 30, 5),
        ("기초연금", 10, 2),
        ("틀니", 5, 1),
        ("의치", 2, 1),
        ("어르신", 40, 16),
        ("폐업", 12, 1),
        ("가게", 2, 0),
    ]
)
LEXICON = build_lexicon(
    parse_entries(
        "entries:\n"
        "- same: [틀니, 의치]\n  note: dentures\n"
        "- when: [문 닫다]\n  add: [폐업]\n  weight: 1.0\n  note: closing\n",
        "test.yaml",
    )
)


def _members(query_text: str, lexicon: Lexicon = LEXICON) -> dict[str, dict[str, float]]:
    q = parse_query(query_text, lexicon, VOCAB)
    return {c.label: c.members for c in q.concepts if c.kind is not ConceptKind.NGRAM}


def test_a_typo_is_corrected_and_reported() -> None:
    q = parse_query("청년월셰", LEXICON, VOCAB)
    assert q.did_you_mean == "청년월세"
    assert "월세" in q.terms() and "셰" not in q.terms()


def test_a_half_typed_word_is_completed_not_corrected() -> None:
    q = parse_query("기초연", LEXICON, VOCAB)
    assert q.did_you_mean is None
    assert q.completions == {"기초연": ["기초연금"]}
    assert "기초연금" in q.terms()


def test_initial_consonants_search_for_the_word_they_abbreviate() -> None:
    q = parse_query("ㅊㄴㅇㅅ", LEXICON, VOCAB)
    assert q.did_you_mean == "청년월세"
    assert q.terms() == {"청년월세"}


def test_a_synonym_joins_the_concept_of_the_typed_word() -> None:
    members = _members("어르신 틀니")
    assert members["틀니"] == {"틀니": 1.0, "의치": 0.9}


def test_a_phrase_adds_its_own_concept_and_its_words_count_less() -> None:
    q = parse_query("가게 문 닫을 때", LEXICON, VOCAB)
    by_label = {c.label: c for c in q.concepts if c.kind is not ConceptKind.NGRAM}
    assert by_label["문 닫다"].members == {"폐업": 1.0}
    assert by_label["문"].weight < by_label["가게"].weight
    assert by_label["때"].weight < by_label["가게"].weight  # a question word


def test_without_the_lexicon_nothing_is_added() -> None:
    assert _members("어르신 틀니", Lexicon.empty())["틀니"] == {"틀니": 1.0}


def test_words_typed_together_are_a_phrase_concept() -> None:
    q = parse_query("청년 월세", LEXICON, VOCAB)
    phrases = [c for c in q.concepts if c.kind is ConceptKind.PHRASE]
    assert [c.label for c in phrases] == ["청년월세"]
    assert all(c.weight < 1 for c in phrases)


def test_an_empty_query_has_no_concepts() -> None:
    assert parse_query("   ", LEXICON, VOCAB).concepts == ()
