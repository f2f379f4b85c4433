"""What a service card shows, built from catalog summaries and eligibility results."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine

from alrim.web.catalog_cache import catalog_summaries
from alrim.web.deadlines import Deadline, deadline_of
from alrim.web.vocabulary import support_groups


@dataclass(frozen=True, slots=True)
class Card:
    service_id: str
    name: str
    agency: str
    region: str | None  # None = 전국
    region_level: str | None  # "sido" | "sigungu" | None
    summary: str | None
    categories: tuple[str, ...]
    support_groups: tuple[str, ...]
    support_types: tuple[str, ...]
    deadline: Deadline
    views: int
    status: str | None = None  # eligible | maybe | ineligible | None (not judged)
    why: tuple[str, ...] = ()  # reasons that passed
    unsure: tuple[str, ...] = ()  # reasons still unknown
    missing: tuple[str, ...] = ()  # profile fields that would settle a maybe
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def category(self) -> str:
        return self.categories[0] if self.categories else "기타"


def summaries(engine: Engine, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Catalog summaries of active services, by id (unknown or withdrawn ids are left out)."""
    known = catalog_summaries(engine).by_id
    return {i: known[i] for i in ids if i in known}


def card_of(summary: dict[str, Any], today: date, result: dict[str, Any] | None = None) -> Card:
    region = summary.get("region") or None
    agency = summary.get("agency") or {}
    reasons = (result or {}).get("reasons") or []
    return Card(
        service_id=summary["service_id"],
        name=summary["name"],
        agency=agency.get("name") or "",
        region=region.get("name") if region else None,
        region_level=region.get("level") if region else None,
        summary=summary.get("summary"),
        categories=tuple(summary.get("categories") or ()),
        support_groups=tuple(support_groups(summary.get("support_types") or [])),
        support_types=tuple(summary.get("support_types") or ()),
        deadline=deadline_of(summary.get("application_period"), today),
        views=int(summary.get("views") or 0),
        status=(result or {}).get("status"),
        why=tuple(r["text"] for r in reasons if r.get("outcome") == "pass" and r.get("text")),
        unsure=tuple(r["text"] for r in reasons if r.get("outcome") == "unknown" and r.get("text")),
        missing=tuple((result or {}).get("missing") or ()),
    )


def cards_for(
    engine: Engine,
    ids: Iterable[str],
    today: date,
    results: dict[str, dict[str, Any]] | None = None,
) -> list[Card]:
    """Cards in the order of `ids` (ids not in the catalog are dropped)."""
    ordered = list(dict.fromkeys(ids))
    found = summaries(engine, ordered)
    results = results or {}
    return [card_of(found[i], today, results.get(i)) for i in ordered if i in found]
