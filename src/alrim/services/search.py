"""Search use cases shared by the CLI and the API: search, suggest, reindex.

Each process keeps a snapshot of the index (one small record per service and the vocabulary,
see `alrim.search.snapshot`) per database, and refreshes it from the rows written since —
one cheap query per search when nothing changed. On first use the index is reconciled with
the catalog (built if empty, rebuilt if the analyser changed).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alrim.catalog.regions import AmbiguousRegion, RegionTable, UnknownRegion
from alrim.paths import DATA_DIR
from alrim.search.filters import SearchFilters, UnknownAudience
from alrim.search.lexicon import Lexicon, LexiconError, load_lexicon
from alrim.search.searcher import SearchOptions, SearchResult, run_search
from alrim.search.snapshot import IndexSnapshot
from alrim.search.suggest import Suggestions, suggest
from alrim.store import search_repo
from alrim.store.db import session_scope
from alrim.store.search_tables import SearchStateRow

LEXICON_DIR = DATA_DIR / "lexicon"
MAX_LIMIT = 100
ELIGIBILITY_STATUSES = frozenset({"eligible", "maybe", "ineligible"})


class SearchError(ValueError):
    """A request that cannot be served as asked; the message is for the person (Korean)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class SearchRequest:
    query: str
    as_of: date
    region: str | None = None  # a 시도/시군구 name or code, resolved here …
    region_codes: Collection[str] | None = None  # … or codes already resolved by the caller
    categories: Sequence[str] = ()
    audiences: Sequence[str] = ()
    open_now: bool = False
    limit: int = 20
    offset: int = 0
    # service_id → eligible | maybe | ineligible, from the eligibility engine (a profile).
    eligibility: Mapping[str, str] | None = None


# ── lexicon ──────────────────────────────────────────────────────────────────────────────

_lexicon_lock = threading.Lock()
_lexicons: dict[Path, tuple[tuple[tuple[str, float], ...], Lexicon]] = {}


def get_lexicon(directory: Path = LEXICON_DIR) -> Lexicon:
    """The lexicon of `directory`, re-read when one of its files changes."""
    stamp = tuple(sorted((p.name, p.stat().st_mtime) for p in directory.glob("*.yaml")))
    cached = _lexicons.get(directory)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lexicon_lock:
        cached = _lexicons.get(directory)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        lexicon = load_lexicon(directory) if directory.is_dir() else Lexicon.empty()
        _lexicons[directory] = (stamp, lexicon)
        return lexicon


# ── index snapshot per database ──────────────────────────────────────────────────────────


class _IndexCache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.snapshot = IndexSnapshot.empty()
        self.epoch: int | None = None


_caches: dict[str, _IndexCache] = {}
_caches_lock = threading.Lock()


def _cache_for(engine: Engine) -> _IndexCache:
    key = engine.url.render_as_string(hide_password=False)
    with _caches_lock:
        if key not in _caches:
            _caches[key] = _IndexCache()
        return _caches[key]


def _state(session: Session) -> tuple[int, int]:
    rows = dict(
        session.execute(
            select(SearchStateRow.key, SearchStateRow.number).where(
                SearchStateRow.key.in_([search_repo.EPOCH, search_repo.GENERATION])
            )
        ).all()
    )
    return int(rows.get(search_repo.EPOCH, 0)), int(rows.get(search_repo.GENERATION, 0))


def current_snapshot(engine: Engine, session: Session) -> IndexSnapshot:
    """The index snapshot for `engine`, brought up to date (reads in `session`)."""
    cache = _cache_for(engine)
    epoch, generation = _state(session)
    snap = cache.snapshot
    if cache.epoch == epoch and snap.generation == generation:
        return snap
    with cache.lock:
        if cache.epoch is None:  # first use in this process: is the index complete?
            with session_scope(engine) as writer:
                if search_repo.needs_reconcile(writer):
                    search_repo.reconcile(writer)
            session.rollback()  # a new read transaction sees what was just written
            epoch, generation = _state(session)
        snap = cache.snapshot
        if cache.epoch != epoch:
            snap = IndexSnapshot.empty()
        if snap.generation != generation:
            new_generation, docs, terms = search_repo.load_changes(session, snap.generation)
            snap = snap.apply(new_generation, docs, terms)
        cache.snapshot, cache.epoch = snap, epoch
        return snap


def index_needs_work(engine: Engine) -> bool:
    """The index is missing services, or was built by another analyser: the next search (or
    `reindex`) will analyse them first, which can take a while."""
    with session_scope(engine) as session:
        return search_repo.needs_reconcile(session)


def warm_up(engine: Engine) -> None:
    """Load the analyser and the index snapshot now (e.g. at server start), not on the first
    request."""
    from alrim.search.analyzer import kiwi

    kiwi()
    get_lexicon()
    with session_scope(engine) as session:
        current_snapshot(engine, session)


def forget_snapshots() -> None:
    """Drop every cached snapshot (tests that recreate a database at the same URL)."""
    with _caches_lock:
        _caches.clear()


# ── use cases ────────────────────────────────────────────────────────────────────────────


def region_codes(regions: RegionTable, name: str) -> frozenset[str]:
    from alrim.services.catalog import resolve_region_filter

    try:
        return frozenset(resolve_region_filter(regions, name))
    except (UnknownRegion, AmbiguousRegion) as exc:
        raise SearchError(str(exc), "region") from exc


def build_filters(request: SearchRequest, regions: RegionTable | None) -> SearchFilters:
    codes = frozenset(request.region_codes) if request.region_codes is not None else None
    if request.region and codes is None:
        codes = region_codes(regions or RegionTable.default(), request.region)
    try:
        return SearchFilters.build(
            region_codes=codes,
            categories=request.categories,
            audiences=request.audiences,
            open_on=request.as_of if request.open_now else None,
        )
    except UnknownAudience as exc:
        raise SearchError(str(exc), "audience") from exc


def search(
    engine: Engine,
    request: SearchRequest,
    *,
    regions: RegionTable | None = None,
    lexicon: Lexicon | None = None,
) -> dict[str, Any]:
    """Contract §4: {"query", "results": [{"service_id", "name", "score", …}], …}."""
    if not 1 <= request.limit <= MAX_LIMIT:
        raise SearchError(f"limit 은 1~{MAX_LIMIT} 사이여야 해요.", "limit")
    if request.offset < 0:
        raise SearchError("offset 은 0 이상이어야 해요.", "offset")
    if request.eligibility is not None:
        unknown = set(request.eligibility.values()) - ELIGIBILITY_STATUSES
        if unknown:
            raise SearchError(f"알 수 없는 자격 상태예요: {sorted(unknown)}", "eligibility")
    filters = build_filters(request, regions)
    try:
        lex = lexicon if lexicon is not None else get_lexicon()
    except LexiconError as exc:  # a broken lexicon file must not break search
        import logging

        logging.getLogger(__name__).error("lexicon not loaded: %s", exc)
        lex = Lexicon.empty()
    options = SearchOptions(
        as_of=request.as_of,
        limit=request.limit,
        offset=request.offset,
        filters=filters,
        eligibility=request.eligibility,
    )
    with session_scope(engine) as session:
        snapshot = current_snapshot(engine, session)
        result = run_search(request.query, snapshot, lex, search_repo.DbPostings(session), options)
    return result_json(request, result)


def result_json(request: SearchRequest, result: SearchResult) -> dict[str, Any]:
    query = result.query
    out: dict[str, Any] = {
        "query": request.query,
        "results": [hit.to_dict() for hit in result.hits],
        "total": result.total,
        "limit": request.limit,
        "offset": request.offset,
        "did_you_mean": query.did_you_mean,
    }
    if query.searched != query.text:
        out["searched"] = query.searched
    if query.completions:
        out["completed"] = query.completions
    return out


def suggestions(engine: Engine, prefix: str, limit: int = 10) -> dict[str, object]:
    """Autocomplete: {"query", "words": [...], "services": [{"service_id", "name"}]}."""
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchError(f"limit 은 1~{MAX_LIMIT} 사이여야 해요.", "limit")
    with session_scope(engine) as session:
        snapshot = current_snapshot(engine, session)
    result: Suggestions = suggest(prefix, snapshot, limit)
    return result.to_dict()


def reindex(engine: Engine, *, full: bool = False) -> dict[str, object]:
    """Reconcile the index with the catalog (`full`: rebuild it from scratch)."""
    with session_scope(engine) as session:
        outcome = search_repo.reconcile(session, force_rebuild=full)
        size = search_repo.index_size(session)
    return {
        "rebuilt": outcome.rebuilt,
        "indexed": outcome.indexed,
        "withdrawn": outcome.withdrawn,
        **size,
    }


# ── eligibility (seam) ───────────────────────────────────────────────────────────────────


def read_profile(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SearchError(f"프로필 파일을 읽을 수 없어요: {exc}", "profile") from exc
    if not isinstance(data, dict):
        raise SearchError("프로필은 JSON 객체여야 해요.", "profile")
    return data


def eligibility_for_profile(
    engine: Engine, profile: Mapping[str, Any], as_of: date
) -> dict[str, str]:
    """service_id → eligible | maybe | ineligible for a contract §1 profile, from the
    eligibility engine (`alrim.services.eligibility`); `as_of` is the profile's default day."""
    from alrim.eligibility.profile_input import ProfileError, parse_profile
    from alrim.services.eligibility import get_eligibility

    try:
        person = parse_profile(dict(profile), regions=RegionTable.default(), today=as_of)
    except ProfileError as exc:
        raise SearchError(exc.message, "profile") from exc
    return get_eligibility(engine).statuses(person)
