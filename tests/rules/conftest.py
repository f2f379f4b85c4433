"""Collect the YAML cases of every hand-written rule file as pytest items (OpenFisca style).

`tests/rules/rules_index.yaml` names the rules and parameters directories. Each rule file
becomes a collector and each of its `cases:` one test item, named by file and case:

    tests/rules/rules_index.yaml::mohw/SSE000000170.yaml::65세 생일 당일

A case runs the per-person evaluator (`alrim.eligibility.evaluate.evaluate`) with a real
`Context` (the region table and the dated parameters) and compares the status — and, for a
`maybe` case that lists them, the missing facts. A failure prints every reason.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from alrim.catalog.regions import RegionTable
from alrim.domain.profile import Profile
from alrim.eligibility.evaluate import Context, ServiceResult, evaluate
from alrim.eligibility.parameters import ParameterError, Parameters
from alrim.eligibility.profile_input import parse_profile
from alrim.eligibility.rules_file import RuleCase, RuleFile, RuleFileError, parse_rule_file

INDEX_NAME = "rules_index.yaml"


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name == INDEX_NAME:
        return RulesIndex.from_parent(parent, path=file_path)
    return None


class RulesIndex(pytest.File):
    def collect(self) -> Iterator[pytest.Collector]:
        index = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        rules_dir = (self.path.parent / index["rules_dir"]).resolve()
        parameters_dir = (self.path.parent / index["parameters_dir"]).resolve()
        for path in sorted(rules_dir.rglob("*.yaml")):
            yield RuleFileCollector.from_parent(
                self,
                name=path.relative_to(rules_dir).as_posix(),
                rule_path=path,
                parameters_dir=parameters_dir,
            )


class RuleFileCollector(pytest.Collector):
    def __init__(self, *, rule_path: Path, parameters_dir: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rule_path = rule_path
        self.parameters_dir = parameters_dir

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, RuleFileError | ParameterError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def collect(self) -> Iterator[pytest.Item]:
        parameters = _parameters(self.parameters_dir)
        rule_file = parse_rule_file(
            self.rule_path.read_text(encoding="utf-8"), self.rule_path, parameters
        )
        for case in rule_file.cases:
            yield RuleCaseItem.from_parent(
                self, name=case.name, rule_file=rule_file, case=case, parameters=parameters
            )


@dataclass
class CaseMismatch(Exception):
    rule_file: RuleFile
    case: RuleCase
    result: ServiceResult
    problem: str


class RuleCaseItem(pytest.Item):
    def __init__(
        self, *, rule_file: RuleFile, case: RuleCase, parameters: Parameters, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.rule_file = rule_file
        self.case = case
        self.parameters = parameters

    def runtest(self) -> None:
        profile = _profile(self.case.input)
        ctx = Context(regions=_regions(), parameters=self.parameters)
        result = evaluate(self.rule_file.rule, profile, ctx)
        if result.status is not self.case.expected:
            problem = f"expected {self.case.expected.value}, got {result.status.value}"
            raise CaseMismatch(self.rule_file, self.case, result, problem)
        if self.case.missing is not None and set(self.case.missing) != set(result.missing):
            problem = f"expected missing {sorted(self.case.missing)}, got {sorted(result.missing)}"
            raise CaseMismatch(self.rule_file, self.case, result, problem)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, CaseMismatch):
            e = excinfo.value
            lines = [
                f"{e.rule_file.ref} — {e.rule_file.name}",
                f"case {e.case.name!r}: {e.problem}",
                f"input: {dict(e.case.input)}",
                "reasons:",
                *(
                    f"  [{r.outcome.value:7}] {r.criterion}: {r.text}"
                    + (f"  (missing: {', '.join(r.missing)})" if r.missing else "")
                    for r in e.result.reasons
                ),
            ]
            if e.result.missing:
                lines.append(f"missing: {', '.join(e.result.missing)}")
            return "\n".join(lines)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.rule_file_path, 0, f"{self.rule_file.ref}::{self.case.name}"

    @property
    def rule_file_path(self) -> Path:
        return (
            Path(self.parent.rule_path) if isinstance(self.parent, RuleFileCollector) else self.path
        )


@cache
def _parameters(directory: Path) -> Parameters:
    return Parameters.load(directory)


@cache
def _regions() -> RegionTable:
    return RegionTable.default()


def _profile(data: Mapping[str, Any]) -> Profile:
    """The case input through the real contract §1 parser (YAML dates → ISO strings first)."""
    return parse_profile(_json_ready(data), regions=_regions())


def _json_ready(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value
