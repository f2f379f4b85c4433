"""Docs are tested (the datasette way): every setting and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from alrim.cli import app
from alrim.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _commands() -> list[str]:
    root = typer.main.get_command(app)
    ctx = root.context_class(root, info_name="alrim")
    found: list[str] = []

    def walk(command: object, path: list[str]) -> None:
        if hasattr(command, "list_commands"):
            for name in command.list_commands(ctx):
                walk(command.get_command(ctx, name), [*path, name])
        else:
            found.append(" ".join(path))

    walk(root, [])
    return found


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    missing = [n for n in Settings.model_fields if f"`ALRIM_{n.upper()}`" not in text]
    assert missing == [], f"add these to docs/settings.md: {missing}"


def test_every_setting_says_what_it_does() -> None:
    assert [n for n, f in Settings.model_fields.items() if not f.description] == []


def test_every_command_is_documented() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^## `alrim ([^`]+)`", text, flags=re.M))
    missing = [c for c in _commands() if c not in documented]
    assert missing == [], f"add these to docs/cli.md: {missing}"


def test_docs_link_to_files_that_exist() -> None:
    root = DOCS.parent
    broken = []
    for page in [root / "README.md", *DOCS.glob("*.md")]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if not (page.parent / target).exists():
                broken.append(f"{page.name} -> {target}")
    assert broken == []
