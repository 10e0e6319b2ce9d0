"""Delivers the ledger's open parts: in order per chat, retries with capped backoff,
deactivation on 403, and recovery of a part that was in flight when a process died.

Semantics of the single in-flight part (status `sending` when its process died): the part is
resent only when the messenger can confirm it never arrived (`find_delivered`, e.g. the
recording messenger); otherwise it is marked `uncertain` and NOT resent. Every other part is
exactly-once: its state changes are committed before (pending → sending) and after
(sending → sent) the platform call, and `begin_send` is a conditional UPDATE that only one
process can win. Users would rather miss one message than get spammed twice.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from handlers.digest.ledger import DeliveryPart, DigestStore
from handlers.digest.render import reply_from_json
from handlers.digest.types import Messenger, TransientSendError
from handlers.ports import ChatStore
from handlers.types import ChatRef, ChatUnreachable, Reply

log = logging.getLogger(__name__)

_LIVE_TOKENS: set[str] = set()
"""Owners alive in this process (several senders may share one process, e.g. in tests)."""

Clock = Callable[[], datetime]
DeliveredProbe = Callable[[ChatRef, Sequence[Reply]], Awaitable[list[str] | None]]


@dataclass(frozen=True)
class SendPolicy:
    max_attempts: int = 5
    retry_base_seconds: float = 30.0
    retry_cap_seconds: float = 900.0
    chat_concurrency: int = 32
    lease_seconds: float = 600.0
    """A `sending` part of another host counts as orphaned after this long."""

    def backoff(self, attempts: int) -> timedelta:
        return timedelta(
            seconds=min(self.retry_cap_seconds, self.retry_base_seconds * 2 ** max(0, attempts - 1))
        )


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    uncertain: int = 0
    recovered: int = 0
    deactivated: list[ChatRef] = field(default_factory=list)

    def add(self, more: SendReport) -> None:
        self.sent += more.sent
        self.retried += more.retried
        self.failed += more.failed
        self.uncertain += more.uncertain
        self.recovered += more.recovered
        self.deactivated += more.deactivated


def new_owner() -> str:
    token = secrets.token_hex(4)
    _LIVE_TOKENS.add(token)
    return f"{socket.gethostname()}:{os.getpid()}:{token}"


def forget_owner(owner: str) -> None:
    _LIVE_TOKENS.discard(owner.rsplit(":", 1)[-1])


def owner_alive(owner: str | None, since: datetime | None, now: datetime, lease: float) -> bool:
    """Same host: ask the OS whether the pid lives (and, for this pid, whether the sender
    still exists); another host: trust it until the lease runs out."""
    if owner is None:
        return False
    host, _, rest = owner.partition(":")
    pid_text, _, token = rest.partition(":")
    if host != socket.gethostname():
        return since is not None and now - since < timedelta(seconds=lease)
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if pid == os.getpid():
        return token in _LIVE_TOKENS
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class LedgerSender:
    def __init__(
        self,
        store: DigestStore,
        messengers: Mapping[str, Messenger],
        chats: ChatStore,
        *,
        clock: Clock,
        policy: SendPolicy | None = None,
    ) -> None:
        self._store = store
        self._messengers = messengers
        self._chats = chats
        self._clock = clock
        self.policy = policy or SendPolicy()
        self.owner = new_owner()

    def close(self) -> None:
        forget_owner(self.owner)

    async def deliver(self, only: ChatRef | None = None) -> SendReport:
        """One pass over the open parts; parts waiting for a retry stay for the next pass."""
        report = SendReport()
        by_chat: dict[ChatRef, list[DeliveryPart]] = {}
        for part in await self._store.open_parts():
            if only is None or part.chat == only:
                by_chat.setdefault(part.chat, []).append(part)
        gate = asyncio.Semaphore(self.policy.chat_concurrency)

        async def one(chat: ChatRef, parts: list[DeliveryPart]) -> None:
            async with gate:
                await self._deliver_chat(chat, parts, report)

        await asyncio.gather(*(one(chat, parts) for chat, parts in by_chat.items()))
        return report

    async def _deliver_chat(
        self, chat: ChatRef, parts: list[DeliveryPart], report: SendReport
    ) -> None:
        messenger = self._messengers.get(chat.platform)
        if messenger is None:
            return  # another process (with that platform configured) will send them
        for part in parts:
            now = self._clock()
            if part.status == "sending":
                if owner_alive(part.owner, part.sending_since, now, self.policy.lease_seconds):
                    return  # in flight elsewhere; later parts wait to keep the order
                if not await self._recover(messenger, part, report):
                    return
                continue
            if part.next_attempt_at is not None and part.next_attempt_at > now:
                return
            if not await self._store.begin_send(part.id, self.owner, now):
                return  # another process took it
            if not await self._send(messenger, part, part.attempts + 1, report):
                return

    async def _recover(self, messenger: Messenger, part: DeliveryPart, report: SendReport) -> bool:
        now = self._clock()
        if not await self._store.take_over(part.id, self.owner, now):
            return False
        replies = [reply_from_json(part.payload)]
        probe: DeliveredProbe | None = getattr(messenger, "find_delivered", None)
        if probe is None:
            log.warning("part %s of %s was in flight at a crash: not resent", part.id, part.chat)
            await self._store.mark_final(part.id, "uncertain", "in flight when a process died")
            report.uncertain += 1
            return True
        ids = await probe(part.chat, replies)
        if ids is not None:
            await self._store.mark_sent(part.id, ids, now)
            report.recovered += 1
            return True
        return await self._send(messenger, part, part.attempts, report)

    async def _send(
        self, messenger: Messenger, part: DeliveryPart, attempts: int, report: SendReport
    ) -> bool:
        """Send one part already marked `sending`; True when the chat may go on."""
        try:
            ids = await messenger.send(part.chat, [reply_from_json(part.payload)])
        except ChatUnreachable as exc:
            reason = f"unreachable: {exc}"[:200]
            log.info("chat %s unreachable, deactivating: %s", part.chat, exc)
            await self._store.mark_final(part.id, "failed", reason)
            await self._store.fail_open_parts(part.chat, reason)
            await self._chats.set_active(part.chat, False, reason)
            report.failed += 1
            report.deactivated.append(part.chat)
            return False
        except (TransientSendError, OSError, TimeoutError) as exc:
            return await self._retry_or_give_up(
                part, attempts, f"{type(exc).__name__}: {exc}", report
            )
        except Exception as exc:  # an adapter bug must not stop the other chats
            log.exception("unexpected send failure for %s", part.chat)
            return await self._retry_or_give_up(
                part, attempts, f"{type(exc).__name__}: {exc}", report
            )
        await self._store.mark_sent(part.id, ids, self._clock())
        report.sent += 1
        return True

    async def _retry_or_give_up(
        self, part: DeliveryPart, attempts: int, reason: str, report: SendReport
    ) -> bool:
        if attempts >= self.policy.max_attempts:
            log.warning("giving up on part %s of %s: %s", part.id, part.chat, reason)
            await self._store.mark_final(part.id, "failed", f"gave up after {attempts}: {reason}")
            report.failed += 1
            return True
        retry_at = self._clock() + self.policy.backoff(attempts)
        await self._store.mark_retry(part.id, retry_at, reason)
        report.retried += 1
        return False
