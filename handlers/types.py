"""The neutral shapes adapters translate to and from: chats, requests, replies, buttons."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from summarizer.models import Mode, SummaryResult
from summarizer.streaming import PreviewFn

if TYPE_CHECKING:  # handlers.digest.view imports Button from here
    from handlers.digest.view import DigestView

ProgressFn = Callable[[str], Awaitable[None]]


async def no_progress(_: str) -> None:
    """Default progress callback: adapters that show no status pass nothing."""


@dataclass(frozen=True, order=True)
class ChatRef:
    """A chat on a platform; ids are strings so Telegram ints and Discord snowflakes fit."""

    platform: str
    chat_id: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.chat_id}"

    @classmethod
    def parse(cls, text: str) -> ChatRef:
        platform, sep, chat_id = text.partition(":")
        if not sep or not platform or not chat_id:
            raise ValueError(f"expected platform:chat_id, got {text!r}")
        return cls(platform, chat_id)


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    CHANNEL = "channel"


@dataclass(frozen=True)
class RepliedMessage:
    """The message a user replied to, as every platform can describe it. The bot's own
    summaries and answers carry their papers in their buttons' actions (`x:f:<id>`,
    `q:<id>:<thread>`), which is how a reply finds the paper it asks about."""

    message_id: str
    from_bot: bool = False
    text: str = ""
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Request:
    """One user action: a command, a plain message, or a button press (`action`)."""

    chat: ChatRef
    user_id: str
    text: str = ""
    command: str | None = None
    args: str = ""
    action: str | None = None
    chat_kind: ChatKind = ChatKind.PRIVATE
    chat_title: str | None = None
    is_admin: bool = False
    """Set by the platform when the command needs it (handlers.registry.needs_admin) and the
    sender is an administrator; False otherwise (fail closed)."""
    addressed: bool = False
    """The bot was mentioned or replied to (groups answer plain links only then, or when
    the chat turned on auto_links)."""
    progress: ProgressFn = field(default=no_progress, compare=False, repr=False)
    reply_to: RepliedMessage | None = None
    """The message this one replies to (Telegram reply_to_message, Discord message reference)."""
    answers_privately: bool = False
    """The platform can answer this user alone (Discord interactions: ephemeral replies), so
    a refusal is never noise for the rest of the chat."""
    preview: PreviewFn | None = field(default=None, compare=False, repr=False)
    """Where the platform shows an uncached summary field by field while it is written
    (each field only once it passed the checks); None: the platform shows only the whole."""


@dataclass(frozen=True)
class Button:
    """A URL button (`url`) or an action button (`action`, routed back as Request.action)."""

    label: str
    url: str | None = None
    action: str | None = None


@dataclass(frozen=True)
class Reply:
    """What a handler answers. Renderers in bot/render turn it into platform messages.

    `summary` set: a paper summary rendered in `mode`; otherwise `text` is a plain Chinese
    message. `edit` asks the adapter to replace the message a button was pressed on.
    `digest` set: a compact digest (numbered entries, folded points), split by the renderer
    between papers at the platform's limit. `silent`: deliver without a notification (every
    message of a digest but its first). `day`: the date to show instead of the paper's own
    (a digest shows one date everywhere: the announcement's).
    """

    text: str = ""
    summary: SummaryResult | None = None
    mode: Mode = Mode.CONDENSED
    buttons: tuple[Button, ...] = ()
    footer: str | None = None
    ephemeral: bool = False
    edit: bool = False
    toast: str | None = None
    digest: DigestView | None = None
    silent: bool = False
    day: date | None = None
    language: str = "zh"
    """The chat's language (zh, zh-TW, en): renderers label cards in it."""


class ChatUnreachable(Exception):
    """The platform refuses this chat for good (bot blocked, kicked or removed; channel gone).
    Adapters mark the chat inactive before raising. `sent`: ids of the messages that did get
    through before the failure, in order. The one such error of every platform and the digest."""

    def __init__(self, reason: str, *, chat: ChatRef | None = None, sent: list[str] | None = None):
        super().__init__(f"{chat}: {reason}" if chat is not None else reason)
        self.reason = reason
        self.chat = chat
        self.sent: list[str] = list(sent or [])
