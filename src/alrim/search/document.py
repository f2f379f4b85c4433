"""A service as the search index sees it: five weighted fields of analysed terms.

Fields, from most to least telling (their weights are in `alrim.search.ranking`):

* `name` — 서비스명, plus character bigrams of it (the partial-word index);
* `summary` — 서비스목적요약 and 서비스목적;
* `target` — 지원대상 and 선정기준;
* `content` — 지원내용;
* `meta` — the agency, 서비스분야, 지원유형 and (온통청년) keywords and categories.

For each term of a service the index keeps how often it occurs in each field, packed into one
integer (`pack_tfs`); with the field lengths that is all BM25F needs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from alrim.domain.service import Service
from alrim.search.analyzer import iter_field_terms, name_ngrams

FIELDS: tuple[str, ...] = ("name", "summary", "target", "content", "meta")
NAME, SUMMARY, TARGET, CONTENT, META = range(len(FIELDS))
TF_BITS = 6
TF_MAX = (1 << TF_BITS) - 1


def pack_tfs(tfs: Sequence[int]) -> int:
    """Per-field counts (each capped at 63) in one integer: field i in bits 6i..6i+5."""
    packed = 0
    for i, tf in enumerate(tfs):
        packed |= min(tf, TF_MAX) << (TF_BITS * i)
    return packed


def in_name(packed: int) -> bool:
    """The term occurs in the name field (field 0)."""
    return bool(packed & TF_MAX)


def unpack_tfs(packed: int) -> tuple[int, ...]:
    return tuple((packed >> (TF_BITS * i)) & TF_MAX for i in range(len(FIELDS)))


@dataclass(frozen=True, slots=True)
class IndexedDocument:
    """What the index stores for one service."""

    service_id: str
    name: str
    agency_name: str
    region_code: str | None
    region_name: str | None
    agency_type: str
    categories: tuple[str, ...]
    user_types: tuple[str, ...]
    period: dict[str, Any]  # ApplicationPeriod.to_dict()
    views: int | None
    lengths: tuple[int, ...]  # number of terms in each field
    postings: dict[str, int]  # term → packed per-field counts


def _join(*parts: str | None) -> str:
    seen: list[str] = []
    for part in parts:
        if part and part.strip() and part.strip() not in seen:
            seen.append(part.strip())
    return "\n".join(seen)


def field_texts(service: Service) -> tuple[str, ...]:
    """The text of each field, in FIELDS order."""
    youth = service.extra.get("youth") if isinstance(service.extra, dict) else None
    youth_words: list[str] = []
    if isinstance(youth, dict):
        for key in ("keywords", "categories"):
            values = youth.get(key) or []
            youth_words.extend(str(v) for v in values if v)
        if youth.get("subcategory"):
            youth_words.append(str(youth["subcategory"]))
    return (
        service.name,
        _join(service.summary, service.purpose),
        _join(service.target_text, service.criteria_text),
        _join(service.benefit_text),
        _join(
            service.agency.name,
            " ".join(service.categories),
            " ".join(service.support_types),
            " ".join(youth_words),
        ),
    )


def build_documents(services: Sequence[Service]) -> list[IndexedDocument]:
    """Analyse services (as one batch) into index documents."""
    return list(iter_documents(services))


def iter_documents(services: Sequence[Service]) -> Iterator[IndexedDocument]:
    """Index documents of `services`, in order, each as soon as its fields are analysed.

    All their texts go to the analyser as one stream (`iter_field_terms`), so a caller that
    stores each document as it comes keeps the analyser busy meanwhile.
    """
    texts = [text for s in services for text in field_texts(s)]
    width = len(FIELDS)
    names = [i % width == NAME for i in range(len(texts))]
    analysed = iter_field_terms(texts, word_by_word=names)
    for service in services:
        yield _document(service, [next(analysed) for _ in range(width)])


def _document(service: Service, fields: Sequence[list[str]]) -> IndexedDocument:
    postings: dict[str, int] = {}  # term → packed per-field counts (see pack_tfs)
    lengths: list[int] = []
    for index, terms in enumerate(fields):
        lengths.append(len(terms))
        counted = Counter([*terms, *name_ngrams(service.name)] if index == NAME else terms)
        shift = TF_BITS * index
        for term, tf in counted.items():
            postings[term] = postings.get(term, 0) | (min(tf, TF_MAX) << shift)
    return IndexedDocument(
        service_id=service.service_id,
        name=service.name,
        agency_name=service.agency.name,
        region_code=service.region.code if service.region else None,
        region_name=service.region.name if service.region else None,
        agency_type=service.agency.type.value,
        categories=tuple(service.categories),
        user_types=tuple(service.user_types),
        period=service.application_period.to_dict(),
        views=service.views,
        lengths=tuple(lengths),
        postings=postings,
    )
