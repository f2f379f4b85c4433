"""Every leaf kind of the rule model has a fast form in both vectorised evaluators."""

from __future__ import annotations

from datetime import date

import pytest
from elig_strategies import context

from alrim.domain.profile import Profile
from alrim.eligibility.model import LEAF_TYPES, All, Leaf, Provenance, ProvenanceKind, Rule
from alrim.eligibility.profile_table import profiles_to_frame
from alrim.eligibility.screener import Screener
from alrim.eligibility.vectorized import ExprCompiler, FrameFacts

_PROV = Provenance(ProvenanceKind.RULE, "tests")


@pytest.mark.parametrize("leaf_type", LEAF_TYPES, ids=lambda t: t.__name__)
def test_leaf_kind_has_array_and_expression_forms(leaf_type: type[Leaf]) -> None:
    leaf = leaf_type("조건", _PROV)
    rule = Rule("S1", All((leaf,)), origin="hand")
    screener = Screener.build([rule], context())
    assert screener.fallback_ids == ()

    frame = profiles_to_frame([Profile(as_of=date(2026, 11, 25))])
    compiler = ExprCompiler(FrameFacts.of(frame, date(2026, 11, 25)), context())
    assert frame.select(compiler.leaf(leaf).alias("x")).height == 1
