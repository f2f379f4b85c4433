"""Filters that narrow search results: region, category, who a service is for, open now."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from alrim.search.analyzer import compact
from alrim.search.snapshot import DocInfo

# 사용자구분 as published, and the contract's user_types names for them (contract §1).
AUDIENCES: dict[str, str] = {
    "individual": "개인",
    "household": "가구",
    "small_business": "소상공인",
    "organization": "법인/시설/단체",
}


class UnknownAudience(ValueError):
    pass


def audience_label(value: str) -> str:
    """`small_business` or `소상공인` → 소상공인; anything else raises UnknownAudience."""
    v = value.strip()
    if v in AUDIENCES:
        return AUDIENCES[v]
    for label in AUDIENCES.values():
        if compact(v) == compact(label) or (v in ("법인", "시설", "단체") and v in label):
            return label
    allowed = ", ".join([*AUDIENCES, *AUDIENCES.values()])
    raise UnknownAudience(f"'{value}' 는 알 수 없는 대상이에요. ({allowed} 중 하나)")


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Empty fields do not filter. Several values in one field: any of them."""

    region_codes: frozenset[str] | None = None  # services limited to these, plus nationwide
    categories: tuple[str, ...] = ()  # 서비스분야: "교육" matches "보육·교육"
    audiences: tuple[str, ...] = ()  # 사용자구분 labels (see `audience_label`)
    open_on: date | None = None  # open for applications on this day

    @classmethod
    def build(
        cls,
        *,
        region_codes: Iterable[str] | None = None,
        categories: Iterable[str] = (),
        audiences: Iterable[str] = (),
        open_on: date | None = None,
    ) -> SearchFilters:
        return cls(
            region_codes=frozenset(region_codes) if region_codes is not None else None,
            categories=tuple(compact(c) for c in categories if compact(c)),
            audiences=tuple(dict.fromkeys(audience_label(a) for a in audiences)),
            open_on=open_on,
        )

    @property
    def active(self) -> bool:
        return bool(
            self.region_codes is not None or self.categories or self.audiences or self.open_on
        )

    def accepts(self, doc: DocInfo, open_docs: Collection[int] | None = None) -> bool:
        """`open_docs`: the documents open on `open_on`, if already known (faster)."""
        if self.region_codes is not None and not _in_region(doc, self.region_codes):
            return False
        if self.categories and not _any_category(doc.categories, self.categories):
            return False
        if self.audiences and not set(self.audiences) & set(doc.user_types):
            return False
        if self.open_on is None:
            return True
        return doc.doc_id in open_docs if open_docs is not None else doc.open_on(self.open_on)


def _in_region(doc: DocInfo, codes: Collection[str]) -> bool:
    return doc.region_code is None or doc.region_code in codes


def _any_category(categories: Iterable[str], wanted: Collection[str]) -> bool:
    squeezed = [compact(c) for c in categories]
    return any(w in c for w in wanted for c in squeezed)
