"""Run a unit of work on an engine (own transaction) or inside a caller's session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from alrim.store.db import session_scope

Bind = Engine | Session


@contextmanager
def unit_of_work(bind: Bind) -> Iterator[Session]:
    """With an Engine: a new session committed at the end. With a Session: that session,
    left to its owner to commit (so callers can make several steps one transaction)."""
    if isinstance(bind, Session):
        yield bind
        return
    with session_scope(bind) as session:
        yield session
