"""The lexicon file format and how entries expand a query."""

from __future__ import annotations

import pytest

from alrim.search.analyzer import analyze
from alrim.search.lexicon import LexiconError, build_lexicon, parse_entries, word_terms


def _lexicon(text: str):  # type: ignore[no-untyped-def]
    return build_lexicon(parse_entries(text, "test.yaml"))


def test_a_phrase_matches_however_it_is_conjugated() -> None:
    lex = _lexicon("entries:\n- when: [문 닫다]\n  add: [폐업]\n  note: closing a shop\n")
    matches = lex.matches(list(analyze("가게 문을 닫을 때").terms))
    assert [m[0].add for m in matches] == [(("폐업",),)]
    assert lex.matches(list(analyze("문화 행사").terms)) == []


def test_same_entries_work_both_ways() -> None:
    lex = _lexicon("entries:\n- same: [틀니, 의치]\n  note: dentures\n")
    assert lex.matches(["틀니"])[0][0].add == (("의치",),)
    assert lex.matches(["의치"])[0][0].add == (("틀니",),)


def test_a_split_word_is_searched_as_the_pair_it_forms() -> None:
    assert word_terms(analyze("에너지바우처")) == ("에너지바우처",)
    assert word_terms(analyze("틀니")) == ("틀니",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("entries:\n- when: [아기]\n  add: [영유아]\n", "note"),
        ("entries:\n- same: [틀니]\n  note: x\n", "at least two"),
        ("entries:\n- same: [a, b]\n  add: [c]\n  note: x\n", "either"),
        ("entries:\n- when: [아기]\n  add: [영유아]\n  note: x\n  weight: 2\n", "weight"),
        ("entries:\n- when: [아기]\n  add: [영유아]\n  note: x\n  colour: red\n", "unknown"),
        ("words: []\n", "entries"),
    ],
)
def test_malformed_entries_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(LexiconError, match=message):
        parse_entries(text, "bad.yaml")
