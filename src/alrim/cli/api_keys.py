"""`alrim apikey create | list | revoke`: keys for partner apps of the open API."""

from __future__ import annotations

from typing import Annotated

import typer

from alrim.api import keys as api_keys
from alrim.cli.common import engine, fail, print_json

apikey_app = typer.Typer(
    name="apikey",
    help="API keys for partner apps (stored hashed; a new key is shown once).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(apikey_app, name="apikey")


@apikey_app.command("create")
def create(
    name: Annotated[str, typer.Option("--name", help="The partner or app the key is for.")],
    rate_limit: Annotated[
        int | None,
        typer.Option(
            "--rate-limit",
            min=1,
            help="Requests per rate-limit window (default: ALRIM_RATE_LIMIT_KEYED).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a key and print it once: only its hash is stored."""
    try:
        created = api_keys.create_key(engine(), name, rate_limit=rate_limit)
    except ValueError as exc:
        fail(str(exc))
    if as_json:
        print_json({**created.info.to_dict(), "key": created.key})
        return
    info = created.info
    typer.echo(f"API 키를 만들었어요: #{info.id} {info.name}")
    typer.echo(f"  key: {created.key}")
    typer.echo("  이 키는 지금 한 번만 보여요. 안전한 곳에 보관하세요 (only its hash is stored).")


@apikey_app.command("list")
def list_cmd(
    active: Annotated[bool, typer.Option("--active", help="Hide revoked keys.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List keys (id, name, prefix, limit, created, revoked) — never the secrets."""
    infos = api_keys.list_keys(engine(), include_revoked=not active)
    if as_json:
        print_json([i.to_dict() for i in infos])
        return
    if not infos:
        typer.echo("API 키가 없어요 (no keys).")
        return
    for i in infos:
        limit = str(i.rate_limit) if i.rate_limit else "default"
        state = f"revoked {i.revoked_at:%Y-%m-%d %H:%M}" if i.revoked_at else "active"
        typer.echo(
            f"#{i.id}\t{i.prefix}…\t{i.name}\tlimit={limit}\t"
            f"created {i.created_at:%Y-%m-%d %H:%M}\t{state}"
        )


@apikey_app.command("revoke")
def revoke(
    ref: Annotated[str, typer.Argument(help="The key's id (#) or its shown prefix.")],
) -> None:
    """Revoke a key; servers stop accepting it within ALRIM_API_KEY_CACHE_SECONDS."""
    found = api_keys.revoke_key(engine(), ref)
    if not found:
        fail(f"'{ref}'에 해당하는 API 키가 없어요 (no such key).")
    if len(found) > 1:
        ids = ", ".join(f"#{i.id}" for i in found)
        fail(f"여러 키가 이 접두어를 써요 ({ids}); 번호로 지정해 주세요.")
    info = found[0]
    typer.echo(f"API 키 #{info.id} {info.name}을(를) 폐기했어요 (revoked).")
