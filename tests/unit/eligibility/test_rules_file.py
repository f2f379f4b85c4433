"""Hand-written rule files: format, strict validation, provenance, and the shipped rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from alrim.domain.profile import Profile
from alrim.eligibility.evaluate import Context, evaluate
from alrim.eligibility.model import (
    AgeRange,
    All,
    AnyOf,
    BornBetween,
    ChildAgeRange,
    Flag,
    IncomeRatio,
    ProvenanceKind,
    Status,
    StatusIn,
    leaves,
)
from alrim.eligibility.parameters import Parameters
from alrim.eligibility.rules_file import (
    RuleFileError,
    facts_asked,
    load_rule_files,
    load_rules,
    parse_rule,
    parse_rule_file,
)
from alrim.paths import REPO_ROOT

RULES = REPO_ROOT / "rules"
PARAMS = Parameters.load(REPO_ROOT / "parameters")
PATH = "rules/test/X1.yaml"

MINIMAL = """
service_id: "X1"
name: 시험 서비스
agency: 시험부
legal_basis: [{law: 시험법, article: 제1조}]
figures_year: 2026
criteria:
  all:
    - age: {min: 65}
    - income: {max_percent: 50}
    - fact:
        name: basic_livelihood_recipient
        question: 수급자인가요?
      label: 기초생활보장 수급자
cases:
  - name: 대상
    input: {as_of: 2026-11-25, age: 70, facts: {basic_livelihood_recipient: true}}
    expected: maybe
"""


def _parse(text: str) -> object:
    return parse_rule_file(text, PATH, PARAMS)


class _Regions:
    def get(self, code: str) -> None:
        return None

    def covers(self, area: object, place_code: str | None) -> bool | None:
        return None


def test_a_rule_file_becomes_a_hand_rule_whose_every_leaf_cites_the_file() -> None:
    rule = parse_rule(MINIMAL, PATH, PARAMS)
    assert rule.service_id == "X1"
    assert rule.origin == "hand"
    assert rule.rule_file == "rules/test/X1.yaml"
    assert isinstance(rule.criteria, All)
    kinds = [type(leaf) for leaf in leaves(rule.criteria)]
    assert kinds == [AgeRange, IncomeRatio, Flag]
    for leaf in leaves(rule.criteria):
        assert leaf.provenance.kind is ProvenanceKind.RULE
        assert leaf.provenance.ref == "rules/test/X1.yaml"


def test_default_labels_are_korean_and_explicit_labels_win() -> None:
    rule = parse_rule(MINIMAL, PATH, PARAMS)
    labels = [leaf.label for leaf in leaves(rule.criteria)]
    assert labels == ["만 65세 이상", "기준 중위소득 50% 이하", "기초생활보장 수급자"]


def test_the_path_is_cited_from_the_rules_directory() -> None:
    rule = parse_rule(MINIMAL, "/somewhere/repo/rules/test/X1.yaml", PARAMS)
    assert rule.rule_file == "rules/test/X1.yaml"


def test_under_and_params_resolve_on_the_figures_year() -> None:
    text = MINIMAL.replace(
        "    - age: {min: 65}\n",
        "    - age: {under: {param: child_allowance.age_under}}\n"
        "    - child_age: {under_years: {param: child_allowance.age_under}}\n",
    )
    rule = parse_rule(text, PATH, PARAMS)
    age, child = leaves(rule.criteria)[:2]
    assert isinstance(age, AgeRange) and age.max_years == 8 and age.label == "만 9세 미만"
    assert isinstance(child, ChildAgeRange) and child.max_months == 107
    earlier = parse_rule(text.replace("figures_year: 2026", "figures_year: 2025"), PATH, PARAMS)
    assert leaves(earlier.criteria)[0].max_years == 7  # type: ignore[attr-defined]


def test_text_placeholders_read_parameters_with_thousands_separators() -> None:
    text = MINIMAL.replace(
        "question: 수급자인가요?",
        "question: 월 ${basic_pension.selection_threshold.single}원 이하인가요?",
    )
    rule = parse_rule(text, PATH, PARAMS)
    flag = leaves(rule.criteria)[2]
    assert isinstance(flag, Flag) and flag.question == "월 2,470,000원 이하인가요?"


def test_born_and_status_leaves() -> None:
    text = MINIMAL.replace(
        "    - age: {min: 65}\n",
        "    - born: {to: 1961-12-31}\n    - status: [pregnant]\n",
    )
    born, status = leaves(parse_rule(text, PATH, PARAMS).criteria)[:2]
    assert isinstance(born, BornBetween) and born.latest == date(1961, 12, 31)
    assert born.label == "1961.12.31. 이전 출생"
    assert isinstance(status, StatusIn) and status.allowed == {"pregnant"}
    assert status.label == "임산부" and not status.none_ok


def test_combinator_labels_sit_beside_the_list() -> None:
    text = MINIMAL.replace(
        "    - age: {min: 65}\n",
        "    - label: 나이 조건\n      any:\n        - age: {min: 65}\n        - age: {max: 18}\n",
    )
    group = parse_rule(text, PATH, PARAMS).criteria.items[0]
    assert isinstance(group, AnyOf) and group.label == "나이 조건" and len(group.items) == 2


AGE = "    - age: {min: 65}\n"
LABEL = "      label: 기초생활보장 수급자\n"
FACTS = "facts: {basic_livelihood_recipient: true}"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "figures_year: 2026",
            "figures_year: 2026\nfigure_year: 2026",
            "unknown key 'figure_year'",
        ),
        (AGE, "    - age: {min: 65, maximum: 70}\n", "criteria.all[0].age: unknown key 'maximum'"),
        (AGE, "    - agee: {min: 65}\n", "unknown key 'agee'"),
        (AGE, AGE + "      labl: x\n", "unknown key 'labl'"),
        ('service_id: "X1"', "service_id: X2", "does not match the file name"),
        ('service_id: "X1"', "service_id: 1", "must be quoted text"),
        ("expected: maybe", "expected: perhaps", "expected one of"),
        ("expected: maybe", "expected: maybe\n    missng: []", "unknown key 'missng'"),
        ("{as_of: 2026-11-25, ", "{", "'as_of' is required"),
        (FACTS, "facts: {basic_livelihood: true}", "not a fact this rule asks"),
        ("age: 70,", "age: 70, income: 5,", "unknown key 'income'"),
        (LABEL, "", "needs a 'label'"),
        (AGE, "    - age: {min: {param: no_such.parameter}}\n", "unknown parameter"),
        (AGE, "    - status: [pregant]\n", "unknown value 'pregant'"),
        (AGE, "    - any:\n        label: x\n        any: [{age: {min: 1}}]\n", "beside"),
        (AGE, AGE + "      age: {max: 70}\n", "duplicate key"),
        (AGE, "    - region: ['11']\n", "needs a 'label'"),
    ],
)
def test_malformed_files_get_a_clear_error_naming_file_and_key(
    old: str, new: str, message: str
) -> None:
    assert old in MINIMAL
    with pytest.raises(RuleFileError) as err:
        _parse(MINIMAL.replace(old, new, 1))
    assert str(err.value).startswith("rules/test/X1.yaml: ")
    assert message in str(err.value)


def test_missing_only_goes_with_a_maybe_case() -> None:
    with pytest.raises(RuleFileError, match="only a 'maybe' case"):
        _parse(MINIMAL.replace("expected: maybe", "expected: eligible\n    missing: [x]"))


def test_one_fact_has_one_question_across_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "X1.yaml").write_text(MINIMAL, encoding="utf-8")
    other = MINIMAL.replace('"X1"', '"X2"').replace("수급자인가요?", "수급자예요?")
    (tmp_path / "a" / "X2.yaml").write_text(other, encoding="utf-8")
    with pytest.raises(RuleFileError, match="one fact, one question"):
        load_rule_files(tmp_path, PARAMS)


# ---------------------------------------------------------------------------------------------
# The shipped rules.


@pytest.fixture(scope="module")
def shipped() -> dict[str, object]:
    return dict(load_rule_files(RULES, PARAMS))


def test_at_least_twenty_rule_files_ship(shipped: dict[str, object]) -> None:
    assert len(shipped) >= 20
    assert set(load_rules(RULES, PARAMS)) == set(shipped)


def test_every_shipped_rule_cites_law_and_year_and_has_telling_cases(
    shipped: dict[str, object],
) -> None:
    for rule_file in shipped.values():
        ref = rule_file.ref  # type: ignore[attr-defined]
        assert rule_file.legal_basis, ref  # type: ignore[attr-defined]
        assert 2023 <= rule_file.figures_year <= 2027, ref  # type: ignore[attr-defined]
        cases = rule_file.cases  # type: ignore[attr-defined]
        assert len(cases) >= 3, ref
        expected = {c.expected for c in cases}
        assert Status.ELIGIBLE in expected and Status.INELIGIBLE in expected, ref
        assert Path(REPO_ROOT / ref).is_file()


def test_the_big_national_benefits_are_covered(shipped: dict[str, object]) -> None:
    names = " ".join(f.name for f in shipped.values())  # type: ignore[attr-defined]
    for benefit in ("부모급여", "아동수당", "기초연금", "첫만남이용권", "청년월세"):
        assert benefit in names


def test_facts_asked_lists_each_question_once(shipped: dict[str, object]) -> None:
    asked = facts_asked(shipped.values())  # type: ignore[arg-type]
    assert asked["basic_livelihood_recipient"].endswith("?")
    assert all(q.strip() for q in asked.values())


def test_a_shipped_rule_gives_contract_reasons() -> None:
    rule = load_rules(RULES, PARAMS)["B55145700001"]
    profile = Profile(as_of=date(2026, 11, 25), birth_date=date(1961, 11, 25))
    result = evaluate(rule, profile, Context(_Regions(), PARAMS)).to_dict()
    assert result["status"] == "eligible"
    assert result["reasons"][0]["criterion"] == "age"
    assert result["reasons"][0]["outcome"] == "pass"
    assert result["reasons"][0]["source"] == {
        "kind": "rule",
        "ref": "rules/korail/B55145700001.yaml",
    }
