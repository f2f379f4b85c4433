"""gov24 supportConditions rows → a clean, typed JA-code mapping.

The meaning of the codes (which group each belongs to, how a group restricts) belongs to the
eligibility package; here the row is only validated and typed: flags become booleans, the two
age codes become whole numbers or None. A value of the wrong type raises `ConditionsError`
so the row can be quarantined with its reason.
"""

from __future__ import annotations

from typing import Any

from alrim.catalog.text import parse_int

AGE_CODES = ("JA0110", "JA0111")
FLAG_CODES = [
    "JA0101",
    "JA0102",
    "JA0201",
    "JA0202",
    "JA0203",
    "JA0204",
    "JA0205",
    "JA0301",
    "JA0302",
    "JA0303",
    "JA0313",
    "JA0314",
    "JA0315",
    "JA0316",
    "JA0317",
    "JA0318",
    "JA0319",
    "JA0320",
    "JA0322",
    "JA0326",
    "JA0327",
    "JA0328",
    "JA0329",
    "JA0330",
    "JA0401",
    "JA0402",
    "JA0403",
    "JA0404",
    "JA0410",
    "JA0411",
    "JA0412",
    "JA0413",
    "JA0414",
    "JA1101",
    "JA1102",
    "JA1103",
    "JA1201",
    "JA1202",
    "JA1299",
    "JA2101",
    "JA2102",
    "JA2103",
    "JA2201",
    "JA2202",
    "JA2203",
    "JA2299",
]
ALL_CODES = (*FLAG_CODES[:2], *AGE_CODES, *FLAG_CODES[2:])

MAX_AGE_VALUE = 999  # anything above ~120 is read as "no limit" by the eligibility compiler

_TRUE = {"Y", "y", "1", "TRUE", "true", "True"}
_FALSE = {"", "N", "n", "0", "FALSE", "false", "False"}


class ConditionsError(ValueError):
    """A supportConditions row has a value of the wrong type."""


def parse_flag(code: str, value: Any) -> bool:
    if value is None or value is False:
        return False
    if value is True:
        return True
    if isinstance(value, str):
        v = value.strip()
        if v in _TRUE:
            return True
        if v in _FALSE:
            return False
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    raise ConditionsError(f"{code}: expected 'Y' or empty, got {value!r}")


def parse_conditions(row: dict[str, Any]) -> dict[str, Any]:
    """Typed JA mapping: {code: bool} for flags, {JA0110/JA0111: int | None} for ages."""
    out: dict[str, Any] = {}
    for code in FLAG_CODES:
        out[code] = parse_flag(code, row.get(code))
    for code in AGE_CODES:
        try:
            age = parse_int(row.get(code))
        except ValueError as exc:
            raise ConditionsError(f"{code}: {exc}") from exc
        # 120 is the usual "no upper limit" sentinel; a few real rows use 200 for the same.
        if age is not None and not 0 <= age <= MAX_AGE_VALUE:
            raise ConditionsError(f"{code}: age {age} out of range 0..{MAX_AGE_VALUE}")
        out[code] = age
    return out
