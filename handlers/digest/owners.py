"""Who owns a digest part in flight or a day's planning: owner tokens, whether their process
still lives, and the planning lease (one process summarizes an announcement day at a time)."""

from __future__ import annotations

import logging
import os
import secrets
import socket
from datetime import date, datetime, timedelta

from handlers.digest.ledger import DigestStore

log = logging.getLogger(__name__)

_LIVE_TOKENS: set[str] = set()
"""Owners alive in this process (several senders may share one process, e.g. in tests)."""


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


async def lease_planning(
    store: DigestStore, day: date, owner: str, now: datetime, lease_seconds: float
) -> bool:
    """Take the day's planning lease for `owner`: free, already ours, expired, or held by a
    process of this host that died. False: another live process is summarizing the day;
    its chats get planned by it (or by the next tick once it let go)."""
    held = await store.planning_lease(day)
    if held is None:
        return True  # nothing stored for the day: nothing to summarize
    holder, until = held
    until_ok = until is not None and until > now
    if holder is not None and holder != owner:
        since = None if until is None else until - timedelta(seconds=lease_seconds)
        if until_ok and owner_alive(holder, since, now, lease_seconds):
            log.info("%s: another process (%s) is planning the digest", day, holder)
            return False
    until_new = now + timedelta(seconds=lease_seconds)
    return await store.take_planning(day, owner, until_new, holder)
