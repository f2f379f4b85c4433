"""Read the rows of a published table file, whatever shape and encoding it came in.

Shared by the file sources (gov24 files, 온통청년 files, checkpoints of the live APIs).
Supported: ``.json``, ``.jsonl``/``.ndjson`` and ``.csv``, each optionally ``.gz``.

* JSON shapes: a plain list of rows; the odcloud API envelope
  ``{page, perPage, totalCount, currentCount, matchCount, data: [...]}``; the repo's wrapped
  snapshots ``{totalCount, sampleSize, samplingMethod, ..., data: [...]}``; and the 온통청년
  answer ``{..., result: {pagging: {...}, youthPolicyList: [...]}}``.
* Encodings: UTF-8 with or without BOM, else CP949 (a superset of EUC-KR). The choice is made
  on the first MiB of text; a row that still does not decode is returned as a `BadRow`,
  the others are kept.
* Values are kept exactly as published: CSV cells stay strings (``"3.0"`` stays ``"3.0"``),
  JSON numbers stay numbers. Normalising them is not done here.

CSV and JSON Lines are streamed row by row. A JSON document is parsed whole (the standard
library has no streaming parser); an 11,000-row catalog is a few tens of MB, which is fine.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, BinaryIO, Literal, cast

KST = timezone(timedelta(hours=9), "KST")

FileFormat = Literal["json", "jsonl", "csv"]
Shape = Literal["list", "envelope", "wrapped", "youth", "csv", "jsonl"]

# How much text is looked at to choose the encoding.
_SNIFF_BYTES = 1 << 20
# Rejected rows keep their text; a runaway row is cut here (the store truncates further).
_RAW_LIMIT = 20_000

_FORMAT_SUFFIXES: dict[str, FileFormat] = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}


@dataclass(frozen=True, slots=True)
class FileRow:
    """One row read from a file: the published fields and where it was found."""

    ref: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row that could not be read (bad bytes, not an object, broken JSON line…)."""

    ref: str
    reason: str
    raw: str


@dataclass(slots=True)
class FileInfo:
    """What is known about a file; final once its rows have been read."""

    path: Path
    format: FileFormat | None = None
    shape: Shape | None = None
    encoding: str | None = None
    # The number of rows the publisher says the whole table has (totalCount), if stated.
    total_count: int | None = None
    # Everything beside the rows in a JSON document (envelope/wrapper keys).
    metadata: dict[str, Any] = field(default_factory=dict)
    rows: int = 0  # rows found, good and bad
    bad_rows: int = 0
    # Set when the file as a whole could not be read (missing, not JSON, no rows array…).
    error: str | None = None


def display_name(path: Path) -> str:
    """Short name used in refs: the file and its folder (``serviceList/page-0001.json``)."""
    parent = path.parent.name
    return f"{parent}/{path.name}" if parent else path.name


def file_format(path: Path) -> FileFormat | None:
    """The format a file name announces (``.csv.gz`` → ``csv``), or None."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return _FORMAT_SUFFIXES.get(suffixes[-1]) if suffixes else None


def _open_binary(path: Path) -> BinaryIO:
    if path.name.lower().endswith(".gz"):
        return cast(BinaryIO, gzip.open(path, "rb"))
    return open(path, "rb")


def _count_errors(data: bytes, encoding: str) -> int:
    text = codecs.getincrementaldecoder(encoding)("replace").decode(data, final=False)
    return text.count("\ufffd")


def sniff_encoding(head: bytes) -> str:
    """Choose the encoding of a Korean text file from its first bytes.

    UTF-8 (BOM or not) when the bytes decode strictly as UTF-8, else CP949 when they decode
    strictly as CP949; when neither does, the one with fewer undecodable bytes.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for encoding in ("utf-8", "cp949"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    if _count_errors(head, "cp949") < _count_errors(head, "utf-8"):
        return "cp949"
    return "utf-8"


def has_undecodable(text: str) -> bool:
    """True if `text` holds bytes that did not decode (kept as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def printable_raw(text: str) -> str:
    """Text safe to store: undecodable bytes shown as ``\\xNN``; cut if huge."""
    if has_undecodable(text):
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text if len(text) <= _RAW_LIMIT else text[:_RAW_LIMIT] + "…"


def raw_json(value: Any) -> str:
    """A row as JSON text for a quarantine entry."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return printable_raw(text)


def _undecodable_reason(encoding: str | None) -> str:
    return f"undecodable bytes (file read as {encoding})"


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


class TableFile:
    """The rows of one file. `rows()` may be iterated once; `info` is final after that."""

    def __init__(self, path: Path | str, *, format: FileFormat | None = None) -> None:
        self.path = Path(path)
        self.info = FileInfo(path=self.path, format=format or file_format(self.path))
        self._name = display_name(self.path)

    def rows(self) -> Iterator[FileRow | BadRow]:
        info = self.info
        if info.format is None:
            info.error = f"unknown file type: {self.path.name} (expected .json, .jsonl or .csv)"
            return
        if not self.path.is_file():
            info.error = f"file not found: {self.path}"
            return
        try:
            if info.format == "json":
                yield from self._json_rows()
            elif info.format == "jsonl":
                yield from self._jsonl_rows()
            else:
                yield from self._csv_rows()
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            # A truncated .gz or an I/O error: the rows before it are kept.
            info.error = f"could not read {self.path.name}: {exc}"

    # -- helpers ----------------------------------------------------------------------------

    def _sniff(self) -> str:
        with _open_binary(self.path) as fh:
            head = fh.read(_SNIFF_BYTES)
        return sniff_encoding(head)

    def _count(self, row: FileRow | BadRow) -> FileRow | BadRow:
        self.info.rows += 1
        if isinstance(row, BadRow):
            self.info.bad_rows += 1
        return row

    def _object_row(self, ref: str, item: Any, check_bytes: bool) -> FileRow | BadRow:
        if not isinstance(item, dict):
            return BadRow(ref, f"row is not an object (got {type(item).__name__})", raw_json(item))
        if check_bytes:
            text = json.dumps(item, ensure_ascii=False, default=str)
            if has_undecodable(text):
                return BadRow(ref, _undecodable_reason(self.info.encoding), printable_raw(text))
        return FileRow(ref, item)

    # -- JSON -------------------------------------------------------------------------------

    def _json_rows(self) -> Iterator[FileRow | BadRow]:
        info = self.info
        with _open_binary(self.path) as fh:
            data = fh.read()
        info.encoding = sniff_encoding(data[:_SNIFF_BYTES])
        try:
            text = data.decode(info.encoding)
            check_bytes = False
        except UnicodeDecodeError:
            text = data.decode(info.encoding, "surrogateescape")
            check_bytes = True
        del data
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            info.error = f"invalid JSON in {self.path.name}: {exc}"
            return
        del text
        located = locate_rows(doc)
        if isinstance(located, str):
            info.error = f"{self.path.name}: {located}"
            return
        shape, prefix, items, metadata, total = located
        info.shape, info.metadata, info.total_count = shape, metadata, total
        for i, item in enumerate(items):
            yield self._count(self._object_row(f"{self._name}#{prefix}[{i}]", item, check_bytes))

    # -- JSON Lines -------------------------------------------------------------------------

    def _jsonl_rows(self) -> Iterator[FileRow | BadRow]:
        info = self.info
        info.shape = "jsonl"
        info.encoding = self._sniff()
        with (
            _open_binary(self.path) as raw,
            io.TextIOWrapper(raw, encoding=info.encoding, errors="surrogateescape") as fh,
        ):
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                ref = f"{self._name}#line {n}"
                if has_undecodable(line):
                    yield self._count(
                        BadRow(ref, _undecodable_reason(info.encoding), printable_raw(line))
                    )
                    continue
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield self._count(BadRow(ref, f"invalid JSON: {exc}", printable_raw(line)))
                    continue
                yield self._count(self._object_row(ref, item, False))

    # -- CSV --------------------------------------------------------------------------------

    def _csv_rows(self) -> Iterator[FileRow | BadRow]:
        info = self.info
        info.shape = "csv"
        info.encoding = self._sniff()
        with (
            _open_binary(self.path) as raw,
            io.TextIOWrapper(
                raw, encoding=info.encoding, errors="surrogateescape", newline=""
            ) as fh,
        ):
            reader = csv.reader(fh)
            try:
                header = next(reader)
            except StopIteration:
                info.error = f"{self.path.name}: empty CSV file"
                return
            except csv.Error as exc:
                info.error = f"{self.path.name}: unreadable CSV header: {exc}"
                return
            if has_undecodable("".join(header)):
                info.error = f"{self.path.name}: the header row has undecodable bytes"
                return
            names = [h.strip().lstrip("\ufeff").strip() for h in header]
            width = len(names)
            n = 0
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    n += 1
                    yield self._count(BadRow(f"{self._name}#row {n}", f"broken CSV row: {exc}", ""))
                    continue
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue  # blank line
                n += 1
                ref = f"{self._name}#row {n} (line {reader.line_num})"
                if len(cells) != width:
                    yield self._count(
                        BadRow(
                            ref,
                            f"row has {len(cells)} fields, the header has {width}",
                            printable_raw(",".join(cells)),
                        )
                    )
                    continue
                if has_undecodable("".join(cells)):
                    yield self._count(
                        BadRow(
                            ref,
                            _undecodable_reason(info.encoding),
                            printable_raw(",".join(cells)),
                        )
                    )
                    continue
                yield self._count(FileRow(ref, dict(zip(names, cells, strict=True))))


Located = tuple[Shape, str, list[Any], dict[str, Any], int | None]


def locate_rows(doc: Any) -> Located | str:
    """Find the rows in a parsed JSON document.

    Returns ``(shape, ref prefix, rows, metadata, totalCount)`` or an error message.
    """
    if isinstance(doc, list):
        return "list", "", doc, {}, None
    if not isinstance(doc, dict):
        return f"expected a list of rows or an object, got {type(doc).__name__}"
    if "data" in doc:
        rows = doc["data"]
        if not isinstance(rows, list):
            return f"'data' is not a list (got {type(rows).__name__})"
        metadata = {k: v for k, v in doc.items() if k != "data"}
        shape: Shape = (
            "envelope" if "currentCount" in doc or {"page", "perPage"} <= doc.keys() else "wrapped"
        )
        return shape, "data", rows, metadata, _int_or_none(doc.get("totalCount"))
    result = doc.get("result")
    if isinstance(result, dict) and "youthPolicyList" in result:
        rows = result["youthPolicyList"]
        if rows is None:
            rows = []
        if not isinstance(rows, list):
            return f"'result.youthPolicyList' is not a list (got {type(rows).__name__})"
        metadata = {k: v for k, v in doc.items() if k != "result"}
        paging = result.get("pagging") if isinstance(result.get("pagging"), dict) else None
        if paging is not None:
            metadata["pagging"] = paging
        total = _int_or_none(doc.get("totalCount"))
        if total is None and paging is not None:
            total = _int_or_none(paging.get("totCount"))
        return "youth", "result.youthPolicyList", rows, metadata, total
    keys = ", ".join(sorted(map(str, doc))[:8])
    return f"no rows found: expected a list, 'data' or 'result.youthPolicyList' (keys: {keys})"


# -- when was it fetched? ---------------------------------------------------------------------

_META_TIME_KEYS = ("fetchedAt", "fetched_at", "fetchedAtUtc", "collectedAt", "collected_at")
_FETCHED_IN_TEXT = re.compile(r"fetched\s+(?:on\s+|at\s+)?(\d{4}-\d{2}-\d{2})", re.IGNORECASE)
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=KST)


def fetched_at_from_metadata(metadata: dict[str, Any]) -> datetime | None:
    """The fetch time a file states about itself: a ``fetchedAt``-like key, or a
    "fetched YYYY-MM-DD" phrase in a text value such as ``samplingMethod``."""
    for key in _META_TIME_KEYS:
        parsed = _parse_time(metadata.get(key))
        if parsed:
            return parsed
    for value in metadata.values():
        if isinstance(value, str):
            match = _FETCHED_IN_TEXT.search(value)
            if match:
                return _parse_time(match.group(1))
    return None


def fetched_at_from_name(path: Path) -> datetime | None:
    """A full ``YYYY-MM-DD`` date in the file name (``…_2025-04-03.csv.gz``), at 00:00 KST."""
    match = _DATE_IN_NAME.search(path.name)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return datetime(year, month, day, tzinfo=KST)
    except ValueError:
        return None


# -- is a set of files the whole table? -------------------------------------------------------


@dataclass(slots=True)
class TableTally:
    """Rows read for one table (endpoint) across its files, to judge completeness."""

    name: str
    rows: int = 0  # good and bad rows
    keyless: int = 0  # rejected rows whose key could not be read
    totals: set[int | None] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    files: int = 0

    def add_file(self, info: FileInfo) -> None:
        self.files += 1
        self.totals.add(info.total_count)
        if info.error:
            self.errors.append(info.error)

    def verdict(self) -> tuple[bool, str | None]:
        """(complete, note): complete when every file states the same totalCount, the rows
        read add up to it, nothing failed to read and every row had a readable key."""
        if self.errors:
            return False, f"{self.name}: {len(self.errors)} file(s) could not be fully read"
        if self.keyless:
            return False, (
                f"{self.name}: {self.keyless} row(s) without a readable id were rejected, "
                "so some services may be missing"
            )
        if None in self.totals or not self.totals:
            return False, (
                f"{self.name}: {self.rows:,} rows read; the file(s) do not state totalCount, "
                "so this is not known to be the whole catalog (pass complete=True if it is)"
            )
        if len(self.totals) > 1:
            shown = ", ".join(f"{t:,}" for t in sorted(t for t in self.totals if t is not None))
            return False, f"{self.name}: the files disagree on totalCount ({shown})"
        (total,) = self.totals
        assert total is not None
        if self.rows != total:
            kind = "a sample or partial catalog" if self.rows < total else "more rows than stated"
            return False, f"{self.name}: {self.rows:,} rows read, totalCount {total:,} — {kind}"
        return True, None
