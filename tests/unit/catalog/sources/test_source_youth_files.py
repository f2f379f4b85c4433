"""온통청년 policies from files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alrim.catalog.sources.base import RawRecord, Rejected
from alrim.catalog.sources.youth import YouthSource
from alrim.paths import REPO_ROOT

SAMPLE = REPO_ROOT / "data" / "youth" / "youthcenter_sample_2026-07.json.gz"


def test_the_bundled_sample() -> None:
    source = YouthSource(SAMPLE)
    records = list(source.records())
    assert len(records) == 1324 and all(isinstance(r, RawRecord) for r in records)
    first = records[0]
    assert isinstance(first, RawRecord)
    assert first.endpoint == "youth" and first.key == "20260710005400113257"
    assert first.data["plcyNm"] == "K-패스(K패스)"
    assert first.ref == "youth/youthcenter_sample_2026-07.json.gz#result.youthPolicyList[0]"
    assert source.dataset == "youthcenter"
    assert source.run.complete is False  # 1,324 of totalCount 2,648
    assert any("totalCount 2,648" in n for n in source.run.notes)


def test_a_plain_list_with_bad_rows(tmp_path: Path) -> None:
    rows = [
        {"plcyNo": " 20260101000000000001 ", "plcyNm": "청년 월세"},
        {"plcyNm": "번호 없음"},
        {"plcyNo": 20260101000000000003, "plcyNm": "숫자 번호"},
        {"plcyNo": "20260101000000000004", "zipCd": ["11110"]},
        7,
    ]
    path = tmp_path / "policies.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    source = YouthSource([path], complete=True)
    records = list(source.records())
    assert [r.key for r in records if isinstance(r, RawRecord)] == ["20260101000000000001"]
    reasons = [r.reason for r in records if isinstance(r, Rejected)]
    assert reasons == [
        "missing plcyNo",
        "plcyNo is a int (20260101000000000003), expected text",
        "field 'zipCd' is a list; expected text or a number",
        "row is not an object (got int)",
    ]
    assert source.run.complete is True  # the caller vouched for it


def test_live_mode_needs_a_key() -> None:
    with pytest.raises(ValueError, match="API key"):
        YouthSource()
