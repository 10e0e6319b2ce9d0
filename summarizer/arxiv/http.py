"""The one HTTP client for arXiv (API, feeds, listings, full text): a shared httpx client, the
per-site politeness gate, retries with jittered backoff (honouring Retry-After), size caps."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypedDict, TypeVar

import httpx

from summarizer.arxiv.politeness import polite

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_USER_AGENT = "paperbot/0.1 (chat bot that summarizes arXiv papers; python-httpx)"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 60.0  # a longer Retry-After is not worth keeping a chat waiting for


class ArxivHttpError(Exception):
    """arXiv could not be read: after the retries, or a status the caller does not accept.
    `status` is the last HTTP status (None: no answer at all)."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status


class Unreadable(Exception):
    """Raised by a caller's reader: the body is not what was asked for (a proxy's or a busy
    server's HTML page); worth another try."""


class TooLarge(Exception):
    """The body is over the caller's size cap."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def retry_after(headers: httpx.Headers | dict[str, str]) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), if any."""
    raw = headers.get("Retry-After") or headers.get("retry-after")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class HttpOptions(TypedDict, total=False):
    """ArxivHttp's settings, for a source that builds its own client when given none."""

    client: httpx.AsyncClient | None
    min_interval: float
    retries: int
    backoff: float
    timeout: float
    user_agent: str


class _Retry(Exception):
    def __init__(self, reason: str, status: int | None = None, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.wait = wait


class ArxivHttp:
    """GETs to arXiv's hosts, one at a time per site and `min_interval` apart (DESIGN.md:
    1 request / 3 s), retried `retries` times after the first on timeouts, dropped connections,
    429 and 5xx, and on bodies the caller's reader calls Unreadable."""

    def __init__(
        self,
        *,
        client: httpx.AsyncClient | None = None,
        min_interval: float = 3.0,
        retries: int = 3,
        backoff: float = 2.0,
        timeout: float = 30.0,
        user_agent: str = DEFAULT_USER_AGENT,
    ) -> None:
        self._owns_client = client is None
        self._client = client or httpx.AsyncClient(follow_redirects=True)
        self.min_interval = min_interval
        self.retries = max(0, retries)
        self.backoff = backoff
        self.timeout = timeout
        self.user_agent = user_agent

    @classmethod
    def shared_or_own(cls, http: ArxivHttp | None, options: HttpOptions) -> tuple[ArxivHttp, bool]:
        """The shared client when given, else a new one from `options`; and whether the
        caller owns (and so closes) it."""
        return (http, False) if http is not None else (cls(**options), True)

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def get(
        self,
        url: str,
        read: Callable[[Answer], T],
        *,
        accept: str,
        ok_status: Collection[int] = (200,),
        max_bytes: int | None = None,
        retries: int | None = None,
        request_timeout: float | None = None,
    ) -> T:
        """GET `url` and return `read(answer)` for a status in `ok_status`. Raises
        ArxivHttpError when retries run out or the status is neither ok nor retryable, and
        TooLarge past `max_bytes`."""
        attempts = (self.retries if retries is None else max(0, retries)) + 1
        reason, status = "no attempt made", None
        for attempt in range(attempts):
            try:
                answer = await self._once(url, accept, max_bytes, request_timeout)
                if answer.status in RETRY_STATUS:
                    wait = retry_after(answer.headers)
                    raise _Retry(f"HTTP {answer.status}", answer.status, wait)
                if answer.status not in ok_status:
                    raise ArxivHttpError(url, f"HTTP {answer.status}", answer.status)
                try:
                    return read(answer)
                except Unreadable as exc:
                    raise _Retry(f"unreadable answer: {exc}", answer.status) from exc
            except _Retry as exc:
                reason, status = exc.reason, exc.status
                if attempt == attempts - 1:
                    break
                delay = self.backoff * 2**attempt + random.uniform(0, self.backoff / 2)
                if exc.wait is not None:
                    delay = max(delay, min(exc.wait, MAX_RETRY_AFTER))
                log.warning(
                    "arXiv request failed (%s); retry %d in %.1fs", reason, attempt + 1, delay
                )
                await asyncio.sleep(delay)
        raise ArxivHttpError(url, reason, status)

    async def _once(
        self, url: str, accept: str, max_bytes: int | None, request_timeout: float | None
    ) -> Answer:
        headers = {"User-Agent": self.user_agent, "Accept": accept}
        seconds = self.timeout if request_timeout is None else request_timeout
        limit = httpx.Timeout(seconds, connect=min(seconds, 10.0))
        try:
            async with (
                polite(url, self.min_interval),
                self._client.stream("GET", url, headers=headers, timeout=limit) as response,
            ):
                body = b""
                if response.status_code not in RETRY_STATUS:
                    body = await _read_capped(response, max_bytes)
                return Answer(response.status_code, body, dict(response.headers))
        except httpx.TimeoutException as exc:
            raise _Retry(f"timed out ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise _Retry(f"connection failed ({type(exc).__name__}: {exc})") from exc


async def _read_capped(response: httpx.Response, cap: int | None) -> bytes:
    if cap is None:
        return await response.aread()
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > cap:
        raise TooLarge(f"{declared} bytes declared, over the {cap}-byte cap")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > cap:
            raise TooLarge(f"over the {cap}-byte cap")
        chunks.append(chunk)
    return b"".join(chunks)
