"""Analysis: compounds, spacing, everyday phrasing and partial-word pieces."""

from __future__ import annotations

from alrim.search.analyzer import analyze, bigrams, field_terms, name_ngrams


def test_a_compound_is_split_into_its_words_and_keeps_its_pairs() -> None:
    a = analyze("청년월세지원")
    assert {"청년", "월세", "지원"} <= set(a.terms)
    assert {"청년월세", "월세지원"} <= set(a.pairs)
    assert "청년월세지원" in a.compounds


def test_spacing_does_not_change_the_terms() -> None:
    spaced, joined = analyze("청년 월세"), analyze("청년월세")
    assert set(spaced.terms) == set(joined.terms)
    assert set(spaced.pairs) == set(joined.pairs) == {"청년월세"}


def test_prefixes_suffixes_and_determiners_stay_with_their_noun() -> None:
    assert "소상공인" in analyze("폐업한 소상공인").terms
    assert "한부모" in analyze("한부모가족").terms
    assert "이용권" in analyze("첫만남이용권").terms


def test_verbs_become_dictionary_forms_and_grammar_words_drop() -> None:
    terms = analyze("가게 문 닫을 때").terms
    assert "닫다" in terms
    assert "잃다" in analyze("일자리를 잃었어요").terms
    assert not {"하다", "있다", "되다"} & set(analyze("지원이 있는 경우에 해당된다").terms)


def test_ages_are_one_term() -> None:
    assert "65세" in analyze("만 65세 이상 어르신").terms


def test_a_keyword_is_not_misread_because_of_its_neighbour() -> None:
    # In context the analyser reads "청년월세 아기" as 청년 + 월 + 세 (three a month) + 아기.
    assert {"청년", "월세", "아기"} <= set(analyze("청년월세 아기").terms)


def test_query_words_know_their_core_and_whether_they_look_broken() -> None:
    word = analyze("월세를").words[0]
    assert word.core == "월세" and not word.fragmented
    assert analyze("청년월").words[0].fragmented  # 청년 + 월: half-typed


def test_field_terms_match_query_terms() -> None:
    name, text = field_terms(["청년 월세 지원", "청년 월세를 지원해요"], word_by_word=[True])
    assert {"청년", "월세", "청년월세"} <= set(name)
    assert {"청년", "월세"} <= set(text)


def test_names_get_character_bigrams() -> None:
    assert bigrams("청년 월세") == ["청년", "년월", "월세"]
    assert name_ngrams("K-패스") == ["#k패", "#패스"]


def test_one_analyser_is_shared_safely_by_threads() -> None:
    import random
    import threading

    from alrim.search.analyzer import kiwi

    texts = ["아기 낳으면 받는 돈", "청년월세 아기", "가게 문 닫을 때 지원", "국민취업지원제도"]
    expected = {t: analyze(t) for t in texts}
    instances, mismatches = set(), []

    def work(seed: int) -> None:
        rng = random.Random(seed)
        instances.add(id(kiwi()))
        for _ in range(100):
            text = rng.choice(texts)
            if analyze(text) != expected[text]:
                mismatches.append(text)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(instances) == 1 and not mismatches
