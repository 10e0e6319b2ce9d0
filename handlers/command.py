"""The shape of a command: both platforms build their command lists from these."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from handlers.types import Reply, Request

if TYPE_CHECKING:
    from handlers.services import Services

Handler = Callable[[Request, "Services"], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class Command:
    """A slash command. `description` is Chinese (≤ 100 chars: Discord's limit); `arg_*`
    describe the single free-text argument, if the command takes one."""

    name: str
    description: str
    handler: Handler
    example: str | None = None
    arg_name: str | None = None
    arg_description: str | None = None
    arg_required: bool = False
