"""Delivers the ledger's open parts: in order per chat, retries with capped backoff,
deactivation on 403, and recovery of a part that was in flight when a process died.

A part turns `sending` only when its request leaves: the messenger waits in its rate gates
first and then calls `ready`, which is the conditional pending → sending UPDATE (one process
wins). A crash therefore leaves in doubt only the requests in flight at that instant.

A part in doubt (`sending`, its owner dead) is
- confirmed and not resent when the messenger can tell it arrived (`find_delivered`);
- resent with the same key when the platform de-duplicates it (Discord `nonce` +
  `enforce_nonce`, within `resend_window` of the first try);
- resent once marked "（补发）" when it is the chat's whole digest of the day (one message:
  a loss would be the whole day; a visible duplicate is the lesser harm);
- otherwise written off as `uncertain`: never sent twice (Telegram cannot say whether it got it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from handlers.digest.ledger import DeliveryPart, DigestStore
from handlers.digest.owners import forget_owner, new_owner, owner_alive
from handlers.digest.render import reply_from_json
from handlers.digest.types import (
    Messenger,
    Ready,
    SendCancelled,
    SendInDoubtError,
    TransientSendError,
)
from handlers.ports import ChatStore
from handlers.types import ChatRef, ChatUnreachable, Reply

log = logging.getLogger(__name__)

RESENT_MARK = "（补发）"
IDLE_PAUSE = 0.2

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
    resend_whole_digest: bool = True
    """Resend a one-message digest in doubt with RESENT_MARK rather than lose the day."""

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
    """Parts in doubt written off (never resent)."""
    recovered: int = 0
    """Parts in doubt confirmed delivered, or resent safely (nonce, or marked 补发)."""
    deactivated: list[ChatRef] = field(default_factory=list)

    def add(self, more: SendReport) -> None:
        self.sent += more.sent
        self.retried += more.retried
        self.failed += more.failed
        self.uncertain += more.uncertain
        self.recovered += more.recovered
        self.deactivated += more.deactivated


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

    async def drain(self, only: ChatRef | None = None, *, max_wait: float = 60.0) -> SendReport:
        """Deliver until nothing is left that can be sent within `max_wait` seconds."""
        total = SendReport()
        deadline = self._clock() + timedelta(seconds=max_wait)
        idle = 0
        while True:
            done = await self.deliver(only)
            total.add(done)
            waiting = [
                p.next_attempt_at
                for p in await self._store.open_parts()
                if p.status == "pending" and (only is None or p.chat == only)
            ]
            if not waiting:
                return total
            next_at = min((w for w in waiting if w is not None), default=self._clock())
            if next_at > deadline:
                return total
            pause = max(0.0, (next_at - self._clock()).total_seconds())
            if pause == 0.0 and not (done.sent or done.retried or done.failed or done.uncertain):
                # Due parts queued behind a part another live process is sending: wait for
                # it instead of spinning on the database (bounded by max_wait).
                idle += 1
                if idle * IDLE_PAUSE > max_wait:
                    return total
                pause = IDLE_PAUSE
            await asyncio.sleep(pause)

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
            if not await self._send(messenger, part, part.attempts + 1, report, fresh=True):
                return

    async def _recover(self, messenger: Messenger, part: DeliveryPart, report: SendReport) -> bool:
        now = self._clock()
        if not await self._store.take_over(part.id, self.owner, now):
            return False
        reply = reply_from_json(part.payload)
        probe: DeliveredProbe | None = getattr(messenger, "find_delivered", None)
        if probe is not None:
            ids = await probe(part.chat, [reply])
            if ids is not None:
                await self._store.mark_sent(part.id, ids, now)
                report.recovered += 1
                return True
            return await self._send(messenger, part, part.attempts, report)
        return await self._settle_doubt(messenger, part, report, part.sending_since)

    async def _settle_doubt(
        self,
        messenger: Messenger,
        part: DeliveryPart,
        report: SendReport,
        since: datetime | None,
        reason: str = "in flight when a process died",
    ) -> bool:
        """A part of ours that may or may not have arrived (`since`: when it left)."""
        now = self._clock()
        window = float(getattr(messenger, "resend_window", 0.0) or 0.0)
        if window > 0 and since is not None and (now - since).total_seconds() < window:
            log.info("part %s of %s in doubt: resent with its nonce", part.id, part.chat)
            report.recovered += 1
            return await self._send(messenger, part, part.attempts, report)
        if self.policy.resend_whole_digest and await self._whole_digest(part):
            log.warning("one-message digest %s of %s in doubt: resent marked", part.id, part.chat)
            report.recovered += 1
            return await self._send(messenger, part, part.attempts, report, mark=True)
        log.warning("part %s of %s in doubt (%s): written off", part.id, part.chat, reason)
        await self._store.mark_final(part.id, "uncertain", reason[:200])
        report.uncertain += 1
        return True

    async def _whole_digest(self, part: DeliveryPart) -> bool:
        if part.kind == "unreachable":
            return False
        day = await self._store.parts_for(part.chat, part.day)
        return [p.id for p in day if p.kind != "unreachable"] == [part.id]

    async def _send(
        self,
        messenger: Messenger,
        part: DeliveryPart,
        attempts: int,
        report: SendReport,
        *,
        fresh: bool = False,
        mark: bool = False,
    ) -> bool:
        """Send one part; True when the chat may go on. `fresh`: the part is still pending
        and turns `sending` only when the messenger is about to send (`ready`); otherwise it
        is already `sending` and owned by this sender."""
        reply = reply_from_json(part.payload)
        if mark:
            reply = mark_resent(reply)
        ready: Ready | None = None
        if fresh:

            async def ready() -> bool:
                return await self._store.begin_send(part.id, self.owner, self._clock())

        try:
            ids = await messenger.send(part.chat, [reply], ready=ready, key=part_key(part))
        except SendCancelled:
            return False  # another process took it
        except SendInDoubtError as exc:
            log.warning("part %s of %s in doubt: %s", part.id, part.chat, exc)
            if mark:  # already the one marked resend: never a third copy
                await self._store.mark_final(part.id, "uncertain", f"in doubt: {exc}"[:200])
                report.uncertain += 1
                return True
            return await self._settle_doubt(messenger, part, report, None, f"in doubt: {exc}")
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


def part_key(part: DeliveryPart) -> str:
    """Stable per ledger part (Discord nonces are at most 25 characters: "pb<id>.<n>")."""
    return f"pb{part.id}"


def mark_resent(reply: Reply) -> Reply:
    if reply.digest is not None:  # the compact digest: the mark leads its heading
        return replace(
            reply, digest=replace(reply.digest, heading=f"{RESENT_MARK}{reply.digest.heading}")
        )
    if reply.text:
        return replace(reply, text=f"{RESENT_MARK}{reply.text}")
    return replace(reply, footer=f"{RESENT_MARK}{reply.footer or ''}")
