"""Every lexicon entry, checked against the bundled catalog: its catalog words exist there,
its triggers expand a query, and its example query finds the service it names."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine

from alrim.search.analyzer import analyze
from alrim.search.lexicon import Entry, load_lexicon, word_terms
from alrim.services import search as search_service
from alrim.services.search import LEXICON_DIR
from alrim.store.db import session_scope

pytestmark = pytest.mark.storage

LEXICON = load_lexicon(LEXICON_DIR)


def _entry_id(entry: Entry) -> str:
    return f"{entry.source}:{entry.when[0]}"


@pytest.fixture(scope="module")
def vocabulary(catalog_engine: Engine) -> Any:
    with session_scope(catalog_engine) as session:
        return search_service.current_snapshot(catalog_engine, session).vocabulary


def test_the_lexicon_has_the_issues_examples() -> None:
    pairs = {(w, a) for e in LEXICON.entries for w in e.when for a in e.add}
    for everyday, catalog_word in [
        ("아기", "영유아"),
        ("어르신", "노인"),
        ("월세", "임차료"),
        ("틀니", "의치"),
        ("가게", "소상공인"),
        ("문 닫다", "폐업"),
        ("장애인 차", "장애인자동차"),
        ("전기요금", "에너지바우처"),
    ]:
        assert (everyday, catalog_word) in pairs, (everyday, catalog_word)


@pytest.mark.parametrize("entry", LEXICON.entries, ids=_entry_id)
def test_entry(entry: Entry, vocabulary: Any, catalog_engine: Engine) -> None:
    assert len(entry.note) >= 20, "say why, and where the catalog uses the words"
    # Built from the catalog's own vocabulary: every added word is searchable there.
    for word in entry.add:
        terms = word_terms(analyze(word))
        absent = [t for t in terms if vocabulary.df(t) == 0]
        assert not absent, f"{word!r}: {absent} never occur in the catalog"
    # Each trigger, typed as a query, brings in the entry's words.
    for word in entry.when:
        matched = {e.entry for e, _ in LEXICON.matches(list(analyze(word).terms))}
        assert LEXICON.entries.index(entry) in matched, word
    # The example query finds the service a person asking that way would want.
    assert entry.test_query and entry.test_finds, "every entry needs test: {query, finds}"
    result = search_service.search(
        catalog_engine,
        search_service.SearchRequest(query=entry.test_query, as_of=date(2026, 11, 25), limit=10),
        lexicon=LEXICON,
    )
    assert entry.test_finds in [h["service_id"] for h in result["results"]]
