"""The region table: current 시도/시군구, their old codes and names, and the resolver.

`RegionTable.default()` loads ``data/regions/`` once (see `alrim.catalog.region_data` for the
files) and is then pure and read-only. Codes are always the *current* ones, after the
2026-07-01 reorganisation (전남광주통합특별시 = 12, 인천 제물포구 28125 / 영종구 28155 /
서해구 28275 / 검단구 28290) and 화성시's 일반구 (41591–41597). Old codes and names are
aliases:

* an old region that now lies wholly inside one current region resolves to it
  ("광주광역시 동구", "29110" → 전남광주통합특별시 동구 12210; "강원도" → 51);
* an old 시군구 whose area is now divided (인천 중구 28110 → 제물포구 + 영종구, 인천 서구
  28260 → 서해구 + 검단구) is a *split*: `resolve_all` gives every successor, `resolve`
  raises `AmbiguousRegion(split=True)` listing them (a person lives in exactly one, so we ask
  instead of guessing), `canonical_code` gives the smallest current region holding the whole
  old area (the 시도), and `covers` reasons over the set, so a 부평구 service is still known
  not to cover someone who gave "인천 중구".

See ``docs/regions.md`` for the data, its sources and how containment works.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

from alrim.catalog.region_data import RegionData, RetiredCode, load_region_data, short_name
from alrim.catalog.region_names import (
    KeyKind,
    NameIndex,
    Tier,
    compact,
    edit_distance,
    looks_like_address_part,
    stem,
    strip_legal_form,
)
from alrim.domain.region import Region, RegionLevel
from alrim.paths import DATA_DIR

__all__ = [
    "AmbiguousRegion",
    "RegionError",
    "RegionTable",
    "UnknownRegion",
]

NATIONWIDE_AGENCY_TYPES = frozenset({"중앙행정기관", "공공기관"})
LOCAL_ENTITY_TYPES = frozenset({"지방공기업", "지방출자_출연기관", "지방출자출연기관"})

_PREFIX_KINDS = frozenset({KeyKind.NAME, KeyKind.BARE_STEM})


# ── errors ──────────────────────────────────────────────────────────────────────────────


def _has_final_consonant(word: str) -> bool:
    last = word.rstrip()[-1:] if word.strip() else ""
    return "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0


def _topic(word: str) -> str:
    return f"{word}{'은' if _has_final_consonant(word) else '는'}"


def _direction(word: str) -> str:
    """word + 으로/로 (로 after a vowel or ㄹ)."""
    last = word.rstrip()[-1:]
    if "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 not in (0, 8):
        return f"{word}으로"
    return f"{word}로"


def _ko_date(day: date) -> str:
    return f"{day.year}년 {day.month}월 {day.day}일"


class RegionError(ValueError):
    """A region query that does not name exactly one current region."""

    def __init__(self, query: str, message: str) -> None:
        super().__init__(message)
        self.query = query

    @property
    def message_ko(self) -> str:  # pragma: no cover - overridden
        return str(self)


class UnknownRegion(RegionError):
    """No region has this name or code. `suggestions` are the nearest names (at most 5)."""

    def __init__(self, query: str, suggestions: Sequence[Region] = ()) -> None:
        self.suggestions = list(suggestions)
        names = ", ".join(r.name for r in self.suggestions)
        hint = f"; did you mean {names}?" if names else ""
        super().__init__(query, f"unknown region {query!r}{hint}")

    @property
    def message_ko(self) -> str:
        text = f"'{self.query}'에 해당하는 지역을 찾지 못했어요."
        if self.suggestions:
            text += " 혹시 " + ", ".join(r.name for r in self.suggestions) + " 중 한 곳인가요?"
        return text


class AmbiguousRegion(RegionError):
    """The query fits several current regions.

    `split` is False for homonyms ("중구" is in 서울, 부산, 대구, 대전 and 울산) and True when
    the query names a former region whose area is now divided among `candidates`
    (`former` then says which, and `effective` since when).
    """

    def __init__(
        self,
        query: str,
        candidates: Sequence[Region],
        *,
        split: bool = False,
        former: str | None = None,
        effective: date | None = None,
    ) -> None:
        self.candidates = list(candidates)
        self.split = split
        self.former = former
        self.effective = effective
        names = ", ".join(r.name for r in self.candidates)
        if split:
            message = f"{query!r} ({former}) is now divided among {names}"
        else:
            message = f"{query!r} is ambiguous: {names}"
        super().__init__(query, message)

    @property
    def message_ko(self) -> str:
        names = ", ".join(r.name for r in self.candidates)
        if self.split and self.former:
            when = f"{_ko_date(self.effective)}에 " if self.effective else ""
            return (
                f"{_topic(self.former)} {when}{_direction(names)} 나뉘었어요. "
                "사는 곳을 골라 주세요."
            )
        return (
            f"'{self.query}'에 해당하는 지역이 여러 곳이에요: {names}. "
            "시·도 이름과 함께 적어 주세요."
        )


# ── the table ───────────────────────────────────────────────────────────────────────────


class RegionTable:
    """Current 시도/시군구 with their aliases; pure after loading."""

    def __init__(self, data: RegionData) -> None:
        self._data = data
        self._regions = data.regions
        self._retired = data.retired
        self._sidos = [r for r in self._regions.values() if r.level is RegionLevel.SIDO]
        by_sido: dict[str, list[Region]] = defaultdict(list)
        for region in self._regions.values():
            if region.level is RegionLevel.SIGUNGU:
                by_sido[region.sido_code].append(region)
        self._sigungus = dict(by_sido)
        self._index = NameIndex()
        self._suggest_pool: list[tuple[str, str]] = []
        self._entries: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._build_index()

    # loading

    @classmethod
    def load(cls, directory: Path) -> RegionTable:
        """Load the region files in `directory` (normally ``data/regions``)."""
        return cls(load_region_data(directory))

    @classmethod
    def default(cls) -> RegionTable:
        """The table shipped in ``DATA_DIR/regions``, loaded once per process."""
        return _load_cached(str(DATA_DIR / "regions"))

    # plain access

    def get(self, code: str) -> Region | None:
        """The region with this *current* 2- or 5-digit code."""
        return self._regions.get(code.strip()) if code else None

    def sidos(self) -> list[Region]:
        return sorted(self._sidos, key=lambda r: r.code)

    def sigungus(self, sido_code: str) -> list[Region]:
        """Every 시군구 of a 시도 (일반구 and the 시 above them included), by code.

        A former 시도 code gives the 시군구 of the 시도 it became part of.
        """
        code = self.canonical_code(sido_code) if sido_code else None
        if code is None or len(code) != 2:
            return []
        return sorted(self._sigungus.get(code, []), key=lambda r: r.code)

    def retired_codes(self) -> dict[str, RetiredCode]:
        """Every known former code (2, 5 or 10 digits) and where its area went."""
        return dict(self._retired)

    # resolving

    def resolve(self, query: str) -> Region:
        """The one current region `query` names (code, full, short or former name).

        Raises `UnknownRegion` (with suggestions) or `AmbiguousRegion` (homonyms, or a former
        region that is now split).
        """
        regions = self.resolve_all(query)
        if len(regions) == 1:
            return regions[0]
        codes = self._match(query)
        former = self._retired[next(iter(codes))] if codes and len(codes) == 1 else None
        raise AmbiguousRegion(
            query,
            regions,
            split=True,
            former=former.name if former else None,
            effective=_effective(former) if former else None,
        )

    def try_resolve(self, query: str | None) -> Region | None:
        if not query:
            return None
        try:
            return self.resolve(query)
        except RegionError:
            return None

    def resolve_all(self, query: str) -> list[Region]:
        """Every current region the area named by `query` lies in: one region normally,
        several for a former region that was split. Raises `UnknownRegion`, or
        `AmbiguousRegion` for homonyms."""
        codes = self._match(query) if query else None
        if not codes:
            raise UnknownRegion(query or "", self.suggest(query or ""))
        finals = self._successors(codes)
        if len(codes) > 1 and len(finals) > 1:
            raise AmbiguousRegion(query, [self._regions[c] for c in finals])
        return [self._regions[c] for c in finals]

    def canonical_code(self, code: str) -> str | None:
        """A 2-, 5- or 10-digit code (current or former) → the current 2/5-digit code of the
        smallest current region holding its whole area; None if the code is unknown."""
        key = compact(code or "")
        if not key.isdigit():
            return None
        targets = self._code_targets(key)
        if not targets:
            return None
        finals = self._successors(targets)
        if len(finals) == 1:
            return finals[0]
        return self._common_ancestor(finals)

    def explain(self, query: str) -> str | None:
        """A Korean note when `query` uses a former name or code, else None.

        "광주광역시 동구" → "광주광역시 동구는 2026년 7월 1일부터 전남광주통합특별시 동구예요."
        """
        codes = self._match(query) if query else None
        if not codes or len(codes) != 1:
            return None
        code = next(iter(codes))
        former = self._retired.get(code)
        if former is None:
            return None
        names = [self._regions[c].name for c in former.successors]
        effective = _effective(former)
        if len(names) == 1:
            when = f"{_ko_date(effective)}부터" if effective else "지금은"
            if former.changes and all(c.kind == "merge" for c in former.changes):
                return f"{_topic(former.name)} {when} {names[0]}에 속해요."
            copula = "이에요" if _has_final_consonant(names[0]) else "예요"
            return f"{_topic(former.name)} {when} {names[0]}{copula}."
        when = f"{_ko_date(effective)}에 " if effective else ""
        return f"{_topic(former.name)} {when}{_direction(', '.join(names))} 나뉘었어요."

    def suggest(self, query: str, limit: int = 5) -> list[Region]:
        """Up to `limit` regions close to `query` (edit distance on names and short names)."""
        if limit <= 0:
            return []
        key = compact(query or "")
        if not key:
            return []
        codes = self._match(query)
        if codes:
            return [self._regions[c] for c in self._successors(codes)][:limit]
        if key.isdigit():
            return self._suggest_code(key, limit)

        searches: list[tuple[str, list[tuple[str, str]]]] = [(key, self._suggest_pool)]
        sido = self._index.longest_prefix(key, kinds=frozenset({KeyKind.NAME}))
        if sido and len(sido.key) < len(key) and all(len(c) == 2 for c in sido.codes):
            # "서울 종로고": compare "종로고" with the 시군구 of 서울 only.
            entries = [item for c in sido.codes for item in self._entries.get(c, [])]
            searches.append((key[len(sido.key) :], entries))

        scored: list[tuple[float, str, str]] = []
        for text, pool in searches:
            for cand, target in pool:
                limit_d = max(2, len(cand) // 2)
                d = edit_distance(text, cand, limit_d)
                if d <= limit_d:
                    scored.append((d + d / max(len(cand), 1), cand, target))
        scored.sort()
        out: list[str] = []
        for _, _, target in scored:
            for code in self._successors([target]):
                if code not in out:
                    out.append(code)
            if len(out) >= limit:
                break
        return [self._regions[c] for c in out[:limit]]

    # containment

    def covers(self, area: Region | None, place_code: str | None) -> bool | None:
        """Does a service limited to `area` cover a person living in `place_code`?

        `area` None means nationwide (True). `place_code` is a code or name in any form the
        resolver accepts; None or unresolvable → None (unknown). A 시도-only place inside a
        시군구 area is unknown (None), except in a 시도 with a single 시군구 (세종). A 일반구 is
        inside its 시; a person known only to a 시 is unknown for an area that is one of its 구.
        A former region now split over several current ones gives True or False only when
        every part agrees.
        """
        if area is None:
            return True
        if not place_code:
            return None
        codes = self._match(place_code)
        if not codes:
            return None
        footprint: set[str] = set()
        for code in codes:
            footprint |= self._footprint(code)
        answers = {self._contains(area, self._regions[c]) for c in footprint}
        if answers == {True}:
            return True
        if answers == {False}:
            return False
        return None

    def contains(self, outer: Region, inner: Region) -> bool | None:
        """True if `inner` lies inside `outer`, False if outside, None if it cannot be told."""
        return self._contains(outer, inner)

    # agencies

    def agency_region(self, name: str, code: str | None, agency_type: str) -> Region | None:
        """The region a service is limited to, from its 소관기관명 / 소관기관코드 / 소관기관유형.

        중앙행정기관 and 공공기관 → None (nationwide). 시군구 → that 시군구; 광역시도 and 교육청 →
        that 시도. 지방공기업 and 지방출자_출연기관 → the 자치단체 their 소관기관코드 names (the
        code of a local enterprise is its owner's), else the 시도/시군구 their name starts with
        ("서울주택도시공사" → 서울특별시, "강남구도시관리공단" → 서울특별시 강남구).
        """
        kind = (agency_type or "").strip()
        if kind in NATIONWIDE_AGENCY_TYPES:
            return None
        by_code = self._agency_code_region(code)
        if kind in LOCAL_ENTITY_TYPES:
            return by_code or self.region_in_name(name)
        by_name = self.region_in_name(name)
        if kind == "교육청":
            found = by_name or by_code
            return self._regions[found.sido_code] if found else None
        if kind == "시군구":
            if by_name is not None and not by_name.is_sido:
                return by_name
            return by_code or by_name
        if kind == "광역시도":
            return by_name or by_code
        return by_code or by_name

    def region_in_name(self, name: str | None) -> Region | None:
        """The region an organisation's name starts with ("부산광역시 사회서비스원" → 부산광역시,
        "전남광주통합특별시 목포시 미래전략산업국" → 목포시); None if there is none or it is
        ambiguous across 시도. A former name now split gives the 시도."""
        if not name:
            return None
        key = compact(strip_legal_form(unicodedata.normalize("NFKC", name)))
        if not key:
            return None
        hit = self._index.lookup(key) or self._index.longest_prefix(key, kinds=_PREFIX_KINDS)
        if hit is None:
            return None
        finals = self._successors(hit.codes)
        if len(finals) == 1:
            return self._regions[finals[0]]
        common = self._common_ancestor(finals)
        return self._regions[common] if common else None

    # ── internals ──

    def _agency_code_region(self, code: str | None) -> Region | None:
        if not code:
            return None
        entry = self._data.agency_codes.get(code.strip())
        return self._regions.get(entry.region_code) if entry else None

    def _build_index(self) -> None:
        idx = self._index
        forms: dict[str, list[tuple[str, Tier]]] = defaultdict(list)
        for sido in self._sidos:
            forms[sido.code].append((compact(sido.name), Tier.CURRENT))
        for code, former in self._retired.items():
            if len(code) == 2:
                forms[code].append((compact(former.name), Tier.FORMER))
        for name_form in self._data.names:
            forms[name_form.code].append((compact(name_form.name), Tier.CURRENT))

        entries: dict[str, list[tuple[str, str, Tier]]] = defaultdict(list)
        sido_names = {s.code: s.name for s in self._sidos}
        for region in self._regions.values():
            if region.level is RegionLevel.SIGUNGU:
                sname = short_name(region, sido_names[region.sido_code])
                if sname:
                    entries[region.sido_code].append((sname, region.code, Tier.CURRENT))
        for code, former in self._retired.items():
            if len(code) == 5:
                sname = former.name.partition(" ")[2]
                if sname:
                    entries[code[:2]].append((sname, code, Tier.FORMER))
            if len(code) in (5, 10):
                idx.add(compact(former.name), code, Tier.FORMER)
                self._suggest_pool.append((compact(former.name), code))

        for sido_code, sido_forms in forms.items():
            for form, form_tier in sido_forms:
                idx.add(form, sido_code, form_tier)
                self._suggest_pool.append((form, sido_code))
                for sname, target, tier in entries.get(sido_code, []):
                    for variant, v_tier, is_stem in _variants(sname, tier):
                        kind = KeyKind.COMBINED_STEM if is_stem else KeyKind.NAME
                        idx.add(form + variant, target, max(form_tier, v_tier), kind)
        for sido_code, items in entries.items():
            for sname, target, tier in items:
                for variant, v_tier, is_stem in _variants(sname, tier):
                    idx.add(variant, target, v_tier, KeyKind.BARE_STEM if is_stem else KeyKind.NAME)
                    if not is_stem:
                        self._suggest_pool.append((variant, target))
                        self._entries[sido_code].append((variant, target))
        for region in self._regions.values():
            self._suggest_pool.append((compact(region.name), region.code))
        # A former 시도 code's 시군구 entries are also reachable from the 시도 it became.
        for code, former in self._retired.items():
            if len(code) == 2:
                for successor in former.successors:
                    self._entries[successor].extend(self._entries.get(code, []))
        self._suggest_pool = list(dict.fromkeys(self._suggest_pool))

    def _match(self, query: str) -> frozenset[str] | None:
        """Raw target codes (current or former) for a query, or None."""
        text = unicodedata.normalize("NFKC", query or "").strip()
        key = compact(text)
        if not key:
            return None
        if key.isdigit():
            return self._code_targets(key)
        hit = self._index.lookup(key)
        if hit is None and key.endswith("청") and len(key) > 2:
            hit = self._index.lookup(key[:-1])
        if hit is None:
            tokens = text.split()
            for k in range(len(tokens) - 1, 0, -1):
                if looks_like_address_part(tokens[k]):
                    hit = self._index.lookup(compact(" ".join(tokens[:k])))
                    if hit is not None:
                        break
        return hit.codes if hit else None

    def _code_targets(self, digits: str) -> frozenset[str] | None:
        if len(digits) == 10:
            if digits in self._retired:
                return frozenset({digits})
            if digits[2:] == "00000000":
                return self._code_targets(digits[:2])
            return self._code_targets(digits[:5])
        if len(digits) == 5 and digits[2:] == "000":
            return self._code_targets(digits[:2])
        if len(digits) in (2, 5) and (digits in self._regions or digits in self._retired):
            return frozenset({digits})
        return None

    def _successors(self, codes: Iterable[str]) -> list[str]:
        out: list[str] = []
        for code in sorted(codes):
            targets = (code,) if code in self._regions else self._retired[code].successors
            for target in targets:
                if target not in out:
                    out.append(target)
        return out

    def _footprint(self, code: str) -> set[str]:
        """Current codes whose union is the area of `code`, as finely as known."""
        if code in self._regions:
            return {code}
        former = self._retired[code]
        if len(code) != 2:
            return set(former.successors)
        parts: set[str] = set()
        for child, entry in self._retired.items():
            if len(child) == 5 and child[:2] == code:
                parts |= {c for c in entry.successors if len(c) == 5}
        whole = {
            r.code
            for sido in former.successors
            for r in self._sigungus.get(sido, [])
            if r.parent_code is None
        }
        if not parts or whole <= parts:
            return set(former.successors)
        return parts

    def _contains(self, outer: Region, inner: Region) -> bool | None:
        if outer.level is RegionLevel.SIDO:
            return inner.sido_code == outer.code
        if inner.level is RegionLevel.SIDO:
            if inner.code != outer.sido_code:
                return False
            return True if len(self._sigungus.get(inner.code, [])) == 1 else None
        if inner.code == outer.code or inner.parent_code == outer.code:
            return True
        if outer.parent_code == inner.code:
            return None
        return False

    def _common_ancestor(self, codes: Sequence[str]) -> str | None:
        regions = [self._regions[c] for c in codes]
        parents = {r.parent_code for r in regions}
        if len(parents) == 1 and None not in parents:
            return parents.pop()
        sidos = {r.sido_code for r in regions}
        return sidos.pop() if len(sidos) == 1 else None

    def _suggest_code(self, digits: str, limit: int) -> list[Region]:
        prefix = digits[:5] if len(digits) >= 5 else digits[:2]
        same_sido = [r for r in self._regions.values() if r.code[:2] == prefix[:2]]
        if len(prefix) < 5:
            return sorted(same_sido, key=lambda r: r.code)[:limit]
        target = int(prefix)
        same_sido.sort(key=lambda r: (abs(int(r.code.ljust(5, "0")) - target), r.code))
        return same_sido[:limit]


def _variants(sname: str, tier: Tier) -> list[tuple[str, Tier, bool]]:
    """Key variants of a 시군구 short name: (key, tier, is_stem)."""
    parts = sname.split(" ")
    out = [(compact(sname), tier, False)]
    if len(parts) == 2:  # 일반구: "수원시 장안구"
        out.append((compact(parts[1]), tier, False))
        si = stem(parts[0])
        if si:
            out.append((compact(si + parts[1]), Tier.STEM, True))
        gu = stem(parts[1])
        if gu:
            out.append((compact(gu), Tier.STEM, True))
    else:
        s = stem(sname)
        if s:
            out.append((compact(s), Tier.STEM, True))
    return out


def _effective(former: RetiredCode) -> date | None:
    return max((c.effective for c in former.changes), default=None)


@lru_cache(maxsize=4)
def _load_cached(directory: str) -> RegionTable:
    return RegionTable.load(Path(directory))
