"""The Alrim agency publishing format: the shipped example and each kind of invalid row."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from alrim.catalog.sources.agency_file import (
    CSV_COLUMNS,
    AgencyFileSource,
    validate_agency_file,
)
from alrim.catalog.sources.base import RawRecord, Rejected, Source
from alrim.catalog.sources.files import KST
from alrim.paths import REPO_ROOT

EXAMPLE = REPO_ROOT / "data" / "agency" / "example_seoul_housing.yaml"
DOC = REPO_ROOT / "docs" / "agency-format.md"

PUBLISHER = {"name": "행복도시공사", "type": "지방공기업", "code": "HDC01", "region": "11"}
SERVICE: dict[str, Any] = {
    "id": "rent-1",
    "name": "청년 월세 지원",
    "summary": "무주택 청년에게 월세를 지원해요.",
    "categories": ["주거·자립"],
}


def _yaml(tmp_path: Path, services: list[Any], **top: Any) -> Path:
    doc = {"format": "alrim-agency/1", "publisher": PUBLISHER, "services": services}
    doc.update(top)
    path = tmp_path / "agency.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _read(path: Path) -> tuple[AgencyFileSource, list[RawRecord], list[Rejected]]:
    source = AgencyFileSource(path)
    records = list(source.records())
    return (
        source,
        [r for r in records if isinstance(r, RawRecord)],
        [r for r in records if isinstance(r, Rejected)],
    )


def test_the_shipped_example_is_valid() -> None:
    assert validate_agency_file(EXAMPLE) == []
    source, good, bad = _read(EXAMPLE)
    assert isinstance(source, Source)
    assert not bad and len(good) == 3
    assert source.dataset == "agency:EXAMPLE_SH"
    assert source.run.complete is True
    assert source.run.endpoints == ("agency",)
    assert source.run.fetched_at == datetime(2026, 11, 20, tzinfo=KST)
    rent = good[0]
    assert rent.endpoint == "agency"
    assert rent.key == "AG-EXAMPLE_SH-youth-rent-2027"
    assert rent.ref == "agency/example_seoul_housing.yaml#services[0]"
    assert rent.data["publisher"]["type"] == "지방공기업"
    assert rent.data["conditions"] == {
        "age_min": 19,
        "age_max": 39,
        "sex": None,
        "income_max_ratio": 150.0,
        "statuses": None,
        "household_traits": ["no_home"],
    }
    # A "||"-joined text in a list field is split, as in gov24.
    assert good[1].data["documents"] == ["혼인관계증명서", "주민등록등본", "소득 증빙 서류"]
    # The example says, in every service name, that it is illustrative.
    assert all(r.data["name"].startswith("(예시)") for r in good)
    assert "ILLUSTRATIVE ONLY" in EXAMPLE.read_text(encoding="utf-8")


def test_every_field_is_documented_and_the_documented_example_is_valid(tmp_path: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    for field in CSV_COLUMNS:  # every field and CSV column is documented
        assert f"`{field}`" in text, field
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "from_docs.yaml"
    path.write_text(block, encoding="utf-8")
    assert validate_agency_file(path) == []


@pytest.mark.parametrize(
    ("change", "field", "korean"),
    [
        ({"name": None}, "name: Input should be a valid string", "이름: 글자로 적어야 해요"),
        ({"summary": ""}, "summary: String should have at least 1 character", "비어 있어요"),
        ({"categories": ["주거"]}, "categories[0]: Input should be", "정해진 값이 아니에요"),
        ({"categories": []}, "categories: Value should have at least 1 item", "하나 이상"),
        ({"nmae": "오타"}, "nmae: Extra inputs are not permitted", "정해진 항목이 아니에요"),
        ({"apply_url": "www.example.org"}, "apply_url: expected an http", "신청 주소"),
        ({"id": "월세 1"}, "id: String should match pattern", "서비스 ID: 형식이 맞지 않아요"),
        ({"user_types": ["person"]}, "user_types[0]: Input should be", "이용자 구분"),
        (
            {"conditions": {"age_min": 40, "age_max": 19}},
            "conditions: age_min (40) is greater than age_max (19)",
            "자격 조건: 최소 나이(40)가 최대 나이(19)보다 커요",
        ),
        (
            {"conditions": {"age_max": 150}},
            "conditions.age_max: Input should be less than or equal to 120 (got 150)",
            "자격 조건 > 최대 나이: 120 이하여야 해요",
        ),
        (
            {"conditions": {"income_max_ratio": 1.5}},
            "conditions.income_max_ratio: Input should be greater than or equal to 10",
            "소득 기준(기준 중위소득 %): 10 이상이어야 해요",
        ),
        (
            {"conditions": {"statuses": ["student"]}},
            "conditions.statuses[0]: Input should be 'expecting_parent'",
            "자격 조건 > 대상 상태 > 1번째",
        ),
        (
            {"conditions": {"sex": "F"}},
            "conditions.sex: Input should be 'male' or 'female'",
            "성별: 정해진 값이 아니에요",
        ),
        (
            {"conditions": {"household_traits": ["no_home", "no_home"]}},
            "conditions.household_traits: 'no_home' is listed twice",
            "같은 값이 두 번 있어요",
        ),
        ({"region": "1111"}, "region: a region code has 2", "지역"),
        ({"updated_at": "어제"}, "updated_at: Input should be a valid date", "날짜"),
    ],
)
def test_an_invalid_service_is_rejected_with_field_and_problem_and_the_rest_kept(
    tmp_path: Path, change: dict[str, Any], field: str, korean: str
) -> None:
    bad_service = {**SERVICE, "id": "bad-1", **change}
    good_service = {**SERVICE, "id": "good-1"}
    source, good, bad = _read(_yaml(tmp_path, [bad_service, good_service]))
    assert [r.key for r in good] == ["AG-HDC01-good-1"]
    assert len(bad) == 1
    assert field in bad[0].reason
    assert korean in bad[0].reason
    assert bad[0].ref.endswith("#services[0]")
    assert bad[0].endpoint == "agency"
    assert any("rejected; keep" in n for n in source.run.notes)
    # A rejected service whose id is readable is named, so the others may still be withdrawn
    # as usual; one whose id is unreadable could be any service, so nothing is.
    assert source.run.complete is (bad[0].key == "AG-HDC01-bad-1")


def test_a_rejected_service_keeps_its_key_when_its_id_is_readable(tmp_path: Path) -> None:
    _, _, bad = _read(_yaml(tmp_path, [{**SERVICE, "summary": None}]))
    assert bad[0].key == "AG-HDC01-rent-1"


def test_a_missing_id_or_a_non_mapping_makes_the_run_incomplete(tmp_path: Path) -> None:
    no_id = {k: v for k, v in SERVICE.items() if k != "id"}
    source, good, bad = _read(_yaml(tmp_path, [no_id, "청년 월세", SERVICE]))
    assert [r.key for r in good] == ["AG-HDC01-rent-1"]
    assert bad[0].reason.startswith("id: Field required / 서비스 ID: 꼭 적어야 하는 항목이에요")
    assert bad[0].key is None
    assert bad[1].reason.startswith("a service must be a mapping, got str")
    assert source.run.complete is False


def test_a_duplicate_id_is_rejected(tmp_path: Path) -> None:
    _, good, bad = _read(_yaml(tmp_path, [SERVICE, {**SERVICE, "name": "다른 이름"}]))
    assert len(good) == 1 and good[0].data["name"] == "청년 월세 지원"
    assert bad[0].reason.startswith("id: duplicate id 'rent-1'")
    assert bad[0].key == "AG-HDC01-rent-1"


@pytest.mark.parametrize(
    ("publisher", "problem"),
    [
        ({**PUBLISHER, "type": "공사"}, "publisher.type: Input should be '중앙행정기관'"),
        ({**PUBLISHER, "region": None}, "region is required for a 지방공기업 publisher"),
        ({**PUBLISHER, "code": "H-1"}, "publisher.code: String should match pattern"),
    ],
)
def test_an_invalid_publisher_rejects_the_file(
    tmp_path: Path, publisher: dict[str, Any], problem: str
) -> None:
    path = _yaml(tmp_path, [SERVICE], publisher=publisher)
    source, good, bad = _read(path)
    assert good == [] and bad == []
    assert source.run.complete is False
    assert any(problem in note for note in source.run.notes)
    assert problem in validate_agency_file(path)[0]


def test_a_central_agency_needs_no_region(tmp_path: Path) -> None:
    central = {"name": "행정안전부", "type": "중앙행정기관", "code": "1741000"}
    source, good, _ = _read(_yaml(tmp_path, [SERVICE], publisher=central))
    assert good[0].key == "AG-1741000-rent-1"
    assert source.dataset == "agency:1741000"


def test_a_partial_file_is_not_complete(tmp_path: Path) -> None:
    source, good, _ = _read(_yaml(tmp_path, [SERVICE], complete=False))
    assert len(good) == 1
    assert source.run.complete is False


def test_unreadable_yaml(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("format: alrim-agency/1\npublisher: [unclosed\n", encoding="utf-8")
    source, good, _ = _read(path)
    assert good == [] and source.run.complete is False
    assert "cannot read the YAML" in source.run.notes[0]


def _csv(tmp_path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    path = tmp_path / "agency.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns or list(CSV_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _csv_row(**values: str) -> dict[str, str]:
    row = {f"publisher_{k}": v for k, v in PUBLISHER.items()}
    row.update({k: v for k, v in SERVICE.items() if isinstance(v, str)})
    row["categories"] = "주거·자립||보호·돌봄"
    row.update(values)
    return row


def test_csv_has_the_same_fields(tmp_path: Path) -> None:
    rows = [
        _csv_row(age_min="19", age_max="39", household_traits="no_home", documents="계약서||등본"),
        _csv_row(id="rent-2", age_max="abc"),
        _csv_row(id="rent-3", publisher_code="OTHER"),
        _csv_row(id="rent-4", sex="female", user_types="individual||household"),
    ]
    source, good, bad = _read(_csv(tmp_path, rows))
    assert source.dataset == "agency:HDC01"
    assert [r.key for r in good] == ["AG-HDC01-rent-1", "AG-HDC01-rent-4"]
    first = good[0].data
    assert first["categories"] == ["주거·자립", "보호·돌봄"]
    assert first["documents"] == ["계약서", "등본"]
    assert first["conditions"]["age_min"] == 19 and first["conditions"]["age_max"] == 39
    assert first["conditions"]["household_traits"] == ["no_home"]
    assert good[1].data["user_types"] == ["individual", "household"]
    assert good[1].data["conditions"]["sex"] == "female"
    assert "conditions.age_max: Input should be a valid integer" in bad[0].reason
    assert "최대 나이: 정수여야 해요" in bad[0].reason
    assert bad[0].key == "AG-HDC01-rent-2"
    assert bad[1].reason.startswith("publisher_code differs from the first row")
    assert bad[0].ref.endswith("#row 2 (line 3)")


def test_a_csv_with_an_unknown_column_is_refused_whole(tmp_path: Path) -> None:
    columns = [*CSV_COLUMNS, "age_minimum"]
    source, good, _ = _read(_csv(tmp_path, [_csv_row(age_minimum="19")], columns))
    assert good == [] and source.run.complete is False
    assert "unknown column(s) age_minimum" in source.run.notes[0]


def test_a_cp949_csv(tmp_path: Path) -> None:
    path = _csv(tmp_path, [_csv_row()])
    path.write_bytes(path.read_text(encoding="utf-8-sig").encode("cp949"))
    _, good, bad = _read(path)
    assert not bad and good[0].data["name"] == "청년 월세 지원"
