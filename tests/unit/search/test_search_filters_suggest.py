"""Filters (region, category, who it is for, open now) and autocomplete over a snapshot."""

from __future__ import annotations

from datetime import date

import pytest

from alrim.domain.period import ApplicationPeriod, PeriodKind
from alrim.search.filters import SearchFilters, UnknownAudience, audience_label
from alrim.search.metrics import ndcg_at, recall_at
from alrim.search.snapshot import DocInfo, IndexSnapshot
from alrim.search.suggest import suggest


def _doc(doc_id: int, name: str, **kw: object) -> DocInfo:
    return DocInfo(
        doc_id=doc_id,
        service_id=f"S{doc_id}",
        name=name,
        agency_name="기관",
        region_code=kw.get("region"),  # type: ignore[arg-type]
        region_name=None,
        agency_type="시군구",
        categories=tuple(kw.get("categories", ("주거·자립",))),  # type: ignore[arg-type]
        user_types=tuple(kw.get("user_types", ("개인",))),  # type: ignore[arg-type]
        period=kw.get("period", ApplicationPeriod(PeriodKind.ALWAYS, "상시")),  # type: ignore[arg-type]
        views=kw.get("views", 0),  # type: ignore[arg-type]
        lengths=(3, 10, 10, 10, 3),
    )


def test_region_keeps_nationwide_services() -> None:
    f = SearchFilters.build(region_codes=["11110", "11"])
    assert f.accepts(_doc(1, "a", region=None))
    assert f.accepts(_doc(2, "b", region="11110"))
    assert not f.accepts(_doc(3, "c", region="26110"))


def test_category_matches_part_of_a_field_name() -> None:
    f = SearchFilters.build(categories=["교육"])
    assert f.accepts(_doc(1, "a", categories=("보육·교육",)))
    assert not f.accepts(_doc(2, "b"))


def test_audience_accepts_contract_names_and_korean() -> None:
    assert audience_label("small_business") == "소상공인"
    assert audience_label("법인") == "법인/시설/단체"
    with pytest.raises(UnknownAudience):
        audience_label("aliens")
    f = SearchFilters.build(audiences=["small_business"])
    assert f.accepts(_doc(1, "a", user_types=("소상공인",)))
    assert not f.accepts(_doc(2, "b"))


def test_open_now_uses_the_application_period() -> None:
    f = SearchFilters.build(open_on=date(2026, 11, 25))
    closed = ApplicationPeriod(PeriodKind.PERIOD, "x", date(2026, 3, 1), date(2026, 3, 31))
    open_ = ApplicationPeriod(PeriodKind.PERIOD, "x", date(2026, 11, 1), date(2026, 12, 31))
    assert f.accepts(_doc(1, "a", period=open_))
    assert not f.accepts(_doc(2, "b", period=closed))
    assert not f.accepts(_doc(3, "c", period=ApplicationPeriod(PeriodKind.VARIES, "상이")))


def _snapshot() -> IndexSnapshot:
    docs = [
        (_doc(1, "청년 월세 특별지원", views=50), True),
        (_doc(2, "청년월세 지원사업", views=900), True),
        (_doc(3, "산후조리비 지원", views=10), True),
        (_doc(4, "폐지된 서비스", views=99999), False),
    ]
    terms = [("청년월세", 2, 2), ("청년", 10, 5), ("산후조리", 1, 1)]
    return IndexSnapshot.empty().apply(7, docs, terms)


def test_suggestions_complete_words_and_names_by_views() -> None:
    found = suggest("청녀", _snapshot())
    assert found.words[:1] == ["청년"]
    assert [sid for sid, _ in found.services] == ["S2", "S1"]


def test_a_name_matches_from_the_start_of_any_of_its_words() -> None:
    assert [sid for sid, _ in suggest("월세", _snapshot()).services] == ["S1"]
    assert [sid for sid, _ in suggest("ㅅㅎㅈㄹ", _snapshot()).services] == ["S3"]


def test_inactive_documents_leave_the_snapshot() -> None:
    snap = _snapshot()
    assert snap.n_docs == 3 and "S4" not in snap.by_service
    later = snap.apply(8, [(_doc(1, "청년 월세 특별지원"), False)], [])
    assert later.n_docs == 2 and snap.n_docs == 3


def test_recall_counts_what_fits_on_the_page() -> None:
    relevant = [f"S{i}" for i in range(30)]
    assert recall_at([f"S{i}" for i in range(10)], relevant) == 1.0
    assert recall_at(["x", "S1"], ["S1", "S2"]) == 0.5
    assert ndcg_at(["S1", "x"], ["S1"]) == 1.0
    assert ndcg_at(["x", "S1"], ["S1"]) < 1.0
