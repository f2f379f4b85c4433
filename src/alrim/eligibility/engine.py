"""The eligibility engine: one catalog snapshot compiled once, judged many times.

    engine = EligibilityEngine.build(services, regions=…, parameters=…, hand_rules=…)
    engine.check(profile)            # contract §2, fast (columnar screener)
    engine.explain(profile, sid)     # full reasons for one service (reference evaluator)
    engine.next_questions(profile)   # what to ask next

Rules come, in order of trust, from hand-written rule files (`rules/`), then from the catalog
(JA codes + the agency's region + the service's own text). Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from alrim.domain.profile import Profile
from alrim.domain.service import Service
from alrim.eligibility.compile import compile_service
from alrim.eligibility.evaluate import Context, ServiceResult, evaluate
from alrim.eligibility.model import Disagreement, Flag, Rule, leaves
from alrim.eligibility.parameters import Parameters
from alrim.eligibility.questions import Question, QuestionPlanner
from alrim.eligibility.screener import Screener
from alrim.eligibility.text import KNOWN_FLAGS
from alrim.eligibility.text_criteria import extract_text_criteria


@dataclass
class EligibilityEngine:
    services: dict[str, Service]
    rules: list[Rule]
    ctx: Context
    catalog_version: str
    screener: Screener
    dormant_hand_rules: list[str] = field(default_factory=list)  # hand rules with no service
    _index: dict[str, int] = field(default_factory=dict)
    _planner: QuestionPlanner | None = None

    @classmethod
    def build(
        cls,
        services: Sequence[Service],
        *,
        regions: Any,
        parameters: Parameters,
        hand_rules: Mapping[str, Rule] | None = None,
        catalog_version: str = "",
    ) -> EligibilityEngine:
        hand_rules = dict(hand_rules or {})
        ctx = Context(regions=regions, parameters=parameters)
        rules: list[Rule] = []
        by_id: dict[str, Service] = {}
        for service in services:
            by_id[service.service_id] = service
            hand = hand_rules.get(service.service_id)
            if hand is not None:
                rules.append(hand)
                continue
            findings = extract_text_criteria(service, regions)
            rules.append(compile_service(service, regions=regions, text_findings=findings))
        dormant = sorted(set(hand_rules) - set(by_id))
        engine = cls(
            services=by_id,
            rules=rules,
            ctx=ctx,
            catalog_version=catalog_version,
            screener=Screener.build(rules, ctx),
            dormant_hand_rules=dormant,
        )
        engine._index = {r.service_id: i for i, r in enumerate(rules)}
        return engine

    # -- judging ------------------------------------------------------------------------------

    def check(
        self,
        profile: Profile,
        *,
        include_ineligible: bool = False,
        service_ids: Collection[str] | None = None,
    ) -> dict[str, Any]:
        """Contract §2: eligible and maybe services (all of them with `include_ineligible`)."""
        results = self.screener.check(profile, include_all=include_ineligible)
        if service_ids is not None:
            wanted = set(service_ids)
            results = [r for r in results if r["service_id"] in wanted]
        return {
            "as_of": profile.as_of.isoformat(),
            "catalog_version": self.catalog_version,
            "results": results,
        }

    def statuses(self, profile: Profile) -> dict[str, str]:
        screening = self.screener.screen(profile)
        return {
            sid: status.value
            for sid, status in zip(self.screener.service_ids, screening.statuses(), strict=True)
        }

    def explain(self, profile: Profile, service_id: str) -> ServiceResult | None:
        i = self._index.get(service_id)
        if i is None:
            return None
        return evaluate(self.rules[i], profile, self.ctx)

    def rule(self, service_id: str) -> Rule | None:
        i = self._index.get(service_id)
        return self.rules[i] if i is not None else None

    def disagreements(self) -> list[Disagreement]:
        return [d for r in self.rules for d in r.disagreements]

    # -- the questionnaire --------------------------------------------------------------------

    def _fact_questions(self) -> tuple[dict[str, str], dict[str, str]]:
        questions = {name: q for name, (_label, q) in KNOWN_FLAGS.items()}
        labels = {name: label for name, (label, _q) in KNOWN_FLAGS.items()}
        for rule in self.rules:
            for leaf in leaves(rule.criteria):
                if isinstance(leaf, Flag) and leaf.question:
                    questions.setdefault(leaf.fact, leaf.question)
                    labels.setdefault(leaf.fact, leaf.label)
        return questions, labels

    def planner(self) -> QuestionPlanner:
        if self._planner is None:
            questions, labels = self._fact_questions()
            self._planner = QuestionPlanner(
                screen=lambda p: self.screener.screen(p).outcomes.tolist(),
                median=self.ctx.parameters.median_income,
                fact_questions=questions,
                fact_labels=labels,
            )
        return self._planner

    def next_questions(self, profile: Profile, limit: int = 5) -> list[Question]:
        """Unknown facts ranked by how many `maybe` results their answer would settle."""
        screening = self.screener.screen(profile)
        maybe_idx = [i for i, o in enumerate(screening.outcomes.tolist()) if o == 0]
        if not maybe_idx:
            return []
        results = self.screener.results(screening)
        missing = {
            self._index[r["service_id"]]: r.get("missing", [])
            for r in results
            if r["status"] == "maybe"
        }
        return self.planner().rank(profile, missing, limit=limit)
