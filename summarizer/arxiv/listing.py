"""ArxivListingSource: announcements from `{list_url}/<archive>/new` (and `/pastweek`), httpx.

The listing page shows an announcement from 20:00 US/Eastern, four hours before the RSS feed.
arXiv's robots.txt allows `/list` with `Crawl-delay: 15` (read 2026-12-01): requests are 15 s
apart. One page holds at most 2000 entries (`show=2000`, the page's maximum); a bigger listing
is read in several pages (`skip=2000`, ...). Every fault is logged with its URL and raised as
ArxivUnavailable, so that the caller falls back to the feed: never "no papers today".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta

import httpx

from summarizer.arxiv.announcements import Announcement, FeedEntry
from summarizer.arxiv.feeds import ARXIV_TZ, DEFAULT_USER_AGENT, attribute, merge_entries
from summarizer.arxiv.listing_parser import ListingPage, ListingParseError, parse_listing
from summarizer.arxiv.politeness import polite
from summarizer.errors import ArxivUnavailable

log = logging.getLogger(__name__)

DEFAULT_LIST_URL = "https://arxiv.org/list"
CRAWL_DELAY_SECONDS = 15.0  # arxiv.org/robots.txt: "Crawl-delay: 15" (read 2026-12-01)
PAGE_SIZE = 2000  # the listing's largest `show` (arxiv-browse list_page show_values)
MAX_PAGES = 10
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


def archives_of(categories: Sequence[str]) -> list[str]:
    """`cs.CL`, `cs.LG`, `math` -> `cs`, `math`: one listing page per archive."""
    return list(dict.fromkeys(c.split(".", 1)[0] for c in categories if c.strip()))


def _covers(code: str, category: str) -> bool:
    return category == code or category.startswith(code + ".")


def wanted(entry: FeedEntry, codes: Sequence[str]) -> bool:
    return any(_covers(code, c) for code in codes for c in entry.paper.categories)


class ArxivListingSource:
    """handlers' FeedSource over arXiv's listing pages (latest announcement) plus
    `fetch_recent` (the past week's mailings, for catch-up)."""

    def __init__(
        self,
        list_url: str = DEFAULT_LIST_URL,
        *,
        client: httpx.AsyncClient | None = None,
        crawl_delay: float = CRAWL_DELAY_SECONDS,
        timeout: float = 30.0,
        retries: int = 1,
        user_agent: str = DEFAULT_USER_AGENT,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.list_url = list_url.rstrip("/")
        self._owns_client = client is None
        self._client = client or httpx.AsyncClient(follow_redirects=True)
        self._delay = crawl_delay
        self._timeout = httpx.Timeout(timeout)
        self._retries = max(0, retries)
        self._headers = {"User-Agent": user_agent, "Accept": "text/html"}
        self._clock = clock

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def fetch_announcement(self, categories: Sequence[str]) -> Announcement:
        """The latest announcement for the categories (one `/new` listing per archive)."""
        codes = tuple(dict.fromkeys(c.strip() for c in categories if c.strip()))
        pages = [(a, await self._all_pages(a, "new")) for a in archives_of(codes)]
        mailings = {page.mailing for _, page in pages}
        if len(mailings) != 1 or None in mailings:
            shown = ", ".join(f"{a}: {p.mailing}" for a, p in pages)
            url = f"{self.list_url}/{archives_of(codes)[0]}/new" if pages else self.list_url
            log.warning("arXiv listings disagree on the mailing (%s) at %s", shown, url)
            raise ArxivUnavailable(url, f"listings show different mailings ({shown})")
        mailing = mailings.pop()
        assert mailing is not None
        entries = [attribute(e, codes) for _, p in pages for e in p.entries if wanted(e, codes)]
        return Announcement(
            day=mailing - timedelta(days=1), categories=codes, entries=tuple(merge_entries(entries))
        )

    async def fetch_recent(self, categories: Sequence[str]) -> dict[date, Announcement]:
        """The past week's announcements by day (`/pastweek`: ids, titles, authors and
        subjects, no abstracts), for the days it lists."""
        codes = tuple(dict.fromkeys(c.strip() for c in categories if c.strip()))
        by_day: dict[date, list[FeedEntry]] = {}
        for archive in archives_of(codes):
            page = await self._all_pages(archive, "pastweek")
            starts = sorted(page.dates, key=lambda d: d[1])
            for entry, index in zip(page.entries, page.indexes, strict=True):
                mailing = None
                for day, skip in starts:  # the item's date: the last start at or before it
                    if index > skip:
                        mailing = day
                if mailing is not None and wanted(entry, codes):
                    by_day.setdefault(mailing - timedelta(days=1), []).append(
                        attribute(entry, codes)
                    )
        return {
            day: Announcement(day=day, categories=codes, entries=tuple(merge_entries(entries)))
            for day, entries in by_day.items()
        }

    async def _all_pages(self, archive: str, kind: str) -> ListingPage:
        """Every page of one listing, joined (a listing over PAGE_SIZE is split by `skip`)."""
        first = await self._page(archive, kind, 0)
        entries, indexes = list(first.entries), list(first.indexes)
        skip = PAGE_SIZE
        total = first.total or 0
        while len(entries) < total and skip < PAGE_SIZE * MAX_PAGES:
            more = await self._page(archive, kind, skip)
            if not more.entries or more.mailing != first.mailing:
                url = self._url(archive, kind, skip)
                raise ArxivUnavailable(url, "listing changed while it was read page by page")
            entries += more.entries
            indexes += more.indexes
            skip += PAGE_SIZE
        if first.total is not None and len(entries) < first.total:
            url = self._url(archive, kind, 0)
            log.warning("listing %s: %d of %d entries read", url, len(entries), first.total)
        return ListingPage(first.mailing, entries, first.total, first.dates, indexes)

    def _url(self, archive: str, kind: str, skip: int) -> str:
        return f"{self.list_url}/{archive}/{kind}?skip={skip}&show={PAGE_SIZE}"

    async def _page(self, archive: str, kind: str, skip: int) -> ListingPage:
        url = self._url(archive, kind, skip)
        for attempt in range(self._retries + 1):
            try:
                async with polite(url, self._delay):
                    response = await self._client.get(
                        url, headers=self._headers, timeout=self._timeout
                    )
            except httpx.HTTPError as exc:
                reason = f"{type(exc).__name__}: {exc}"
                log.warning("arXiv listing %s failed: %s", url, reason)
                if attempt == self._retries:
                    raise ArxivUnavailable(url, reason) from exc
                continue
            if response.status_code in _RETRY_STATUS and attempt < self._retries:
                log.warning("arXiv listing %s: HTTP %d, retrying", url, response.status_code)
                await asyncio.sleep(_retry_after(response, self._delay))
                continue
            if response.status_code != 200:
                log.warning("arXiv listing %s: HTTP %d", url, response.status_code)
                raise ArxivUnavailable(url, f"HTTP {response.status_code}")
            today = self._clock().astimezone(ARXIV_TZ).date()
            try:
                return parse_listing(response.content, feed_category=archive, today=today)
            except ListingParseError as exc:
                log.warning("arXiv listing %s unreadable (page changed?): %s", url, exc)
                raise ArxivUnavailable(url, f"unreadable listing: {exc}") from exc
        raise AssertionError("unreachable")  # pragma: no cover


def _retry_after(response: httpx.Response, default: float) -> float:
    raw = response.headers.get("Retry-After", "")
    try:
        return min(max(float(raw), 0.0), 300.0)
    except ValueError:
        return default
