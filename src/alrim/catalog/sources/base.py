"""The one interface every catalog source implements."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One row as a source published it, before any normalisation.

    `endpoint` names the table the row came from: for gov24 one of ``serviceList``,
    ``serviceDetail``, ``supportConditions``; ``youth`` for 온통청년; ``agency`` for rows an
    agency published in the Alrim agency format. `key` is the service id (서비스ID, plcyNo…).
    `ref` says where the row was found (file and row number, or API page and index) so a
    quarantined row can be traced back.
    """

    endpoint: str
    key: str
    data: dict[str, Any]
    ref: str


@dataclass(frozen=True, slots=True)
class Rejected:
    """A row that could not be read. It is quarantined with its reason; the run continues."""

    endpoint: str
    ref: str
    reason: str  # short, human-readable, English; e.g. "missing 서비스ID"
    raw: str  # the row as text (truncated by the store if huge)
    key: str | None = None


@dataclass(slots=True)
class SourceRun:
    """What a source reports about the run once its records are exhausted."""

    complete: bool = True  # every page/file was read; absent services may be withdrawn
    fetched_at: datetime | None = None
    notes: list[str] = field(default_factory=list)
    # Endpoints this run covered (a gov24 run normally covers all three).
    endpoints: tuple[str, ...] = ()


@runtime_checkable
class Source(Protocol):
    """A catalog source. `records()` may be iterated once; `run` is final after that."""

    dataset: str  # "gov24", "youthcenter", "agency:<publisher-slug>"
    run: SourceRun

    def records(self) -> Iterator[RawRecord | Rejected]: ...
