"""The results page as data: filter, sort and group cards (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from alrim.web.cards import Card
from alrim.web.vocabulary import SUPPORT_GROUPS

SCOPES = {"nationwide": "전국", "sido": "시도", "sigungu": "시군구"}
SORTS = {"popular": "많이 찾는 순", "deadline": "마감 임박 순"}
STATUSES = {"eligible": "받을 수 있어요", "maybe": "확인이 필요해요"}
PREVIEW = 5  # cards per category on the overview
PAGE_SIZE = 20


@dataclass(frozen=True, slots=True)
class Filters:
    scope: str = ""  # "" = all
    open_now: bool = False
    closing_soon: bool = False
    types: tuple[str, ...] = ()
    sort: str = "popular"
    category: str = ""  # one 서비스분야 shown in full
    status: str = ""  # one section shown in full
    page: int = 1

    @classmethod
    def from_query(cls, q: Mapping[str, Sequence[str]]) -> Filters:
        def one(name: str) -> str:
            values = q.get(name) or ()
            return values[0] if values else ""

        page = one("page")
        return cls(
            scope=one("scope") if one("scope") in SCOPES else "",
            open_now=one("open") == "1",
            closing_soon=one("closing") == "1",
            types=tuple(t for t in SUPPORT_GROUPS if t in (q.get("type") or ())),
            sort=one("sort") if one("sort") in SORTS else "popular",
            category=one("category")[:40],
            status=one("status") if one("status") in STATUSES else "",
            page=int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1,
        )

    def query(self, **changes: object) -> str:
        """The query string of these filters with `changes` applied (for links)."""
        values: dict[str, object] = {
            "scope": self.scope,
            "open": "1" if self.open_now else "",
            "closing": "1" if self.closing_soon else "",
            "type": list(self.types),
            "sort": self.sort if self.sort != "popular" else "",
            "category": self.category,
            "status": self.status,
            "page": str(self.page) if self.page > 1 else "",
        }
        values.update(changes)
        pairs: list[tuple[str, str]] = []
        for k, v in values.items():
            if isinstance(v, list):
                pairs.extend((k, str(x)) for x in v)
            elif v:
                pairs.append((k, str(v)))
        return urlencode(pairs)

    @property
    def active(self) -> bool:
        return bool(self.scope or self.open_now or self.closing_soon or self.types)


def keep(card: Card, f: Filters) -> bool:
    if f.scope == "nationwide" and card.region is not None:
        return False
    if f.scope in ("sido", "sigungu") and card.region_level != f.scope:
        return False
    if f.open_now and card.deadline.open_now is not True:
        return False
    if f.closing_soon and not card.deadline.closing_soon:
        return False
    return not (f.types and not set(f.types) & set(card.support_groups))


def sort_cards(cards: list[Card], sort: str) -> list[Card]:
    if sort == "deadline":
        return sorted(cards, key=lambda c: (c.deadline.sort_key(), -c.views, c.name))
    return sorted(cards, key=lambda c: (-c.views, c.name))


@dataclass
class Group:
    category: str
    total: int
    cards: list[Card]


@dataclass
class Section:
    status: str
    title: str
    total: int
    groups: list[Group] = field(default_factory=list)


def build_sections(
    cards: Sequence[Card], f: Filters, *, preview: int = PREVIEW, full: Sequence[str] = ()
) -> list[Section]:
    """Eligible and maybe sections, each grouped by 서비스분야 (largest group first). Groups show
    `preview` cards, every card in the `full` sections or when one category is asked for."""
    sections: list[Section] = []
    for status, title in STATUSES.items():
        if f.status and f.status != status:
            continue
        mine = sort_cards([c for c in cards if c.status == status and keep(c, f)], f.sort)
        if f.category:
            mine = [c for c in mine if c.category == f.category]
        by_cat: dict[str, list[Card]] = {}
        for c in mine:
            by_cat.setdefault(c.category, []).append(c)
        groups = [
            Group(cat, len(items), items if f.category or status in full else items[:preview])
            for cat, items in sorted(by_cat.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ]
        sections.append(Section(status, title, len(mine), groups))
    return sections


def page_of(items: list[Card], page: int, size: int = PAGE_SIZE) -> tuple[list[Card], int]:
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 1), pages)
    return items[(page - 1) * size : page * size], pages
