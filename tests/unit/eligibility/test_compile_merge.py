"""Merging text findings into compiled rules, and the disagreement review log."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from compile_fixtures import (
    JONGNO,
    OPEN_PERSONAL,
    FakeRegions,
    Finding,
    conditions,
    service,
    text_prov,
)

from alrim.domain.profile import Profile
from alrim.eligibility.compile import compile_service
from alrim.eligibility.disagreements import (
    FIELDS,
    collect_disagreements,
    disagreement_lines,
)
from alrim.eligibility.evaluate import Context, evaluate
from alrim.eligibility.merge import merge_findings, same_meaning
from alrim.eligibility.model import (
    AgeMonthsRange,
    AgeRange,
    AnyOf,
    Flag,
    IncomeBandIn,
    IncomeRatio,
    LivesIn,
    Provenance,
    ProvenanceKind,
    Rule,
    Status,
    StatusIn,
    leaves,
)
from alrim.eligibility.readings import open_, restricted, silent
from alrim.eligibility.review_log import write_disagreements

AS_OF = date(2026, 11, 25)
JA = Provenance(ProvenanceKind.JA, "JA0110,JA0111")


class NoParameters:
    def median_income(self, year: int, household_size: int) -> int | None:
        return None


CTX = Context(regions=FakeRegions(), parameters=NoParameters())

SIXTY_FIVE = AgeRange(label="만 65세 이상", provenance=text_prov("만 65세 이상"), min_years=65)
OPEN_AGE = conditions(*OPEN_PERSONAL, age=(0, 120))


def compile_with(*findings: Finding, cond: dict[str, object] | None = None) -> Rule:
    svc = service(cond=OPEN_AGE if cond is None else cond)
    return compile_service(svc, regions=FakeRegions(), text_findings=findings)


def kinds(rule: Rule) -> dict[str, object]:
    return {leaf.kind: leaf for leaf in leaves(rule.criteria)}


def test_explicit_text_narrows_a_dimension_the_codes_leave_open() -> None:
    rule = compile_with(Finding("age", SIXTY_FIVE))
    age = kinds(rule)["age"]
    assert age is SIXTY_FIVE  # the text's criterion, with its span
    (d,) = rule.disagreements
    assert (d.dimension, d.codes_say, d.text_says) == ("age", "모든 연령", "만 65세 이상")
    assert d.span is not None and d.span.text == "만 65세 이상"
    young = Profile(as_of=AS_OF, age=30)
    assert evaluate(rule, young, CTX).status is Status.INELIGIBLE


def test_explicit_text_replaces_different_codes_either_way() -> None:
    wider = AgeRange(label="만 60세 이상", provenance=text_prov("만 60세 이상"), min_years=60)
    rule = compile_with(Finding("age", wider), cond=conditions(age=(65, 120)))
    assert kinds(rule)["age"] is wider
    (d,) = rule.disagreements
    assert (d.codes_say, d.text_says) == ("만 65세 이상", "만 60세 이상")
    assert evaluate(rule, Profile(as_of=AS_OF, age=62), CTX).status is Status.ELIGIBLE


def test_agreeing_text_is_kept_for_its_span_without_a_disagreement() -> None:
    rule = compile_with(Finding("age", SIXTY_FIVE), cond=conditions(age=(65, 120)))
    assert kinds(rule)["age"] is SIXTY_FIVE
    assert rule.disagreements == ()


def test_text_fills_a_silent_dimension_without_a_disagreement() -> None:
    rule = compile_service(
        service(cond=None), regions=FakeRegions(), text_findings=[Finding("age", SIXTY_FIVE)]
    )
    assert kinds(rule)["age"] is SIXTY_FIVE
    assert rule.disagreements == ()


def test_explicit_opener_removes_a_code_restriction() -> None:
    # The example: "일반국민" opens a service whose codes say 농업인 only.
    span_prov = text_prov("일반국민")
    opener = Finding("status", None, opens=True, span=span_prov.span)
    rule = compile_with(opener, cond=conditions("JA0313"))
    assert "status" not in kinds(rule)
    (d,) = rule.disagreements
    assert (d.dimension, d.codes_say, d.text_says) == ("status", "농업인", "일반국민")
    employee = Profile(as_of=AS_OF, statuses=frozenset({"employee"}), statuses_complete=True)
    assert evaluate(rule, employee, CTX).status is Status.ELIGIBLE


def test_opener_on_an_open_dimension_changes_nothing() -> None:
    rule = compile_with(Finding("status", None, opens=True))
    assert rule.disagreements == ()
    assert "status" not in kinds(rule)


def test_weak_findings_never_override() -> None:
    weak_age = Finding("age", SIXTY_FIVE, strength="weak")
    weak_opener = Finding("status", None, strength="weak", opens=True)
    rule = compile_with(weak_age, weak_opener, cond=conditions("JA0313", age=(0, 120)))
    assert "age" not in kinds(rule)
    assert kinds(rule)["status"].provenance.kind is ProvenanceKind.JA  # type: ignore[attr-defined]
    assert rule.disagreements == ()
    merged = merge_findings("x", {}, [weak_age, weak_opener])
    assert merged.criteria == {} and merged.ignored_weak == 2


def test_a_narrower_beats_an_opener_on_the_same_dimension() -> None:
    rule = compile_with(Finding("age", None, opens=True), Finding("age", SIXTY_FIVE))
    assert kinds(rule)["age"] is SIXTY_FIVE


def test_several_explicit_narrowers_are_alternatives() -> None:
    youth = AgeRange(
        label="만 19~39세", provenance=text_prov("만 19~39세"), min_years=19, max_years=39
    )
    rule = compile_with(Finding("age", youth), Finding("age", SIXTY_FIVE))
    (combined,) = [c for c in rule.criteria.items if isinstance(c, AnyOf)]
    assert combined.items == (youth, SIXTY_FIVE)
    assert evaluate(rule, Profile(as_of=AS_OF, age=70), CTX).status is Status.ELIGIBLE
    assert evaluate(rule, Profile(as_of=AS_OF, age=50), CTX).status is Status.INELIGIBLE


def test_duplicate_findings_collapse() -> None:
    rule = compile_with(Finding("age", SIXTY_FIVE), Finding("age", SIXTY_FIVE))
    assert kinds(rule)["age"] is SIXTY_FIVE


def test_flags_from_text_are_added_alongside_codes() -> None:
    flag = Flag(
        label="기초생활수급자",
        provenance=text_prov("기초생활수급자"),
        fact="basic_livelihood_recipient",
        question="기초생활수급자인가요?",
    )
    rule = compile_with(Finding("fact", flag), cond=conditions("JA0201", age=(65, 120)))
    assert {"age", "income_band", "fact"} <= set(kinds(rule))
    assert rule.disagreements == ()


def test_region_text_that_matches_the_agency_region_agrees() -> None:
    here = LivesIn(label="관내 거주", provenance=text_prov("관내 거주"), areas=("11110",))
    svc = service(cond=OPEN_AGE, area=JONGNO, agency="서울특별시 종로구")
    rule = compile_service(svc, regions=FakeRegions(), text_findings=[Finding("region", here)])
    assert kinds(rule)["region"] is here
    assert rule.disagreements == ()


# --- meaning equality ----------------------------------------------------------------------


def test_income_band_and_ratio_agree_when_they_admit_the_same_people() -> None:
    band = IncomeBandIn(label="b", provenance=JA, allowed=frozenset({"0-50", "51-75"}))
    assert same_meaning(band, IncomeRatio(label="t", provenance=JA, max_percent=75))
    assert not same_meaning(band, IncomeRatio(label="t", provenance=JA, max_percent=60))
    top = IncomeBandIn(label="b", provenance=JA, allowed=frozenset({"101-200", "200+"}))
    assert same_meaning(top, IncomeRatio(label="t", provenance=JA, min_percent=100))


def test_age_in_months_competes_with_age_in_years() -> None:
    years = AgeRange(label="만 0~1세", provenance=JA, min_years=None, max_years=1)
    months = AgeMonthsRange(label="0~23개월", provenance=text_prov("0~23개월"), max_months=23)
    assert same_meaning(years, months)
    other = AgeMonthsRange(label="0~11개월", provenance=text_prov("0~11개월"), max_months=11)
    rule = compile_with(Finding("age_months", other), cond=conditions(age=(0, 1)))
    assert [leaf.kind for leaf in leaves(rule.criteria)].count("age") == 0
    assert kinds(rule)["age_months"] is other
    assert [d.dimension for d in rule.disagreements] == ["age"]


def test_status_equality_ignores_labels_but_not_none_ok() -> None:
    a = StatusIn(label="a", provenance=JA, allowed=frozenset({"farmer"}))
    b = StatusIn(label="b", provenance=JA, allowed=frozenset({"farmer"}), group=frozenset())
    c = StatusIn(label="c", provenance=JA, allowed=frozenset({"farmer"}), none_ok=True)
    assert same_meaning(a, b)
    assert not same_meaning(a, c)


def test_merge_reports_where_each_criterion_came_from() -> None:
    coded = AgeRange(label="만 19~39세", provenance=JA, min_years=19, max_years=39)
    readings = {
        "age": restricted("age", coded, "만 19~39세", "JA0110,JA0111"),
        "sex": open_("sex"),
        "income": silent("income"),
    }
    merged = merge_findings(
        "S1",
        readings,
        [
            Finding(
                "income",
                IncomeRatio(
                    label="기준 중위소득 150% 이하", provenance=text_prov("150%"), max_percent=150
                ),
            )
        ],
    )
    assert merged.origin == {"age": "codes", "income": "text"}
    assert merged.disagreements == ()


# --- review log ----------------------------------------------------------------------------


def test_collect_and_write_disagreements(tmp_path: Path) -> None:
    opener = Finding("status", None, opens=True, span=text_prov("누구나").span)
    rules = [
        compile_service(
            service("B2", cond=conditions("JA0313")),
            regions=FakeRegions(),
            text_findings=[opener],
        ),
        compile_service(
            service("A1", cond=OPEN_AGE),
            regions=FakeRegions(),
            text_findings=[Finding("age", SIXTY_FIVE)],
        ),
        compile_service(service("C3", cond=OPEN_AGE), regions=FakeRegions()),
    ]
    found = collect_disagreements(rules)
    assert [(d.service_id, d.dimension) for d in found] == [("A1", "age"), ("B2", "status")]
    lines = disagreement_lines(found)
    records = [json.loads(line) for line in lines]
    assert all(set(r) == set(FIELDS) for r in records)
    assert records[0]["text_says"] == "만 65세 이상"  # Korean kept readable
    assert "만 65세 이상" in lines[0]

    path, count = write_disagreements(found, tmp_path / "var" / "review" / "d.jsonl")
    assert count == 2
    assert path.read_text(encoding="utf-8").splitlines() == lines
    write_disagreements([], path)  # a new run replaces the old log
    assert path.read_text(encoding="utf-8") == ""


def test_real_text_finding_type_fits_the_merge() -> None:
    finding_module = pytest.importorskip("alrim.eligibility.text.finding")
    prov = text_prov("만 65세 이상")
    assert prov.span is not None
    finding = finding_module.TextFinding(
        dimension="age",
        criterion=AgeRange(label="만 65세 이상", provenance=prov, min_years=65),
        strength=finding_module.Strength.EXPLICIT,
        span=prov.span,
    )
    rule = compile_with(finding)
    assert [d.text_says for d in rule.disagreements] == ["만 65세 이상"]


def test_a_disagreement_whose_labels_read_the_same_says_what_differs() -> None:
    # The text reader reads "농가" as 농업인 in the wide legal sense (with 축산업).
    wide = StatusIn(
        label="농업인",
        provenance=text_prov("농가"),
        allowed=frozenset({"farmer", "livestock_farmer"}),
    )
    rule = compile_with(Finding("status", wide), cond=conditions("JA0313"))
    (d,) = rule.disagreements
    assert d.codes_say == "농업인 (farmer)"
    assert d.text_says == "농업인 (farmer,livestock_farmer)"
