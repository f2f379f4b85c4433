"""gov24 rows as read (from files or the live API) → `RawRecord` or `Rejected`.

Only what reading can tell is checked here: the row has a usable 서비스ID, its values are
flat (text, numbers or null), and the two age columns of supportConditions hold numbers.
Everything else — what a value means — is left to the normaliser.
"""

from __future__ import annotations

import re
from typing import Any, Final

from alrim.catalog.sources.base import RawRecord, Rejected
from alrim.catalog.sources.files import raw_json

ENDPOINTS: Final = ("serviceList", "serviceDetail", "supportConditions")
SERVICE_ID: Final = "서비스ID"
# supportConditions columns that hold an age in years (JA0110 from, JA0111 to).
AGE_COLUMNS: Final = ("JA0110", "JA0111")

# `b55258400009` → `B55258400009`, `sd0000015536` → `SD0000015536` (some sites lowercase ids).
_LETTER_PREFIX = re.compile(r"([A-Za-z]+)(\d+)")
_FLAT_TYPES: Final = frozenset({str, int, float, bool, type(None)})
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def normalize_service_id(value: str) -> str:
    """Strip the id and upper-case a lowercase letter prefix; otherwise keep it as published."""
    text = value.strip()
    match = _LETTER_PREFIX.fullmatch(text)
    if match:
        return match.group(1).upper() + match.group(2)
    return text


def _is_number_like(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return value is None
    if isinstance(value, int | float):
        return True
    if isinstance(value, str):
        text = value.strip()
        return not text or _NUMBER.fullmatch(text) is not None
    return False


def row_problem(endpoint: str, row: dict[str, Any]) -> str | None:
    """Why a gov24 row cannot be read as published, or None."""
    if not set(map(type, row.values())) <= _FLAT_TYPES:  # fast path: one C-level pass
        for name, value in row.items():
            if type(value) not in _FLAT_TYPES:
                kind = type(value).__name__
                return f"field {name!r} is a {kind}; expected text or a number"
    if endpoint == "supportConditions":
        for column in AGE_COLUMNS:
            value = row.get(column)
            if not _is_number_like(value):
                return f"{column} is not a number: {value!r}"
    return None


def gov24_record(endpoint: str, row: dict[str, Any], ref: str) -> RawRecord | Rejected:
    """One gov24 row → a record keyed by its 서비스ID, or a rejection with its reason."""
    value = row.get(SERVICE_ID)
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        return Rejected(endpoint, ref, f"missing {SERVICE_ID}", raw_json(row))
    if isinstance(value, int | float):
        return Rejected(
            endpoint,
            ref,
            f"{SERVICE_ID} is a number ({value!r}), expected text: leading zeros may be lost",
            raw_json(row),
        )
    if not isinstance(value, str):
        return Rejected(
            endpoint, ref, f"{SERVICE_ID} is a {type(value).__name__}, expected text", raw_json(row)
        )
    key = normalize_service_id(value)
    problem = row_problem(endpoint, row)
    if problem:
        return Rejected(endpoint, ref, problem, raw_json(row), key=key)
    return RawRecord(endpoint=endpoint, key=key, data=row, ref=ref)
