"""A criterion found in a field before its strength is judged, and helpers the readers share."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from alrim.eligibility.model import (
    All,
    AnyOf,
    Criterion,
    Leaf,
    Not,
    Provenance,
    ProvenanceKind,
    TextSpan,
)


@dataclass(frozen=True, slots=True)
class Mention:
    """What a reader saw at [start, end) of a field: a criterion, or an opener (None)."""

    dimension: str
    criterion: Criterion | None
    start: int
    end: int
    opens: bool = False
    weak: str = ""  # the reader already knows the mention is weak, and why
    subject: str = ""  # "child" | "minor" | "other" | "" (the person the criterion is about)


def text_span(field: str, text: str, start: int, end: int) -> TextSpan:
    return TextSpan(field=field, start=start, end=end, text=text[start:end])


def provenance(field: str, text: str, start: int, end: int) -> Provenance:
    return Provenance(kind=ProvenanceKind.TEXT, ref=field, span=text_span(field, text, start, end))


def criterion_key(criterion: Criterion | None) -> object:
    """A value equal for criteria that say the same thing (labels and provenance ignored)."""
    if criterion is None:
        return None
    if isinstance(criterion, All | AnyOf):
        return (type(criterion).__name__, frozenset(criterion_key(c) for c in criterion.items))
    if isinstance(criterion, Not):
        return ("Not", criterion_key(criterion.item))
    assert isinstance(criterion, Leaf)
    values = tuple(
        (f.name, getattr(criterion, f.name))
        for f in fields(criterion)
        if f.name not in ("label", "provenance")
    )
    return (type(criterion).__name__, values)


HANGUL_WORD = re.compile(r"[가-힣A-Za-z0-9·ㆍ]+")


_PARTICLE = re.compile(r"(?:의|인|인\s*자|으로서|로서|이며|이고|이면서|으로|로|까지의|까지)(?=\s)")


def _skip_after(text: str, pos: int, limit: int = 24) -> int:
    """Position of the first word after `pos`, past spaces, closing brackets, stars, a particle
    ("이하의 자녀") and a parenthesis right after the expression."""
    i = pos
    n = len(text)
    while i < n and text[i] in " \t)）]*":
        i += 1
    m = _PARTICLE.match(text, i)
    if m:
        i = m.end()
        while i < n and text[i] in " \t":
            i += 1
    if i < n and text[i] in "(（":  # skip "(…)" right after the expression
        close = text.find(")", i)
        if 0 < close - i <= limit:
            i = close + 1
            while i < n and text[i] in " \t":
                i += 1
    return i


def word_after(text: str, pos: int, limit: int = 24) -> str:
    """The next word after `pos` (see `_skip_after`)."""
    m = HANGUL_WORD.match(text, _skip_after(text, pos, limit))
    return m.group(0) if m else ""


def phrase_after(text: str, pos: int, width: int = 16) -> str:
    """The words after `pos` up to a comma, line end or `width` characters: the head phrase."""
    i = _skip_after(text, pos)
    out = text[i : i + width]
    for stop in (",", "\n", "，", ";"):
        k = out.find(stop)
        if k >= 0:
            out = out[:k]
    return out


def word_before(text: str, pos: int) -> str:
    """The word just before `pos` (skipping spaces, an opening parenthesis and a colon)."""
    i = pos
    while i > 0 and text[i - 1] in " \t(（[:：":
        i -= 1
    j = i
    while j > 0 and HANGUL_WORD.match(text[j - 1]):
        j -= 1
    return text[j:i]
