"""Operational queries: database reachability, schema revision, digest ledger totals."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, inspect, text
from sqlalchemy.engine import Connection
from sqlmodel import col, select

from storage.digest_tables import DeliveryRow
from storage.engine import Database

VERSION_TABLE = "alembic_version"


async def ping(db: Database) -> None:
    """`SELECT 1` on a fresh connection; raises whatever the driver raises when unreachable."""
    async with db.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    value = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    return None if value is None else str(value)


async def schema_revision(db: Database) -> str | None:
    """The Alembic revision the database is at; None for a database never migrated."""
    async with db.engine.connect() as conn:
        return await conn.run_sync(_revision)


async def delivery_status_counts(db: Database, since: date) -> dict[tuple[date, str], int]:
    """Digest ledger rows per (announcement day, status) from `since` on."""
    stmt = (
        select(col(DeliveryRow.day), col(DeliveryRow.status), func.count())
        .where(col(DeliveryRow.day) >= since)
        .group_by(col(DeliveryRow.day), col(DeliveryRow.status))
    )
    async with db.session() as s:
        rows = (await s.exec(stmt)).all()
    return {(day, status): int(count) for day, status, count in rows}


def database_location(url: str) -> tuple[str, str, str]:
    """(dialect, where, host) of a database URL for messages: `host:port/name` for PostgreSQL,
    the file for SQLite; never the password."""
    from sqlalchemy.engine import make_url

    from storage.engine import normalize_url, sqlite_path

    parsed = make_url(normalize_url(url))
    dialect = parsed.get_backend_name()
    host = parsed.host or "localhost"
    if dialect == "postgresql":
        return dialect, f"{host}:{parsed.port or 5432}/{parsed.database or ''}", host
    return dialect, str(sqlite_path(url) or parsed.database or ":memory:"), ""
