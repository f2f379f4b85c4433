"""Vocabulary: completion by letters and initial consonants, correction of typos."""

from __future__ import annotations

from alrim.search.vocabulary import Vocabulary

VOCAB = Vocabulary(
    [
        ("청년", 900, 300),
        ("청년월세", 40, 20),
        ("청년창업", 60, 25),
        ("청소년", 80, 20),
        ("월세", 50, 22),
        ("기초연금", 10, 2),
        ("난방비", 4, 1),
        ("#청년", 400, 400),  # a name bigram: never suggested
        ("청년월", 2, 0),  # a stray pair from prose: too rare to suggest
    ]
)


def test_completion_follows_letters_and_prefers_words_in_names() -> None:
    assert VOCAB.complete("청녀")[:1] == ["청년"]
    assert VOCAB.complete("기초연") == ["기초연금"]
    assert "청년월" not in VOCAB.complete("청년")
    assert all(not w.startswith("#") for w in VOCAB.complete("청"))


def test_initial_consonants_complete_to_words() -> None:
    assert VOCAB.complete_chosung("ㅊㄴㅇㅅ") == ["청년월세"]
    assert VOCAB.complete_chosung("ㅊㄴ")[0] == "청년"  # the exact-length match first


def test_typos_are_corrected_to_the_nearest_known_word() -> None:
    assert VOCAB.near("청년월셰") == ["청년월세"]
    assert VOCAB.near("난밤비") == ["난방비"]
    assert VOCAB.near("월세") == []  # a known word needs no correction


def test_updates_replace_and_remove_terms() -> None:
    vocab = VOCAB.copy()
    vocab.update([("난방비", 0, 0), ("에너지바우처", 3, 1)])
    assert vocab.df("난방비") == 0 and VOCAB.df("난방비") == 4  # the original is untouched
    assert vocab.complete("에너지") == ["에너지바우처"]
    assert vocab.is_word("에너지바우처") and not vocab.is_word("청년월")
