"""Group raw rows by service and turn each group into a Service (or a quarantine entry).

Pure: takes the records a source yielded, returns services and rejections. The store is not
touched here, so the same function serves ingest, tests and benchmarks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from alrim.catalog.normalize_gov24 import ENDPOINTS, RowError, normalize_gov24, validate_row
from alrim.catalog.regions import RegionTable
from alrim.catalog.sources.base import RawRecord, Rejected
from alrim.domain.service import Service


@dataclass(slots=True)
class Assembled:
    services: list[Service] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    rows_read: int = 0


def _raw_text(data: object) -> str:
    try:
        return json.dumps(data, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(data)


def assemble(
    records: Iterable[RawRecord | Rejected],
    *,
    dataset: str,
    regions: RegionTable,
    fetched_at: datetime | None,
    endpoints_in_run: tuple[str, ...] = (),
) -> Assembled:
    out = Assembled()
    groups: dict[str, dict[str, RawRecord]] = {}
    for rec in records:
        out.rows_read += 1
        if isinstance(rec, Rejected):
            out.rejected.append(rec)
            continue
        group = groups.setdefault(rec.key, {})
        if rec.endpoint in group:
            out.rejected.append(
                Rejected(
                    endpoint=rec.endpoint,
                    ref=rec.ref,
                    reason=f"duplicate id {rec.key} in {rec.endpoint} "
                    f"(first seen at {group[rec.endpoint].ref}); the first row is kept",
                    raw=_raw_text(rec.data),
                    key=rec.key,
                )
            )
            continue
        group[rec.endpoint] = rec

    if dataset == "gov24":
        in_run = endpoints_in_run or tuple(
            e for e in ENDPOINTS if any(e in g for g in groups.values())
        )
        for key, group in groups.items():
            _assemble_gov24(key, group, out, regions, fetched_at, in_run)
    else:
        from alrim.catalog.normalize_other import normalize_single

        for key, group in groups.items():
            for rec in group.values():
                try:
                    out.services.append(
                        normalize_single(
                            rec, dataset=dataset, regions=regions, fetched_at=fetched_at
                        )
                    )
                except (RowError, ValueError, TypeError, KeyError) as exc:
                    out.rejected.append(
                        Rejected(rec.endpoint, rec.ref, str(exc), _raw_text(rec.data), key)
                    )
    return out


def _assemble_gov24(
    key: str,
    group: dict[str, RawRecord],
    out: Assembled,
    regions: RegionTable,
    fetched_at: datetime | None,
    in_run: tuple[str, ...],
) -> None:
    usable: dict[str, dict[str, object]] = {}
    for endpoint, rec in group.items():
        if not isinstance(rec.data, dict):
            out.rejected.append(
                Rejected(endpoint, rec.ref, "row is not an object", _raw_text(rec.data), key)
            )
            continue
        try:
            validate_row(endpoint, rec.data)
        except RowError as exc:
            out.rejected.append(Rejected(endpoint, rec.ref, str(exc), _raw_text(rec.data), key))
            continue
        usable[endpoint] = rec.data
    if not usable:
        return
    try:
        service = normalize_gov24(
            key, usable, regions=regions, fetched_at=fetched_at, endpoints_in_run=in_run
        )
    except (RowError, ValueError, TypeError) as exc:
        for endpoint, data in usable.items():
            out.rejected.append(
                Rejected(endpoint, group[endpoint].ref, str(exc), _raw_text(data), key)
            )
        return
    out.services.append(service)
