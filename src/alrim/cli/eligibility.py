"""Eligibility commands: check, explain, questions, audience, synth, rules."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from alrim.cli.common import engine, fail, print_json
from alrim.eligibility.profile_input import ProfileError, parse_profile
from alrim.services.catalog import korea_today

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (contract §2).")]
STATUS_TITLES = {
    "eligible": "받을 수 있어요",
    "maybe": "확인이 필요해요",
    "ineligible": "받기 어려워요",
}


def register(app: typer.Typer) -> None:
    app.command("check")(check)
    app.command("explain")(explain)
    app.command("questions")(questions)
    app.command("audience")(audience)
    app.command("synth")(synth)
    app.command("rules")(rules)


def _load_profile(path: Path) -> Any:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        fail(f"프로필 파일이 없어요: {path}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        fail(f"프로필 파일이 올바른 JSON이 아니에요 (invalid JSON): {exc}")
    try:
        return parse_profile(data, today=korea_today())
    except ProfileError as exc:
        hint = f" — 혹시: {', '.join(exc.suggestions[:5])}" if exc.suggestions else ""
        fail(f"{exc.field or '프로필'}: {exc.message}{hint}\n({exc})")


def check(
    profile_file: Annotated[Path, typer.Argument(help="Profile JSON (contract §1).")],
    show_all: Annotated[bool, typer.Option("--all", help="Also list ineligible services.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Every service the person can get (eligible), might get (maybe) and, with --all, not."""
    from alrim.services.eligibility import get_eligibility

    profile = _load_profile(profile_file)
    eng = engine()
    elig = get_eligibility(eng)
    result = elig.check(profile, include_ineligible=show_all)
    if as_json:
        print_json(result)
        return
    groups: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for r in result["results"]:
        service = elig.services.get(r["service_id"])
        category = service.categories[0] if service and service.categories else "기타"
        groups[r["status"]][category].append(r)
    typer.echo(f"기준일 {result['as_of']} · 카탈로그 {result['catalog_version']}")
    for status in ("eligible", "maybe", "ineligible"):
        if status not in groups:
            continue
        total = sum(len(v) for v in groups[status].values())
        typer.echo(f"\n■ {STATUS_TITLES[status]} ({total})")
        for category, items in sorted(groups[status].items(), key=lambda kv: -len(kv[1])):
            typer.echo(f"  [{category}] {len(items)}")
            for r in items:
                service = elig.services.get(r["service_id"])
                name = service.name if service else r["service_id"]
                line = f"    - {name} ({r['service_id']})"
                if status == "maybe":
                    line += f" — 알려주면 확인돼요: {', '.join(r.get('missing', []))}"
                elif status == "ineligible":
                    fails = [x["text"] for x in r["reasons"] if x["outcome"] == "fail"]
                    line += f" — {fails[0] if fails else ''}"
                typer.echo(line)


def explain(
    profile_file: Annotated[Path, typer.Argument(help="Profile JSON (contract §1).")],
    service_id: Annotated[str, typer.Argument(help="서비스ID")],
    as_json: JsonOpt = False,
) -> None:
    """Why (or why not) one service, criterion by criterion, with where each came from."""
    from alrim.services.eligibility import get_eligibility

    profile = _load_profile(profile_file)
    elig = get_eligibility(engine())
    result = elig.explain(profile, service_id.strip())
    if result is None:
        fail(f"서비스 {service_id} 를 찾을 수 없어요.", code=1)
    rule = elig.rule(service_id.strip())
    if as_json:
        out = result.to_dict()
        out["missing"] = list(result.missing)
        out["rule_origin"] = rule.origin if rule else None
        out["rule_file"] = rule.rule_file if rule else None
        out["disagreements"] = [d.to_dict() for d in rule.disagreements] if rule else []
        print_json(out)
        return
    service = elig.services[service_id.strip()]
    typer.echo(f"{service.name} [{service.service_id}] — {STATUS_TITLES[result.status.value]}")
    marks = {"pass": "✔", "fail": "✘", "unknown": "?"}
    for reason in result.reasons:
        src = reason.source
        where = src.ref
        if src.span is not None:
            where = f"{src.span.field}[{src.span.start}:{src.span.end}] “{src.span.text}”"
        typer.echo(f"  {marks[reason.outcome.value]} {reason.text}")
        typer.echo(f"      근거: {src.kind.value} — {where}")
    if result.missing:
        typer.echo(f"  알려주면 확인돼요: {', '.join(result.missing)}")


def questions(
    profile_file: Annotated[Path, typer.Argument(help="Profile JSON (contract §1).")],
    limit: Annotated[int, typer.Option(help="How many questions.")] = 5,
    as_json: JsonOpt = False,
) -> None:
    """The next questions to ask, ranked by how many 'maybe' results each answer settles."""
    from alrim.services.eligibility import get_eligibility

    profile = _load_profile(profile_file)
    ranked = get_eligibility(engine()).next_questions(profile, limit=limit)
    if as_json:
        print_json([q.to_dict() for q in ranked])
        return
    if not ranked:
        typer.echo("더 여쭤볼 것이 없어요.")
    for i, q in enumerate(ranked, 1):
        typer.echo(
            f"{i}. {q.label}  [{q.field}] — 약 {q.settles}건이 확정돼요 ({q.asked_by}건이 필요)"
        )


def audience(
    service_id: Annotated[str, typer.Argument(help="서비스ID")],
    profiles: Annotated[Path, typer.Option("--profiles", help="Profiles (.parquet or .csv).")],
    show_ids: Annotated[int, typer.Option("--ids", help="Print up to N person ids.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Who among many stored/synthetic profiles can get one service (vectorised)."""
    from alrim.eligibility.profile_table import read_profiles
    from alrim.eligibility.vectorized import audience as audience_of
    from alrim.services.eligibility import get_eligibility

    if not profiles.exists():
        fail(f"프로필 파일이 없어요: {profiles}")
    elig = get_eligibility(engine())
    rule = elig.rule(service_id.strip())
    if rule is None:
        fail(f"서비스 {service_id} 를 찾을 수 없어요.", code=1)
    frame = read_profiles(profiles)
    outcome = audience_of(rule, frame, elig.ctx)
    ids = frame["person_id"]
    eligible = ids.filter(outcome == 1).to_list()
    maybe = ids.filter(outcome == 0).to_list()
    out = {
        "service_id": rule.service_id,
        "profiles": frame.height,
        "eligible": len(eligible),
        "maybe": len(maybe),
        "ineligible": frame.height - len(eligible) - len(maybe),
        "eligible_ids": eligible[:show_ids],
        "maybe_ids": maybe[:show_ids],
    }
    if as_json:
        print_json(out)
        return
    typer.echo(
        f"{rule.service_id}: {frame.height:,}명 중 받을 수 있어요 {out['eligible']:,}명, "
        f"확인이 필요해요 {out['maybe']:,}명, 받기 어려워요 {out['ineligible']:,}명"
    )
    if eligible:
        typer.echo("  예: " + ", ".join(eligible[:show_ids]))


def synth(
    n: Annotated[int, typer.Option("--n", help="Number of people.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    as_of: Annotated[str | None, typer.Option(help="Reference day (YYYY-MM-DD).")] = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="Output .parquet or .csv")] = Path(
        "profiles.parquet"
    ),
) -> None:
    """Generate a synthetic population with realistic marginals (docs/synth.md)."""
    from alrim.catalog.regions import RegionTable
    from alrim.eligibility.profile_table import write_profiles
    from alrim.eligibility.synth import synthesize

    day = date.fromisoformat(as_of) if as_of else date.today()
    frame = synthesize(n, seed=seed, as_of=day, regions=RegionTable.default())
    write_profiles(frame, output)
    typer.echo(f"{frame.height:,}명의 가상 인구를 {output} 에 썼어요 (seed {seed}, 기준일 {day}).")


def rules(
    as_json: JsonOpt = False,
    review: Annotated[
        bool, typer.Option(help="Write text/code disagreements to var/review/.")
    ] = False,
) -> None:
    """Where each service's rule comes from; hand rules with no service in the catalog."""
    from alrim.services.eligibility import build_engine

    elig = build_engine(engine(), write_review_log=review)
    origins: dict[str, int] = defaultdict(int)
    for rule in elig.rules:
        origins[rule.origin] += 1
    out = {
        "services": len(elig.rules),
        "origins": dict(origins),
        "hand_rules_without_service": elig.dormant_hand_rules,
        "disagreements": len(elig.disagreements()),
    }
    if as_json:
        print_json(out)
        return
    typer.echo(
        f"규칙 {out['services']}개: " + ", ".join(f"{k} {v}" for k, v in sorted(origins.items()))
    )
    typer.echo(
        f"글과 코드가 다른 곳: {out['disagreements']}건"
        + (" (var/review/ 에 기록)" if review else "")
    )
    if elig.dormant_hand_rules:
        typer.echo("카탈로그에 없는 서비스의 규칙: " + ", ".join(elig.dormant_hand_rules))
