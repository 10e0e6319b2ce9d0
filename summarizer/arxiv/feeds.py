"""arXiv announcement feeds: a pure RSS 2.0 parser and ArxivFeedSource (batched, retried, httpx).

The feed at `{rss_url}/cs.CL+cs.LG` lists the last mailing of those categories; it is rebuilt at
midnight America/New_York and dated (pubDate) with the mailing date, the day after the 20:00 ET
announcement. Weekend and holiday feeds have no items: that is "no announcement", not an error.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Unpack
from zoneinfo import ZoneInfo

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from summarizer.arxiv.announcements import Announcement, AnnounceType, FeedEntry
from summarizer.arxiv.authors import parse_author_line
from summarizer.arxiv.authors import split_authors as split_authors
from summarizer.arxiv.http import Answer, ArxivHttp, ArxivHttpError, HttpOptions, Unreadable
from summarizer.errors import ArxivUnavailable
from summarizer.models import Paper

log = logging.getLogger(__name__)

DEFAULT_RSS_URL = "https://rss.arxiv.org/rss"
ARXIV_TZ = ZoneInfo("America/New_York")
ARXIV_NS = "http://arxiv.org/schemas/atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
MAX_CODES_PER_REQUEST = 40  # keeps the URL short; arXiv joins any number with `+`
MAX_FEED_ITEMS = 2000  # rss.arxiv.org returns at most 2000 items per request (DESIGN.md)
_TYPES: dict[str, AnnounceType] = {t: t for t in ("new", "cross", "replace", "replace-cross")}
_TYPE_RANK: dict[str, int] = {t: rank for rank, t in enumerate(_TYPES)}
_GUID = re.compile(r"^oai:arXiv\.org:(?P<id>\S+?)(?:v(?P<v>\d+))?$", re.IGNORECASE)
_DESCRIPTION = re.compile(
    r"^\s*arXiv:(?P<id>\S+?)(?:v(?P<v>\d+))?\s+Announce Type:\s*(?P<type>[\w-]+)\s*", re.I
)


class RssParseError(ValueError):
    """The bytes are not an RSS 2.0 feed (an HTML error page, broken or hostile XML)."""


@dataclass(frozen=True)
class RssFeed:
    """A parsed feed: its entries, the mailing it is dated with, and the channel's skipDays."""

    entries: list[FeedEntry]
    published: datetime | None
    skip_days: tuple[str, ...]

    def announcement_day(self, now: datetime) -> date:
        """The ET date of the 20:00 announcement this feed lists (mailing date - 1 day); a
        feed without dates is the current one, rebuilt at midnight ET."""
        stamps = [e.paper.published for e in self.entries if e.paper.published is not None]
        when = stamps[0] if stamps else (self.published or now)
        return when.astimezone(ARXIV_TZ).date() - timedelta(days=1)


def _text(el: ET.Element | None) -> str:
    return " ".join((el.text or "").split()) if el is not None else ""


def _when(raw: str) -> datetime | None:
    if not raw:
        return None
    try:
        parsed = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _entry(item: ET.Element, feed_category: str) -> FeedEntry | None:
    description = (item.findtext("description") or "").strip()
    head = _DESCRIPTION.match(description)
    guid = _GUID.match(_text(item.find("guid")))
    ident = guid or head
    if ident is None:
        log.warning("RSS item without an arXiv id: %r", _text(item.find("link"))[:80])
        return None
    kind = _text(item.find(f"{{{ARXIV_NS}}}announce_type")) or (head["type"] if head else "")
    announce = _TYPES.get(kind)
    if announce is None:
        log.warning("RSS item %s has unknown announce type %r", ident["id"], kind)
        return None
    _, marker, abstract = description.partition("Abstract:")
    if not marker:
        abstract = description[head.end() :] if head else description
    categories = tuple(dict.fromkeys(c for el in item.findall("category") if (c := _text(el))))
    line = parse_author_line(item.findtext(f"{{{DC_NS}}}creator") or "")
    paper = Paper(
        arxiv_id=ident["id"],
        version=int(ident["v"]) if ident["v"] else None,
        title=_text(item.find("title")),
        authors=line.names,
        affiliations=line.affiliations if any(line.affiliations) else (),
        abstract=" ".join(abstract.split()),
        categories=categories,
        primary_category=categories[0] if categories else None,
        published=_when(_text(item.find("pubDate"))),
        journal_ref=_text(item.find(f"{{{ARXIV_NS}}}journal_reference")) or None,
        doi=_text(item.find(f"{{{ARXIV_NS}}}DOI")) or None,
    )
    return FeedEntry(paper=paper, announce_type=announce, feed_category=feed_category)


def parse_rss_feed(xml: bytes, *, feed_category: str) -> RssFeed:
    """Read an arXiv RSS 2.0 feed; items without an id or with an unknown type are skipped."""
    try:
        root = SafeET.fromstring(xml)
    except (ET.ParseError, DefusedXmlException) as exc:
        raise RssParseError(f"not an RSS feed: {exc}") from exc
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise RssParseError(f"not an RSS feed: root element is {root.tag!r}")
    entries = [e for item in channel.findall("item") if (e := _entry(item, feed_category))]
    published = _when(_text(channel.find("pubDate"))) or _when(_text(channel.find("lastBuildDate")))
    skip = tuple(_text(d) for d in channel.findall("skipDays/day") if _text(d))
    return RssFeed(entries=entries, published=published, skip_days=skip)


def parse_rss(xml: bytes, *, feed_category: str) -> list[FeedEntry]:
    """The entries of an arXiv RSS feed (see parse_rss_feed)."""
    return parse_rss_feed(xml, feed_category=feed_category).entries


def _covers(code: str, category: str) -> bool:
    return category == code or category.startswith(code + ".")


def attribute(entry: FeedEntry, requested: Sequence[str]) -> FeedEntry:
    """Label an entry of a batched feed with the requested code covering its primary
    category (else any of its categories)."""
    paper = entry.paper
    for category in (paper.primary_category, *paper.categories):
        for code in requested:
            if category and _covers(code, category):
                return entry.model_copy(update={"feed_category": code})
    return entry


def merge_entries(entries: Sequence[FeedEntry]) -> list[FeedEntry]:
    """One entry per paper, in first-seen order; `new` wins over `cross` over replacements."""
    best: dict[str, FeedEntry] = {}
    for entry in entries:
        seen = best.get(entry.paper.arxiv_id)
        if seen is None or _TYPE_RANK[entry.announce_type] < _TYPE_RANK[seen.announce_type]:
            best[entry.paper.arxiv_id] = entry
    return list(best.values())


class ArxivFeedSource:
    """handlers.digest.types.FeedSource over arXiv's RSS feeds, one request per batch of
    categories (`cs.CL+cs.LG`). `retries` counts attempts after the first."""

    def __init__(
        self,
        rss_url: str = DEFAULT_RSS_URL,
        *,
        http: ArxivHttp | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        **options: Unpack[HttpOptions],
    ) -> None:
        self.rss_url = rss_url.rstrip("/")
        options.setdefault("timeout", 30.0)
        self._http, self._owns_http = ArxivHttp.shared_or_own(http, options)
        self._clock = clock

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def fetch_announcement(self, categories: Sequence[str]) -> Announcement:
        codes = tuple(dict.fromkeys(c.strip() for c in categories if c.strip()))
        feeds = [
            feed
            for i in range(0, len(codes), MAX_CODES_PER_REQUEST)
            for feed in await self._fetch_whole(codes[i : i + MAX_CODES_PER_REQUEST])
        ]
        now = self._clock()
        days = [feed.announcement_day(now) for feed in feeds if feed.entries] or [
            feed.announcement_day(now) for feed in feeds
        ]
        day = max(days) if days else now.astimezone(ARXIV_TZ).date() - timedelta(days=1)
        entries = merge_entries([attribute(e, codes) for feed in feeds for e in feed.entries])
        return Announcement(day=day, categories=codes, entries=tuple(entries))

    async def _fetch_whole(self, codes: Sequence[str]) -> list[RssFeed]:
        """A feed that comes back with MAX_FEED_ITEMS items may be cut short: ask again in
        two halves (down to one category, which is as small as a request gets)."""
        feed = await self._fetch(codes)
        if len(feed.entries) < MAX_FEED_ITEMS:
            return [feed]
        if len(codes) == 1:
            log.warning(
                "feed %s/%s has %d items, the feed's maximum: it may be truncated",
                self.rss_url,
                codes[0],
                len(feed.entries),
            )
            return [feed]
        half = len(codes) // 2
        log.info("feed for %d categories hit %d items; splitting", len(codes), MAX_FEED_ITEMS)
        return [*await self._fetch_whole(codes[:half]), *await self._fetch_whole(codes[half:])]

    async def _fetch(self, codes: Sequence[str]) -> RssFeed:
        url = f"{self.rss_url}/{'+'.join(codes)}"

        def read(answer: Answer) -> RssFeed:
            try:
                return parse_rss_feed(answer.body, feed_category="+".join(codes))
            except RssParseError as exc:  # an HTML error page from a proxy or a busy server
                raise Unreadable(str(exc)) from exc

        try:
            return await self._http.get(url, read, accept="application/rss+xml")
        except ArxivHttpError as exc:
            raise ArxivUnavailable(url, exc.reason) from exc
