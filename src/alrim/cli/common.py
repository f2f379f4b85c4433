"""Helpers shared by CLI modules: engine, JSON printing, friendly errors."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import typer
from sqlalchemy import Engine

from alrim.store.db import get_engine
from alrim.store.migrate import upgrade


def engine(migrate: bool = True) -> Engine:
    eng = get_engine()
    if migrate:
        upgrade(eng)
    return eng


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"오류: {message}", err=True)
    raise typer.Exit(code)
