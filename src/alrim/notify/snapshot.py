"""The matching snapshot: every stored profile as one Polars table, for vectorised audiences.

Stored profiles are encrypted one by one; decrypting them all for every catalog change would be
the slow part of an audience (and parsing each with the contract parser, ~175 µs a profile,
would take minutes for a million). So:

- `frame_from_stored` turns stored answers — already validated and canonical
  (`profile_to_json` output, see `alrim.accounts.profiles`) — into the profile table directly,
  column by column, without building `Profile` objects (≈30× faster; a test holds it equal to
  the contract parser's result).
- `MatchingSnapshot` keeps that table in the worker's memory and follows the ``profile_events``
  cursor, so after the first build only saved or removed profiles are decrypted again.

Privacy: the snapshot is plaintext personal data in the worker's memory (never written to disk
or logs); it holds only people who currently consent to matching (a withdrawal removes the
profile, and the next `refresh` drops the row). See docs/notifications.md.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import Engine, func, select

from alrim.eligibility.profile_table import (
    CANDIDATES,
    CANDIDATES_DTYPE,
    PROFILE_SCHEMA,
    STATUS_BITS,
    TRAIT_BITS,
    USER_TYPE_BITS,
    conform,
    fact_column,
)

log = logging.getLogger(__name__)

_INDIVIDUAL = USER_TYPE_BITS["individual"]
_DATE_COLUMNS = ("birth_date", "moved_in_date")
_PLAIN = ("sex", "region", "household_size", "household_income_monthly", "income_band")


def _bits(values: Iterable[str] | None, bits: dict[str, int]) -> int:
    mask = 0
    for value in values or ():
        mask |= bits.get(value, 0)
    return mask


def frame_from_stored(
    items: Iterable[tuple[str, dict[str, Any]]], as_of: date | None = None
) -> pl.DataFrame:
    """A profile table from (account id, stored profile JSON) pairs. Without `as_of` the table
    has no ``as_of`` column (add one with `with_day`)."""
    cols: dict[str, list[Any]] = {
        name: [] for name in PROFILE_SCHEMA if name not in ("as_of", "children_birth_dates")
    }
    children: list[list[str] | None] = []
    facts: dict[str, list[bool | None]] = {}
    n = 0
    for account_id, data in items:
        cols["person_id"].append(account_id)
        birth = data.get("birth_date")
        cols["birth_date"].append(birth)
        cols["age"].append(data.get("age") if birth is None else None)
        for name in _PLAIN:
            cols[name].append(data.get(name))
        cols["statuses"].append(_bits(data.get("statuses"), STATUS_BITS))
        cols["statuses_complete"].append(bool(data.get("statuses_complete", False)))
        cols["household_traits"].append(_bits(data.get("household_traits"), TRAIT_BITS))
        cols["household_traits_complete"].append(bool(data.get("household_traits_complete")))
        user_types = data.get("user_types")
        cols["user_types"].append(_bits(user_types, USER_TYPE_BITS) if user_types else _INDIVIDUAL)
        cols["user_types_given"].append(bool(user_types))
        business = data.get("business") or {}
        organization = data.get("organization") or {}
        cols["business_stage"].append(business.get("stage"))
        cols["business_industry"].append(business.get("industry"))
        cols["organization_type"].append(organization.get("type"))
        cols["organization_industry"].append(organization.get("industry"))
        cols["receiving"].append(sorted(s.strip() for s in data.get("receiving") or ()))
        kids = data.get("children_birth_dates")
        children.append(list(kids) if kids is not None else None)
        cols["moved_in_date"].append(data.get("moved_in_date"))
        for name, value in (data.get("facts") or {}).items():
            column = facts.get(name)
            if column is None:
                column = facts[name] = [None] * n
            column.append(bool(value))
        n += 1  # noqa: SIM113 (n also sizes fact columns that appear late)
        for column in facts.values():
            if len(column) < n:
                column.append(None)
    candidates = _current_regions(cols["region"])
    series: list[pl.Series] = []
    for name, values in cols.items():
        dtype = PROFILE_SCHEMA[name]
        if name in _DATE_COLUMNS:
            series.append(pl.Series(name, values, dtype=pl.String).str.to_date("%Y-%m-%d"))
        else:
            series.append(pl.Series(name, values, dtype=dtype))
    series.append(
        pl.Series("children_birth_dates", children, dtype=pl.List(pl.String)).list.eval(
            pl.element().str.to_date("%Y-%m-%d")
        )
    )
    if candidates is not None:
        series.append(pl.Series(CANDIDATES, candidates, dtype=CANDIDATES_DTYPE))
    series += [pl.Series(fact_column(f), v, dtype=pl.Boolean) for f, v in sorted(facts.items())]
    frame = pl.DataFrame(series)
    return with_day(frame, as_of) if as_of is not None else frame


def _current_regions(regions: list[str | None]) -> list[list[str] | None] | None:
    """Rewrite, in place, stored regions that are not current codes as the contract parser
    reads them (a former code → its current one; a divided old 구 such as 28260 → the 시도 28,
    with its successors as candidates). Returns the candidates column, or None if nobody has
    any. Each distinct value is resolved once."""
    from alrim.catalog.regions import RegionTable
    from alrim.eligibility.profile_input import ProfileError, resolve_region_places

    distinct = {r for r in regions if r is not None}
    if not distinct:
        return None
    table = RegionTable.default()
    resolved: dict[str, tuple[str, tuple[str, ...]]] = {}
    for value in distinct:
        if table.get(value) is not None:
            continue
        try:
            resolved[value] = resolve_region_places(table, value)
        except ProfileError:
            continue  # kept as stored; the region criteria read it as unknown
    if not resolved:
        return None
    candidates: list[list[str] | None] = []
    for i, stored in enumerate(regions):
        hit = resolved.get(stored) if stored is not None else None
        if hit is None:
            candidates.append(None)
            continue
        regions[i] = hit[0]
        candidates.append(list(hit[1]) or None)
    return candidates if any(candidates) else None


def with_day(frame: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """The table judged on `as_of` (conformed to the profile schema)."""
    return conform(frame.with_columns(pl.lit(as_of, pl.Date).alias("as_of")))


def _empty() -> pl.DataFrame:
    return frame_from_stored([])


@dataclass
class MatchingSnapshot:
    """Every stored profile, kept current by following the ``profile_events`` cursor."""

    frame: pl.DataFrame = field(default_factory=_empty)
    cursor: int = 0
    built: bool = False
    build_seconds: float = 0.0

    @property
    def size(self) -> int:
        return self.frame.height

    def build(self, engine: Engine, *, batch: int = 20_000) -> None:
        """Decrypt every stored profile once (the events after the build are applied next)."""
        from alrim.accounts.profiles import iter_profiles
        from alrim.store.accounts_tables import ProfileEventRow

        started = time.perf_counter()
        with engine.connect() as connection:
            cursor = connection.scalar(select(func.max(ProfileEventRow.seq))) or 0
        self.frame = frame_from_stored(iter_profiles(engine, batch=batch))
        self.cursor = int(cursor)
        self.built = True
        self.build_seconds = time.perf_counter() - started
        log.info("matching snapshot built: %d profiles in %.1f s", self.size, self.build_seconds)
        self.refresh(engine)

    def refresh(self, engine: Engine) -> int:
        """Apply profile saves and removals since the cursor; returns profiles re-read."""
        if not self.built:
            self.build(engine)
            return self.size
        from alrim.accounts.profiles import load_profile, profile_events_since

        changed: set[str] = set()
        while True:
            events = profile_events_since(engine, self.cursor, limit=5000)
            if not events:
                break
            changed.update(e.account_id for e in events)
            self.cursor = events[-1].seq
        if not changed:
            return 0
        fresh = [(a, p) for a in sorted(changed) if (p := load_profile(engine, a)) is not None]
        kept = self.frame.filter(~pl.col("person_id").is_in(sorted(changed)))
        self.frame = pl.concat([kept, frame_from_stored(fresh)], how="diagonal_relaxed")
        return len(changed)

    def on(self, as_of: date, account_ids: Iterable[str] | None = None) -> pl.DataFrame:
        """The table judged on `as_of`, optionally only for some accounts."""
        frame = self.frame
        if account_ids is not None:
            frame = frame.filter(pl.col("person_id").is_in(list(account_ids)))
        return with_day(frame, as_of)


_snapshots: dict[str, MatchingSnapshot] = {}


def snapshot_for(engine: Engine) -> MatchingSnapshot:
    """The process's snapshot for this database, brought up to date."""
    key = engine.url.render_as_string(hide_password=True)
    snap = _snapshots.get(key)
    if snap is None:
        snap = _snapshots[key] = MatchingSnapshot()
    snap.refresh(engine)
    return snap


def forget_snapshots() -> None:
    _snapshots.clear()
