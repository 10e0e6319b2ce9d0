"""The one schema: imports every table module so `metadata` lists all tables.

A new table module (e.g. subscriptions and digests) is added to TABLE_MODULES below and gets
its own revision in storage/migrations/versions/ (`down_revision` = the previous head).
"""

from __future__ import annotations

from types import ModuleType

from sqlalchemy import MetaData
from sqlmodel import SQLModel

from storage import digest_tables, fulltext_tables, qa_tables, subscription_tables, tables

# Importing a table module registers its tables on SQLModel.metadata.
TABLE_MODULES: tuple[ModuleType, ...] = (
    tables,
    subscription_tables,
    digest_tables,
    fulltext_tables,
    qa_tables,
)

metadata: MetaData = SQLModel.metadata
