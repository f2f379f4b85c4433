"""The shipped region files under ``data/regions/`` and how they combine into the current table.

Files (all UTF-8 CSV with a header; every row names its source, see ``data/regions/SOURCES.md``):

``bjd_sido_sigungu_20250805.csv``
    The 시도- and 시군구-level rows (``XX00000000`` / ``XXXXX00000``) of the 국토교통부
    법정동코드 file of 2025-08-05, 존재 and 폐지, exactly as published.
``reorganisations.csv``
    Dated changes, one old code → one new code per row: the 2026-07-01 reorganisation
    (전남광주통합특별시, 인천 제물포구·영종구·서해구·검단구), 화성시's 일반구 (2026-02-01) and
    the older changes a 2025 list no longer shows by name (강원·전북특별자치도, 미추홀구 …).
``names.csv``
    Short and colloquial names of 시도 ("서울", "경기", "전남", "광주특별시").
``agency_codes.csv``
    행정표준기관코드 of 자치단체 and 교육청 (소관기관코드) → the region they govern.

`load_region_data` applies the changes to the 2025 list in date order, so the result is the
table after the last change, and derives old-code aliases for the list's 폐지 rows by rule.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from alrim.domain.region import Region, RegionLevel

BJD_FILE = "bjd_sido_sigungu_20250805.csv"
CHANGES_FILE = "reorganisations.csv"
NAMES_FILE = "names.csv"
AGENCY_FILE = "agency_codes.csv"

BJD_SOURCE = "molit-bjd-20250805"

CHANGE_KINDS = frozenset(
    {"rename", "recode", "merge", "split", "transfer", "gu_created", "bjd_moved"}
)


class RegionDataError(ValueError):
    """A shipped region file is malformed or contradicts itself."""


@dataclass(frozen=True, slots=True)
class Change:
    """One row of ``reorganisations.csv``: the area of `old_code` went (wholly or partly) to
    `new_code` on `effective`."""

    effective: date
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    old_code_retired: bool
    kind: str
    source: str
    note: str


@dataclass(frozen=True, slots=True)
class NameForm:
    """One row of ``names.csv``: another way of writing a 시도 (current or former code)."""

    name: str
    code: str
    source: str
    note: str


@dataclass(frozen=True, slots=True)
class AgencyCode:
    """One row of ``agency_codes.csv``."""

    agency_code: str
    agency_name: str
    agency_type: str
    region_code: str
    source: str


@dataclass(frozen=True, slots=True)
class RetiredCode:
    """A code that is no longer in use and the current codes its area now lies in."""

    code: str  # 2, 5 or 10 digits
    name: str  # its last official name
    successors: tuple[str, ...]  # current codes, ordered
    changes: tuple[Change, ...]  # the changes that retired it (empty for derived aliases)
    origin: str  # source ids, or the rule that derived it


@dataclass(slots=True)
class RegionData:
    regions: dict[str, Region]
    retired: dict[str, RetiredCode]
    changes: tuple[Change, ...]
    names: tuple[NameForm, ...]
    agency_codes: dict[str, AgencyCode]
    base_row_count: int = 0
    derived_aliases: int = 0


# ── reading ─────────────────────────────────────────────────────────────────────────────


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise RegionDataError(f"missing region data file: {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise RegionDataError(f"{path.name}: missing columns {missing}")
        for line, row in enumerate(reader, start=2):
            clean = {k: (v or "").strip() for k, v in row.items() if k is not None}
            if not clean.get("source"):
                raise RegionDataError(f"{path.name}:{line}: row without a source")
            yield line, clean


def _clean_name(name: str) -> str:
    return " ".join(name.split())


def _is_code(value: str, lengths: tuple[int, ...] = (2, 5, 10)) -> bool:
    return value.isdigit() and len(value) in lengths


def read_changes(path: Path) -> list[Change]:
    cols = ("effective", "old_code", "old_name", "new_code", "new_name", "old_code_retired")
    changes = []
    for line, row in _rows(path, (*cols, "kind", "source", "note")):
        where = f"{path.name}:{line}"
        try:
            effective = date.fromisoformat(row["effective"])
        except ValueError as exc:
            raise RegionDataError(f"{where}: bad date {row['effective']!r}") from exc
        if not _is_code(row["old_code"]) or not _is_code(row["new_code"], (2, 5)):
            raise RegionDataError(f"{where}: bad code")
        if row["kind"] not in CHANGE_KINDS:
            raise RegionDataError(f"{where}: unknown kind {row['kind']!r}")
        if row["old_code_retired"] not in ("yes", "no"):
            raise RegionDataError(f"{where}: old_code_retired must be yes or no")
        changes.append(
            Change(
                effective=effective,
                old_code=row["old_code"],
                old_name=_clean_name(row["old_name"]),
                new_code=row["new_code"],
                new_name=_clean_name(row["new_name"]),
                old_code_retired=row["old_code_retired"] == "yes",
                kind=row["kind"],
                source=row["source"],
                note=row["note"],
            )
        )
    changes.sort(key=lambda c: c.effective)
    return changes


def read_names(path: Path) -> list[NameForm]:
    forms = []
    for line, row in _rows(path, ("name", "code", "source", "note")):
        if not _is_code(row["code"], (2,)):
            raise RegionDataError(f"{path.name}:{line}: names.csv holds 2-digit 시도 codes only")
        forms.append(NameForm(row["name"], row["code"], row["source"], row["note"]))
    return forms


def read_agency_codes(path: Path) -> dict[str, AgencyCode]:
    out: dict[str, AgencyCode] = {}
    cols = ("agency_code", "agency_name", "agency_type", "region_code", "source")
    for line, row in _rows(path, cols):
        code = row["agency_code"]
        entry = AgencyCode(
            code, row["agency_name"], row["agency_type"], row["region_code"], row["source"]
        )
        if code in out and out[code].region_code != entry.region_code:
            raise RegionDataError(f"{path.name}:{line}: agency code {code} maps to two regions")
        out.setdefault(code, entry)
    return out


def read_bjd(path: Path) -> list[tuple[str, str, bool]]:
    rows = []
    for line, row in _rows(path, ("bjd_code", "name", "status", "source")):
        code = row["bjd_code"]
        if not _is_code(code, (10,)) or code[5:] != "00000":
            raise RegionDataError(f"{path.name}:{line}: not a 시도/시군구 법정동코드: {code!r}")
        if row["status"] not in ("존재", "폐지"):
            raise RegionDataError(f"{path.name}:{line}: status must be 존재 or 폐지")
        rows.append((code, _clean_name(row["name"]), row["status"] == "존재"))
    return rows


# ── building ───────────────────────────────────────────────────────────────────────────


def _short_code(code10: str) -> str:
    return code10[:2] if code10[2:] == "00000000" else code10[:5]


def load_region_data(directory: Path) -> RegionData:
    """Read the files in `directory` and build the current table and the old-code aliases."""
    bjd = read_bjd(directory / BJD_FILE)
    changes = read_changes(directory / CHANGES_FILE)
    names = read_names(directory / NAMES_FILE)
    agency_codes = read_agency_codes(directory / AGENCY_FILE)

    # 1. The 2025 list: code → name for 존재 rows; 폐지 rows kept aside.
    current: dict[str, str] = {}
    abolished: list[tuple[str, str]] = []
    for code10, name, exists in bjd:
        code = _short_code(code10)
        if exists:
            current[code] = name
        else:
            abolished.append((code, name))
    for code, name in list(current.items()):
        # A 시군구-level unit with no 시도 row above it is itself a 시도 (세종특별자치시).
        if len(code) == 5 and code[:2] not in current and " " not in name:
            current[code[:2]] = name
    listed_names = {name: code for code, name in current.items()}

    # 2. Apply the dated changes.
    retired_by: dict[str, list[Change]] = defaultdict(list)
    retired_name: dict[str, str] = {}
    for change in changes:
        new = change.new_code
        if new not in current:
            if not change.new_name:
                raise RegionDataError(f"change to {new} gives no name for the new region")
            current[new] = change.new_name
        elif change.new_name and current[new] != change.new_name:
            raise RegionDataError(
                f"change to {new}: name {change.new_name!r} differs from {current[new]!r}"
            )
        if change.old_code_retired:
            retired_by[change.old_code].append(change)
            retired_name.setdefault(change.old_code, change.old_name)
            if change.old_code in current:
                if current[change.old_code] != change.old_name:
                    raise RegionDataError(
                        f"change from {change.old_code}: old name {change.old_name!r} differs "
                        f"from the list's {current[change.old_code]!r}"
                    )
                del current[change.old_code]

    # A change target may itself be retired by a later change: follow until current.
    def settle(code: str, seen: frozenset[str] = frozenset()) -> list[str]:
        if code in current:
            return [code]
        if code in seen or code not in retired_by:
            raise RegionDataError(f"code {code} has no current successor")
        out: list[str] = []
        for change in retired_by[code]:
            for target in settle(change.new_code, seen | {code}):
                if target not in out:
                    out.append(target)
        return out

    retired: dict[str, RetiredCode] = {}
    for code, rows in retired_by.items():
        retired[code] = RetiredCode(
            code=code,
            name=retired_name[code],
            successors=tuple(settle(code)),
            changes=tuple(rows),
            origin=" ".join(sorted({c.source for c in rows})),
        )

    # 3. Old codes of the 2025 list's 폐지 rows, by rule.
    sido_renames = {
        c.old_name: c.new_name
        for c in changes
        if len(c.old_code) == 2 and c.kind in ("rename", "recode") and c.old_code_retired
    }
    known: dict[str, str] = dict(listed_names)
    for code, name in current.items():
        known.setdefault(name, code)

    def rewrite(name: str) -> Iterator[str]:
        seen = set()
        while name not in seen:
            seen.add(name)
            yield name
            head, _, rest = name.partition(" ")
            if head not in sido_renames:
                return
            name = f"{sido_renames[head]} {rest}".strip()

    def successor_by_rule(name: str) -> tuple[str, str] | None:
        candidates = list(rewrite(name))
        for cand in candidates:
            if cand in known:
                return known[cand], "rule:same-name"
        for cand in candidates:
            parts = cand.split(" ")
            if len(parts) == 3 and parts[2].endswith("구") and " ".join(parts[:2]) in known:
                return known[" ".join(parts[:2])], "rule:gu-abolished-into-si"
        return None

    derived = 0
    for code, name in abolished:
        if code in retired or code in current:
            continue
        found = successor_by_rule(name)
        if found is None:
            continue
        target, rule = found
        try:
            successors = tuple(settle(target))
        except RegionDataError:
            continue
        retired[code] = RetiredCode(
            code=code,
            name=name,
            successors=successors,
            changes=(),
            origin=f"{BJD_SOURCE} {rule}",
        )
        derived += 1

    regions = _make_regions(current)
    for entry in retired.values():
        missing = [s for s in entry.successors if s not in regions]
        if missing:
            raise RegionDataError(f"{entry.code}: successors {missing} are not current regions")
    for code, ac in agency_codes.items():
        if ac.region_code not in regions:
            raise RegionDataError(f"agency code {code}: region {ac.region_code} is not current")
    for form in names:
        if form.code not in regions and form.code not in retired:
            raise RegionDataError(f"names.csv: {form.name} → unknown code {form.code}")

    return RegionData(
        regions=regions,
        retired=retired,
        changes=tuple(changes),
        names=tuple(names),
        agency_codes=agency_codes,
        base_row_count=len(bjd),
        derived_aliases=derived,
    )


def _make_regions(current: dict[str, str]) -> dict[str, Region]:
    by_name = {name: code for code, name in current.items()}
    regions: dict[str, Region] = {}
    for code in sorted(current):
        name = current[code]
        if len(code) == 2:
            regions[code] = Region(code, name, RegionLevel.SIDO, code)
            continue
        if code[:2] not in current:
            raise RegionDataError(f"{code} {name}: its 시도 {code[:2]} is not current")
        parts = name.split(" ")
        parent = by_name.get(" ".join(parts[:2])) if len(parts) >= 3 else None
        regions[code] = Region(code, name, RegionLevel.SIGUNGU, code[:2], parent)
    return regions


def short_name(region: Region, sido_name: str) -> str:
    """The 시군구 part of a full name: "서울특별시 종로구" → "종로구"; "" for 세종특별자치시."""
    if region.name.startswith(sido_name):
        return region.name[len(sido_name) :].strip()
    return region.name.partition(" ")[2]
