"""ArxivListingSource: announcements from `{list_url}/<archive>/new` (and `/pastweek`), httpx.

The listing page shows an announcement from 20:00 US/Eastern, four hours before the RSS feed.
arXiv's robots.txt allows `/list` with `Crawl-delay: 15` (read 2026-12-01): requests are 15 s
apart. One page holds at most 2000 entries (`show=2000`, the page's maximum); a bigger listing
is read in several pages (`skip=2000`, ...). Every fault is logged with its URL and raised as
ArxivUnavailable, so that the caller falls back to the feed: never "no papers today".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Unpack

from summarizer.arxiv.announcements import Announcement, FeedEntry
from summarizer.arxiv.feeds import ARXIV_TZ, attribute, merge_entries
from summarizer.arxiv.http import Answer, ArxivHttp, ArxivHttpError, HttpOptions
from summarizer.arxiv.listing_parser import ListingPage, ListingParseError, parse_listing
from summarizer.errors import ArxivUnavailable

log = logging.getLogger(__name__)

DEFAULT_LIST_URL = "https://arxiv.org/list"
CRAWL_DELAY_SECONDS = 15.0  # arxiv.org/robots.txt: "Crawl-delay: 15" (read 2026-12-01)
PAGE_SIZE = 2000  # the listing's largest `show` (arxiv-browse list_page show_values)
MAX_PAGES = 10


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
        crawl_delay: float = CRAWL_DELAY_SECONDS,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        **options: Unpack[HttpOptions],
    ) -> None:
        self.list_url = list_url.rstrip("/")
        # Its own client: the listing's crawl delay (15 s) is not the API's 3 s.
        options.setdefault("timeout", 30.0)
        options.setdefault("retries", 1)
        options["min_interval"] = crawl_delay
        self._http = ArxivHttp(**options)
        self._clock = clock

    async def aclose(self) -> None:
        await self._http.aclose()

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
        today = self._clock().astimezone(ARXIV_TZ).date()

        def read(answer: Answer) -> ListingPage:
            # A page we cannot read is a changed layout, not a busy server: no retry.
            return parse_listing(answer.body, feed_category=archive, today=today)

        try:
            return await self._http.get(url, read, accept="text/html")
        except ArxivHttpError as exc:
            log.warning("arXiv listing %s failed: %s", url, exc.reason)
            raise ArxivUnavailable(url, exc.reason) from exc
        except ListingParseError as exc:
            log.warning("arXiv listing %s unreadable (page changed?): %s", url, exc)
            raise ArxivUnavailable(url, f"unreadable listing: {exc}") from exc
