"""Eligibility use cases: the engine for the stored catalog, cached per catalog version."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from sqlalchemy import Engine

from alrim.catalog.regions import RegionTable
from alrim.eligibility.engine import EligibilityEngine
from alrim.eligibility.parameters import Parameters
from alrim.eligibility.profile_input import parse_profile
from alrim.eligibility.review_log import write_disagreements
from alrim.eligibility.rules_file import load_rules
from alrim.paths import PARAMETERS_DIR, RULES_DIR
from alrim.services.catalog import korea_today
from alrim.store import catalog_repo as repo
from alrim.store.db import session_scope

log = logging.getLogger(__name__)

_lock = threading.Lock()
_cache: dict[str, tuple[str, EligibilityEngine]] = {}  # database url → (version, engine)
_CHECK_EVERY = 2.0  # seconds between catalog-version checks per process
_checked: dict[str, float] = {}


def catalog_version(engine: Engine) -> str:
    with session_scope(engine) as session:
        return repo.get_meta(session, "catalog_version") or "empty"


def build_engine(engine: Engine, *, write_review_log: bool = False) -> EligibilityEngine:
    """Compile every active service of the stored catalog (plus the hand-written rules)."""
    started = time.perf_counter()
    with session_scope(engine) as session:
        services = repo.all_active_services(session)
        version = repo.get_meta(session, "catalog_version") or "empty"
    parameters = Parameters.load(PARAMETERS_DIR)
    eligibility = EligibilityEngine.build(
        services,
        regions=RegionTable.default(),
        parameters=parameters,
        hand_rules=load_rules(RULES_DIR, parameters),
        catalog_version=version,
    )
    if write_review_log:
        write_disagreements(eligibility.disagreements())
    log.info(
        "eligibility engine built: %d services in %.1f s (catalog %s)",
        len(eligibility.rules),
        time.perf_counter() - started,
        version,
    )
    return eligibility


def get_eligibility(engine: Engine) -> EligibilityEngine:
    """The engine for the current catalog; rebuilt when an ingest changed the catalog."""
    key = engine.url.render_as_string(hide_password=True)
    now = time.monotonic()
    cached = _cache.get(key)
    if cached is not None and now - _checked.get(key, 0.0) < _CHECK_EVERY:
        return cached[1]
    version = catalog_version(engine)
    _checked[key] = now
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == version:
            return cached[1]
        built = build_engine(engine)
        _cache[key] = (version, built)
        return built


def check_profile(
    engine: Engine,
    data: dict[str, Any],
    *,
    include_ineligible: bool = False,
    service_ids: list[str] | None = None,
) -> dict[str, Any]:
    """Contract §1 JSON in, contract §2 JSON out. Raises ProfileError for a bad profile."""
    profile = parse_profile(data, regions=RegionTable.default(), today=korea_today())
    return get_eligibility(engine).check(
        profile, include_ineligible=include_ineligible, service_ids=service_ids
    )
