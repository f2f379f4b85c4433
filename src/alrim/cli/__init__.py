"""The `alrim` command. Each area registers its commands from its own module."""

from __future__ import annotations

import logging
import sys

import typer

from alrim.cli import catalog as catalog_cli
from alrim.cli import server as server_cli

app = typer.Typer(
    name="alrim",
    help="알림 — one catalog of Korea's public services, matched to each person.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

catalog_cli.register(app)
server_cli.register(app)


def _register_optional() -> None:
    """Areas added by later issues register themselves here when present."""
    import importlib

    for name in ("eligibility", "search", "api_keys", "accounts", "notify", "bench"):
        try:
            module = importlib.import_module(f"alrim.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"alrim.cli.{name}":
                raise
            continue
        module.register(app)


_register_optional()


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
