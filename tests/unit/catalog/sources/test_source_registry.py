"""Source names → sources, and the bundled data's sources."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from alrim.catalog.sources.agency_file import AgencyFileSource
from alrim.catalog.sources.base import RawRecord, Source
from alrim.catalog.sources.gov24_api import Gov24ApiSource
from alrim.catalog.sources.gov24_files import Gov24FileSource
from alrim.catalog.sources.registry import (
    GOV24_KEY_ENV,
    SOURCE_KINDS,
    bundled_sources,
    open_source,
)
from alrim.catalog.sources.youth import YouthSource
from alrim.paths import REPO_ROOT

DATA = REPO_ROOT / "data"


def test_the_cli_names() -> None:
    assert SOURCE_KINDS == ("gov24", "gov24-api", "youth", "youth-api", "agency")


def test_bundled_sources_cover_gov24_youth_and_agency_files() -> None:
    sources = bundled_sources(DATA)
    assert [s.dataset for s in sources] == ["gov24", "youthcenter", "agency:EXAMPLE_SH"]
    assert all(isinstance(s, Source) for s in sources)
    counts = {s.dataset: sum(isinstance(r, RawRecord) for r in s.records()) for s in sources}
    assert counts == {"gov24": 3 * 1097, "youthcenter": 1324, "agency:EXAMPLE_SH": 3}


def test_bundled_sources_skip_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "youth").mkdir()
    shutil.copy(DATA / "youth" / "youthcenter_sample_2026-07.json.gz", tmp_path / "youth")
    assert [s.dataset for s in bundled_sources(tmp_path)] == ["youthcenter"]


def test_open_source_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gov24 = open_source("gov24")
    assert isinstance(gov24, Gov24FileSource) and len(gov24.files) == 3
    csv = open_source("gov24", paths=[DATA / "gov24" / "supportConditions_full_2025-04-03.csv.gz"])
    assert isinstance(csv, Gov24FileSource) and csv.run.endpoints == ("supportConditions",)
    assert isinstance(open_source("youth"), YouthSource)
    agency = open_source("agency", path=DATA / "agency" / "example_seoul_housing.yaml")
    assert isinstance(agency, AgencyFileSource)

    monkeypatch.setenv(GOV24_KEY_ENV, "from-the-environment")
    live = open_source("gov24-api", checkpoint_dir=tmp_path, per_page=500)
    assert isinstance(live, Gov24ApiSource)
    assert "from-the-environment" not in repr(live)

    monkeypatch.delenv(GOV24_KEY_ENV)
    with pytest.raises(ValueError, match="service key is needed"):
        open_source("gov24-api")
    offline = open_source("gov24-api", offline=True, checkpoint_dir=tmp_path)
    assert isinstance(offline, Gov24ApiSource)


def test_unknown_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown source 'bokjiro'"):
        open_source("bokjiro")
    with pytest.raises(ValueError, match="needs path="):
        open_source("agency")


def test_the_cli_way_of_passing_keys_and_files(tmp_path: Path) -> None:
    # The CLI passes api_key for both live sources and a list of paths for every file source.
    assert isinstance(
        open_source("gov24-api", api_key="k", checkpoint_dir=tmp_path), Gov24ApiSource
    )
    assert isinstance(open_source("youth-api", api_key="k"), YouthSource)
    example = DATA / "agency" / "example_seoul_housing.yaml"
    assert isinstance(open_source("agency", paths=[example], complete=False), AgencyFileSource)
    with pytest.raises(ValueError, match="one file"):
        open_source("agency", paths=[example, example])
