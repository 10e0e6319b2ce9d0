"""HTTP for full texts: arxiv.org/html and /pdf over httpx, polite, time-limited, size-capped."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import httpx

from summarizer.arxiv.politeness import polite
from summarizer.models import Paper

log = logging.getLogger(__name__)

DEFAULT_HTML_URL = "https://arxiv.org/html"
DEFAULT_PDF_URL = "https://arxiv.org/pdf"
DEFAULT_USER_AGENT = "paperbot/0.1 (chat bot that summarizes arXiv papers; python-httpx)"
MAX_HTML_BYTES = 10 * 1024 * 1024
MAX_PDF_BYTES = 30 * 1024 * 1024
_MISSING_STATUS = frozenset({400, 403, 404, 410})

Outcome = Literal["ok", "missing", "error"]


@dataclass(frozen=True)
class Fetched:
    """`ok` with a body; `missing` (arXiv says there is none: cacheable); `error` (try later)."""

    outcome: Outcome
    url: str
    body: bytes = b""
    reason: str = ""


class TooLarge(Exception):
    pass


class PaperFetcher:
    """GET a paper's HTML or PDF; never raises for HTTP trouble, answers a `Fetched`."""

    def __init__(
        self,
        *,
        html_url: str = DEFAULT_HTML_URL,
        pdf_url: str = DEFAULT_PDF_URL,
        client: httpx.AsyncClient | None = None,
        min_interval: float = 3.0,
        timeout: float = 30.0,
        max_html_bytes: int = MAX_HTML_BYTES,
        max_pdf_bytes: int = MAX_PDF_BYTES,
        user_agent: str = DEFAULT_USER_AGENT,
    ) -> None:
        self.html_url = html_url.rstrip("/")
        self.pdf_url = pdf_url.rstrip("/")
        self._owns_client = client is None
        self._client = client or httpx.AsyncClient(follow_redirects=True)
        self._min_interval = min_interval
        self._timeout = httpx.Timeout(timeout, connect=min(timeout, 10.0))
        self._max_html = max_html_bytes
        self._max_pdf = max_pdf_bytes
        self._user_agent = user_agent

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def get_html(self, paper: Paper) -> Fetched:
        url = f"{self.html_url}/{paper.versioned_id}"
        return await self._get(url, self._max_html, "text/html,application/xhtml+xml")

    async def get_pdf(self, paper: Paper) -> Fetched:
        url = f"{self.pdf_url}/{paper.versioned_id}"
        fetched = await self._get(url, self._max_pdf, "application/pdf")
        if fetched.outcome == "ok" and not fetched.body.lstrip()[:5].startswith(b"%PDF"):
            return Fetched("missing", url, reason="answer is not a PDF")
        return fetched

    async def _get(self, url: str, cap: int, accept: str) -> Fetched:
        headers = {"User-Agent": self._user_agent, "Accept": accept}
        try:
            async with (
                polite(url, self._min_interval),
                self._client.stream("GET", url, headers=headers, timeout=self._timeout) as resp,
            ):
                status = resp.status_code
                if status in _MISSING_STATUS:
                    return Fetched("missing", url, reason=f"HTTP {status}")
                if status != 200:
                    return Fetched("error", url, reason=f"HTTP {status}")
                body = await _read_capped(resp, cap)
        except TooLarge as exc:
            return Fetched("missing", url, reason=str(exc))
        except httpx.TimeoutException as exc:
            return Fetched("error", url, reason=f"timed out ({type(exc).__name__})")
        except httpx.HTTPError as exc:
            return Fetched("error", url, reason=f"{type(exc).__name__}: {exc}")
        return Fetched("ok", url, body=body)


async def _read_capped(response: httpx.Response, cap: int) -> bytes:
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
