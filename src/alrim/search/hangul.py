"""Hangul at the level of its letters (jamo): decomposition, 초성, edit distance.

A syllable such as 월 is three letters, ㅇ + ㅝ + ㄹ. Working on letters rather than syllables
lets search treat a half-typed syllable as a prefix ("청녀" → 청년), match a 초성 abbreviation
("ㅊㄴㅇㅅ" → 청년월세) and count a typo as the one letter it is ("청년월셰" is one vowel away
from 청년월세, not one syllable).

Compound vowels and final consonant clusters are split into their parts (ㅝ → ㅜ ㅓ, ㄺ → ㄹ ㄱ),
the way they are typed on a 두벌식 keyboard, so a prefix typed key by key always matches.
"""

from __future__ import annotations

from functools import lru_cache

_SYLLABLE_FIRST = 0xAC00
_SYLLABLE_LAST = 0xD7A3

CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNGSEONG = (
    "ㅏ",
    "ㅐ",
    "ㅑ",
    "ㅒ",
    "ㅓ",
    "ㅔ",
    "ㅕ",
    "ㅖ",
    "ㅗ",
    "ㅗㅏ",
    "ㅗㅐ",
    "ㅗㅣ",
    "ㅛ",
    "ㅜ",
    "ㅜㅓ",
    "ㅜㅔ",
    "ㅜㅣ",
    "ㅠ",
    "ㅡ",
    "ㅡㅣ",
    "ㅣ",
)
_JONGSEONG = (
    "",
    "ㄱ",
    "ㄲ",
    "ㄱㅅ",
    "ㄴ",
    "ㄴㅈ",
    "ㄴㅎ",
    "ㄷ",
    "ㄹ",
    "ㄹㄱ",
    "ㄹㅁ",
    "ㄹㅂ",
    "ㄹㅅ",
    "ㄹㅌ",
    "ㄹㅍ",
    "ㄹㅎ",
    "ㅁ",
    "ㅂ",
    "ㅂㅅ",
    "ㅅ",
    "ㅆ",
    "ㅇ",
    "ㅈ",
    "ㅊ",
    "ㅋ",
    "ㅌ",
    "ㅍ",
    "ㅎ",
)
# Compatibility jamo typed on their own that are really two keys.
_COMPOUND_LETTERS = {
    "ㅘ": "ㅗㅏ",
    "ㅙ": "ㅗㅐ",
    "ㅚ": "ㅗㅣ",
    "ㅝ": "ㅜㅓ",
    "ㅞ": "ㅜㅔ",
    "ㅟ": "ㅜㅣ",
    "ㅢ": "ㅡㅣ",
    "ㄳ": "ㄱㅅ",
    "ㄵ": "ㄴㅈ",
    "ㄶ": "ㄴㅎ",
    "ㄺ": "ㄹㄱ",
    "ㄻ": "ㄹㅁ",
    "ㄼ": "ㄹㅂ",
    "ㄽ": "ㄹㅅ",
    "ㄾ": "ㄹㅌ",
    "ㄿ": "ㄹㅍ",
    "ㅀ": "ㄹㅎ",
    "ㅄ": "ㅂㅅ",
}
_CHOSEONG_SET = frozenset(CHOSEONG)


def is_syllable(ch: str) -> bool:
    return _SYLLABLE_FIRST <= ord(ch) <= _SYLLABLE_LAST


def is_hangul(ch: str) -> bool:
    """A Hangul syllable or a compatibility letter (ㄱ…ㅣ)."""
    return is_syllable(ch) or 0x3131 <= ord(ch) <= 0x318E


@lru_cache(maxsize=65_536)
def jamo(text: str) -> str:
    """The letters of `text` in typing order; other characters are kept as they are.

    >>> jamo("월세")
    'ㅇㅜㅓㄹㅅㅔ'
    """
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if _SYLLABLE_FIRST <= code <= _SYLLABLE_LAST:
            index = code - _SYLLABLE_FIRST
            out.append(CHOSEONG[index // 588])
            out.append(_JUNGSEONG[(index % 588) // 28])
            out.append(_JONGSEONG[index % 28])
        else:
            out.append(_COMPOUND_LETTERS.get(ch, ch))
    return "".join(out)


@lru_cache(maxsize=65_536)
def chosung(text: str) -> str:
    """The initial consonant of each syllable; non-syllables are dropped.

    >>> chosung("청년 월세")
    'ㅊㄴㅇㅅ'
    """
    return "".join(CHOSEONG[(ord(ch) - _SYLLABLE_FIRST) // 588] for ch in text if is_syllable(ch))


def is_chosung_query(text: str) -> bool:
    """True for an abbreviation made only of initial consonants, e.g. "ㅊㄴㅇㅅ"."""
    letters = [ch for ch in text if not ch.isspace()]
    return len(letters) >= 2 and all(ch in _CHOSEONG_SET for ch in letters)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance between `a` and `b`, or `limit + 1` once it exceeds `limit`.

    Compare `jamo(x)` strings to count typos in letters.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        best = i
        for j, cb in enumerate(b, start=1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            current.append(value)
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous = current
    return previous[-1] if previous[-1] <= limit else limit + 1
