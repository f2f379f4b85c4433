"""Reading table files: JSON shapes, gz, BOM, CSV encodings, bad rows."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from alrim.catalog.sources.files import (
    KST,
    BadRow,
    FileRow,
    TableFile,
    fetched_at_from_metadata,
    fetched_at_from_name,
    sniff_encoding,
)
from alrim.paths import REPO_ROOT

DATA = REPO_ROOT / "data" / "gov24"
ROW_A = {"서비스ID": "000000465790", "서비스명": "유아학비 (누리과정) 지원", "JA0110": 3}
ROW_B = {"서비스ID": "B55258400009", "서비스명": "청년 월세 지원", "JA0110": None}


def _read(path: Path) -> tuple[list[FileRow], list[BadRow], TableFile]:
    table = TableFile(path)
    rows = list(table.rows())
    return (
        [r for r in rows if isinstance(r, FileRow)],
        [r for r in rows if isinstance(r, BadRow)],
        table,
    )


def _write_json(path: Path, doc: Any, *, encoding: str = "utf-8") -> Path:
    data = json.dumps(doc, ensure_ascii=False).encode(encoding)
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path


def test_a_plain_list(tmp_path: Path) -> None:
    good, bad, table = _read(_write_json(tmp_path / "rows.json", [ROW_A, ROW_B]))
    assert [r.data for r in good] == [ROW_A, ROW_B]
    assert not bad
    assert table.info.shape == "list" and table.info.total_count is None
    assert good[1].ref == f"{tmp_path.name}/rows.json#[1]"


def test_the_odcloud_envelope() -> None:
    good, bad, table = _read(DATA / "api_envelope_example_supportConditions_page1_2025-04.json")
    assert len(good) == 10 and not bad
    assert table.info.shape == "envelope"
    assert table.info.total_count == 10245
    assert table.info.metadata["perPage"] == 10
    assert good[0].data["JA0110"] == 3  # numbers stay numbers


def test_the_wrapped_snapshot_gz() -> None:
    good, bad, table = _read(DATA / "serviceList_sample.json.gz")
    assert len(good) == 1097 and not bad
    assert table.info.shape == "wrapped"
    assert table.info.total_count == 10974
    assert table.info.metadata["sampleSize"] == 1097
    assert good[0].ref == "gov24/serviceList_sample.json.gz#data[0]"


def test_the_youth_answer_shape(tmp_path: Path) -> None:
    doc = {
        "resultCode": 200,
        "result": {"pagging": {"totCount": 9, "pageNum": 1}, "youthPolicyList": [{"plcyNo": "1"}]},
    }
    good, _, table = _read(_write_json(tmp_path / "youth.json", doc))
    assert [r.data for r in good] == [{"plcyNo": "1"}]
    assert table.info.shape == "youth" and table.info.total_count == 9
    assert good[0].ref.endswith("#result.youthPolicyList[0]")


def test_utf8_with_bom_gz(tmp_path: Path) -> None:
    path = tmp_path / "rows.json.gz"
    path.write_bytes(gzip.compress(json.dumps([ROW_A], ensure_ascii=False).encode("utf-8-sig")))
    good, bad, table = _read(path)
    assert [r.data for r in good] == [ROW_A] and not bad
    assert table.info.encoding == "utf-8-sig"


def test_a_non_object_item_is_a_bad_row_and_the_rest_survive(tmp_path: Path) -> None:
    good, bad, table = _read(_write_json(tmp_path / "rows.json", {"data": [ROW_A, [1, 2], ROW_B]}))
    assert [r.data for r in good] == [ROW_A, ROW_B]
    assert len(bad) == 1
    assert bad[0].reason == "row is not an object (got list)"
    assert bad[0].ref.endswith("#data[1]") and bad[0].raw == "[1, 2]"
    assert table.info.rows == 3 and table.info.bad_rows == 1


def test_undecodable_bytes_in_one_json_row(tmp_path: Path) -> None:
    text = json.dumps([ROW_A, {"서비스ID": "X1", "서비스명": "@@"}], ensure_ascii=False)
    data = text.encode("utf-8").replace(b"@@", b"\xff\xfe")
    (tmp_path / "rows.json").write_bytes(data)
    good, bad, _ = _read(tmp_path / "rows.json")
    assert [r.data for r in good] == [ROW_A]
    assert bad[0].reason == "undecodable bytes (file read as utf-8)"
    assert "\\xff" in bad[0].raw


def test_a_broken_json_file_is_a_file_error(tmp_path: Path) -> None:
    path = tmp_path / "rows.json"
    path.write_text('{"data": [{"서비스ID": "1"}', encoding="utf-8")
    good, bad, table = _read(path)
    assert not good and not bad
    assert table.info.error is not None and "invalid JSON" in table.info.error


def test_json_without_rows_is_a_file_error(tmp_path: Path) -> None:
    _, _, table = _read(_write_json(tmp_path / "x.json", {"hello": 1}))
    assert table.info.error is not None and "no rows found" in table.info.error


def test_a_missing_file_is_a_file_error(tmp_path: Path) -> None:
    _, _, table = _read(tmp_path / "nope.json")
    assert table.info.error is not None and "not found" in table.info.error


def test_json_lines_with_a_broken_line(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    lines = [json.dumps(ROW_A, ensure_ascii=False), "{broken", "", json.dumps(ROW_B)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    good, bad, _ = _read(path)
    assert [r.data for r in good] == [ROW_A, ROW_B]
    assert len(bad) == 1 and bad[0].reason.startswith("invalid JSON")
    assert bad[0].ref.endswith("#line 2")


def test_the_full_supportconditions_csv_keeps_pandas_floats_as_text() -> None:
    good, bad, table = _read(DATA / "supportConditions_full_2025-04-03.csv.gz")
    assert len(good) == 10245 and not bad
    assert table.info.encoding == "utf-8-sig"
    first = good[0].data
    assert first["서비스ID"] == "000000465790"  # the BOM is not part of the column name
    assert first["JA0110"] == "3.0" and first["JA0111"] == "5.0"
    assert first["JA1101"] == ""  # an empty cell stays as published
    assert good[0].ref.endswith("#row 1 (line 2)")


CSV_TEXT = "서비스ID,서비스명,JA0110\n000000465790,유아학비 지원,3.0\nSD0000015536,청년 월세,\n"


def test_a_cp949_csv(tmp_path: Path) -> None:
    path = tmp_path / "conditions.csv"
    path.write_text(CSV_TEXT, encoding="cp949")
    good, bad, table = _read(path)
    assert table.info.encoding == "cp949"
    assert not bad
    assert [r.data for r in good] == [
        {"서비스ID": "000000465790", "서비스명": "유아학비 지원", "JA0110": "3.0"},
        {"서비스ID": "SD0000015536", "서비스명": "청년 월세", "JA0110": ""},
    ]


def test_a_cp949_csv_gz_with_one_undecodable_row(tmp_path: Path) -> None:
    data = CSV_TEXT.encode("cp949") + b"WII000001410,\xff\xff\xff,1\n" + "X9,끝,2\n".encode("cp949")
    path = tmp_path / "conditions.csv.gz"
    path.write_bytes(gzip.compress(data))
    good, bad, _ = _read(path)
    assert [r.data["서비스ID"] for r in good] == ["000000465790", "SD0000015536", "X9"]
    assert len(bad) == 1
    assert bad[0].reason == "undecodable bytes (file read as cp949)"
    assert bad[0].raw.startswith("WII000001410,\\xff")
    assert bad[0].ref.endswith("#row 3 (line 4)")


def test_a_utf8_csv_with_one_corrupt_row_keeps_the_others(tmp_path: Path) -> None:
    data = CSV_TEXT.encode("utf-8") + b"X1,\xed\xa0\x80bad,1\n"
    (tmp_path / "c.csv").write_bytes(data)
    good, bad, table = _read(tmp_path / "c.csv")
    assert table.info.encoding == "utf-8"
    assert len(good) == 2 and len(bad) == 1
    assert bad[0].reason == "undecodable bytes (file read as utf-8)"


def test_a_csv_row_with_the_wrong_number_of_fields(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text(CSV_TEXT + "X2,too,many,fields\n", encoding="utf-8")
    good, bad, _ = _read(tmp_path / "c.csv")
    assert len(good) == 2
    assert bad[0].reason == "row has 4 fields, the header has 3"


def test_a_quoted_csv_cell_may_span_lines(tmp_path: Path) -> None:
    text = '서비스ID,지원내용\nA1,"○ 첫째 줄\r\n○ 둘째 줄"\nA2,한 줄\n'
    (tmp_path / "c.csv").write_bytes(text.encode("utf-8"))
    good, _, _ = _read(tmp_path / "c.csv")
    assert good[0].data["지원내용"] == "○ 첫째 줄\r\n○ 둘째 줄"
    assert good[1].ref.endswith("#row 2 (line 4)")


def test_encoding_sniffing() -> None:
    korean = "서비스명,지원내용\n청년 월세,월 20만 원\n"
    assert sniff_encoding(korean.encode("utf-8")) == "utf-8"
    assert sniff_encoding(korean.encode("utf-8-sig")) == "utf-8-sig"
    assert sniff_encoding(korean.encode("cp949")) == "cp949"
    assert sniff_encoding(korean.encode("euc-kr")) == "cp949"
    # A multi-byte character cut at the end of the sniffed block is not an error.
    assert sniff_encoding(korean.encode("utf-8")[:-8]) == "utf-8"


def test_fetch_time_from_metadata_and_name() -> None:
    meta = {"samplingMethod": "systematic step=10 over full population fetched 2026-07-12 (…)"}
    assert fetched_at_from_metadata(meta) == datetime(2026, 7, 12, tzinfo=KST)
    assert fetched_at_from_metadata(
        {"fetchedAt": "2026-08-25T10:00:00Z"}
    ) == datetime.fromisoformat("2026-08-25T10:00:00+00:00")
    assert fetched_at_from_metadata({"samplingMethod": "절단본임"}) is None
    assert fetched_at_from_name(Path("supportConditions_full_2025-04-03.csv.gz")) == datetime(
        2025, 4, 3, tzinfo=KST
    )
    assert fetched_at_from_name(Path("youthcenter_sample_2026-07.json.gz")) is None
