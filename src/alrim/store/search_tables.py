"""Tables of the search index: documents, postings, vocabulary and the index state.

A portable inverted index in ordinary tables (see docs/adr/0003-search-index.md): the terms
come from our own analysis (Kiwi + character bigrams), so SQLite and PostgreSQL store the same
rows and return the same results.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from alrim.store.base import Base, JsonType, UtcDateTime, utcnow

BigIntId = BigInteger().with_variant(Integer(), "sqlite")
TERM_LENGTH = 64


class SearchDocumentRow(Base):
    """One indexed service: what results and filters need, and its field lengths."""

    __tablename__ = "search_documents"

    doc_id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("services.service_id", ondelete="CASCADE"), unique=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    generation: Mapped[int] = mapped_column(BigInteger, index=True)
    content_hash: Mapped[str] = mapped_column(String(64))  # services.content_hash when indexed
    analyzer: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(500))
    agency_name: Mapped[str] = mapped_column(String(200))
    agency_type: Mapped[str] = mapped_column(String(30))
    region_code: Mapped[str | None] = mapped_column(String(5))
    region_name: Mapped[str | None] = mapped_column(String(80))
    categories: Mapped[list[str]] = mapped_column(JsonType, default=list)
    user_types: Mapped[list[str]] = mapped_column(JsonType, default=list)
    period: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    views: Mapped[int | None] = mapped_column(BigInteger)
    field_lengths: Mapped[list[int]] = mapped_column(JsonType, default=list)
    # The terms it is indexed under, one a line: the posting lists to edit when it changes.
    terms: Mapped[str] = mapped_column(Text, default="")
    indexed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SearchPostingRow(Base):
    """One term's posting list: (doc id, per-field counts packed 6 bits a field) pairs, as
    little-endian uint32, sorted by doc id (see `search_repo.encode_postings`)."""

    __tablename__ = "search_postings"

    term: Mapped[str] = mapped_column(String(TERM_LENGTH), primary_key=True)
    postings: Mapped[bytes] = mapped_column(LargeBinary)


class SearchTermRow(Base):
    """The vocabulary: in how many active services (and their names) each term occurs."""

    __tablename__ = "search_terms"
    __table_args__ = ({"sqlite_with_rowid": False},)

    term: Mapped[str] = mapped_column(String(TERM_LENGTH), primary_key=True)
    df: Mapped[int] = mapped_column(Integer, default=0)
    name_df: Mapped[int] = mapped_column(Integer, default=0)
    generation: Mapped[int] = mapped_column(BigInteger, index=True)


class SearchStateRow(Base):
    """`generation` (bumped by every index write) and `analyzer` (the analysis in use)."""

    __tablename__ = "search_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger, default=0)
    text: Mapped[str | None] = mapped_column(Text)
