"""Where a question thread's earlier turns are kept: the port, and an in-memory implementation."""

from __future__ import annotations

from typing import Protocol

from summarizer.qa.prompt import Turn


class TurnStore(Protocol):
    """Earlier turns of a reply thread, always looked up within one chat."""

    async def recent_turns(self, chat: str, thread: str, limit: int) -> list[Turn]:
        """The thread's last `limit` turns in this chat, oldest first ([] for another chat)."""
        ...

    async def add_turn(self, chat: str, thread: str, arxiv_id: str, turn: Turn) -> None: ...


class MemoryTurnStore:
    """TurnStore in a dict: for tests, the bench and running without a database."""

    def __init__(self) -> None:
        self.turns: dict[tuple[str, str], list[tuple[str, Turn]]] = {}

    async def recent_turns(self, chat: str, thread: str, limit: int) -> list[Turn]:
        return [t for _, t in self.turns.get((chat, thread), [])][-limit:]

    async def add_turn(self, chat: str, thread: str, arxiv_id: str, turn: Turn) -> None:
        self.turns.setdefault((chat, thread), []).append((arxiv_id, turn))
