"""Join the feature branches (search, API keys, accounts, notifications) into one head.

Each feature's tables were added on a branch from the catalog revision 0001 while they were
built in parallel; from here on the history is linear again.

Revision ID: 0006
Revises: 0002, 0003, 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0006"
down_revision: str | Sequence[str] | None = ("0002", "0003", "0005")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
