"""Hand-written rule files: `rules/<agency>/<service_id>.yaml` → the rule model.

A rule file says who a service is for, in the service's own terms, with its legal basis, the
year of its figures and OpenFisca-style test cases (see docs/rules.md)::

    service_id: "SSE000000170"
    name: 기초연금
    agency: 보건복지부
    legal_basis:
      - {law: 기초연금법, article: 제3조}
    figures_year: 2026
    sources: [정부24 SSE000000170 지원대상]
    criteria:
      all:
        - age: {min: 65}
        - fact: {name: public_pension_recipient, question: "직역연금을 받고 있나요?"}
          label: 직역연금 수급자
    cases:
      - name: 65세 생일 당일
        input: {as_of: 2026-11-25, birth_date: 1961-11-25, facts: {…}}
        expected: eligible

Every leaf becomes a model criterion with `Provenance(kind=RULE, ref="rules/…yaml")`.
Validation is strict: an unknown key anywhere is an error naming the file and the key path.
Numbers may be `{param: name}` and texts may contain `${name}`; both read the dated
parameters on 1 January of `figures_year`. Parsing is pure; `load_*` read a directory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from alrim.domain.profile import (
    BUSINESS_INDUSTRIES,
    BUSINESS_STAGES,
    INCOME_BANDS,
    ORG_INDUSTRIES,
    ORG_TYPES,
    USER_TYPES,
)
from alrim.domain.vocabulary import STATUS_NAMES_KO, TRAIT_NAMES_KO
from alrim.eligibility.model import (
    AgeMonthsRange,
    AgeRange,
    All,
    AnyOf,
    BornBetween,
    BusinessIndustryIn,
    BusinessStageIn,
    ChildAgeRange,
    ChildBornBetween,
    ChildrenCount,
    Criterion,
    Flag,
    HouseholdSize,
    HouseholdTraitIn,
    IncomeBandIn,
    IncomeRatio,
    LivesIn,
    Not,
    NotReceiving,
    OrganizationIndustryIn,
    OrganizationTypeIn,
    Provenance,
    ProvenanceKind,
    ResidenceDuration,
    Rule,
    SexIn,
    Status,
    StatusIn,
    UserTypeIn,
    leaves,
)
from alrim.eligibility.parameters import Parameters

TOP_KEYS = (
    "service_id",
    "name",
    "agency",
    "legal_basis",
    "figures_year",
    "sources",
    "notes",
    "criteria",
    "cases",
)
REQUIRED_TOP_KEYS = ("service_id", "name", "agency", "legal_basis", "figures_year", "criteria")
CASE_KEYS = ("name", "input", "expected", "missing", "note")
# Contract §1 profile fields plus the additive ones (domain.profile.Profile).
PROFILE_KEYS = (
    "as_of",
    "birth_date",
    "age",
    "sex",
    "region",
    "household_size",
    "household_income_monthly",
    "income_band",
    "statuses",
    "statuses_complete",
    "household_traits",
    "household_traits_complete",
    "user_types",
    "business",
    "organization",
    "receiving",
    "children_birth_dates",
    "moved_in_date",
    "facts",
)


_FACT_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_REGION_CODE = re.compile(r"^\d{2}(\d{3})?$")
_PARAM_IN_TEXT = re.compile(r"\$\{([a-z0-9_.]+)\}")


class RuleFileError(ValueError):
    """A rule file is malformed; the message names the file and the key path."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one mapping (YAML would keep the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@dataclass(frozen=True, slots=True)
class LegalBasis:
    law: str
    article: str | None = None

    def __str__(self) -> str:
        return f"{self.law} {self.article}" if self.article else self.law


@dataclass(frozen=True, slots=True)
class RuleCase:
    """One OpenFisca-style test case: a contract §1 profile and the status it must get."""

    name: str
    input: Mapping[str, Any]
    expected: Status
    missing: tuple[str, ...] | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class RuleFile:
    rule: Rule
    name: str
    agency: str
    legal_basis: tuple[LegalBasis, ...]
    figures_year: int
    sources: tuple[str, ...]
    notes: str | None
    cases: tuple[RuleCase, ...]
    ref: str  # "rules/<agency>/<service_id>.yaml"

    @property
    def service_id(self) -> str:
        return self.rule.service_id

    def facts(self) -> dict[str, str]:
        """Fact name → question, for every `fact` leaf of the rule."""
        return {
            leaf.fact: leaf.question
            for leaf in leaves(self.rule.criteria)
            if isinstance(leaf, Flag)
        }


# ---------------------------------------------------------------------------------------------
# Public entry points.


def parse_rule(yaml_text: str, path: str | Path, parameters: Parameters | None = None) -> Rule:
    """The `Rule` of one rule file (origin "hand", every leaf's provenance the file)."""
    return parse_rule_file(yaml_text, path, parameters).rule


def parse_rule_file(
    yaml_text: str, path: str | Path, parameters: Parameters | None = None
) -> RuleFile:
    """Parse and validate one rule file with its metadata and cases."""
    ref = rule_ref(path)
    try:
        data = yaml.load(yaml_text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise RuleFileError(f"{ref}: not valid YAML: {exc}") from exc
    return _FileParser(ref, Path(path), parameters).parse(data)


def load_rule_files(
    directory: str | Path, parameters: Parameters | None = None
) -> dict[str, RuleFile]:
    """Every `*.yaml` under `directory`, by service ID. Raises on the first malformed file."""
    root = Path(directory)
    if not root.is_dir():
        raise RuleFileError(f"{root}: rules directory not found")
    files: dict[str, RuleFile] = {}
    questions: dict[str, tuple[str, str]] = {}
    for path in sorted(root.rglob("*.yaml")):
        rule_file = parse_rule_file(path.read_text(encoding="utf-8"), path, parameters)
        if rule_file.service_id in files:
            other = files[rule_file.service_id].ref
            raise RuleFileError(f"{rule_file.ref}: service_id already defined in {other}")
        for fact, question in rule_file.facts().items():
            seen = questions.setdefault(fact, (question, rule_file.ref))
            if seen[0] != question:
                raise RuleFileError(
                    f"{rule_file.ref}: fact {fact!r} asks {question!r} but {seen[1]} asks "
                    f"{seen[0]!r} — one fact, one question"
                )
        files[rule_file.service_id] = rule_file
    return files


def load_rules(directory: str | Path, parameters: Parameters | None = None) -> dict[str, Rule]:
    """Every hand-written rule under `directory`, by service ID."""
    return {sid: f.rule for sid, f in load_rule_files(directory, parameters).items()}


def facts_asked(rule_files: Iterable[RuleFile]) -> dict[str, str]:
    """Fact name → Korean question over all rule files (for a questionnaire)."""
    out: dict[str, str] = {}
    for rule_file in rule_files:
        out.update(rule_file.facts())
    return dict(sorted(out.items()))


def rule_ref(path: str | Path) -> str:
    """`…/rules/mohw/X.yaml` → `rules/mohw/X.yaml` (the provenance reference)."""
    parts = Path(path).parts
    if "rules" in parts:
        i = len(parts) - 1 - parts[::-1].index("rules")
        return "/".join(parts[i:])
    return Path(path).as_posix()


# ---------------------------------------------------------------------------------------------
# Parsing.


class _FileParser:
    def __init__(self, ref: str, path: Path, parameters: Parameters | None) -> None:
        self.ref = ref
        self.path = path
        self._parameters = parameters
        self.provenance = Provenance(ProvenanceKind.RULE, ref)
        self.figures_on = date(1900, 1, 1)

    # -- helpers ------------------------------------------------------------------------------

    def error(self, where: str, message: str) -> RuleFileError:
        return RuleFileError(
            f"{self.ref}: {where}: {message}" if where else f"{self.ref}: {message}"
        )

    def check_keys(self, data: Mapping[Any, Any], allowed: Iterable[str], where: str) -> None:
        allowed = tuple(allowed)
        for key in data:
            if key not in allowed:
                raise self.error(where, f"unknown key {str(key)!r} (allowed: {', '.join(allowed)})")

    def parameters(self) -> Parameters:
        if self._parameters is None:
            from alrim.paths import PARAMETERS_DIR

            self._parameters = Parameters.load(PARAMETERS_DIR)
        return self._parameters

    def number(self, raw: Any, where: str) -> int | float:
        """A number, or `{param: name}` read on 1 January of figures_year."""
        if isinstance(raw, Mapping):
            self.check_keys(raw, ("param",), where)
            name = raw.get("param")
            if not isinstance(name, str):
                raise self.error(where, "'param' must name a parameter")
            raw = self.param(name, where)
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise self.error(where, f"expected a number, got {raw!r}")
        return raw

    def integer(self, raw: Any, where: str) -> int:
        value = self.number(raw, where)
        if not float(value).is_integer():
            raise self.error(where, f"expected a whole number, got {value!r}")
        return int(value)

    def param(self, name: str, where: str) -> Any:
        try:
            value = self.parameters().value(name, self.figures_on)
        except KeyError as exc:
            raise self.error(where, str(exc.args[0])) from None
        if value is None:
            raise self.error(where, f"parameter {name!r} has no value on {self.figures_on}")
        return value

    def text(self, raw: Any, where: str) -> str:
        if isinstance(raw, Mapping):
            raise self.error(where, "expected text, got a mapping (quote text that contains ': ')")
        if not isinstance(raw, str) or not raw.strip():
            raise self.error(where, f"expected non-empty text, got {raw!r}")

        def substitute(match: re.Match[str]) -> str:
            value = self.param(match.group(1), where)
            return f"{value:,}" if isinstance(value, int) else str(value)

        return _PARAM_IN_TEXT.sub(substitute, raw.strip())

    def day(self, raw: Any, where: str) -> date:
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            raise self.error(where, f"expected a date (YYYY-MM-DD), got {raw!r}") from None

    def names(self, raw: Any, vocabulary: Iterable[str], where: str) -> frozenset[str]:
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list) or not items:
            raise self.error(where, "expected a non-empty list")
        vocab = tuple(vocabulary)
        for item in items:
            if item not in vocab:
                raise self.error(where, f"unknown value {item!r} (allowed: {', '.join(vocab)})")
        return frozenset(items)

    # -- the file -------------------------------------------------------------------------------

    def parse(self, data: Any) -> RuleFile:
        if not isinstance(data, Mapping):
            raise self.error("", "a rule file must be a mapping")
        self.check_keys(data, TOP_KEYS, "")
        for key in REQUIRED_TOP_KEYS:
            if key not in data:
                raise self.error("", f"missing required key {key!r}")
        service_id = data["service_id"]
        if not isinstance(service_id, str) or not service_id.strip():
            raise self.error(
                "service_id", "must be quoted text (IDs like 000000465790 are not numbers)"
            )
        if self.path.suffix == ".yaml" and self.path.stem != service_id:
            raise self.error("service_id", f"{service_id!r} does not match the file name")
        figures_year = data["figures_year"]
        if isinstance(figures_year, bool) or not isinstance(figures_year, int):
            raise self.error("figures_year", "must be a year like 2026")
        self.figures_on = date(figures_year, 1, 1)
        criteria = self.node(data["criteria"], "criteria")
        top = criteria if isinstance(criteria, All) else All((criteria,))
        rule = Rule(service_id=service_id, criteria=top, origin="hand", rule_file=self.ref)
        rule_facts = {leaf.fact for leaf in leaves(top) if isinstance(leaf, Flag)}
        return RuleFile(
            rule=rule,
            name=self.text(data["name"], "name"),
            agency=self.text(data["agency"], "agency"),
            legal_basis=self.legal_basis(data["legal_basis"]),
            figures_year=figures_year,
            sources=self.sources(data.get("sources")),
            notes=self.text(data["notes"], "notes") if data.get("notes") is not None else None,
            cases=self.cases(data.get("cases"), rule_facts),
            ref=self.ref,
        )

    def legal_basis(self, raw: Any) -> tuple[LegalBasis, ...]:
        if not isinstance(raw, list) or not raw:
            raise self.error("legal_basis", "expected a non-empty list of {law, article}")
        out = []
        for i, item in enumerate(raw):
            where = f"legal_basis[{i}]"
            if not isinstance(item, Mapping):
                raise self.error(where, "expected {law: …, article: …}")
            self.check_keys(item, ("law", "article"), where)
            article = item.get("article")
            out.append(
                LegalBasis(
                    law=self.text(item.get("law"), f"{where}.law"),
                    article=self.text(article, f"{where}.article") if article is not None else None,
                )
            )
        return tuple(out)

    def sources(self, raw: Any) -> tuple[str, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            raise self.error("sources", "expected a list of texts")
        return tuple(self.text(s, f"sources[{i}]") for i, s in enumerate(raw))

    # -- criteria -------------------------------------------------------------------------------

    def node(self, raw: Any, where: str) -> Criterion:
        if isinstance(raw, list):  # a bare list is an implicit `all`
            raw = {"all": raw}
        if not isinstance(raw, Mapping):
            raise self.error(where, "expected a mapping (a leaf, or all / any / not)")
        combinators = [k for k in ("all", "any", "not") if k in raw]
        if len(combinators) > 1:
            raise self.error(where, f"use one of all / any / not, not {' and '.join(combinators)}")
        if combinators:
            kind = combinators[0]
            self.check_keys(raw, (kind, "label"), where)
            label = self.text(raw["label"], f"{where}.label") if "label" in raw else None
            if kind == "not":
                return Not(self.node(raw["not"], f"{where}.not"), label)
            items = raw[kind]
            if isinstance(items, Mapping):
                raise self.error(
                    f"{where}.{kind}",
                    "expected a list, got a mapping (to label a group write `label:` beside "
                    f"`{kind}:`, not under it)",
                )
            if not isinstance(items, list) or not items:
                raise self.error(f"{where}.{kind}", "expected a non-empty list")
            parsed = tuple(self.node(item, f"{where}.{kind}[{i}]") for i, item in enumerate(items))
            return All(parsed, label) if kind == "all" else AnyOf(parsed, label)
        kinds = [k for k in raw if k in _LEAVES]
        if len(kinds) != 1:
            allowed = ", ".join([*_LEAVES, "all", "any", "not", "label"])
            extra = [str(k) for k in raw if k not in _LEAVES and k != "label"]
            if extra:
                raise self.error(where, f"unknown key {extra[0]!r} (allowed: {allowed})")
            raise self.error(where, "a leaf needs exactly one criterion key")
        self.check_keys(raw, (kinds[0], "label"), where)
        kind = kinds[0]
        label = self.text(raw["label"], f"{where}.label") if "label" in raw else None
        return _LEAVES[kind](self, raw[kind], label, f"{where}.{kind}")

    def spec(self, raw: Any, allowed: tuple[str, ...], where: str) -> Mapping[str, Any]:
        if not isinstance(raw, Mapping) or not raw:
            raise self.error(where, f"expected a mapping with any of: {', '.join(allowed)}")
        self.check_keys(raw, allowed, where)
        return raw

    def opt_int(self, spec: Mapping[str, Any], key: str, where: str) -> int | None:
        return self.integer(spec[key], f"{where}.{key}") if key in spec else None

    def opt_number(self, spec: Mapping[str, Any], key: str, where: str) -> int | float | None:
        return self.number(spec[key], f"{where}.{key}") if key in spec else None

    # -- cases ----------------------------------------------------------------------------------

    def cases(self, raw: Any, rule_facts: set[str]) -> tuple[RuleCase, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            raise self.error("cases", "expected a list")
        out: list[RuleCase] = []
        names: set[str] = set()
        for i, item in enumerate(raw):
            where = f"cases[{i}]"
            if not isinstance(item, Mapping):
                raise self.error(where, "expected {name, input, expected}")
            self.check_keys(item, CASE_KEYS, where)
            name = self.text(item.get("name"), f"{where}.name")
            if name in names:
                raise self.error(where, f"duplicate case name {name!r}")
            names.add(name)
            where = f"cases[{name}]"
            profile = item.get("input")
            if not isinstance(profile, Mapping):
                raise self.error(f"{where}.input", "expected a profile mapping")
            self.check_keys(profile, PROFILE_KEYS, f"{where}.input")
            if "as_of" not in profile:
                raise self.error(f"{where}.input", "'as_of' is required so the case does not age")
            facts = profile.get("facts") or {}
            if not isinstance(facts, Mapping):
                raise self.error(f"{where}.input.facts", "expected a mapping of fact → true/false")
            for fact, value in facts.items():
                if fact not in rule_facts:
                    raise self.error(
                        f"{where}.input.facts", f"{fact!r} is not a fact this rule asks about"
                    )
                if not isinstance(value, bool):
                    raise self.error(f"{where}.input.facts.{fact}", "expected true or false")
            try:
                expected = Status(str(item.get("expected")))
            except ValueError:
                allowed = ", ".join(s.value for s in Status)
                raise self.error(f"{where}.expected", f"expected one of {allowed}") from None
            missing = item.get("missing")
            if missing is not None:
                if expected is not Status.MAYBE:
                    raise self.error(f"{where}.missing", "only a 'maybe' case lists missing facts")
                if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
                    raise self.error(f"{where}.missing", "expected a list of profile field names")
                missing = tuple(missing)
            note = item.get("note")
            out.append(
                RuleCase(
                    name=name,
                    input=dict(profile),
                    expected=expected,
                    missing=missing,
                    note=self.text(note, f"{where}.note") if note is not None else None,
                )
            )
        return tuple(out)


# ---------------------------------------------------------------------------------------------
# Leaf builders: YAML spec → model leaf, with a Korean default label.


def _range_label(
    low: int | float | None, high: int | float | None, unit: str, prefix: str = ""
) -> str:
    if low is not None and high is not None:
        return f"{prefix}{low}~{high}{unit}"
    if low is not None:
        return f"{prefix}{low}{unit} 이상"
    return f"{prefix}{high}{unit} 이하"


def _ko_date(day: date) -> str:
    return f"{day.year}.{day.month}.{day.day}."


def _born_label(earliest: date | None, latest: date | None) -> str:
    if earliest and latest:
        return f"{_ko_date(earliest)}~{_ko_date(latest)} 출생"
    if earliest:
        return f"{_ko_date(earliest)} 이후 출생"
    assert latest is not None
    return f"{_ko_date(latest)} 이전 출생"


def _age(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
    spec = p.spec(raw, ("min", "max", "under"), where)
    low, high = p.opt_int(spec, "min", where), p.opt_int(spec, "max", where)
    under = p.opt_int(spec, "under", where)
    if under is not None:
        if high is not None:
            raise p.error(where, "use 'max' or 'under', not both")
        high = under - 1
    if low is not None and high is not None and low > high:
        raise p.error(where, "min is above max")
    default = f"만 {under}세 미만" if under is not None and low in (None, 0) else None
    default = default or _range_label(low, high, "세", "만 ")
    return AgeRange(label or default, p.provenance, min_years=low, max_years=high)


def _age_months(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
    spec = p.spec(raw, ("min", "max"), where)
    low, high = p.opt_int(spec, "min", where), p.opt_int(spec, "max", where)
    default = _range_label(low, high, "개월", "생후 ")
    return AgeMonthsRange(label or default, p.provenance, min_months=low, max_months=high)


def _child_age(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
    spec = p.spec(raw, ("min_months", "max_months", "under_years"), where)
    low = p.opt_int(spec, "min_months", where)
    high = p.opt_int(spec, "max_months", where)
    under = p.opt_int(spec, "under_years", where)
    if under is not None:
        if high is not None:
            raise p.error(where, "use 'max_months' or 'under_years', not both")
        high = under * 12 - 1
    default = (
        f"만 {under}세 미만 자녀"
        if under is not None and low in (None, 0)
        else _range_label(low, high, "개월", "생후 ") + " 자녀"
    )
    return ChildAgeRange(label or default, p.provenance, min_months=low, max_months=high)


def _born(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
    spec = p.spec(raw, ("from", "to"), where)
    earliest = p.day(spec["from"], f"{where}.from") if "from" in spec else None
    latest = p.day(spec["to"], f"{where}.to") if "to" in spec else None
    if earliest and latest and earliest > latest:
        raise p.error(where, "'from' is after 'to'")
    return BornBetween(
        label or _born_label(earliest, latest), p.provenance, earliest=earliest, latest=latest
    )


def _child_born(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
    spec = p.spec(raw, ("from", "to"), where)
    earliest = p.day(spec["from"], f"{where}.from") if "from" in spec else None
    latest = p.day(spec["to"], f"{where}.to") if "to" in spec else None
    if earliest and latest and earliest > latest:
        raise p.error(where, "'from' is after 'to'")
    default = _born_label(earliest, latest) + " 자녀"
    return ChildBornBetween(label or default, p.provenance, earliest=earliest, latest=latest)


def _sex(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
    allowed = p.names(raw, ("male", "female"), where)
    default = "·".join({"female": "여성", "male": "남성"}[s] for s in sorted(allowed))
    return SexIn(label or default, p.provenance, allowed=allowed)


def _region(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
    codes = [raw] if isinstance(raw, str) else raw
    if not isinstance(codes, list) or not codes:
        raise p.error(where, "expected a list of 2- or 5-digit region codes (quoted)")
    for code in codes:
        if not isinstance(code, str) or not _REGION_CODE.match(code):
            raise p.error(where, f"{code!r} is not a quoted 2- or 5-digit region code")
    if label is None:
        raise p.error(where, "a region leaf needs a 'label' naming the place in Korean")
    return LivesIn(label, p.provenance, areas=tuple(codes))


def _residence(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
    spec = p.spec(raw, ("min_months",), where)
    months = p.integer(spec["min_months"], f"{where}.min_months")
    return ResidenceDuration(label or f"{months}개월 이상 거주", p.provenance, min_months=months)


def _user_type(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
    allowed = p.names(raw, USER_TYPES, where)
    names = {"individual": "개인", "household": "가구", "small_business": "소상공인"}
    names["organization"] = "법인·시설·단체"
    default = "·".join(names[u] for u in USER_TYPES if u in allowed)
    return UserTypeIn(label or default, p.provenance, allowed=allowed)


def _income(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
    spec = p.spec(raw, ("max_percent", "min_percent", "min_inclusive"), where)
    high = p.opt_number(spec, "max_percent", where)
    low = p.opt_number(spec, "min_percent", where)
    inclusive = spec.get("min_inclusive", False)
    if not isinstance(inclusive, bool):
        raise p.error(f"{where}.min_inclusive", "expected true or false")
    if high is None and low is None:
        raise p.error(where, "give max_percent and/or min_percent")
    parts = []
    if low is not None:
        parts.append(f"{low}% {'이상' if inclusive else '초과'}")
    if high is not None:
        parts.append(f"{high}% 이하")
    default = "기준 중위소득 " + " ".join(parts)
    return IncomeRatio(
        label or default, p.provenance, max_percent=high, min_percent=low, min_inclusive=inclusive
    )


def _income_band(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
    allowed = p.names(raw, INCOME_BANDS, where)
    default = "기준 중위소득 " + ", ".join(f"{b}%" for b in INCOME_BANDS if b in allowed)
    return IncomeBandIn(label or default, p.provenance, allowed=allowed)


def _membership(
    p: _FileParser, raw: Any, where: str, vocabulary: Mapping[str, str]
) -> tuple[frozenset[str], frozenset[str], bool, str]:
    if isinstance(raw, list | str):
        raw = {"any_of": raw}
    spec = p.spec(raw, ("any_of", "none_ok", "group"), where)
    if "any_of" not in spec:
        raise p.error(where, "'any_of' is required")
    allowed = p.names(spec["any_of"], vocabulary, f"{where}.any_of")
    group = (
        p.names(spec["group"], vocabulary, f"{where}.group")
        if "group" in spec
        else frozenset(vocabulary)
    )
    none_ok = spec.get("none_ok", False)
    if not isinstance(none_ok, bool):
        raise p.error(f"{where}.none_ok", "expected true or false")
    default = "·".join(vocabulary[s] for s in vocabulary if s in allowed)
    return allowed, group | allowed, none_ok, default


def _status(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
    allowed, group, none_ok, default = _membership(p, raw, where, STATUS_NAMES_KO)
    return StatusIn(label or default, p.provenance, allowed=allowed, group=group, none_ok=none_ok)


def _household(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
    allowed, group, none_ok, default = _membership(p, raw, where, TRAIT_NAMES_KO)
    return HouseholdTraitIn(
        label or default, p.provenance, allowed=allowed, group=group, none_ok=none_ok
    )


def _household_size(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
    spec = p.spec(raw, ("min", "max"), where)
    low, high = p.opt_int(spec, "min", where), p.opt_int(spec, "max", where)
    default = "가구원 " + _range_label(low, high, "명")
    return HouseholdSize(label or default, p.provenance, min_size=low, max_size=high)


def _children(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
    spec = p.spec(raw, ("min", "max"), where)
    low, high = p.opt_int(spec, "min", where), p.opt_int(spec, "max", where)
    default = "자녀 " + _range_label(low, high, "명")
    return ChildrenCount(label or default, p.provenance, min_count=low, max_count=high)


def _not_receiving(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
    ids = [raw] if isinstance(raw, str) else raw
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise p.error(where, "expected a list of quoted service IDs")
    return NotReceiving(
        label or "같은 종류의 지원을 받고 있지 않음", p.provenance, service_ids=frozenset(ids)
    )


def _fact(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
    spec = p.spec(raw, ("name", "question"), where)
    name = spec.get("name")
    if not isinstance(name, str) or not _FACT_NAME.match(name):
        raise p.error(f"{where}.name", "expected a snake_case English fact name")
    question = p.text(spec.get("question"), f"{where}.question")
    if label is None:
        raise p.error(where, "a fact leaf needs a 'label' (the condition in Korean)")
    return Flag(label, p.provenance, fact=name, question=question)


def _choice(
    vocabulary: tuple[str, ...], make: Callable[..., Criterion], what: str
) -> Callable[[_FileParser, Any, str | None, str], Criterion]:
    def build(p: _FileParser, raw: Any, label: str | None, where: str) -> Criterion:
        allowed = p.names(raw, vocabulary, where)
        return make(label or f"{what}: {', '.join(sorted(allowed))}", p.provenance, allowed=allowed)

    return build


_LEAVES: dict[str, Callable[[_FileParser, Any, str | None, str], Criterion]] = {
    "age": _age,
    "age_months": _age_months,
    "child_age": _child_age,
    "born": _born,
    "child_born": _child_born,
    "sex": _sex,
    "region": _region,
    "residence": _residence,
    "user_type": _user_type,
    "income": _income,
    "income_band": _income_band,
    "status": _status,
    "household": _household,
    "household_size": _household_size,
    "children": _children,
    "not_receiving": _not_receiving,
    "fact": _fact,
    "business_stage": _choice(BUSINESS_STAGES, BusinessStageIn, "사업 단계"),
    "business_industry": _choice(BUSINESS_INDUSTRIES, BusinessIndustryIn, "업종"),
    "organization_type": _choice(ORG_TYPES, OrganizationTypeIn, "기관 유형"),
    "organization_industry": _choice(ORG_INDUSTRIES, OrganizationIndustryIn, "기관 업종"),
}
LEAF_KEYS = tuple(_LEAVES)
