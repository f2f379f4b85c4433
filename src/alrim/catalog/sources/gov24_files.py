"""gov24 (대한민국 공공서비스(혜택) 정보) from files: serviceList, serviceDetail, supportConditions.

Each file is one endpoint, named by the caller or guessed from its name (``serviceList…``,
``service_list…``, ``…list…``; ``…detail…``; ``supportConditions…``, ``…conditions…``) or,
for the checkpoint layout ``serviceList/page-0001.json``, from its folder. One endpoint may
span several files (the pages of a download).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from alrim.catalog.sources.base import RawRecord, Rejected, SourceRun
from alrim.catalog.sources.files import (
    BadRow,
    TableFile,
    TableTally,
    fetched_at_from_metadata,
    fetched_at_from_name,
    file_format,
)
from alrim.catalog.sources.gov24_rows import ENDPOINTS, gov24_record

log = logging.getLogger(__name__)

PathLike = Path | str
PathSpec = Mapping[str, PathLike | Sequence[PathLike]] | Sequence[PathLike] | PathLike

_WORD_BREAK = re.compile(r"[^0-9A-Za-z]+|(?<=[a-z0-9])(?=[A-Z])")
_ENDPOINT_WORDS: dict[str, tuple[str, ...]] = {
    "serviceList": ("servicelist", "list"),
    "serviceDetail": ("servicedetail", "detail", "details"),
    "supportConditions": ("supportconditions", "conditions", "condition"),
}


def _guess_from_text(text: str) -> str | None:
    words = [w.lower() for w in _WORD_BREAK.split(text) if w]
    if "codes" in words:  # supportConditions_codes.csv is the JA code table, not data
        return None
    joined = "".join(words)
    found = {
        endpoint
        for endpoint, names in _ENDPOINT_WORDS.items()
        if names[0] in joined or any(name in words for name in names[1:])
    }
    return found.pop() if len(found) == 1 else None


def guess_endpoint(path: Path | str) -> str | None:
    """The gov24 endpoint a file holds, guessed from its name, else from its folder's name."""
    path = Path(path)
    name = path.name
    while Path(name).suffix:
        name = Path(name).stem
    return _guess_from_text(name) or _guess_from_text(path.parent.name)


def canonical_endpoint(name: str) -> str:
    """``serviceList``/``service_list``/``list`` → ``serviceList`` (ValueError if unknown)."""
    if name in ENDPOINTS:
        return name
    guessed = _guess_from_text(name)
    if guessed is None:
        raise ValueError(f"unknown gov24 endpoint {name!r}; expected one of {', '.join(ENDPOINTS)}")
    return guessed


def _table_files(folder: Path) -> list[Path]:
    """Table files under a folder, skipping hidden and ``_``-prefixed ones (``_meta.json``)."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(("_", ".")) and file_format(p) is not None
    )


def resolve_gov24_files(paths: PathSpec) -> list[tuple[str, Path]]:
    """(endpoint, file) pairs in endpoint order; folders are searched for files whose
    endpoint can be guessed. Raises ValueError for a file whose endpoint is unclear."""
    pairs: list[tuple[str, Path]] = []
    if isinstance(paths, Mapping):
        for name, value in paths.items():
            endpoint = canonical_endpoint(name)
            values = [value] if isinstance(value, str | Path) else list(value)
            pairs.extend((endpoint, Path(v)) for v in values)
    else:
        items = [paths] if isinstance(paths, str | Path) else list(paths)
        for item in items:
            path = Path(item)
            if path.is_dir():
                for file in _table_files(path):
                    found = guess_endpoint(file)
                    if found is not None:
                        pairs.append((found, file))
                continue
            guessed = guess_endpoint(path)
            if guessed is None:
                raise ValueError(
                    f"cannot tell which gov24 endpoint {path.name} holds; name it "
                    "(e.g. {'serviceList': path}) or rename the file"
                )
            pairs.append((guessed, path))
    order = {e: i for i, e in enumerate(ENDPOINTS)}
    return sorted(pairs, key=lambda pair: order[pair[0]])  # stable: keeps page order


class Gov24FileSource:
    """gov24 rows from files. ``complete`` is decided from the files' totalCount unless the
    caller says so; ``fetched_at`` comes from the caller, else from the files' metadata
    ("fetched 2026-07-12"), else from a date in the file name."""

    dataset = "gov24"

    def __init__(
        self,
        paths: PathSpec,
        *,
        complete: bool | None = None,
        fetched_at: datetime | None = None,
    ) -> None:
        self.files = resolve_gov24_files(paths)
        if not self.files:
            raise ValueError("no gov24 files given (or none found in the folders given)")
        self._complete = complete
        self._fetched_at = fetched_at
        endpoints = tuple(e for e in ENDPOINTS if any(e == f[0] for f in self.files))
        self.run = SourceRun(complete=False, fetched_at=fetched_at, endpoints=endpoints)

    def records(self) -> Iterator[RawRecord | Rejected]:
        tallies = {e: TableTally(e) for e in self.run.endpoints}
        stated: list[datetime] = []
        named: list[datetime] = []
        for endpoint, path in self.files:
            tally = tallies[endpoint]
            table = TableFile(path)
            for row in table.rows():
                if isinstance(row, BadRow):
                    tally.keyless += 1
                    yield Rejected(endpoint, row.ref, row.reason, row.raw)
                    continue
                record = gov24_record(endpoint, row.data, row.ref)
                if isinstance(record, Rejected) and record.key is None:
                    tally.keyless += 1
                yield record
            info = table.info
            tally.rows += info.rows
            tally.add_file(info)
            if info.error:
                log.warning("gov24 file %s: %s", path, info.error)
                self.run.notes.append(info.error)
            when = fetched_at_from_metadata(info.metadata)
            if when:
                stated.append(when)
            else:
                when = fetched_at_from_name(path)
                if when:
                    named.append(when)
        self._finish(tallies, stated, named)

    def _finish(
        self, tallies: dict[str, TableTally], stated: list[datetime], named: list[datetime]
    ) -> None:
        run = self.run
        verdicts = [t.verdict() for t in tallies.values()]
        run.notes.extend(note for _, note in verdicts if note)
        if self._complete is None:
            run.complete = all(ok for ok, _ in verdicts)
        else:
            run.complete = self._complete
            if self._complete and not all(ok for ok, _ in verdicts):
                run.notes.append("complete=True was given by the caller")
        if self._fetched_at is None:
            if stated:
                run.fetched_at = min(stated)
            elif named:
                run.fetched_at = min(named)
                run.notes.append("fetched_at taken from the date in the file name")
        for tally in tallies.values():
            log.info("gov24 %s: %d rows from %d file(s)", tally.name, tally.rows, tally.files)
