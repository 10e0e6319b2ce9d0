"""One task per key: concurrent callers asking for the same thing share one running task."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SingleFlight(Generic[K, V]):
    """Later callers of a key await the task already running for it; a caller that gives up
    (is cancelled) does not cancel it for the others. A finished task is forgotten, so the
    next call starts afresh (callers cache results themselves)."""

    def __init__(self) -> None:
        self._tasks: dict[K, asyncio.Task[V]] = {}

    def start(self, key: K, make: Callable[[], Awaitable[V]]) -> asyncio.Task[V]:
        """The task running for `key`, started with `make()` when there is none."""
        task = self._tasks.get(key)
        if task is None:

            async def run() -> V:
                return await make()

            task = asyncio.create_task(run())
            self._tasks[key] = task
            task.add_done_callback(lambda _: self._tasks.pop(key, None))
        return task

    async def run(self, key: K, make: Callable[[], Awaitable[V]]) -> V:
        return await asyncio.shield(self.start(key, make))

    async def cancel_all(self) -> None:
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
