"""`/forget`: delete everything stored about one chat, in one transaction."""

from __future__ import annotations

from sqlalchemy import Table, delete, update

from handlers.types import ChatRef
from storage.chat_keyed import CHAT_KEYED
from storage.engine import Database
from storage.tables import ChatRow, UsageRecordRow
from storage.upsert import table_of


def chat_tables() -> list[Table]:
    """Every table whose rows belong to one chat (`platform`, `chat_id` columns)."""
    return [table_of(ChatRow), *(table_of(model) for model, _ in CHAT_KEYED)]


async def forget_chat(db: Database, chat: ChatRef) -> int:
    """Delete the chat's row, settings, subscriptions, votes and digest state, deliveries
    and sent papers; usage rows (the operator's token accounting) lose their chat. Returns the
    number of rows deleted or anonymised."""
    affected = 0
    async with db.session() as s:
        for table in chat_tables():
            where = (table.c.platform == chat.platform) & (table.c.chat_id == chat.chat_id)
            affected += (await s.exec(delete(table).where(where))).rowcount or 0
        usage = table_of(UsageRecordRow)
        anonymise = update(usage).where(usage.c.chat == str(chat)).values(chat=None)
        affected += (await s.exec(anonymise)).rowcount or 0
        await s.commit()
    return affected
