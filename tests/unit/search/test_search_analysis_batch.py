"""Analysing many texts at once (an ingest) gives each text the terms it gets on its own, even
when texts repeat (each distinct text is analysed once)."""

from __future__ import annotations

from alrim.search.analyzer import analyze, field_terms

RENT = "무주택 청년에게 월세를 지원해요."
DENTURES = "65세 이상 어르신에게 틀니 비용을 드려요."


def test_repeated_texts_get_the_terms_each_gets_alone() -> None:
    alone = {text: field_terms([text])[0] for text in (RENT, DENTURES)}
    batch = field_terms([RENT, DENTURES, RENT, "", RENT, DENTURES])
    assert batch == [alone[RENT], alone[DENTURES], alone[RENT], [], alone[RENT], alone[DENTURES]]
    assert {"청년", "월세", "지원"} <= set(alone[RENT])


def test_each_text_gets_its_own_list() -> None:
    first, second = field_terms([RENT, RENT])
    first.clear()
    assert "월세" in second


def test_a_name_is_read_word_by_word_even_when_the_same_text_is_prose_elsewhere() -> None:
    text = "청년월세 아기"
    as_name, as_prose = field_terms([text, text], word_by_word=[True])
    assert as_name == analyze(text).all_terms()
    assert as_prose == field_terms([text])[0]
    assert "월세" in as_name  # in context the analyser reads 월 + 세 ("three a month")
