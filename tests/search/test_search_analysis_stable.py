"""The index terms of every bundled service, and the analysis of every test-set query, are
exactly what the analyser produced when `analysis_golden.json` was written.

A stored index stays valid only while the same text gives the same terms (the index records
`analyzer_version()` and is rebuilt when that changes). Speed-ups of the analysis must not
change a single term; a deliberate change of the rules bumps `ANALYZER_RULES` and rewrites the
golden file:

    .venv/bin/python tests/search/test_search_analysis_stable.py --write
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine

from alrim.domain.service import Service
from alrim.search.analyzer import analyze, analyzer_version
from alrim.search.document import IndexedDocument, build_documents
from alrim.store.catalog_repo import all_active_services
from alrim.store.db import session_scope

GOLDEN = Path(__file__).with_name("analysis_golden.json")
QUERIES = Path(__file__).with_name("queries.yaml")


def _digest(parts: Iterable[object]) -> str:
    return hashlib.sha256(json.dumps(list(parts), ensure_ascii=False).encode()).hexdigest()[:20]


def document_digest(doc: IndexedDocument) -> str:
    """Field lengths and every (term, packed field counts): all the index keeps of the text."""
    return _digest([list(doc.lengths), sorted(doc.postings.items())])


def query_digest(query: str) -> str:
    a = analyze(query)
    words = [[w.text, list(w.terms), list(w.nominals), w.core, w.fragmented] for w in a.words]
    return _digest([words, list(a.terms), list(a.pairs), list(a.compounds)])


def _test_set_queries() -> list[str]:
    data = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    return sorted({str(q["query"]) for q in data["queries"]})


def digests(services: list[Service]) -> dict[str, Any]:
    return {
        "analyzer": analyzer_version(),
        "services": {d.service_id: document_digest(d) for d in build_documents(services)},
        "queries": {q: query_digest(q) for q in _test_set_queries()},
    }


def _bundled_services(engine: Engine) -> list[Service]:
    with session_scope(engine) as session:
        return all_active_services(session)


def test_every_bundled_service_and_test_query_is_analysed_as_before(
    catalog_engine: Engine,
) -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    if golden["analyzer"] != analyzer_version():
        pytest.fail(
            f"analysis_golden.json was written by {golden['analyzer']}, this is "
            f"{analyzer_version()}: check the quality test set, then rewrite it (--write)"
        )
    now = digests(_bundled_services(catalog_engine))
    assert set(now["services"]) == set(golden["services"])
    changed = sorted(
        sid for sid, digest in now["services"].items() if golden["services"][sid] != digest
    )
    assert changed == [], f"{len(changed)} services are indexed under other terms: {changed[:10]}"
    changed_queries = [q for q, d in now["queries"].items() if golden["queries"].get(q) != d]
    assert changed_queries == [], f"queries analysed differently: {changed_queries}"


def _write() -> None:
    import tempfile

    from alrim.paths import DATA_DIR
    from alrim.services.catalog import load_bundled, setup_database
    from alrim.store.db import make_engine

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/golden.db")
        setup_database(engine)
        load_bundled(engine, DATA_DIR)
        data = digests(_bundled_services(engine))
        engine.dispose()
    GOLDEN.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN} ({len(data['services'])} services)")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit(__doc__)
    _write()
