"""Alembic environment: reuses the connection storage.migrate hands over, or (CLI) opens one."""

from __future__ import annotations

import asyncio
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from storage.engine import DEFAULT_URL, Database
from storage.metadata import metadata

config = context.config


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things: later revisions use op.batch_alter_table.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_with_connection(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_cli() -> None:
    """`alembic -c storage/alembic.ini upgrade head`: URL from -x url=..., then DATABASE_URL."""
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get(
        "DATABASE_URL", DEFAULT_URL
    )
    db = Database(url)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(run_with_connection)
    finally:
        await db.dispose()


def run_offline() -> None:
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get(
        "DATABASE_URL", DEFAULT_URL
    )
    context.configure(url=url, target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


shared = config.attributes.get("connection")
if shared is None and config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
if shared is not None:
    run_with_connection(shared)
elif context.is_offline_mode():
    run_offline()
else:
    asyncio.run(run_cli())
