"""Notification commands: `alrim worker` and `alrim notify preview | send-due | dead-letters`."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from alrim.cli.common import engine, fail, print_json
from alrim.privacy.logfilter import install_log_filter

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def register(app: typer.Typer) -> None:
    install_log_filter()
    app.command("worker")(worker)
    notify_app = typer.Typer(help="Notifications (outbox, delivery).", no_args_is_help=True)
    notify_app.command("preview")(preview)
    notify_app.command("send-due")(send_due)
    notify_app.command("dead-letters")(dead_letters)
    app.add_typer(notify_app, name="notify")


def worker(
    once: Annotated[
        bool, typer.Option("--once", help="One pass (due jobs, then deliver what is due).")
    ] = False,
    poll: Annotated[float, typer.Option(help="Seconds to wait when nothing is due.")] = 2.0,
    as_json: JsonOpt = False,
) -> None:
    """Run the notification worker: scheduled jobs and delivery (stop with Ctrl-C/SIGTERM)."""
    from alrim.notify.worker import run_worker
    from alrim.settings import get_settings

    logging.getLogger("alrim").setLevel(logging.INFO)
    stats = run_worker(engine(), get_settings(), once=once, poll_seconds=poll)
    if stats is not None:
        if as_json:
            print_json(stats.to_dict())
        else:
            typer.echo(_stats_line(stats.to_dict()))


def _stats_line(stats: dict[str, object]) -> str:
    return (
        f"보냄 {stats['sent']} · 실패 {stats['failed']} · 중단(dead) {stats['dead']} · "
        f"확인됨 {stats['reconciled']} · 메시지 묶음 {stats['batched']}"
    )


def preview(
    service: Annotated[str, typer.Option("--service", help="Service id.")],
    as_json: JsonOpt = False,
) -> None:
    """Who would be told about a service — counts only, never names or addresses."""
    from alrim.notify.audience import count_audience, maybe_set, reachable_frame
    from alrim.notify.jobs import today_kst
    from alrim.notify.preferences import reach_table
    from alrim.notify.snapshot import MatchingSnapshot
    from alrim.services.eligibility import get_eligibility
    from alrim.settings import get_settings
    from alrim.store.base import utcnow

    settings = get_settings()
    eng = engine()
    eligibility = get_eligibility(eng)
    if eligibility.rule(service) is None:
        fail(f"서비스를 찾을 수 없어요: {service}")
    snap = MatchingSnapshot()
    snap.build(eng)
    reach = reach_table(eng, settings)
    frame = snap.on(today_kst(utcnow()))
    reachable = reachable_frame(frame, reach)
    everyone = count_audience(eligibility, service, frame, set())
    told = count_audience(eligibility, service, reachable, maybe_set(reach))
    assert everyone is not None and told is not None
    eligible_ids = set()
    from alrim.notify.audience import split_audience

    split = split_audience(eligibility, service, reachable, maybe_set(reach))
    if split is not None:
        eligible_ids = set(split[0]) | set(split[1])
    by_channel: dict[str, int] = {}
    for account_id in eligible_ids:
        r = reach.get(account_id)
        for channel in r.channels if r else ():
            by_channel[channel] = by_channel.get(channel, 0) + 1
    result = {
        "service_id": service,
        "stored_profiles": everyone.profiles,
        "eligible": everyone.eligible,
        "maybe": everyone.maybe,
        "reachable_profiles": told.profiles,
        "would_be_told": {"eligible": told.eligible, "maybe_opted_in": told.maybe_opted_in},
        "by_channel": dict(sorted(by_channel.items())),
    }
    if as_json:
        print_json(result)
        return
    typer.echo(f"서비스 {service}")
    typer.echo(
        f"  저장된 프로필 {result['stored_profiles']}명 중 받을 수 있음 {everyone.eligible}명, "
    )
    typer.echo(f"  받을 수도 있음 {everyone.maybe}명")
    typer.echo(
        f"  알림을 받을 사람: 받을 수 있음 {told.eligible}명 + "
        f"'받을 수도 있음' 알림 동의 {told.maybe_opted_in}명"
    )
    for channel, count in result["by_channel"].items():  # type: ignore[attr-defined]
        typer.echo(f"    {channel}: {count}명")


def send_due(
    max_batches: Annotated[int | None, typer.Option(help="Stop after this many batches.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Deliver what is due now (no scheduled jobs), then exit."""
    from alrim.notify.hooks import install_hooks
    from alrim.notify.worker import Worker
    from alrim.settings import get_settings

    install_hooks()
    stats = Worker(engine(), get_settings(), jobs=False).run_once(max_batches=max_batches)
    if as_json:
        print_json(stats.to_dict())
    else:
        typer.echo(_stats_line(stats.to_dict()))


def dead_letters(
    retry: Annotated[
        list[int] | None, typer.Option("--retry", help="Message id to send again (repeatable).")
    ] = None,
    limit: int = 50,
    as_json: JsonOpt = False,
) -> None:
    """List dead-lettered messages (ids, channel, tries, last error), or send some again."""
    from alrim.notify.delivery import requeue_dead
    from alrim.notify.web import dead_letters as load
    from alrim.store.base import utcnow

    eng = engine()
    if retry:
        count = requeue_dead(eng, retry, utcnow())
        typer.echo(f"{count}건을 다시 보내도록 넣었어요.")
        return
    letters = load(eng, limit=limit)
    if as_json:
        print_json(letters)
        return
    if not letters:
        typer.echo("보내지 못한 알림이 없어요.")
        return
    for d in letters:
        typer.echo(
            f"#{d['id']}  {d['channel']:<7} 시도 {d['attempts']}  알림 {d['notifications']}  "
            f"{d['dead_at']:%Y-%m-%d %H:%M}  {d['error'][:80]}"
        )
