"""Shapes and ports of topic subscriptions and daily digests, shared by matching and delivery."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from handlers.types import ChatRef, Reply
from summarizer.arxiv.announcements import Announcement as Announcement
from summarizer.arxiv.announcements import AnnounceType as AnnounceType
from summarizer.arxiv.announcements import FeedEntry as FeedEntry
from summarizer.models import Paper


class TopicKind(StrEnum):
    CATEGORY = "category"
    KEYWORDS = "keywords"
    AUTHOR = "author"


class Topic(BaseModel):
    """A parsed `/sub` argument. `raw` is what the user typed (normalized), shown in lists.

    - category: `cs.CL` or a whole archive `cs` → `categories=("cs.CL",)` / `("cs",)`
    - keywords: `"language model" OR LLM -survey` → `any_of=(("language model",), ("llm",))`
      (OR of AND-groups, lower-cased phrases), `exclude=("survey",)`, scoped to `categories`
      (the default archive, e.g. `("cs",)`, unless the query names one: `cs.CL "agent"`)
    - author: `au:Hinton` → `author="hinton"`, scoped like keywords
    """

    model_config = ConfigDict(frozen=True)

    kind: TopicKind
    raw: str
    categories: tuple[str, ...] = ()
    any_of: tuple[tuple[str, ...], ...] = ()
    exclude: tuple[str, ...] = ()
    author: str | None = None


class Subscription(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    chat: ChatRef
    topic: Topic
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Match:
    """A paper matched for a chat: higher score first; `topics` are the raw topics it matched.

    A plain dataclass, not a pydantic model: a big day builds hundreds of thousands of these
    in matching, and they are never serialized."""

    paper: Paper
    score: float
    topics: tuple[str, ...]
    cross: bool = False


class SubscriptionStore(Protocol):
    async def add_subscription(self, chat: ChatRef, topic: Topic) -> Subscription:
        """Add (or return the existing subscription with the same raw topic)."""
        ...

    async def list_subscriptions(self, chat: ChatRef) -> list[Subscription]:
        """In creation order; `/subs` numbers them from 1."""
        ...

    async def remove_subscription(self, chat: ChatRef, subscription_id: int) -> bool: ...

    async def remove_all(self, chat: ChatRef) -> int: ...

    async def active_subscriptions(self) -> list[Subscription]:
        """Subscriptions of chats that are active and not paused."""
        ...


class FeedSource(Protocol):
    async def fetch_announcement(self, categories: Sequence[str]) -> Announcement:
        """Today's announcement for the categories/archives (batched into as few feed requests
        as the feed allows); raises summarizer.errors.ArxivUnavailable when unreachable."""
        ...


class TransientSendError(Exception):
    """Delivery failed for now (network, 5xx, rate limit beyond retries); try again later."""


class SendInDoubtError(TransientSendError):
    """The request may have been carried out (timeout or connection cut after it left): a
    blind resend could deliver it twice."""


class SendCancelled(Exception):
    """`ready` answered False (another process took the part): nothing was sent."""


Ready = Callable[[], Awaitable[bool]]
"""Called by a messenger once its rate gates granted the slots of a send, right before the
first request leaves; False cancels the send (SendCancelled)."""


async def announce(ready: Ready | None) -> None:
    """For messengers: the slots are granted, let the ledger mark the part `sending` (or
    cancel the send: SendCancelled)."""
    if ready is not None and not await ready():
        raise SendCancelled


class Messenger(Protocol):
    """Pushes replies to a chat without a user request (digests). One per platform.

    `resend_window`: seconds during which sending the same `key` again is de-duplicated by
    the platform (Discord's `nonce` + `enforce_nonce`); 0 when the platform cannot."""

    platform: str
    resend_window: float

    async def send(
        self,
        chat: ChatRef,
        replies: Sequence[Reply],
        *,
        ready: Ready | None = None,
        key: str | None = None,
    ) -> list[str]:
        """Send in order; returns the platform message ids. Awaits `ready` after the rate
        gates and before the first request. Raises handlers.types.ChatUnreachable,
        TransientSendError (SendInDoubtError) or SendCancelled."""
        ...


class Matcher(Protocol):
    """The papers of one announcement, indexed once, matched per chat
    (handlers.digest.matching.PaperIndex)."""

    def match(self, topics: Sequence[Topic], *, include_cross: bool) -> list[Match]: ...
