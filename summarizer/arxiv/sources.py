"""The digest's announcement source: the listing page first, the RSS feed as fallback and
confirmation. Whatever fails is logged with its URL; only when both fail is arXiv
"unreachable" (never "no papers today")."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Protocol

from summarizer.arxiv.announcements import Announcement
from summarizer.arxiv.feeds import merge_entries
from summarizer.errors import ArxivUnavailable
from summarizer.models import ArxivRef, Paper

log = logging.getLogger(__name__)


class LatestSource(Protocol):
    async def fetch_announcement(self, categories: Sequence[str]) -> Announcement: ...


class RecentSource(LatestSource, Protocol):
    async def fetch_recent(self, categories: Sequence[str]) -> dict[date, Announcement]: ...


class Metadata(Protocol):
    """summarizer.arxiv_source.ArxivSource: batched API lookups."""

    async def fetch_papers(self, refs: Sequence[ArxivRef]) -> dict[ArxivRef, Paper]: ...


def _where(source: object) -> str:
    return str(getattr(source, "list_url", None) or getattr(source, "rss_url", None) or source)


class ListingFirstSource:
    """`fetch_announcement`: the listing; on any fault the feed. When the feed already shows
    the same day (after midnight ET) it confirms: a disagreement is logged and both sides'
    papers kept; a feed showing a later day than the listing wins (a stale listing)."""

    def __init__(
        self,
        listing: RecentSource,
        feed: LatestSource,
        *,
        confirm: bool = True,
        metadata: Metadata | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.listing = listing
        self.feed = feed
        self._confirm = confirm
        self._metadata = metadata
        self._clock = clock
        self.disagreements = 0

    async def aclose(self) -> None:
        for source in (self.listing, self.feed):
            close = getattr(source, "aclose", None)
            if close is not None:
                await close()

    async def fetch_announcement(self, categories: Sequence[str]) -> Announcement:
        try:
            listed = await self.listing.fetch_announcement(categories)
        except ArxivUnavailable as exc:
            log.warning(
                "listing unusable at %s (%s); falling back to the feed at %s",
                exc.url,
                exc.reason,
                _where(self.feed),
            )
            return await self._feed_or_raise(categories, exc)
        if not self._confirm:
            return listed
        try:
            fed = await self.feed.fetch_announcement(categories)
        except ArxivUnavailable as exc:
            log.info("feed unavailable for confirmation at %s: %s", exc.url, exc.reason)
            return listed
        if fed.day > listed.day:
            log.warning(
                "listing at %s shows %s but the feed at %s shows %s: using the feed",
                _where(self.listing),
                listed.day,
                _where(self.feed),
                fed.day,
            )
            return fed
        if fed.day < listed.day:
            return listed  # the feed is rebuilt at midnight ET: nothing to compare yet
        return self._reconcile(listed, fed)

    def _reconcile(self, listed: Announcement, fed: Announcement) -> Announcement:
        def ids(a: Announcement) -> set[str]:
            return {e.paper.arxiv_id for e in a.entries if e.announce_type in ("new", "cross")}

        only_listed, only_fed = ids(listed) - ids(fed), ids(fed) - ids(listed)
        if not only_listed and not only_fed:
            return listed
        self.disagreements += 1
        log.warning(
            "listing at %s and feed at %s disagree for %s: %d only listed, %d only in the "
            "feed (e.g. %s); keeping both",
            _where(self.listing),
            _where(self.feed),
            listed.day,
            len(only_listed),
            len(only_fed),
            sorted(only_listed | only_fed)[:3],
        )
        entries = merge_entries([*listed.entries, *fed.entries])
        return listed.model_copy(update={"entries": tuple(entries)})

    async def _feed_or_raise(
        self, categories: Sequence[str], first: ArxivUnavailable
    ) -> Announcement:
        try:
            return await self.feed.fetch_announcement(categories)
        except ArxivUnavailable as exc:
            log.warning("feed unusable too at %s: %s", exc.url, exc.reason)
            raise ArxivUnavailable(
                f"{first.url} and {exc.url}", f"listing: {first.reason}; feed: {exc.reason}"
            ) from exc

    async def fetch_recent(self, categories: Sequence[str]) -> dict[date, Announcement]:
        """The past week by day, from the listing (the feed only has the latest day); the
        pastweek page has no abstracts, so they come from the API when it answers."""
        recent = await self.listing.fetch_recent(categories)
        bare = [e.paper.ref for a in recent.values() for e in a.entries if not e.paper.abstract]
        if not bare or self._metadata is None:
            return recent
        try:
            found = await self._metadata.fetch_papers(bare)
        except ArxivUnavailable as exc:
            log.warning("API lookup of %d past papers failed at %s: %s", len(bare), exc.url,
                        exc.reason)  # fmt: skip
            return recent
        by_id = {ref.arxiv_id: paper for ref, paper in found.items()}
        out: dict[date, Announcement] = {}
        for day, announcement in recent.items():
            entries = []
            for entry in announcement.entries:
                full = by_id.get(entry.paper.arxiv_id)
                if full is not None and not entry.paper.abstract:
                    paper = entry.paper.model_copy(
                        update={"abstract": full.abstract, "version": full.version,
                                "categories": full.categories or entry.paper.categories,
                                "primary_category": full.primary_category
                                or entry.paper.primary_category}
                    )  # fmt: skip
                    entry = entry.model_copy(update={"paper": paper})
                entries.append(entry)
            out[day] = announcement.model_copy(update={"entries": tuple(entries)})
        return out
