"""The shape of a command: both platforms build their command lists from these."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from handlers.types import Reply, Request

if TYPE_CHECKING:
    from handlers.services import Services

Handler = Callable[[Request, "Services"], Awaitable[list[Reply]]]


class AdminNeed(Enum):
    """When a command needs a group administrator (Telegram: owner/administrator; Discord:
    Manage Channels). Private chats never need one."""

    NEVER = "never"  # reading commands anyone may use
    WITH_ARGS = "with_args"  # reading without arguments, changing the chat with them
    ALWAYS = "always"  # changes the chat even without arguments (/pause)


@dataclass(frozen=True)
class Command:
    """A slash command. `description` is Chinese (≤ 100 chars: Discord's limit); `arg_*`
    describe the single free-text argument, if the command takes one; `admin` says when a
    group needs an administrator for it (both platforms read it; unknown means "needs one")."""

    name: str
    description: str
    handler: Handler
    example: str | None = None
    arg_name: str | None = None
    arg_description: str | None = None
    arg_required: bool = False
    admin: AdminNeed = AdminNeed.NEVER

    def needs_admin(self, args: str) -> bool:
        """Whether this use of the command, in a group, needs an administrator."""
        if self.admin is AdminNeed.ALWAYS:
            return True
        return self.admin is AdminNeed.WITH_ARGS and bool(args.strip())


# `/name`, `/name@TargetBot`, then the arguments (Telegram's and Discord's typed commands).
COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?=\s|$)\s*(.*)$", re.DOTALL)


@dataclass(frozen=True)
class ParsedCommand:
    name: str
    target: str | None
    """The bot a command names (`/paper@paperbot`), if any."""
    args: str


def parse_command(text: str) -> ParsedCommand | None:
    """The one rule for reading a typed command (names are case-insensitive)."""
    match = COMMAND.match(text)
    if match is None:
        return None
    return ParsedCommand(match[1].lower(), match[2], match[3].strip())
