"""The text reader over every service of the bundled 1,097-service gov24 sample.

It must never raise, every span must be exact, every criterion must carry its span, and the
counts per dimension are printed (run with ``-s``) and kept above floors measured when the
reader was written, so a change that silently stops reading a kind of criterion fails.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from alrim.catalog.assemble import assemble
from alrim.catalog.regions import RegionTable
from alrim.catalog.sources.gov24_files import Gov24FileSource
from alrim.domain.service import Service
from alrim.eligibility.model import AnyOf, ProvenanceKind
from alrim.eligibility.text_criteria import (
    DIMENSIONS,
    Strength,
    TextFinding,
    extract_text_criteria,
)

DATA = Path(__file__).resolve().parents[3] / "data" / "gov24"
FILES = [
    DATA / "serviceList_sample.json.gz",
    DATA / "serviceDetail_sample.json.gz",
    DATA / "supportConditions_sample.json.gz",
]

# Services with at least one explicit finding, per dimension, measured on the sample
# (2026-11-25): age 144 (months and birth dates included), income 47, region 290,
# residence 52, sex 21, status 248, household 52, fact 52; openers 52. Floors are ~85%.
FLOORS = {
    "age": 122,
    "income": 40,
    "region": 245,
    "residence_duration": 44,
    "sex": 17,
    "status": 210,
    "household": 44,
    "fact": 44,
}


@pytest.fixture(scope="module")
def regions() -> RegionTable:
    return RegionTable.default()


@pytest.fixture(scope="module")
def services(regions: RegionTable) -> list[Service]:
    if not all(f.exists() for f in FILES):
        pytest.skip("the bundled gov24 sample is not present")
    source = Gov24FileSource([str(f) for f in FILES])
    return assemble(source.records(), dataset="gov24", regions=regions, fetched_at=None).services


@pytest.fixture(scope="module")
def findings(services: list[Service], regions: RegionTable) -> dict[str, list[TextFinding]]:
    return {s.service_id: extract_text_criteria(s, regions) for s in services}


def test_the_whole_sample_is_read(services: list[Service], findings: dict) -> None:
    assert len(services) >= 1090
    assert set(findings) == {s.service_id for s in services}


def test_spans_are_exact_and_every_criterion_carries_its_span(
    services: list[Service], findings: dict[str, list[TextFinding]]
) -> None:
    by_id = {s.service_id: s for s in services}
    for service_id, found in findings.items():
        service = by_id[service_id]
        for f in found:
            text = getattr(service, f.span.field)
            assert text[f.span.start : f.span.end] == f.span.text, (service_id, f)
            assert f.dimension in DIMENSIONS
            assert f.strength in (Strength.EXPLICIT, Strength.WEAK)
            if f.strength is Strength.WEAK:
                assert f.why, (service_id, f)
            if f.criterion is None:
                assert f.opens
                continue
            items = f.criterion.items if isinstance(f.criterion, AnyOf) else (f.criterion,)
            for leaf in items:
                prov = leaf.provenance  # type: ignore[union-attr]
                assert prov.kind is ProvenanceKind.TEXT and prov.ref == f.span.field
                assert prov.span == f.span


def test_counts_per_dimension(findings: dict[str, list[TextFinding]]) -> None:
    services_with: Counter[tuple[str, str]] = Counter()
    openers: set[str] = set()
    for service_id, found in findings.items():
        seen = set()
        for f in found:
            dim = "age" if f.dimension == "age_months" else f.dimension
            if f.opens:
                openers.add(service_id)
                continue
            seen.add((dim, f.strength.value))
        services_with.update(seen)
    print("\nservices with a text finding, per dimension (explicit / weak):")
    for dim in sorted({d for d, _ in services_with}):
        print(
            f"  {dim:20s} {services_with[(dim, 'explicit')]:4d} / {services_with[(dim, 'weak')]:4d}"
        )
    print(f"  {'openers':20s} {len(openers):4d}")
    for dim, floor in FLOORS.items():
        assert services_with[(dim, "explicit")] >= floor, (dim, services_with[(dim, "explicit")])


def test_summary_findings_are_never_explicit(findings: dict[str, list[TextFinding]]) -> None:
    for found in findings.values():
        for f in found:
            if f.span.field == "summary":
                assert f.strength is Strength.WEAK


def test_a_service_for_businesses_keeps_person_criteria_weak(
    findings: dict[str, list[TextFinding]],
) -> None:
    # 650000000317: "15세~39세이하 미취업청년을 채용한 도내 중소기업" — the employees' age.
    ages = [f for f in findings["650000000317"] if f.dimension == "age"]
    assert ages and all(f.strength is Strength.WEAK for f in ages)


def test_the_selection_criteria_open_income_when_the_target_only_sets_fees(
    findings: dict[str, list[TextFinding]],
) -> None:
    # SPE000000120: 지원대상 gives fee bands by income (weak); 선정기준 says "소득기준 : 없음".
    income = [f for f in findings["SPE000000120"] if f.dimension == "income"]
    assert any(f.opens and f.explicit and f.span.field == "criteria_text" for f in income)
    assert not any(f.explicit and not f.opens for f in income)


def test_the_target_text_wins_over_the_selection_criteria(
    findings: dict[str, list[TextFinding]],
) -> None:
    # VOU000009000: 지원대상 says 120%; 선정기준 lists a 65% tier and the 120% one.
    income = [f for f in findings["VOU000009000"] if f.dimension == "income"]
    explicit = [f for f in income if f.explicit]
    assert [f.span.field for f in explicit] == ["target_text"]
    assert any(f.span.field == "criteria_text" and not f.explicit for f in income)
