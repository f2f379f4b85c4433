"""Dated parameters with their legal reference (기준 중위소득, 선정기준액, 지급 연령 …).

Each parameter is one YAML file under `parameters/`; its name is its path with `/` → `.`
(`parameters/basic_pension/selection_threshold.yaml` → `basic_pension.selection_threshold`).
A file lists the values by the date they take effect, OpenFisca style::

    description: 기준 중위소득 (100%, 원/월)
    unit: KRW/month
    period: year                  # optional: a value holds only in the year it starts
    larger_households: add_last_step   # optional, household-size tables only
    reference: [보건복지부 고시 제2025-135호, https://…]
    note: …
    values:
      2026-01-01: {1: 2564238, 2: 4199292}          # plain form
      2027-01-01:                                     # detailed form
        value: {1: 2736042}
        reference: 보건복지부 고시 제2026-157호
        note: 7인 가구 값은 확인하지 못했어요
      2031-01-01: null                                # the parameter ends here

Lookups never extrapolate: a date before the first value, inside a `period: year` gap, or
after an explicit `null` gives None. Parsing is pure (`Parameters.from_texts`); `Parameters.load`
is the thin edge that reads a directory.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

_TOP_KEYS = frozenset(
    {"description", "unit", "period", "larger_households", "reference", "note", "values"}
)
_ENTRY_KEYS = frozenset({"value", "reference", "note", "unconfirmed"})
_PERIODS = frozenset({"year"})
_LARGER_RULES = frozenset({"add_last_step"})

MEDIAN_INCOME = "median_income"


class ParameterError(ValueError):
    """A parameter file is malformed; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class DatedValue:
    start: date
    value: Any  # int | float | str | dict | None (None = the parameter ends on `start`)
    reference: str | None = None
    note: str | None = None
    unconfirmed: tuple[str, ...] = ()  # keys of a table (or "*") not confirmed officially


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    description: str
    values: tuple[DatedValue, ...]  # sorted by start
    unit: str | None = None
    period: str | None = None
    larger_households: str | None = None
    references: tuple[str, ...] = ()
    note: str | None = None
    source: str = ""  # file the parameter was read from

    def entry_on(self, on: date) -> DatedValue | None:
        """The value in force on `on`, or None (before the first, after an end, out of year)."""
        current: DatedValue | None = None
        for entry in self.values:
            if entry.start <= on:
                current = entry
            else:
                break
        if current is None or current.value is None:
            return None
        if self.period == "year" and current.start.year != on.year:
            return None
        return current


@dataclass(frozen=True, slots=True)
class Parameters:
    """All parameters by name. Implements the evaluator's `ParameterOracle`."""

    by_name: Mapping[str, Parameter] = field(default_factory=dict)

    # -- construction -----------------------------------------------------------------------

    @classmethod
    def load(cls, directory: Path | str) -> Parameters:
        """Read every `*.yaml` under `directory` (recursively)."""
        root = Path(directory)
        if not root.is_dir():
            raise ParameterError(f"{root}: parameters directory not found")
        texts = []
        for path in sorted(root.rglob("*.yaml")):
            name = ".".join(path.relative_to(root).with_suffix("").parts)
            texts.append((name, path.read_text(encoding="utf-8"), str(path)))
        return cls.from_texts(texts)

    @classmethod
    def from_texts(cls, texts: Iterable[tuple[str, str, str]]) -> Parameters:
        """Build from `(name, yaml_text, source)` triples."""
        by_name: dict[str, Parameter] = {}
        for name, text, source in texts:
            if name in by_name:
                raise ParameterError(f"{source}: parameter {name!r} defined twice")
            by_name[name] = parse_parameter(name, text, source)
        return cls(by_name)

    # -- lookups ----------------------------------------------------------------------------

    def names(self) -> list[str]:
        return sorted(self.by_name)

    def get(self, name: str) -> Parameter:
        try:
            return self.by_name[name]
        except KeyError:
            raise KeyError(f"unknown parameter {name!r}") from None

    def value(self, name: str, on: date) -> Any:
        """The value of `name` in force on `on` (None if none is).

        A dotted suffix reaches into a table: `basic_pension.selection_threshold.single`.
        Unknown names raise KeyError — a typo must not read as "no value".
        """
        param, keys = self._resolve(name)
        entry = param.entry_on(on)
        if entry is None:
            return None
        value = entry.value
        for key in keys:
            if not isinstance(value, Mapping):
                raise KeyError(f"parameter {param.name!r} has no key {key!r}")
            value = _table_get(value, key)
        return value

    def reference(self, name: str, on: date) -> str | None:
        """The legal reference of the value in force on `on` (entry's, else the file's first)."""
        param, _ = self._resolve(name)
        entry = param.entry_on(on)
        if entry is not None and entry.reference:
            return entry.reference
        return param.references[0] if param.references else None

    def median_income(self, year: int, household_size: int) -> int | None:
        """기준 중위소득 100% (원/월) for `household_size` persons in `year`.

        None for a year the table does not cover (never the latest year's value silently), for
        a size whose figure is not published for that year, and for sizes < 1. Households
        larger than the table use its `larger_households` rule: for each member beyond the
        largest size listed, add the difference between the two largest sizes (the 고시:
        "8인 이상 가구는 1인 증가 시마다 7인 가구와 6인 가구의 차액을 더하여 산정").
        """
        if household_size < 1:
            return None
        param = self.by_name.get(MEDIAN_INCOME)
        if param is None:
            return None
        entry = param.entry_on(date(year, 1, 1))
        if entry is None or entry.start.year != year or not isinstance(entry.value, Mapping):
            return None
        return _household_value(entry.value, household_size, param.larger_households)

    def median_income_years(self) -> tuple[int, ...]:
        """The years the 기준 중위소득 table covers, ascending."""
        param = self.by_name.get(MEDIAN_INCOME)
        if param is None:
            return ()
        return tuple(e.start.year for e in param.values if e.value is not None)

    def latest_median_income_year(self) -> int | None:
        years = self.median_income_years()
        return years[-1] if years else None

    def _resolve(self, name: str) -> tuple[Parameter, list[str]]:
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            head = ".".join(parts[:cut])
            if head in self.by_name:
                return self.by_name[head], parts[cut:]
        raise KeyError(f"unknown parameter {name!r}")


def _table_get(table: Mapping[Any, Any], key: str) -> Any:
    if key in table:
        return table[key]
    if key.isdigit() and int(key) in table:
        return table[int(key)]
    raise KeyError(f"no key {key!r} in parameter table")


def _household_value(table: Mapping[Any, Any], size: int, rule: str | None) -> int | None:
    """A size's value; beyond the largest size listed, the `larger_households` rule.

    A size listed as null (figure not known) gives None, and so does every larger household
    that would be derived from it — the rule never steps from a smaller size.
    """
    if size in table:
        value = table[size]
        return int(value) if value is not None else None
    sizes = sorted(k for k in table if isinstance(k, int))
    if rule != "add_last_step" or len(sizes) < 2 or size < sizes[-1]:
        return None
    largest, second = sizes[-1], sizes[-2]
    top, below = table[largest], table[second]
    if second != largest - 1 or top is None or below is None:
        return None
    return int(top) + (size - largest) * (int(top) - int(below))


# ---------------------------------------------------------------------------------------------
# Parsing (pure).


def parse_parameter(name: str, text: str, source: str) -> Parameter:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ParameterError(f"{source}: a parameter file must be a mapping")
    unknown = sorted(set(map(str, data)) - _TOP_KEYS)
    if unknown:
        raise ParameterError(
            f"{source}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(_TOP_KEYS))})"
        )
    description = data.get("description")
    if not isinstance(description, str) or not description.strip():
        raise ParameterError(f"{source}: 'description' is required")
    period = data.get("period")
    if period is not None and period not in _PERIODS:
        raise ParameterError(f"{source}: 'period' must be one of {sorted(_PERIODS)}")
    larger = data.get("larger_households")
    if larger is not None and larger not in _LARGER_RULES:
        raise ParameterError(
            f"{source}: 'larger_households' must be one of {sorted(_LARGER_RULES)}"
        )
    raw_values = data.get("values")
    if not isinstance(raw_values, dict) or not raw_values:
        raise ParameterError(f"{source}: 'values' must map start dates to values")
    values = tuple(
        sorted((_entry(k, v, source) for k, v in raw_values.items()), key=lambda e: e.start)
    )
    return Parameter(
        name=name,
        description=description.strip(),
        values=values,
        unit=_opt_str(data, "unit", source),
        period=period,
        larger_households=larger,
        references=_references(data.get("reference"), source),
        note=_opt_str(data, "note", source),
        source=source,
    )


def _entry(key: Any, raw: Any, source: str) -> DatedValue:
    start = _date(key, source)
    if isinstance(raw, dict) and "value" in raw:
        unknown = sorted(set(map(str, raw)) - _ENTRY_KEYS)
        if unknown:
            raise ParameterError(
                f"{source}: values.{start}: unknown key {unknown[0]!r} "
                f"(allowed: {', '.join(sorted(_ENTRY_KEYS))})"
            )
        unconfirmed = raw.get("unconfirmed") or ()
        if unconfirmed is True:
            unconfirmed = ("*",)
        if not isinstance(unconfirmed, list | tuple):
            raise ParameterError(f"{source}: values.{start}.unconfirmed must be a list or true")
        return DatedValue(
            start=start,
            value=raw["value"],
            reference=_opt_str(raw, "reference", f"{source}: values.{start}"),
            note=_opt_str(raw, "note", f"{source}: values.{start}"),
            unconfirmed=tuple(str(u) for u in unconfirmed),
        )
    return DatedValue(start=start, value=raw)


def _date(key: Any, source: str) -> date:
    if isinstance(key, date):
        return key
    try:
        return date.fromisoformat(str(key))
    except ValueError:
        raise ParameterError(f"{source}: values key {key!r} is not a date (YYYY-MM-DD)") from None


def _opt_str(data: Mapping[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ParameterError(f"{where}: {key!r} must be text")
    return value.strip()


def _references(raw: Any, source: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    if isinstance(raw, list) and all(isinstance(r, str) for r in raw):
        return tuple(raw)
    raise ParameterError(f"{source}: 'reference' must be text or a list of texts")
