"""Hangul letters: how search reads a half-typed syllable, an abbreviation and a typo."""

from __future__ import annotations

from alrim.search.hangul import chosung, edit_distance, is_chosung_query, jamo


def test_a_syllable_being_typed_is_a_prefix_of_the_finished_one() -> None:
    assert jamo("청년").startswith(jamo("청녀"))
    assert jamo("월세").startswith(jamo("워"))  # ㅝ is typed as ㅜ then ㅓ


def test_initial_consonants_abbreviate_a_phrase_ignoring_spaces() -> None:
    assert chosung("청년 월세") == "ㅊㄴㅇㅅ"
    assert is_chosung_query("ㅊㄴㅇㅅ")
    assert is_chosung_query("ㅊㄴ ㅇㅅ")
    assert not is_chosung_query("ㅊ")  # one letter is not an abbreviation
    assert not is_chosung_query("청ㄴ")


def test_a_one_letter_typo_is_one_edit_apart() -> None:
    assert edit_distance(jamo("월셰"), jamo("월세"), 2) == 1
    assert edit_distance(jamo("난밤비"), jamo("난방비"), 2) == 1
    # Different words are further apart than the limit.
    assert edit_distance(jamo("틀니"), jamo("월세"), 2) == 3
