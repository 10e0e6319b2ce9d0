"""CHAT_KEYED is written out by hand: every table holding a chat's rows must be in it, or a
migrated (or forgotten) chat would leave rows behind."""

from __future__ import annotations

from storage.chat_keyed import CHAT_KEYED
from storage.metadata import metadata
from storage.tables import ChatRow


def test_every_chat_keyed_table_is_listed() -> None:
    listed = {model.__tablename__ for model, _ in CHAT_KEYED}  # type: ignore[attr-defined]
    holding_chat_rows = {
        table.name
        for table in metadata.sorted_tables
        if {"platform", "chat_id"} <= set(table.columns.keys())
        and table.name != ChatRow.__tablename__
    }
    assert holding_chat_rows
    assert holding_chat_rows == listed


def test_unique_key_columns_exist() -> None:
    for model, unique_with in CHAT_KEYED:
        columns = set(model.__table__.columns.keys())  # type: ignore[attr-defined]
        assert set(unique_with) <= columns, model
