"""Race-safe `INSERT ... ON CONFLICT` for SQLite and PostgreSQL, chosen by dialect."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession


def table_of(model: type[SQLModel]) -> Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


def upsert_statement(
    dialect: str,
    model: type[SQLModel],
    rows: Sequence[Mapping[str, Any]],
    keys: Sequence[str],
    update: Sequence[str],
) -> Insert:
    """INSERT rows; on a conflict over `keys`, overwrite the `update` columns (or do nothing
    when `update` is empty). Both dialects take the row lock, so concurrent callers never
    raise a unique violation."""
    table = table_of(model)
    if dialect == "postgresql":
        pg = postgresql.insert(table).values(list(rows))
        if not update:
            return pg.on_conflict_do_nothing(index_elements=list(keys))
        return pg.on_conflict_do_update(
            index_elements=list(keys), set_={c: pg.excluded[c] for c in update}
        )
    if dialect == "sqlite":
        lite = sqlite.insert(table).values(list(rows))
        if not update:
            return lite.on_conflict_do_nothing(index_elements=list(keys))
        return lite.on_conflict_do_update(
            index_elements=list(keys), set_={c: lite.excluded[c] for c in update}
        )
    raise NotImplementedError(f"upsert is not implemented for the {dialect!r} dialect")


async def upsert(
    session: AsyncSession,
    model: type[SQLModel],
    rows: Sequence[Mapping[str, Any]],
    *,
    keys: Sequence[str],
    update: Sequence[str],
) -> None:
    """Execute `upsert_statement` in the session's transaction (the caller commits)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    await session.exec(upsert_statement(dialect, model, rows, keys, update))
