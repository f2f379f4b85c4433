"""Small helpers shared by the page routes."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request
from sqlalchemy import Engine

from alrim.catalog.regions import RegionTable


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def regions_of(request: Request) -> RegionTable:
    regions: RegionTable = request.app.state.regions
    return regions


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def local_path(target: str | None, default: str) -> str:
    """`target` if it is a path on this site (no scheme, host or `//`), else `default`."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return default
    return target
