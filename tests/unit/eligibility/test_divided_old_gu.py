"""A profile under a divided old 구 still rules out the services of other 구.

인천광역시 서구 was divided on 2026-07-01 into 서해구 (28275) and 검단구 (28290); 중구 into 제물포구
(28125) and 영종구 (28155). Someone who gives the old name lives in exactly one of the
successors. The profile keeps the 시도 as `region` (what is certain) and the successors as
`region_candidates`, so a 미추홀구 service is `ineligible` (neither successor is 미추홀구), a 서해구
service `maybe` (which one is not known) and an 인천-wide service passes the region. Built from
the real gov24 sample services that persona p15 ("인천광역시 서구") was judged against
(`tests/personas/judged.yaml`), and every evaluator must say the same.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from alrim.catalog.assemble import assemble
from alrim.catalog.regions import RegionTable
from alrim.catalog.sources.gov24_files import Gov24FileSource
from alrim.domain.profile import Profile
from alrim.eligibility import vectorized
from alrim.eligibility.engine import EligibilityEngine
from alrim.eligibility.evaluate import evaluate
from alrim.eligibility.parameters import Parameters
from alrim.eligibility.profile_input import parse_profile, profile_to_json
from alrim.eligibility.profile_table import profiles_to_frame
from alrim.eligibility.questions import answer_variants
from alrim.eligibility.rules_file import load_rules
from alrim.eligibility.vectorized import audience_statuses, screen_all
from alrim.paths import DATA_DIR, PARAMETERS_DIR, RULES_DIR

REGIONS = RegionTable.default()
AS_OF = date(2026, 11, 25)
GOV24 = [
    DATA_DIR / "gov24" / f"{name}_sample.json.gz"
    for name in ("serviceList", "serviceDetail", "supportConditions")
]
SEOGU = {"as_of": AS_OF.isoformat(), "region": "인천광역시 서구"}  # persona p15

# Services of another 인천 구·군 (judged ineligible for p15 by reading their text).
OTHER_GU = {
    "350000000102": "제물포구",  # 장애인 우수선수
    "351050000121": "미추홀구",  # 청년 커뮤니티 활성화 지원
    "O00026900005": "남동구",  # 체육시설 이용요금 감면
    "350000000112": "제물포구",  # 기초생활보장지원
    "354000000107": "부평구",  # 저소득 어르신 틀니 본인부담금 지원
    "357000000108": "강화군",  # 한부모가정 명절 위문
    "O00092100001": "연수구",  # 연수예술지원사업
}
SEOHAE_PARKING = "O00027100009"  # 서해구 공영주차장 이용요금 감면: 서해구 only
INCHEON_WIDE = "628000000768"  # 아이모아카드: 인천광역시에 주소


def _profile(region: str, **extra: Any) -> Profile:
    return parse_profile({"as_of": AS_OF.isoformat(), "region": region, **extra}, regions=REGIONS)


@pytest.fixture(scope="module")
def engine() -> EligibilityEngine:
    if not all(Path(f).exists() for f in GOV24):
        pytest.skip("the bundled gov24 sample is not present")
    services = assemble(
        Gov24FileSource(GOV24).records(), dataset="gov24", regions=REGIONS, fetched_at=None
    ).services
    wanted = set(OTHER_GU) | {SEOHAE_PARKING, INCHEON_WIDE}
    # Every 인천 service, the judged ones, and some nationwide ones.
    incheon = [
        s
        for s in services
        if s.service_id in wanted or (s.region is not None and s.region.code.startswith("28"))
    ]
    nationwide = [s for s in services if s.region is None][:40]
    parameters = Parameters.load(PARAMETERS_DIR)
    built = EligibilityEngine.build(
        incheon + nationwide,
        regions=REGIONS,
        parameters=parameters,
        hand_rules=load_rules(RULES_DIR, parameters),
    )
    assert wanted <= set(built.services)
    return built


def test_the_parser_keeps_the_successors_of_a_divided_old_gu() -> None:
    seogu = parse_profile(SEOGU, regions=REGIONS)
    assert (seogu.region, seogu.region_candidates) == ("28", ("28275", "28290"))
    assert _profile("28260") == seogu
    assert _profile("인천 중구").region_candidates == ("28125", "28155")
    # A current 구, or an old name wholly inside one current region, has no candidates.
    assert _profile("인천광역시 서해구").region_candidates == ()
    merged = _profile("광주광역시 동구")
    assert (merged.region, merged.region_candidates) == ("12210", ())


def test_saved_answers_keep_the_candidates_without_a_new_field() -> None:
    seogu = parse_profile(SEOGU, regions=REGIONS)
    stored = profile_to_json(seogu, REGIONS)
    assert stored == {"as_of": "2026-11-25", "region": "28260"}  # 인천광역시 서구, not 인천직할시
    assert parse_profile(stored, regions=REGIONS) == seogu
    jung = _profile("인천광역시 중구")
    assert parse_profile(profile_to_json(jung, REGIONS), regions=REGIONS) == jung


@pytest.mark.parametrize("service_id", sorted(OTHER_GU))
def test_a_service_of_another_gu_is_ineligible(engine: EligibilityEngine, service_id: str) -> None:
    result = engine.explain(parse_profile(SEOGU, regions=REGIONS), service_id)
    assert result is not None and result.status.value == "ineligible"
    [region] = [r for r in result.reasons if r.criterion == "region"]
    assert region.outcome.value == "fail"
    assert OTHER_GU[service_id] in region.text
    assert region.text.endswith("(사는 곳: 인천광역시 서해구 또는 검단구)")


def test_a_service_of_one_successor_stays_maybe_and_asks_which(
    engine: EligibilityEngine,
) -> None:
    seogu = parse_profile(SEOGU, regions=REGIONS)
    result = engine.explain(seogu, SEOHAE_PARKING)
    assert result is not None and result.status.value == "maybe"
    assert "region" in result.missing
    [region] = [r for r in result.reasons if r.criterion == "region"]
    assert region.text.endswith("(인천광역시 서해구·검단구 중 어디에 사는지 알려주세요)")
    # Answering settles it both ways.
    assert engine.statuses(_profile("인천광역시 검단구"))[SEOHAE_PARKING] == "ineligible"
    assert engine.statuses(_profile("인천광역시 서해구"))[SEOHAE_PARKING] != "ineligible"
    # The question about the region offers the two successors, not a guess in all of 인천.
    variants = answer_variants("region", seogu, engine.ctx.parameters.median_income)
    assert [(w, v.region, v.region_candidates) for w, v in variants] == [
        (0.5, "28275", ()),
        (0.5, "28290", ()),
    ]


def test_an_incheon_wide_service_passes_the_region(engine: EligibilityEngine) -> None:
    result = engine.explain(parse_profile(SEOGU, regions=REGIONS), INCHEON_WIDE)
    assert result is not None
    [region] = [r for r in result.reasons if r.criterion == "region"]
    assert region.outcome.value == "pass"


def _people() -> list[Profile]:
    return [
        parse_profile(SEOGU, regions=REGIONS),
        _profile("인천광역시 중구", birth_date="1990-05-01", sex="female"),
        _profile("인천 서구", age=70, household_size=1, household_income_monthly=900_000),
        _profile("인천광역시 서해구"),
        _profile("인천광역시 검단구", age=30),
        _profile("인천광역시"),
        _profile("인천광역시 미추홀구", age=25),
        Profile(as_of=AS_OF),
    ]


def test_every_evaluator_agrees_on_people_under_a_divided_old_gu(
    engine: EligibilityEngine,
) -> None:
    people = _people()
    ctx = engine.ctx
    reference = [[evaluate(r, p, ctx).to_dict() for r in engine.rules] for p in people]
    # The per-person screener: statuses, reasons and `missing`.
    for person, expected in zip(people, reference, strict=True):
        assert engine.screener.check(person, include_all=True) == expected
    # The vectorised audience, with and without the region gate.
    frame = profiles_to_frame(people)
    for j, rule in enumerate(engine.rules):
        want = [row[j]["status"] for row in reference]
        assert audience_statuses(rule, frame, ctx).to_list() == want, rule.service_id
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(vectorized, "_GATE_ROWS", 0)
            assert audience_statuses(rule, frame, ctx).to_list() == want, rule.service_id
    # The counts over every service.
    counts = screen_all(engine.rules, frame, ctx)
    for j, row in enumerate(counts.iter_rows(named=True)):
        tally = Counter(person[j]["status"] for person in reference)
        assert (row["eligible"], row["maybe"], row["ineligible"]) == (
            tally["eligible"],
            tally["maybe"],
            tally["ineligible"],
        ), row["service_id"]
    # And the person under old 서구 is told "no" about the other 구 everywhere.
    seogu = dict(zip(engine.screener.service_ids, reference[0], strict=True))
    assert {sid: seogu[sid]["status"] for sid in OTHER_GU} == dict.fromkeys(OTHER_GU, "ineligible")
