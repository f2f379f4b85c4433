"""Name keys for the region resolver: normalisation, the key index and edit distance.

Every way of writing a region ("서울특별시 종로구", "서울 종로구", "종로구", "서울종로") is reduced
to a *compact key* (NFKC, only letters and digits, no spaces or punctuation) and stored in a
`NameIndex` with a tier:

1. current official names and common short forms ("서울", "경기", "세종시", "종로구");
2. names that were official before a change ("광주광역시 동구", "강원도 춘천시", "인천광역시 중구");
3. stems without the 시/군/구 suffix ("수원", "종로", "서울 강남").

A lookup takes the best (lowest) tier that has the key; several targets in that tier make the
query ambiguous. Targets are region codes, current or retired; the table maps retired codes to
their successors afterwards.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum

_NOT_WORD = re.compile(r"[^0-9A-Za-z\uac00-\ud7a3]+")
_SUFFIXES = ("시", "군", "구")


class Tier(IntEnum):
    CURRENT = 1
    FORMER = 2
    STEM = 3


class KeyKind(IntEnum):
    NAME = 0  # a whole name (or sido form + whole name)
    BARE_STEM = 1  # a stem on its own: "수원", "종로"
    COMBINED_STEM = 2  # a 시도 form followed by a stem: "서울강남", "경기수원"


def compact(text: str) -> str:
    """The key form of a name: NFKC, letters and digits only.

    "서울 특별시·종로구" → "서울특별시종로구".
    """
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text))


def stem(name: str) -> str | None:
    """ "수원시" → "수원", "종로구" → "종로"; None when the stem would be a single syllable."""
    if len(name) >= 3 and name.endswith(_SUFFIXES):
        return name[:-1]
    return None


@dataclass(frozen=True, slots=True)
class Hit:
    key: str
    tier: Tier
    codes: frozenset[str]


class NameIndex:
    """Compact key → target codes, per tier and kind."""

    def __init__(self) -> None:
        self._entries: dict[str, dict[tuple[Tier, KeyKind], set[str]]] = {}

    def add(self, key: str, code: str, tier: Tier, kind: KeyKind = KeyKind.NAME) -> None:
        if key:
            self._entries.setdefault(key, {}).setdefault((tier, kind), set()).add(code)

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, key: str, *, kinds: frozenset[KeyKind] | None = None) -> Hit | None:
        """Targets of `key` in its best tier (restricted to `kinds` if given)."""
        slots = self._entries.get(key)
        if not slots:
            return None
        best: Tier | None = None
        codes: set[str] = set()
        for (tier, kind), targets in slots.items():
            if kinds is not None and kind not in kinds:
                continue
            if best is None or tier < best:
                best, codes = tier, set(targets)
            elif tier == best:
                codes |= targets
        if best is None:
            return None
        return Hit(key=key, tier=best, codes=frozenset(codes))

    def longest_prefix(self, text: str, *, kinds: frozenset[KeyKind]) -> Hit | None:
        """The longest key of the given kinds that `text` starts with."""
        for end in range(len(text), 0, -1):
            hit = self.lookup(text[:end], kinds=kinds)
            if hit is not None:
                return hit
        return None


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or `limit + 1` as soon as it is known to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        row_min = i
        for j, cb in enumerate(b, start=1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            current.append(value)
            row_min = min(row_min, value)
        if row_min > limit:
            return limit + 1
        previous = current
    return previous[-1]


_ADDRESS_TAIL = re.compile(r"^(?:[\d\-]+(?:번지)?|.+(?:읍|면|동|리|가|로|길|번지|층|호))$")


def looks_like_address_part(token: str) -> bool:
    """True for the part of an address that follows the 시군구 ("운서동", "세종대로", "209")."""
    return bool(_ADDRESS_TAIL.match(unicodedata.normalize("NFKC", token)))


_LEGAL_FORM = re.compile(r"^\s*(?:\((?:재|사|주)\)|㈜|재단법인|사단법인|주식회사)\s*")


def strip_legal_form(name: str) -> str:
    """Drop a leading "(재)", "재단법인", "(주)" … from an organisation's name."""
    previous = None
    while previous != name:
        previous = name
        name = _LEGAL_FORM.sub("", name)
    return name
