"""gov24 from files: endpoints, keys, bad rows, completeness, fetch time."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from alrim.catalog.sources.base import RawRecord, Rejected, Source
from alrim.catalog.sources.files import KST
from alrim.catalog.sources.gov24_files import Gov24FileSource, guess_endpoint
from alrim.catalog.sources.gov24_rows import normalize_service_id
from alrim.paths import REPO_ROOT

DATA = REPO_ROOT / "data" / "gov24"
SAMPLES = [
    DATA / f"{e}_sample.json.gz" for e in ("serviceList", "serviceDetail", "supportConditions")
]


def _conditions(service_id: Any, **values: Any) -> dict[str, Any]:
    row = {"서비스ID": service_id, "서비스명": "서비스", "JA0101": "Y", "JA0110": 19, "JA0111": 39}
    row.update(values)
    return row


def _envelope(path: Path, rows: list[Any], total: int | None = None) -> Path:
    doc = {
        "page": 1,
        "perPage": 1000,
        "totalCount": len(rows) if total is None else total,
        "currentCount": len(rows),
        "matchCount": len(rows) if total is None else total,
        "data": rows,
    }
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "endpoint"),
    [
        ("serviceList_sample.json.gz", "serviceList"),
        ("gov24_service_list.json", "serviceList"),
        ("list_2026.csv", "serviceList"),
        ("serviceDetail.jsonl", "serviceDetail"),
        ("detail.json", "serviceDetail"),
        ("supportConditions_full_2025-04-03.csv.gz", "supportConditions"),
        ("support_conditions.json", "supportConditions"),
        ("gov24_conditions.csv", "supportConditions"),
        ("serviceList/page-0003.json", "serviceList"),
        ("supportConditions_codes.csv", None),  # the JA code table, not data
        ("services.json", None),
    ],
)
def test_endpoint_is_guessed_from_the_name(name: str, endpoint: str | None) -> None:
    assert guess_endpoint(Path(name)) == endpoint


def test_the_bundled_sample_is_read_but_is_not_a_full_catalog() -> None:
    source = Gov24FileSource(SAMPLES)
    assert isinstance(source, Source)
    records = list(source.records())
    counts = Counter(r.endpoint for r in records if isinstance(r, RawRecord))
    assert counts == {"serviceList": 1097, "serviceDetail": 1097, "supportConditions": 1097}
    assert not [r for r in records if isinstance(r, Rejected)]
    assert source.dataset == "gov24"
    assert source.run.endpoints == ("serviceList", "serviceDetail", "supportConditions")
    assert source.run.complete is False
    assert "serviceList: 1,097 rows read, totalCount 10,974 — a sample or partial catalog" in (
        source.run.notes
    )
    assert source.run.fetched_at == datetime(2026, 7, 12, tzinfo=KST)  # "fetched 2026-07-12"
    # The same service is keyed alike in all three endpoints.
    keys = {e: {r.key for r in records if r.endpoint == e} for e in counts}
    assert keys["serviceList"] == keys["serviceDetail"] == keys["supportConditions"]


def test_files_can_be_named_explicitly_and_the_caller_can_vouch_for_completeness() -> None:
    source = Gov24FileSource(
        {"support_conditions": DATA / "supportConditions_full_2025-04-03.csv.gz"}, complete=True
    )
    records = list(source.records())
    assert len(records) == 10245 and all(isinstance(r, RawRecord) for r in records)
    assert source.run.complete is True
    assert source.run.endpoints == ("supportConditions",)
    assert source.run.fetched_at == datetime(2025, 4, 3, tzinfo=KST)  # from the file name
    first = records[0]
    assert isinstance(first, RawRecord)
    assert first.data["JA0110"] == "3.0"  # kept as published, for the normaliser


def test_a_csv_without_totalcount_is_not_assumed_complete() -> None:
    source = Gov24FileSource([DATA / "supportConditions_full_2025-04-03.csv.gz"])
    list(source.records())
    assert source.run.complete is False
    assert any("do not state totalCount" in n for n in source.run.notes)


def test_an_envelope_whose_totalcount_matches_is_complete(tmp_path: Path) -> None:
    path = _envelope(tmp_path / "supportConditions.json", [_conditions("A1"), _conditions("A2")])
    fetched = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    source = Gov24FileSource([path], fetched_at=fetched)
    assert len(list(source.records())) == 2
    assert source.run.complete is True
    assert source.run.fetched_at == fetched


def test_pages_of_one_endpoint_add_up(tmp_path: Path) -> None:
    folder = tmp_path / "serviceList"
    folder.mkdir()
    rows = [{"서비스ID": f"{i:012d}", "서비스명": f"s{i}"} for i in range(5)]
    _envelope(folder / "page-0001.json", rows[:3], total=5)
    _envelope(folder / "page-0002.json", rows[3:], total=5)
    source = Gov24FileSource([tmp_path])
    keys = [r.key for r in source.records() if isinstance(r, RawRecord)]
    assert keys == [f"{i:012d}" for i in range(5)]
    assert source.run.complete is True

    (folder / "page-0002.json").unlink()
    partial = Gov24FileSource([tmp_path])
    list(partial.records())
    assert partial.run.complete is False


def test_bad_rows_are_rejected_with_a_reason_and_the_rest_kept(tmp_path: Path) -> None:
    rows: list[Any] = [
        _conditions("000000465790"),
        _conditions(None),
        _conditions("   "),
        _conditions("B55258400009", JA0110="abc"),
        "not a row",
        _conditions(465790),
        _conditions("SD0000015536", JA0101={"nested": True}),
        _conditions("WII000001410", JA0110="19.0", JA0111=""),
    ]
    source = Gov24FileSource({"supportConditions": _envelope(tmp_path / "c.json", rows)})
    records = list(source.records())
    kept = [r.key for r in records if isinstance(r, RawRecord)]
    assert kept == ["000000465790", "WII000001410"]
    reasons = {
        r.ref.rsplit("#", 1)[1]: (r.reason, r.key) for r in records if isinstance(r, Rejected)
    }
    assert reasons == {
        "data[1]": ("missing 서비스ID", None),
        "data[2]": ("missing 서비스ID", None),
        "data[3]": ("JA0110 is not a number: 'abc'", "B55258400009"),
        "data[4]": ("row is not an object (got str)", None),
        "data[5]": (
            "서비스ID is a number (465790), expected text: leading zeros may be lost",
            None,
        ),
        "data[6]": ("field 'JA0101' is a dict; expected text or a number", "SD0000015536"),
    }
    rejected = next(r for r in records if isinstance(r, Rejected) and r.key == "B55258400009")
    assert '"JA0110": "abc"' in rejected.raw
    # Rows whose service cannot be named make the run incomplete: nothing is withdrawn.
    assert source.run.complete is False


def test_lowercased_ids_are_keyed_in_upper_case(tmp_path: Path) -> None:
    rows = [_conditions(" b55258400009 "), _conditions("sd0000015536"), _conditions("000000465790")]
    source = Gov24FileSource({"supportConditions": _envelope(tmp_path / "c.json", rows)})
    records = [r for r in source.records() if isinstance(r, RawRecord)]
    assert [r.key for r in records] == ["B55258400009", "SD0000015536", "000000465790"]
    assert records[0].data["서비스ID"] == " b55258400009 "  # the row itself is untouched


@pytest.mark.parametrize(
    ("published", "key"),
    [
        ("000000465790", "000000465790"),
        ("b55258400009", "B55258400009"),
        ("Sd0000015536", "SD0000015536"),
        ("WII000001410", "WII000001410"),
        (" 300000000137\n", "300000000137"),
        ("odd-id_1", "odd-id_1"),
    ],
)
def test_normalize_service_id(published: str, key: str) -> None:
    assert normalize_service_id(published) == key


def test_an_unreadable_file_leaves_the_run_incomplete_and_other_files_are_read(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "serviceDetail.json"
    broken.write_text("{not json", encoding="utf-8")
    good = _envelope(tmp_path / "serviceList.json", [{"서비스ID": "A1"}])
    source = Gov24FileSource([good, broken])
    assert [r.key for r in source.records() if isinstance(r, RawRecord)] == ["A1"]
    assert source.run.complete is False
    assert any("invalid JSON" in n for n in source.run.notes)


def test_a_file_of_unknown_endpoint_is_refused_up_front(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot tell which gov24 endpoint"):
        Gov24FileSource([tmp_path / "services.json"])
    with pytest.raises(ValueError, match="unknown gov24 endpoint"):
        Gov24FileSource({"benefits": tmp_path / "x.json"})
