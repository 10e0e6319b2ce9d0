"""ArxivListingSource and the listing-first source over real HTTP to fake arxiv.org servers."""

from __future__ import annotations

import itertools
import logging
from datetime import UTC, date, datetime

import pytest

from summarizer.arxiv.feeds import ArxivFeedSource
from summarizer.arxiv.listing import PAGE_SIZE, ArxivListingSource
from summarizer.arxiv.sources import ListingFirstSource
from summarizer.errors import ArxivUnavailable
from summarizer.models import Paper
from tests.fakes.arxiv_feed import AGENTS, ATTENTION, DAY_PAPERS, HODGE, MAILING, FakeFeedServer
from tests.fakes.arxiv_listing import FakeListingServer

EVENING = datetime(2025, 11, 24, 21, 0, tzinfo=UTC)  # Monday 16:00 ET
DELAY = 0.2


def listing(server: FakeListingServer, **kw: object) -> ArxivListingSource:
    return ArxivListingSource(server.url, crawl_delay=DELAY, clock=lambda: EVENING, **kw)  # type: ignore[arg-type]


async def test_latest_announcement_from_the_archive_pages(
    arxiv_listing_server: FakeListingServer,
) -> None:
    source = listing(arxiv_listing_server)
    try:
        got = await source.fetch_announcement(["cs.CL", "cs.LG", "math.AG"])
    finally:
        await source.aclose()
    assert got.day == date(2025, 11, 24)  # mailing Tue 25 Nov: announced Monday 20:00 ET
    ids = {e.paper.arxiv_id for e in got.entries}
    assert {ATTENTION.arxiv_id, AGENTS.arxiv_id, HODGE.arxiv_id} <= ids
    assert sorted(arxiv_listing_server.requests) == [
        f"/list/cs/new?skip=0&show={PAGE_SIZE}",
        f"/list/math/new?skip=0&show={PAGE_SIZE}",
    ]
    times = arxiv_listing_server.times
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # Without the crawl delay the requests would be milliseconds apart.
    assert all(g >= DELAY * 0.5 for g in gaps)


async def test_a_listing_over_2000_entries_is_read_in_pages() -> None:
    many = tuple(
        (Paper(arxiv_id=f"2511.{10000 + i}", version=1, title=f"Paper {i}", authors=("A B",),
               abstract="x", categories=("cs.LG",), primary_category="cs.LG"), "new")
        for i in range(PAGE_SIZE + 321)
    )  # fmt: skip
    async with FakeListingServer(days={MAILING: many}) as server:  # type: ignore[dict-item]
        source = listing(server)
        try:
            got = await source.fetch_announcement(["cs.LG"])
        finally:
            await source.aclose()
        assert len(got.entries) == PAGE_SIZE + 321
        assert server.requests == [
            f"/list/cs/new?skip=0&show={PAGE_SIZE}",
            f"/list/cs/new?skip={PAGE_SIZE}&show={PAGE_SIZE}",
        ]


@pytest.mark.parametrize("fault", [403, 429, 503, "html"])
async def test_faults_raise_unavailable_with_the_url(
    arxiv_listing_server: FakeListingServer, fault: int | str, caplog: pytest.LogCaptureFixture
) -> None:
    if fault == "html":
        arxiv_listing_server.garble_next(5)
    else:
        arxiv_listing_server.fail_next(5, status=int(fault))
    source = listing(arxiv_listing_server, retries=1)
    with caplog.at_level(logging.WARNING), pytest.raises(ArxivUnavailable) as err:
        await source.fetch_announcement(["cs.CL"])
    await source.aclose()
    assert err.value.url.startswith(arxiv_listing_server.url + "/cs/new")
    assert arxiv_listing_server.url in caplog.text
    # 403 is not retried; 429/503 and a changed page are retried once, then given up
    assert len(arxiv_listing_server.requests) == (1 if fault in (403, "html") else 2)


async def test_falls_back_to_the_feed_when_the_listing_fails(
    arxiv_listing_server: FakeListingServer,
    arxiv_feed_server: FakeFeedServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    arxiv_listing_server.fail_next(3, status=503)
    feed = ArxivFeedSource(arxiv_feed_server.url, retries=0, clock=lambda: EVENING)
    source = ListingFirstSource(listing(arxiv_listing_server, retries=0), feed)
    with caplog.at_level(logging.WARNING):
        got = await source.fetch_announcement(["cs.CL"])
    await source.aclose()
    assert ATTENTION.arxiv_id in {e.paper.arxiv_id for e in got.entries}
    assert arxiv_listing_server.url in caplog.text and "falling back" in caplog.text


async def test_both_sources_down_is_unreachable_not_empty(
    arxiv_listing_server: FakeListingServer, arxiv_feed_server: FakeFeedServer
) -> None:
    arxiv_listing_server.fail_next(3, status=403)
    arxiv_feed_server.fail_next(3, status=503)
    feed = ArxivFeedSource(arxiv_feed_server.url, retries=0, backoff=0.0)
    source = ListingFirstSource(listing(arxiv_listing_server, retries=0), feed)
    with pytest.raises(ArxivUnavailable) as err:
        await source.fetch_announcement(["cs.CL"])
    await source.aclose()
    assert arxiv_listing_server.url in err.value.url and arxiv_feed_server.url in err.value.url


async def test_disagreement_with_the_feed_is_logged_and_nothing_is_lost(
    arxiv_listing_server: FakeListingServer,
    arxiv_feed_server: FakeFeedServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The listing lost ATTENTION; the feed of the same mailing has it.
    arxiv_listing_server.days[MAILING] = tuple(p for p in DAY_PAPERS if p[0] != ATTENTION)
    feed = ArxivFeedSource(arxiv_feed_server.url, retries=0)
    source = ListingFirstSource(listing(arxiv_listing_server), feed)
    with caplog.at_level(logging.WARNING):
        got = await source.fetch_announcement(["cs.CL"])
    await source.aclose()
    assert ATTENTION.arxiv_id in {e.paper.arxiv_id for e in got.entries}
    assert source.disagreements == 1 and "disagree" in caplog.text
    assert arxiv_listing_server.url in caplog.text


async def test_pastweek_gives_each_recent_day(arxiv_listing_server: FakeListingServer) -> None:
    later = date(2025, 11, 26)
    arxiv_listing_server.announce(later, DAY_PAPERS[:2])
    source = listing(arxiv_listing_server)
    try:
        recent = await source.fetch_recent(["cs.CL"])
    finally:
        await source.aclose()
    assert sorted(recent) == [date(2025, 11, 24), date(2025, 11, 25)]
    assert ATTENTION.arxiv_id in {e.paper.arxiv_id for e in recent[date(2025, 11, 25)].entries}


class RecordingMetadata:
    """The API port (summarizer.arxiv.source.ArxivSource.fetch_papers), from a dict."""

    def __init__(self, papers: dict[str, Paper]) -> None:
        self.papers = papers
        self.asked: list[str] = []

    async def fetch_papers(self, refs):  # type: ignore[no-untyped-def]
        self.asked += [r.arxiv_id for r in refs]
        return {r: self.papers[r.arxiv_id] for r in refs if r.arxiv_id in self.papers}


async def test_catch_up_days_get_their_abstracts_from_the_api(
    arxiv_listing_server: FakeListingServer, arxiv_feed_server: FakeFeedServer
) -> None:
    arxiv_listing_server.announce(date(2025, 11, 26), DAY_PAPERS[2:4])
    api = RecordingMetadata({p.arxiv_id: p for p, _ in DAY_PAPERS})
    source = ListingFirstSource(
        listing(arxiv_listing_server), ArxivFeedSource(arxiv_feed_server.url), metadata=api
    )
    recent = await source.fetch_recent(["cs.CL"])
    await source.aclose()
    older = {e.paper.arxiv_id: e.paper for e in recent[date(2025, 11, 24)].entries}
    assert older[ATTENTION.arxiv_id].abstract == ATTENTION.abstract  # pastweek had none
    assert ATTENTION.arxiv_id in api.asked
