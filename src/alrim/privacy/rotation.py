"""Key rotation: re-encrypt every registered encrypted column under the primary key.

Each encrypted column is registered with `register_encrypted_column`; its values must be
encrypted with associated data ``crypto.context(table.name, column, primary_key_value)``.
`reencrypt` walks each column in primary-key order, in batches of its own transactions; it
picks only values not yet under the primary key, and writes a value back only if it has not
changed meanwhile. So it is idempotent (a second run finds nothing to do) and resumable (a
stopped run continues where it stopped). Derived columns (the e-mail blind index) are
recomputed in the same UPDATE.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Table, func, select, update

from alrim.privacy.crypto import Keyring, context, header_for

Derived = Callable[[Keyring, bytes], dict[str, Any]]


@dataclass(frozen=True)
class EncryptedColumn:
    table: Table
    pk: str
    column: str
    derived: Derived | None = None  # extra columns recomputed from the plaintext

    @property
    def name(self) -> str:
        return f"{self.table.name}.{self.column}"


_columns: dict[str, EncryptedColumn] = {}


def register_encrypted_column(col: EncryptedColumn) -> None:
    _columns[col.name] = col


def encrypted_columns() -> list[EncryptedColumn]:
    _register_builtin()
    return list(_columns.values())


def _register_builtin() -> None:
    from alrim.accounts.identity import EMAIL_INDEX_PURPOSE
    from alrim.store.accounts_tables import AccountRow, ProfileRow

    def email_derived(ring: Keyring, plaintext: bytes) -> dict[str, Any]:
        return {"email_index": ring.blind_index(plaintext.decode("utf-8"), EMAIL_INDEX_PURPOSE)}

    for col in (
        EncryptedColumn(AccountRow.__table__, "id", "email_enc", email_derived),  # type: ignore[arg-type]
        EncryptedColumn(ProfileRow.__table__, "account_id", "profile_enc"),  # type: ignore[arg-type]
    ):
        _columns.setdefault(col.name, col)


def count_by_key(engine: Engine, ring: Keyring) -> dict[str, dict[str, int]]:
    """Per column: how many values each known key encrypted (``"?"``: unknown keys)."""
    out: dict[str, dict[str, int]] = {}
    with engine.connect() as connection:
        for col in encrypted_columns():
            c = col.table.c[col.column]
            total = connection.scalar(
                select(func.count()).select_from(col.table).where(c.is_not(None))
            )
            counts: dict[str, int] = {}
            for kid in ring.kids:
                header = header_for(kid)
                counts[kid] = int(
                    connection.scalar(
                        select(func.count())
                        .select_from(col.table)
                        .where(func.substr(c, 1, len(header)) == header)
                    )
                    or 0
                )
            unknown = int(total or 0) - sum(counts.values())
            if unknown:
                counts["?"] = unknown
            out[col.name] = counts
    return out


def pending(engine: Engine, ring: Keyring) -> int:
    """Values not yet under the primary key."""
    primary = ring.primary.kid
    return sum(
        n
        for counts in count_by_key(engine, ring).values()
        for kid, n in counts.items()
        if kid != primary
    )


def reencrypt(
    engine: Engine,
    ring: Keyring,
    *,
    batch: int = 1000,
    max_batches: int | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Re-encrypt every value not under the primary key. Returns values rewritten per column.
    `max_batches` stops early (used to test resumption)."""
    header = header_for(ring.primary.kid)
    done: dict[str, int] = {}
    batches = 0
    for col in encrypted_columns():
        pk = col.table.c[col.pk]
        c = col.table.c[col.column]
        done[col.name] = 0
        after: Any = None
        while max_batches is None or batches < max_batches:
            query = (
                select(pk, c)
                .where(c.is_not(None), func.substr(c, 1, len(header)) != header)
                .order_by(pk)
                .limit(batch)
            )
            if after is not None:
                query = query.where(pk > after)
            with engine.begin() as connection:
                rows = connection.execute(query).all()
                for key, token in rows:
                    aad = context(col.table.name, col.column, key)
                    plaintext = ring.decrypt(bytes(token), aad)
                    values: dict[str, Any] = {col.column: ring.encrypt(plaintext, aad)}
                    if col.derived is not None:
                        values.update(col.derived(ring, plaintext))
                    result = connection.execute(
                        update(col.table).where(pk == key, c == token).values(**values)
                    )
                    done[col.name] += int(result.rowcount or 0)
            batches += 1
            if progress is not None:
                progress(col.name, done[col.name])
            if len(rows) < batch:
                break
            after = rows[-1][0]
    return done
