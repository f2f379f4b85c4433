"""Cleaning of the free-text fields open data arrives with.

Every function is pure and total: any input (None, numbers, odd whitespace) gives a value,
never an exception.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

EMPTY_MARKERS = frozenset({"", "해당없음", "해당 없음", "없음", "-", "null", "None", "N/A", "."})
MULTI_SEPARATOR = "||"
KST = timezone(timedelta(hours=9))

# A bullet at the start of a line, normalised to one of two forms.
_SUB_BULLETS = re.compile(r"^(\s*)[ㆍ·•∙▪▫■□◦‧・\-–—]\s*")
_TOP_BULLETS = re.compile(r"^(\s*)[○◯●◎❍⚬]\s*")
_MANY_BLANKS = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() in EMPTY_MARKERS
    return False


def clean_text(value: Any) -> str | None:
    """Normalise line endings, bullets and spacing; "해당없음" and blanks become None."""
    if is_empty(value):
        return None
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    lines: list[str] = []
    for raw_line in text.split("\n"):
        stripped = raw_line.lstrip(" \t\u00a0\u3000")
        indent = " " * min(len(raw_line) - len(stripped), 8) if stripped.strip() else ""
        line = indent + _SPACES.sub(" ", stripped).rstrip()
        if _TOP_BULLETS.match(line):
            line = _TOP_BULLETS.sub(r"\1○ ", line, count=1)
        elif _SUB_BULLETS.match(line) and not re.match(r"^\s*-?\d", line):
            line = _SUB_BULLETS.sub(r"\1- ", line, count=1)
        lines.append(line)
    cleaned = _MANY_BLANKS.sub("\n\n", "\n".join(lines)).strip()
    return cleaned or None


def clean_line(value: Any) -> str | None:
    """A one-line value: whitespace collapsed, empty markers to None."""
    if is_empty(value):
        return None
    line = _SPACES.sub(" ", str(value).replace("\r", " ").replace("\n", " ")).strip()
    return line or None


def split_multi(value: Any, separator: str = MULTI_SEPARATOR) -> tuple[str, ...]:
    """`기타 온라인신청||방문신청` → ("기타 온라인신청", "방문신청"); empties dropped."""
    if is_empty(value):
        return ()
    parts = (clean_line(p) for p in str(value).split(separator))
    seen: dict[str, None] = {}
    for p in parts:
        if p and p not in EMPTY_MARKERS:
            seen.setdefault(p, None)
    return tuple(seen)


_URL_IN_TEXT = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'()]+|[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/[^\s]*)?"
)


def repair_url(value: Any) -> str | None:
    """Give a scheme to bare hosts (`mssmiv.com` → `https://mssmiv.com`); junk → None."""
    if is_empty(value):
        return None
    text = str(value).strip().strip("<>\"'")
    text = re.sub(r"^(https?)[:/]*", lambda m: m.group(1) + "://", text, flags=re.I)
    if " " in text:
        match = _URL_IN_TEXT.search(text)
        if not match:
            return None
        text = match.group(0)
    if not re.match(r"^https?://", text, flags=re.I):
        text = "https://" + text.lstrip("/")
    host = re.sub(r"^https?://", "", text, flags=re.I).split("/", 1)[0]
    if "." not in host or not re.fullmatch(r"[A-Za-z0-9.\-:가-힣]+", host):
        return None
    return text


_LAW_PLACEHOLDERS = re.compile(r"(?:,\s*)?제0(?:조|항|호)|의0(?=[,)조항호\s])")


def clean_law(value: str) -> str:
    """Drop placeholder zeros: `법(제16조의0, 제0항)` → `법(제16조)`."""
    cleaned = _LAW_PLACEHOLDERS.sub("", value)
    cleaned = re.sub(r"\(\s*,\s*", "(", cleaned)
    cleaned = re.sub(r"\(\s*\)", "", cleaned)
    return cleaned.strip()


def split_laws(value: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for c in (clean_law(v) for v in split_multi(value)) if c))


_PHONE = re.compile(
    r"(\d{2,4}-\d{3,4}-\d{4}(?:-\d+)*|1\d{3}-\d{4}(?:-\d+)*|\d{3,4}-\d{4}|1\d{2,3})"
)


def split_contacts(value: Any) -> tuple[tuple[str | None, str | None, str], ...]:
    """`교육부/02-6222-6060||0079에듀콜/1544-0079-5-1` → ((name, phone, text), …)."""
    out = []
    for part in split_multi(value):
        name: str | None
        phone: str | None
        if "/" in part:
            name, _, rest = part.rpartition("/")
            name = name.strip() or None
            match = _PHONE.search(rest)
            phone = match.group(1) if match else (rest.strip() or None)
        else:
            match = _PHONE.search(part)
            phone = match.group(1) if match else None
            name = (part.replace(phone, "").strip(" :/()") or None) if phone else part
        out.append((name, phone, part))
    return tuple(out)


def parse_timestamp(value: Any) -> datetime | None:
    """gov24 timestamps: `20260129201825`, `2026-01-29`, `2026-07-10 09:54:07` (KST) → UTC."""
    if is_empty(value):
        return None
    text = re.sub(r"\D", "", str(value))
    for fmt, length in (("%Y%m%d%H%M%S", 14), ("%Y%m%d%H%M", 12), ("%Y%m%d", 8)):
        if len(text) == length:
            try:
                return datetime.strptime(text, fmt).replace(tzinfo=KST).astimezone(UTC)
            except ValueError:
                return None
    return None


def parse_int(value: Any) -> int | None:
    """`353056`, `"353,056"`, `"3.0"` → int; None/blank → None; anything else raises ValueError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or not value.is_integer():
            raise ValueError(f"not a whole number: {value!r}")
        return int(value)
    text = str(value).strip().replace(",", "")
    try:
        number = float(text)
    except ValueError as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    if not number.is_integer():
        raise ValueError(f"not a whole number: {value!r}")
    return int(number)
