"""Codes + region + the real text reader, over the whole gov24 sample."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from alrim.catalog.assemble import assemble
from alrim.catalog.regions import RegionTable
from alrim.catalog.sources.gov24_files import Gov24FileSource
from alrim.domain.service import Service
from alrim.eligibility.compile import compile_service
from alrim.eligibility.disagreements import collect_disagreements
from alrim.eligibility.merge import TextFindingLike
from alrim.eligibility.model import ProvenanceKind, leaves
from alrim.eligibility.review_log import write_disagreements
from alrim.paths import DATA_DIR

GOV24_SAMPLE = [
    DATA_DIR / "gov24" / f"{name}_sample.json.gz"
    for name in ("serviceList", "serviceDetail", "supportConditions")
]


def read_findings(service: Service, regions: RegionTable) -> Sequence[TextFindingLike]:
    from alrim.eligibility.text_criteria import extract_text_criteria

    return extract_text_criteria(service, regions)


def test_text_findings_merge_into_every_sample_rule(tmp_path: Path) -> None:
    regions = RegionTable.default()
    services = assemble(
        Gov24FileSource(GOV24_SAMPLE).records(), dataset="gov24", regions=regions, fetched_at=None
    ).services
    rules = [
        compile_service(s, regions=regions, text_findings=read_findings(s, regions))
        for s in services
    ]
    assert len(rules) == len(services)

    by_id = {r.service_id: r for r in rules}
    text_kinds = Counter(
        leaf.kind
        for r in rules
        for leaf in leaves(r.criteria)
        if leaf.provenance.kind is ProvenanceKind.TEXT
    )
    assert text_kinds["age"] > 0 and text_kinds["region"] + text_kinds["income"] > 0
    # Every text criterion cites its span.
    for r in rules:
        for leaf in leaves(r.criteria):
            if leaf.provenance.kind is ProvenanceKind.TEXT:
                assert leaf.provenance.span is not None and leaf.provenance.span.text

    # 여성농업인 특수건강검진 (650000001099): codes tick only JA0322; the text says 여성농업인.
    statuses = [leaf for leaf in leaves(by_id["650000001099"].criteria) if leaf.kind == "status"]
    assert statuses and statuses[0].provenance.kind is ProvenanceKind.TEXT

    found = collect_disagreements(rules)
    assert found, "the sample has services whose text narrows codes left open"
    path, count = write_disagreements(found, tmp_path / "disagreements.jsonl")
    assert count == len(found) == len(path.read_text(encoding="utf-8").splitlines())
