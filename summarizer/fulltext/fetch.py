"""HTTP for full texts: arxiv.org/html and /pdf over httpx, polite, time-limited, size-capped."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import httpx

from summarizer.arxiv.http import DEFAULT_USER_AGENT, Answer, ArxivHttp, ArxivHttpError, TooLarge
from summarizer.models import Paper

log = logging.getLogger(__name__)

DEFAULT_HTML_URL = "https://arxiv.org/html"
DEFAULT_PDF_URL = "https://arxiv.org/pdf"
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


class PaperFetcher:
    """GET a paper's HTML or PDF; never raises for HTTP trouble, answers a `Fetched`."""

    def __init__(
        self,
        *,
        html_url: str = DEFAULT_HTML_URL,
        pdf_url: str = DEFAULT_PDF_URL,
        client: httpx.AsyncClient | None = None,
        http: ArxivHttp | None = None,
        min_interval: float = 3.0,
        timeout: float = 30.0,
        max_html_bytes: int = MAX_HTML_BYTES,
        max_pdf_bytes: int = MAX_PDF_BYTES,
        user_agent: str = DEFAULT_USER_AGENT,
    ) -> None:
        self.html_url = html_url.rstrip("/")
        self.pdf_url = pdf_url.rstrip("/")
        self._owns_http = http is None
        self._http = http or ArxivHttp(
            client=client, min_interval=min_interval, timeout=timeout, user_agent=user_agent
        )
        self._timeout = timeout
        self._max_html = max_html_bytes
        self._max_pdf = max_pdf_bytes

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

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
        # No retries: a full summary falls back to the abstract rather than keep a chat waiting.
        try:
            return await self._http.get(
                url,
                lambda answer: _fetched(url, answer),
                accept=accept,
                ok_status=(200, *_MISSING_STATUS),
                max_bytes=cap,
                retries=0,
                request_timeout=self._timeout,
            )
        except TooLarge as exc:
            return Fetched("missing", url, reason=str(exc))
        except ArxivHttpError as exc:
            return Fetched("error", url, reason=exc.reason)


def _fetched(url: str, answer: Answer) -> Fetched:
    if answer.status in _MISSING_STATUS:
        return Fetched("missing", url, reason=f"HTTP {answer.status}")
    return Fetched("ok", url, body=answer.body)
