"""Source names used by the CLI (``alrim ingest --source NAME``) → source objects."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from alrim.catalog.sources.agency_file import AgencyFileSource
from alrim.catalog.sources.base import Source
from alrim.catalog.sources.gov24_api import Gov24ApiSource
from alrim.catalog.sources.gov24_files import Gov24FileSource
from alrim.catalog.sources.youth import YouthSource
from alrim.paths import DATA_DIR

# Environment variables read when no key is passed.
GOV24_KEY_ENV: Final = "ALRIM_GOV24_SERVICE_KEY"
YOUTH_KEY_ENV: Final = "ALRIM_YOUTH_API_KEY"

# The bundled snapshot, relative to the data folder.
GOV24_SAMPLE_FILES: Final = (
    "gov24/serviceList_sample.json.gz",
    "gov24/serviceDetail_sample.json.gz",
    "gov24/supportConditions_sample.json.gz",
)
YOUTH_SAMPLE_FILE: Final = "youth/youthcenter_sample_2026-07.json.gz"
AGENCY_FOLDER: Final = "agency"
AGENCY_SUFFIXES: Final = (".yaml", ".yml", ".csv")


def _gov24_files(options: dict[str, Any]) -> Source:
    paths = options.pop("paths", None) or options.pop("path", None)
    if paths is None:
        data_dir = Path(options.pop("data_dir", DATA_DIR))
        paths = [data_dir / name for name in GOV24_SAMPLE_FILES]
    return Gov24FileSource(paths, **options)


def _gov24_api(options: dict[str, Any]) -> Source:
    key = (
        options.pop("service_key", None)
        or options.pop("api_key", None)
        or os.environ.get(GOV24_KEY_ENV)
    )
    return Gov24ApiSource(key, **options)


def _youth_files(options: dict[str, Any]) -> Source:
    paths = options.pop("paths", None) or options.pop("path", None)
    if paths is None:
        paths = Path(options.pop("data_dir", DATA_DIR)) / YOUTH_SAMPLE_FILE
    return YouthSource(paths, **options)


def _youth_api(options: dict[str, Any]) -> Source:
    key = (
        options.pop("api_key", None)
        or options.pop("service_key", None)
        or os.environ.get(YOUTH_KEY_ENV)
    )
    return YouthSource(None, api_key=key, **options)


def _agency(options: dict[str, Any]) -> Source:
    path = options.pop("path", None) or options.pop("paths", None)
    if isinstance(path, list | tuple):
        if len(path) != 1:
            raise ValueError("the agency source reads one file (one publisher) at a time")
        path = path[0]
    if path is None:
        raise ValueError("the agency source needs path=<file in the Alrim agency format>")
    return AgencyFileSource(path, **options)


_KINDS: Final[dict[str, Callable[[dict[str, Any]], Source]]] = {
    "gov24": _gov24_files,
    "gov24-api": _gov24_api,
    "youth": _youth_files,
    "youth-api": _youth_api,
    "agency": _agency,
}
SOURCE_KINDS: Final = tuple(_KINDS)


def open_source(kind: str, **options: Any) -> Source:
    """A source by its CLI name. Options are the constructor's keyword arguments, plus
    ``paths``/``path`` for the file sources (default: the bundled snapshot) and the API key
    (``api_key`` or ``service_key``; default: ``ALRIM_GOV24_SERVICE_KEY`` /
    ``ALRIM_YOUTH_API_KEY`` from the environment)."""
    factory = _KINDS.get(kind)
    if factory is None:
        raise ValueError(f"unknown source {kind!r}; expected one of {', '.join(SOURCE_KINDS)}")
    return factory(dict(options))


def agency_files(data_dir: Path) -> list[Path]:
    folder = Path(data_dir) / AGENCY_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in AGENCY_SUFFIXES)


def bundled_sources(data_dir: Path = DATA_DIR) -> list[Source]:
    """The sources for the bundled data: the gov24 sample (three endpoints), the 온통청년
    sample and every agency file under ``agency/``. Missing files are skipped."""
    data_dir = Path(data_dir)
    sources: list[Source] = []
    gov24 = [data_dir / name for name in GOV24_SAMPLE_FILES if (data_dir / name).is_file()]
    if gov24:
        sources.append(Gov24FileSource(gov24))
    youth = data_dir / YOUTH_SAMPLE_FILE
    if youth.is_file():
        sources.append(YouthSource(youth))
    sources.extend(AgencyFileSource(path) for path in agency_files(data_dir))
    return sources
