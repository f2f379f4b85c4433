"""Account and privacy commands: `alrim keys …`, `alrim staff create`, `alrim privacy purge`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from alrim.cli.common import engine, fail, print_json
from alrim.privacy.logfilter import install_log_filter


def register(app: typer.Typer) -> None:
    install_log_filter()
    keys_app = typer.Typer(help="Encryption keys for personal data.", no_args_is_help=True)
    keys_app.command("list")(keys_list)
    keys_app.command("rotate")(keys_rotate)
    keys_app.command("retire")(keys_retire)
    keys_app.command("generate")(keys_generate)
    app.add_typer(keys_app, name="keys")
    staff_app = typer.Typer(
        help="Staff (주민센터) and administrator accounts.", no_args_is_help=True
    )
    staff_app.command("create")(staff_create)
    app.add_typer(staff_app, name="staff")
    privacy_app = typer.Typer(help="Retention and privacy chores.", no_args_is_help=True)
    privacy_app.command("purge")(privacy_purge)
    app.add_typer(privacy_app, name="privacy")


def keys_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the keys (ids only), which one encrypts, and how many values each encrypted."""
    from alrim.privacy.keys import key_file_path, keys_from_env, load_keyring
    from alrim.privacy.rotation import count_by_key
    from alrim.settings import get_settings

    settings = get_settings()
    ring = load_keyring(settings)
    counts = count_by_key(engine(), ring)
    source = "ALRIM_ENCRYPTION_KEY" if keys_from_env(settings) else str(key_file_path(settings))
    keys = [
        {"kid": kid, "values": sum(c.get(kid, 0) for c in counts.values())} for kid in ring.kids
    ]
    data = {"source": source, "primary": ring.primary.kid, "keys": keys, "columns": counts}
    if as_json:
        print_json(data)
        return
    typer.echo(f"keys from {source}")
    for entry in keys:
        mark = " (primary: encrypts)" if entry["kid"] == ring.primary.kid else ""
        typer.echo(f"  {entry['kid']}{mark}: {entry['values']} values")
    unknown = sum(c.get("?", 0) for c in counts.values())
    if unknown:
        typer.echo(f"  ! {unknown} values under keys that are not configured", err=True)


def keys_rotate(
    new_key: Annotated[
        bool,
        typer.Option(
            "--new-key/--no-new-key",
            help="Add a fresh primary key to the key file first (default). With "
            "ALRIM_ENCRYPTION_KEY, put the new key first in the variable and use --no-new-key.",
        ),
    ] = True,
    batch: Annotated[int, typer.Option(help="Rows per transaction.")] = 1000,
) -> None:
    """Re-encrypt every value under the primary key. Safe to stop and run again: an unfinished
    rotation is resumed (no further key is added while values remain under older keys)."""
    from alrim.privacy.keys import (
        add_key_to_file,
        install_keyring,
        key_file_path,
        keys_from_env,
        load_keyring,
    )
    from alrim.privacy.rotation import pending, reencrypt
    from alrim.settings import get_settings

    settings = get_settings()
    eng = engine()
    ring = load_keyring(settings)
    remaining = pending(eng, ring)
    if new_key and remaining == 0:
        if keys_from_env(settings):
            fail(
                "keys come from ALRIM_ENCRYPTION_KEY: add the new key first in the variable "
                "(kid:base64,…) and run `alrim keys rotate --no-new-key` "
                "(`alrim keys generate` prints a new key)."
            )
        key = add_key_to_file(key_file_path(settings))
        typer.echo(f"added key {key.kid} (primary from now on)")
        ring = load_keyring(settings)
    elif remaining:
        typer.echo(f"resuming: {remaining} values still under older keys")
    install_keyring(ring)

    def progress(column: str, count: int) -> None:
        typer.echo(f"  {column}: {count} re-encrypted", err=True)

    done = reencrypt(eng, ring, batch=batch, progress=progress)
    left = pending(eng, ring)
    typer.echo(f"re-encrypted {sum(done.values())} values under {ring.primary.kid}; {left} left")
    if left:
        raise typer.Exit(1)


def keys_retire(
    kid: Annotated[str, typer.Argument(help="Key id to remove from the key file.")],
) -> None:
    """Remove an old key from the key file once no value uses it."""
    from alrim.privacy.crypto import KeyConfigError
    from alrim.privacy.keys import key_file_path, keys_from_env, load_keyring, remove_key_from_file
    from alrim.privacy.rotation import count_by_key
    from alrim.settings import get_settings

    settings = get_settings()
    if keys_from_env(settings):
        fail("keys come from ALRIM_ENCRYPTION_KEY: remove the key from the variable instead.")
    ring = load_keyring(settings)
    in_use = sum(c.get(kid, 0) for c in count_by_key(engine(), ring).values())
    if in_use:
        fail(f"{in_use} values are still encrypted with {kid}: run `alrim keys rotate` first.")
    try:
        remove_key_from_file(key_file_path(settings), kid)
    except KeyConfigError as exc:
        fail(str(exc))
    typer.echo(f"retired key {kid}")


def keys_generate() -> None:
    """Print a new random key as `kid:base64` (for ALRIM_ENCRYPTION_KEY)."""
    from alrim.privacy.crypto import Key
    from alrim.privacy.keys import new_kid

    key = Key.generate(new_kid())
    typer.echo(f"{key.kid}:{key.to_base64()}")


def staff_create(
    email: Annotated[str, typer.Option("--email", help="The staff member's e-mail address.")],
    role: Annotated[str, typer.Option("--role", help="staff | admin | citizen")] = "staff",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    keep_password: Annotated[
        bool, typer.Option("--keep-password", help="Only change the role of an existing account.")
    ] = False,
) -> None:
    """Create a staff or admin account (active at once), or change an account's role."""
    from alrim.accounts.service import AccountError, create_staff

    password: str | None = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif not keep_password:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        account, created = create_staff(engine(), email, password, role)
    except AccountError as exc:
        fail(exc.message)
    typer.echo(f"{'created' if created else 'updated'} {account.role} account {account.id}")


def privacy_purge(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Delete what has outlived its retention period (sessions, tokens, unverified sign-ups,
    and — when notifications are installed — messages older than ALRIM_MESSAGE_RETENTION_DAYS)."""
    from alrim.privacy.retention import purge
    from alrim.store.base import utcnow

    counts = purge(engine(), utcnow())
    if as_json:
        print_json(counts)
    else:
        for name, n in counts.items():
            typer.echo(f"{name}: {n} deleted")
