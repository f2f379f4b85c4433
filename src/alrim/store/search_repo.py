"""Reads and writes of the search index (tables in `search_tables`).

Writes happen in the caller's transaction — ingest calls `update_for_ingest` inside its own
unit of work, so the catalog and its index change together. Every write bumps the index
generation and stamps the rows it touched with it; a process holding a snapshot of the index
asks for rows newer than its generation (`load_changes`).

Each term has one posting list (`search_postings`: (doc id, packed field counts) pairs in one
binary value), so a search reads one row per query term. Re-indexing services rewrites the
lists of the terms they had and have (each document keeps its term list for that), and the
vocabulary's counts (df, name_df) are recomputed from the rewritten lists.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from array import array
from collections.abc import Collection, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from queue import Full, Queue
from typing import Any, TypeVar, cast

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from alrim.domain.service import Service
from alrim.search.analyzer import analyzer_version
from alrim.search.document import TF_MAX, IndexedDocument, iter_documents
from alrim.search.ranking import TermPostings
from alrim.search.snapshot import DocInfo
from alrim.store.base import utcnow
from alrim.store.catalog_tables import ServiceRow
from alrim.store.search_tables import (
    SearchDocumentRow,
    SearchPostingRow,
    SearchStateRow,
    SearchTermRow,
)

log = logging.getLogger(__name__)

GENERATION = "generation"
EPOCH = "epoch"
ANALYZER = "analyzer"
CHUNK = 500  # ids per IN (...) list
ANALYSIS_BATCH = 300  # documents stored (and held in memory) at a time
LIST_BATCH = 1000  # posting lists read, merged and written back at a time
UPSERT_BATCH = 200  # rows per INSERT … ON CONFLICT statement

T = TypeVar("T")


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# ── state ────────────────────────────────────────────────────────────────────────────────


def _number(session: Session, key: str) -> int:
    value = session.scalar(select(SearchStateRow.number).where(SearchStateRow.key == key))
    return int(value or 0)


def _bump(session: Session, key: str) -> int:
    value = session.scalar(
        update(SearchStateRow)
        .where(SearchStateRow.key == key)
        .values(number=SearchStateRow.number + 1)
        .returning(SearchStateRow.number)
    )
    if value is None:  # state row missing: create it
        session.add(SearchStateRow(key=key, number=1))
        session.flush()
        return 1
    return int(value)


def bump_generation(session: Session) -> int:
    """The next generation. The row stays locked until commit, so index writes of concurrent
    transactions get increasing generations in commit order (PostgreSQL; SQLite has one
    writer at a time anyway)."""
    return _bump(session, GENERATION)


def stored_analyzer(session: Session) -> str | None:
    return session.scalar(select(SearchStateRow.text).where(SearchStateRow.key == ANALYZER))


def _set_analyzer(session: Session, version: str) -> None:
    row = session.get(SearchStateRow, ANALYZER)
    if row is None:
        session.add(SearchStateRow(key=ANALYZER, number=0, text=version))
    else:
        row.text = version


# ── writes ───────────────────────────────────────────────────────────────────────────────


@dataclass(slots=True)
class IndexWrite:
    indexed: int = 0
    withdrawn: int = 0
    views_updated: int = 0
    postings: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "indexed": self.indexed,
            "withdrawn": self.withdrawn,
            "views_updated": self.views_updated,
            "postings": self.postings,
            "seconds": round(self.seconds, 3),
            "notes": list(self.notes),
        }


def update_for_ingest(
    session: Session,
    upserted: Sequence[Service],
    withdrawn: Sequence[str],
    views: Mapping[str, int | None] | None = None,
) -> IndexWrite:
    """Index exactly what an ingest wrote: new/changed/restored services are (re)analysed,
    withdrawn ones leave the index, and unchanged ones get their new 조회수."""
    started = time.perf_counter()
    report = IndexWrite()
    if upserted or withdrawn or views:
        generation = bump_generation(session)
        if stored_analyzer(session) is None:
            _set_analyzer(session, analyzer_version())
        if upserted:
            report.indexed, report.postings = _index(session, upserted, generation)
        if withdrawn:
            report.withdrawn = _withdraw(session, withdrawn, generation)
        if views:
            report.views_updated = _sync_views(session, views, generation)
    report.seconds = time.perf_counter() - started
    return report


def index_services(session: Session, services: Sequence[Service]) -> IndexWrite:
    """(Re)index these services."""
    return update_for_ingest(session, services, ())


def _existing_docs(
    session: Session, service_ids: Sequence[str]
) -> dict[str, tuple[int, list[str]]]:
    """service_id → (doc_id, the terms it is indexed under) for those already in the index."""
    out: dict[str, tuple[int, list[str]]] = {}
    for chunk in _chunks(service_ids):
        rows = session.execute(
            select(
                SearchDocumentRow.service_id, SearchDocumentRow.doc_id, SearchDocumentRow.terms
            ).where(SearchDocumentRow.service_id.in_(list(chunk)))
        )
        out.update({r[0]: (r[1], r[2].split("\n") if r[2] else []) for r in rows})
    return out


class _ListChanges:
    """What to take out of and put into each term's posting list (kept compact: arrays)."""

    def __init__(self) -> None:
        self.removed: dict[str, set[int]] = {}
        self.added: dict[str, array[int]] = {}  # term → doc id, packed tfs, doc id, …

    def remove(self, doc_id: int, terms: Iterable[str]) -> None:
        for term in terms:
            self.removed.setdefault(term, set()).add(doc_id)

    def add(self, doc_id: int, postings: Mapping[str, int]) -> None:
        added = self.added
        for term, tfs in postings.items():
            pairs = added.get(term)
            if pairs is None:
                pairs = added[term] = array("I")
            pairs.append(doc_id)
            pairs.append(tfs)

    def added_postings(self, term: str) -> TermPostings:
        pairs = np.frombuffer(self.added.get(term, _NO_PAIRS), dtype=np.uint32).reshape(-1, 2)
        return pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)

    def terms(self) -> list[str]:
        return sorted(set(self.removed) | set(self.added))


_NO_PAIRS = array("I")


def encode_postings(docs: NDArray[np.int64], tfs: NDArray[np.int64]) -> bytes:
    """A posting list as stored: (doc id, packed tfs) pairs of little-endian uint32."""
    pairs = np.empty((docs.size, 2), dtype="<u4")
    pairs[:, 0] = docs
    pairs[:, 1] = tfs
    return pairs.tobytes()


def decode_postings(blob: bytes | memoryview | None) -> TermPostings:
    if not blob:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    pairs = np.frombuffer(bytes(blob), dtype="<u4").reshape(-1, 2)
    return pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)


def _document_values(doc: IndexedDocument, content_hash: str, generation: int) -> dict[str, Any]:
    return {
        "service_id": doc.service_id,
        "active": True,
        "generation": generation,
        "content_hash": content_hash,
        "analyzer": analyzer_version(),
        "name": doc.name[:500],
        "agency_name": doc.agency_name[:200],
        "agency_type": doc.agency_type[:30],
        "region_code": doc.region_code,
        "region_name": doc.region_name[:80] if doc.region_name else None,
        "categories": list(doc.categories),
        "user_types": list(doc.user_types),
        "period": doc.period,
        "views": doc.views,
        "field_lengths": list(doc.lengths),
        "terms": "\n".join(sorted(doc.postings)),
        "indexed_at": utcnow(),
    }


def _hashes(session: Session, service_ids: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for chunk in _chunks(service_ids):
        rows = session.execute(
            select(ServiceRow.service_id, ServiceRow.content_hash).where(
                ServiceRow.service_id.in_(list(chunk))
            )
        )
        out.update({r[0]: r[1] for r in rows})
    return out


def _index(session: Session, services: Sequence[Service], generation: int) -> tuple[int, int]:
    """Analyse and store `services`; every touched posting list is rewritten once, at the end.

    All the services are analysed as one stream (each distinct text once, the analyser's
    threads kept busy); their documents are stored ANALYSIS_BATCH at a time as they come.
    """
    unique = list({s.service_id: s for s in services}.values())
    changes = _ListChanges()
    with closing(_ahead(iter_documents(unique), ANALYSIS_BATCH)) as analysed:
        indexed, postings = _store_documents(session, unique, analysed, changes, generation)
    _write_lists(session, changes, generation)
    return indexed, postings


def _store_documents(
    session: Session,
    unique: Sequence[Service],
    analysed: Iterator[IndexedDocument],
    changes: _ListChanges,
    generation: int,
) -> tuple[int, int]:
    indexed = postings = 0
    for batch in _chunks(unique, ANALYSIS_BATCH):
        ids = [s.service_id for s in batch]
        existing = _existing_docs(session, ids)
        hashes = _hashes(session, ids)
        for doc_id, terms in existing.values():
            changes.remove(doc_id, terms)
        documents = list(itertools.islice(analysed, len(batch)))
        new_values: list[dict[str, Any]] = []
        doc_ids: dict[str, int] = {}
        for doc in documents:
            values = _document_values(doc, hashes.get(doc.service_id, ""), generation)
            if doc.service_id in existing:
                doc_id = existing[doc.service_id][0]
                session.execute(
                    update(SearchDocumentRow)
                    .where(SearchDocumentRow.doc_id == doc_id)
                    .values(**values)
                )
                doc_ids[doc.service_id] = doc_id
            else:
                new_values.append(values)
        if new_values:
            rows = session.execute(
                insert(SearchDocumentRow).returning(
                    SearchDocumentRow.service_id, SearchDocumentRow.doc_id
                ),
                new_values,
            )
            doc_ids.update({r[0]: r[1] for r in rows})
        for doc in documents:
            changes.add(doc_ids[doc.service_id], doc.postings)
            postings += len(doc.postings)
        indexed += len(documents)
    return indexed, postings


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_DONE = object()


def _ahead(items: Iterator[T], size: int) -> Generator[T, None, None]:
    """`items`, produced by a background thread up to `size` items ahead of the consumer.

    Indexing alternates analysis (Kiwi's threads, in C++) and database writes (this thread):
    with the analysis in its own thread, Kiwi goes on while a batch is written. An error in
    the producer is raised here; closing this generator stops the producer.
    """
    queue: Queue[object] = Queue(maxsize=size)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as exc:  # handed to the consumer, raised there
            put(_Failed(exc))

    thread = threading.Thread(target=produce, name="search-analysis", daemon=True)
    thread.start()
    try:
        while True:
            item = queue.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield cast(T, item)
    finally:
        stop.set()
        thread.join()


def _write_lists(session: Session, changes: _ListChanges, generation: int) -> None:
    """Apply the changes to the posting lists and the vocabulary (df, name_df) they count."""
    for chunk in _chunks(changes.terms(), LIST_BATCH):
        current = dict(
            session.execute(
                select(SearchPostingRow.term, SearchPostingRow.postings).where(
                    SearchPostingRow.term.in_(list(chunk))
                )
            ).all()
        )
        lists: list[tuple[str, bytes]] = []
        emptied: list[str] = []
        vocabulary: list[tuple[str, int, int, int]] = []
        for term in chunk:
            docs, tfs = decode_postings(current.get(term))
            new_docs, new_tfs = changes.added_postings(term)
            gone = changes.removed.get(term, set())
            if docs.size and (gone or new_docs.size):  # the documents re-indexed or gone leave
                leaving = np.isin(docs, np.fromiter(gone, dtype=np.int64)) | np.isin(docs, new_docs)
                docs, tfs = docs[~leaving], tfs[~leaving]
            if new_docs.size:
                docs = np.concatenate([docs, new_docs]) if docs.size else new_docs
                tfs = np.concatenate([tfs, new_tfs]) if tfs.size else new_tfs
            order = np.argsort(docs, kind="stable")
            docs, tfs = docs[order], tfs[order]
            name_df = int(np.count_nonzero(tfs & TF_MAX))  # field 0 is the name
            vocabulary.append((term, int(docs.size), name_df, generation))
            if docs.size:
                lists.append((term, encode_postings(docs, tfs)))
            elif term in current:
                emptied.append(term)
        _upsert(session, "search_postings", ("term", "postings"), lists)
        if emptied:
            session.execute(delete(SearchPostingRow).where(SearchPostingRow.term.in_(emptied)))
        _upsert(session, "search_terms", ("term", "df", "name_df", "generation"), vocabulary)


def _placeholders(session: Session, count: int) -> str:
    style = session.connection().dialect.paramstyle
    mark = "?" if style == "qmark" else "%s"
    return ", ".join([mark] * count)


def _upsert(
    session: Session, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert or replace rows by their first column, many rows a statement.

    `INSERT … ON CONFLICT … DO UPDATE` is spelled the same in SQLite (≥ 3.24) and PostgreSQL.
    """
    if not rows:
        return
    row = f"({_placeholders(session, len(columns))})"
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
    for chunk in _chunks(rows, UPSERT_BATCH):
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * len(chunk))} "
            f"ON CONFLICT ({columns[0]}) DO UPDATE SET {updates}"
        )
        params = tuple(value for values in chunk for value in values)
        session.connection().exec_driver_sql(sql, params)


def _withdraw(session: Session, service_ids: Sequence[str], generation: int) -> int:
    existing = _existing_docs(session, list(dict.fromkeys(service_ids)))
    if not existing:
        return 0
    changes = _ListChanges()
    for doc_id, terms in existing.values():
        changes.remove(doc_id, terms)
    for chunk in _chunks([doc_id for doc_id, _ in existing.values()]):
        session.execute(
            update(SearchDocumentRow)
            .where(SearchDocumentRow.doc_id.in_(list(chunk)))
            .values(active=False, generation=generation, terms="")
        )
    _write_lists(session, changes, generation)
    return len(existing)


def _sync_views(session: Session, views: Mapping[str, int | None], generation: int) -> int:
    """Copy new 조회수 into the index, for the documents where it changed."""
    current: dict[str, tuple[int, int | None]] = {}
    ids = list(views)
    for chunk in _chunks(ids):
        rows = session.execute(
            select(
                SearchDocumentRow.service_id, SearchDocumentRow.doc_id, SearchDocumentRow.views
            ).where(SearchDocumentRow.service_id.in_(list(chunk)))
        )
        current.update({r[0]: (r[1], r[2]) for r in rows})
    changed = [
        {"b_doc_id": doc_id, "b_views": views[sid], "b_generation": generation}
        for sid, (doc_id, old) in current.items()
        if views[sid] != old
    ]
    if changed:
        table = cast(Table, SearchDocumentRow.__table__)
        session.execute(
            update(table)
            .where(table.c.doc_id == bindparam("b_doc_id"))
            .values(views=bindparam("b_views"), generation=bindparam("b_generation")),
            changed,
        )
    return len(changed)


# ── reconciliation ───────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class Reconciled:
    rebuilt: bool
    indexed: int
    withdrawn: int

    @property
    def changed(self) -> bool:
        return self.rebuilt or bool(self.indexed or self.withdrawn)


def reconcile(session: Session, *, force_rebuild: bool = False) -> Reconciled:
    """Bring the index in line with the catalog.

    Rebuilds everything when the analysis changed (another analyser version) or when asked;
    otherwise indexes active services that are missing or whose content changed since they
    were indexed (e.g. written before the index existed) and drops the ones no longer active.
    """
    version = analyzer_version()
    rebuild = force_rebuild or stored_analyzer(session) not in (None, version)
    if rebuild:
        session.execute(delete(SearchPostingRow))
        session.execute(delete(SearchTermRow))
        session.execute(delete(SearchDocumentRow))
        _bump(session, EPOCH)  # snapshots cannot see deletions: they start over
    elif session.scalar(select(SearchDocumentRow.doc_id).limit(1)) is None:
        session.execute(delete(SearchTermRow))  # no documents: no term can be counted
    _set_analyzer(session, version)

    stale = list(
        session.scalars(
            select(ServiceRow.service_id)
            .outerjoin(SearchDocumentRow, SearchDocumentRow.service_id == ServiceRow.service_id)
            .where(
                ServiceRow.status == "active",
                (SearchDocumentRow.doc_id.is_(None))
                | (SearchDocumentRow.active.is_(False))
                | (SearchDocumentRow.content_hash != ServiceRow.content_hash),
            )
            .order_by(ServiceRow.service_id)
        )
    )
    gone = list(
        session.scalars(
            select(SearchDocumentRow.service_id)
            .join(ServiceRow, SearchDocumentRow.service_id == ServiceRow.service_id)
            .where(SearchDocumentRow.active.is_(True), ServiceRow.status != "active")
        )
    )
    if not stale and not gone:
        return Reconciled(rebuild, 0, 0)
    services = _load_services(session, stale)
    write = update_for_ingest(session, services, gone)
    return Reconciled(rebuild, write.indexed, write.withdrawn)


def _load_services(session: Session, service_ids: Sequence[str]) -> list[Service]:
    out: list[Service] = []
    for chunk in _chunks(service_ids):
        records = session.scalars(
            select(ServiceRow.record).where(ServiceRow.service_id.in_(list(chunk)))
        )
        out.extend(Service.from_dict(r) for r in records)
    return out


def needs_reconcile(session: Session) -> bool:
    """Cheap check: a different analyser, or counts of active services and documents differ."""
    if stored_analyzer(session) != analyzer_version():
        return True
    services = session.scalar(
        select(func.count()).select_from(ServiceRow).where(ServiceRow.status == "active")
    )
    documents = session.scalar(
        select(func.count())
        .select_from(SearchDocumentRow)
        .where(SearchDocumentRow.active.is_(True))
    )
    return services != documents


# ── reads ────────────────────────────────────────────────────────────────────────────────


_DOC_COLUMNS = (
    SearchDocumentRow.doc_id,
    SearchDocumentRow.service_id,
    SearchDocumentRow.active,
    SearchDocumentRow.name,
    SearchDocumentRow.agency_name,
    SearchDocumentRow.agency_type,
    SearchDocumentRow.region_code,
    SearchDocumentRow.region_name,
    SearchDocumentRow.categories,
    SearchDocumentRow.user_types,
    SearchDocumentRow.period,
    SearchDocumentRow.views,
    SearchDocumentRow.field_lengths,
)


def load_changes(
    session: Session, since: int
) -> tuple[int, list[tuple[DocInfo, bool]], list[tuple[str, int, int]]]:
    """(generation, documents, terms) written after generation `since` (-1: everything)."""
    generation = _number(session, GENERATION)
    if since >= generation:
        return generation, [], []
    doc_rows = session.execute(
        select(*_DOC_COLUMNS).where(SearchDocumentRow.generation > since)
    ).mappings()
    docs = [(DocInfo.from_row(r), bool(r["active"])) for r in doc_rows]
    term_rows = session.execute(
        select(SearchTermRow.term, SearchTermRow.df, SearchTermRow.name_df).where(
            SearchTermRow.generation > since
        )
    )
    terms = [(r[0], int(r[1]), int(r[2])) for r in term_rows]
    return generation, docs, terms


class DbPostings:
    """The postings source of a search: one row (a packed posting list) per term."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def fetch(self, terms: Collection[str]) -> dict[str, TermPostings]:
        if not terms:
            return {}
        sql = (
            "SELECT term, postings FROM search_postings WHERE term IN "
            f"({_placeholders(self.session, len(terms))})"
        )
        rows = self.session.connection().exec_driver_sql(sql, tuple(sorted(terms))).fetchall()
        return {term: decode_postings(blob) for term, blob in rows}


def index_size(session: Session) -> dict[str, int]:
    """Row counts of the index tables."""
    return {
        "documents": int(
            session.scalar(
                select(func.count())
                .select_from(SearchDocumentRow)
                .where(SearchDocumentRow.active.is_(True))
            )
            or 0
        ),
        "postings": int(session.scalar(select(func.sum(SearchTermRow.df))) or 0),
        "terms": int(
            session.scalar(
                select(func.count()).select_from(SearchTermRow).where(SearchTermRow.df > 0)
            )
            or 0
        ),
    }
