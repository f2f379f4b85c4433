"""A 온통청년 policy's region: its zipCd codes, unless its name names an unrelated 시군구."""

from __future__ import annotations

import gzip
import json
from typing import Any

from alrim.catalog.normalize_youth import normalize_youth
from alrim.catalog.regions import RegionTable
from alrim.paths import REPO_ROOT

SAMPLE = REPO_ROOT / "data" / "youth" / "youthcenter_sample_2026-07.json.gz"
REGIONS = RegionTable.default()


def _policy(policy_no: str) -> dict[str, Any]:
    data = json.loads(gzip.decompress(SAMPLE.read_bytes()))
    rows = data["result"]
    rows = rows.get("youthPolicyList", rows) if isinstance(rows, dict) else rows
    [row] = [r for r in rows if r.get("plcyNo") == policy_no]
    return dict(row)


def test_a_seosan_policy_filed_under_taean_is_seosans() -> None:
    # The real record: "서산시 임신축하금 지원", 담당 서산시 건강증진과, zipCd 44825 (태안군).
    row = _policy("20260504005400213026")
    assert row["zipCd"] == "44825"
    service = normalize_youth(row, regions=REGIONS, fetched_at=None)
    assert service.region is not None and service.region.name == "충청남도 서산시"
    youth = service.extra["youth"]
    assert youth["region_codes"] == [service.region.code]
    assert youth["region_codes_given"] == ["44825"]  # what the source said is kept


def test_a_name_and_code_that_agree_or_nest_keep_the_code() -> None:
    row = _policy("20260504005400213026")
    agreeing = {**row, "plcyNm": "태안군 임신축하금 지원"}
    service = normalize_youth(agreeing, regions=REGIONS, fetched_at=None)
    assert service.region is not None and service.region.name == "충청남도 태안군"
    assert "region_codes_given" not in service.extra["youth"]
    # A 일반구 inside the 시 the name gives is not a conflict.
    nested = {**row, "plcyNm": "수원시 청년 지원", "zipCd": "41111"}
    service = normalize_youth(nested, regions=REGIONS, fetched_at=None)
    assert service.region is not None and service.region.code.startswith("4111")
    assert "region_codes_given" not in service.extra["youth"]
    # A 시도 in the name does not override a 시군구 code.
    sido = {**row, "plcyNm": "충청남도 청년 지원"}
    service = normalize_youth(sido, regions=REGIONS, fetched_at=None)
    assert service.region is not None and service.region.name == "충청남도 태안군"
