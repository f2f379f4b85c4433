"""Cleaning of published text fields: what a reader of the catalog would notice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alrim.catalog.text import (
    clean_law,
    clean_text,
    parse_int,
    parse_timestamp,
    repair_url,
    split_contacts,
    split_laws,
    split_multi,
)


@pytest.mark.parametrize("value", [None, "", "  ", "해당없음", "해당 없음", "-"])
def test_empty_markers_become_none(value: object) -> None:
    assert clean_text(value) is None


def test_clean_text_normalises_line_endings_and_bullets() -> None:
    raw = "○  지원대상 : 만 65세 이상\r\n   ㆍ 관내 거주자\r\n\r\n\r\n\r\n※ 단, 중복 불가"
    assert clean_text(raw) == "○ 지원대상 : 만 65세 이상\n   - 관내 거주자\n\n※ 단, 중복 불가"


def test_clean_text_keeps_negative_numbers_and_ranges() -> None:
    assert clean_text("-10,000원 감면") == "-10,000원 감면"


def test_split_multi_values_drops_empties_and_duplicates() -> None:
    assert split_multi("기타 온라인신청||방문신청|| ||방문신청") == ("기타 온라인신청", "방문신청")
    assert split_multi(None) == ()
    assert split_multi("11110,11140", ",") == ("11110", "11140")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("mssmiv.com", "https://mssmiv.com"),
        ("www.bokjiro.go.kr", "https://www.bokjiro.go.kr"),
        ("https://www.gov.kr/portal", "https://www.gov.kr/portal"),
        ("http//www.seoul.go.kr", "http://www.seoul.go.kr"),
        ("http://x.go.kr/a?b=1", "http://x.go.kr/a?b=1"),
        ("홈페이지 참조", None),
        ("해당없음", None),
        (None, None),
    ],
)
def test_repair_url(raw: str | None, expected: str | None) -> None:
    assert repair_url(raw) == expected


def test_law_placeholders_removed() -> None:
    assert clean_law("청년기본법(제16조의0, 제0항)") == "청년기본법(제16조)"
    assert split_laws("유아교육법(제24조)||영유아보육법(제34조)") == (
        "유아교육법(제24조)",
        "영유아보육법(제34조)",
    )


def test_contacts_split_into_name_and_phone() -> None:
    contacts = split_contacts("교육부/02-6222-6060||0079에듀콜/1544-0079-5-1")
    assert contacts[0] == ("교육부", "02-6222-6060", "교육부/02-6222-6060")
    assert contacts[1][0] == "0079에듀콜"
    assert contacts[1][1] == "1544-0079-5-1"


def test_timestamps_are_read_as_korea_time() -> None:
    assert parse_timestamp("20260129201825") == datetime(2026, 1, 29, 11, 18, 25, tzinfo=UTC)
    assert parse_timestamp("2026-01-29") == datetime(2026, 1, 28, 15, 0, tzinfo=UTC)
    assert parse_timestamp("20261399") is None
    assert parse_timestamp(None) is None


@pytest.mark.parametrize(("raw", "expected"), [("353056", 353056), ("3.0", 3), (7, 7), ("", None)])
def test_parse_int(raw: object, expected: int | None) -> None:
    assert parse_int(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "3.5", True])
def test_parse_int_rejects_non_integers(raw: object) -> None:
    with pytest.raises(ValueError):
        parse_int(raw)
