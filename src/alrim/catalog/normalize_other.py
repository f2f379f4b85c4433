"""Dispatch for sources whose rows each describe one whole service (youth, agency files)."""

from __future__ import annotations

from datetime import datetime

from alrim.catalog.normalize_gov24 import RowError
from alrim.catalog.normalize_youth import normalize_youth
from alrim.catalog.regions import RegionTable
from alrim.catalog.sources.base import RawRecord
from alrim.domain.service import Service


def normalize_single(
    rec: RawRecord, *, dataset: str, regions: RegionTable, fetched_at: datetime | None
) -> Service:
    if not isinstance(rec.data, dict):
        raise RowError("row is not an object")
    if rec.endpoint == "youth":
        return normalize_youth(rec.data, regions=regions, fetched_at=fetched_at)
    if rec.endpoint == "agency":
        from alrim.catalog.normalize_agency import normalize_agency

        return normalize_agency(rec.data, regions=regions, fetched_at=fetched_at)
    raise RowError(f"no normaliser for endpoint {rec.endpoint!r}")
