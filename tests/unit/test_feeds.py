"""arXiv RSS: the pure parser on feeds in the real layout, and ArxivFeedSource over httpx."""

from __future__ import annotations

import socket
from datetime import UTC, date, datetime

import httpx
import pytest

from summarizer.arxiv.announcements import FeedEntry
from summarizer.arxiv.feeds import (
    ArxivFeedSource,
    RssParseError,
    merge_entries,
    parse_rss,
    parse_rss_feed,
    split_authors,
)
from summarizer.errors import ArxivUnavailable
from summarizer.models import Paper
from tests.fakes.arxiv_feed import (
    AGENTS,
    ATTENTION,
    DAY_PAPERS,
    LORA,
    MAILING,
    REPLACED,
    WEEKEND_MAILING,
    FakeFeedServer,
    feed_for,
    render_rss,
)


def cs_cl_feed() -> bytes:
    return render_rss("cs.CL", feed_for(["cs.CL"], DAY_PAPERS), MAILING)


def test_parse_rss_reads_every_field_of_an_item() -> None:
    entries = parse_rss(cs_cl_feed(), feed_category="cs.CL")
    by_id = {e.paper.arxiv_id: e for e in entries}
    attention = by_id[ATTENTION.arxiv_id]
    assert attention.announce_type == "new" and attention.feed_category == "cs.CL"
    paper = attention.paper
    assert paper.title == "Attention Is All You Need"
    assert paper.version == 1
    assert paper.authors == ATTENTION.authors  # "A, B, … and C" split, Łukasz kept
    assert paper.abstract == ATTENTION.abstract
    assert paper.abstract.startswith("The dominant")  # "arXiv:… Announce Type" stripped
    assert paper.categories == ("cs.CL", "cs.LG") and paper.primary_category == "cs.CL"
    assert paper.published == datetime(2025, 11, 25, 5, 0, tzinfo=UTC)
    assert paper.journal_ref is not None and "NIPS 2017" in paper.journal_ref
    assert by_id[LORA.arxiv_id].paper.doi == "10.48550/arXiv.2106.09685"
    assert by_id[AGENTS.arxiv_id].announce_type == "cross"
    replaced = by_id[REPLACED.arxiv_id]
    assert replaced.announce_type == "replace" and replaced.paper.version == 3


def test_feed_date_gives_the_announcement_day() -> None:
    feed = parse_rss_feed(cs_cl_feed(), feed_category="cs.CL")
    assert feed.skip_days == ("Saturday", "Sunday")
    now = datetime(2025, 11, 25, 12, tzinfo=UTC)
    assert feed.announcement_day(now) == date(2025, 11, 24)  # Tuesday's mailing: Monday 20:00


def test_weekend_feed_has_no_items_and_skip_days() -> None:
    feed = parse_rss_feed(render_rss("cs.CL", [], WEEKEND_MAILING), feed_category="cs.CL")
    assert feed.entries == []
    assert feed.skip_days == ("Saturday", "Sunday")
    assert feed.published is not None
    assert feed.announcement_day(datetime(2025, 11, 29, 12, tzinfo=UTC)) == date(2025, 11, 28)


@pytest.mark.parametrize(
    ("creators", "names"),
    [
        ("Juan Maldacena", ("Juan Maldacena",)),
        ("Geoffrey Hinton and Oriol Vinyals", ("Geoffrey Hinton", "Oriol Vinyals")),
        ("A. Smith, B. Jones and C. Lee", ("A. Smith", "B. Jones", "C. Lee")),
        ("A. Smith, B. Jones, C. Lee", ("A. Smith", "B. Jones", "C. Lee")),
        ("A. Smith, B. Jones, and C. Lee", ("A. Smith", "B. Jones", "C. Lee")),
        ("Kate Anderson, Sandy Candela", ("Kate Anderson", "Sandy Candela")),
        ("John Smith, Jr., Ann Lee", ("John Smith, Jr.", "Ann Lee")),
        ("ATLAS Collaboration", ("ATLAS Collaboration",)),
        ("  Zoë   Müller and\n José García ", ("Zoë Müller", "José García")),
        ("", ()),
    ],
)
def test_split_authors(creators: str, names: tuple[str, ...]) -> None:
    assert split_authors(creators) == names


def test_items_without_id_or_with_unknown_type_are_skipped() -> None:
    good = cs_cl_feed().decode()
    broken = good.replace("oai:arXiv.org:2511.01001v1", "urn:x").replace(
        "arXiv:2511.01001v1 Announce", "Announce"
    )
    broken = broken.replace(
        "<arxiv:announce_type>new</arxiv:announce_type>",
        "<arxiv:announce_type>withdrawn</arxiv:announce_type>",
        1,
    )
    ids = [e.paper.arxiv_id for e in parse_rss(broken.encode(), feed_category="cs.CL")]
    assert ATTENTION.arxiv_id not in ids
    assert LORA.arxiv_id in ids


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Service busy</body></html>",
        b"not xml at all",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><rss><channel/></rss>',
        b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>',
    ],
)
def test_non_rss_bodies_are_refused(body: bytes) -> None:
    with pytest.raises(RssParseError):
        parse_rss(body, feed_category="cs")


def test_merge_prefers_new_over_cross_and_keeps_first_order() -> None:
    as_cross = FeedEntry(paper=AGENTS, announce_type="cross", feed_category="cs.CL")
    as_new = FeedEntry(paper=AGENTS, announce_type="new", feed_category="cs.LG")
    other = FeedEntry(paper=LORA, announce_type="new", feed_category="cs.CL")
    merged = merge_entries([as_cross, other, as_new])
    assert [e.paper.arxiv_id for e in merged] == [AGENTS.arxiv_id, LORA.arxiv_id]
    assert merged[0].announce_type == "new" and merged[0].feed_category == "cs.LG"


def _source(server: FakeFeedServer, **kw: object) -> ArxivFeedSource:
    options: dict[str, object] = {"retries": 2, "backoff": 0.01, "timeout": 5.0, "min_interval": 0}
    options.update(kw)
    return ArxivFeedSource(server.url, **options)  # type: ignore[arg-type]


async def test_source_batches_categories_into_one_request(
    arxiv_feed_server: FakeFeedServer,
) -> None:
    source = _source(arxiv_feed_server)
    try:
        announcement = await source.fetch_announcement(["cs.CL", "cs.LG", "cs.CL"])
    finally:
        await source.aclose()
    assert arxiv_feed_server.requests == ["/rss/cs.CL+cs.LG"]
    assert announcement.day == date(2025, 11, 24)
    assert announcement.categories == ("cs.CL", "cs.LG")
    ids = [e.paper.arxiv_id for e in announcement.entries]
    assert len(ids) == len(set(ids))  # one entry per paper
    by_id = {e.paper.arxiv_id: e for e in announcement.entries}
    assert by_id[AGENTS.arxiv_id].announce_type == "new"  # cs.LG primary: new in the batch
    assert by_id[AGENTS.arxiv_id].feed_category == "cs.LG"
    assert by_id[ATTENTION.arxiv_id].feed_category == "cs.CL"
    assert by_id[REPLACED.arxiv_id].announce_type == "replace"


async def test_source_reports_an_empty_weekend_as_no_announcement(
    arxiv_feed_server: FakeFeedServer,
) -> None:
    arxiv_feed_server.announce_nothing()
    source = _source(arxiv_feed_server)
    try:
        announcement = await source.fetch_announcement(["cs"])
    finally:
        await source.aclose()
    assert announcement.entries == ()
    assert announcement.day == date(2025, 11, 28)  # Friday: arXiv does not announce


async def test_source_retries_5xx_drops_and_garbage(arxiv_feed_server: FakeFeedServer) -> None:
    arxiv_feed_server.fail_next(1, status=503)
    arxiv_feed_server.drop_next(1)
    source = _source(arxiv_feed_server, retries=3)
    try:
        announcement = await source.fetch_announcement(["math"])
        arxiv_feed_server.garble_next(1)
        again = await source.fetch_announcement(["math"])
    finally:
        await source.aclose()
    assert len(arxiv_feed_server.requests) == 5
    assert [e.paper.arxiv_id for e in announcement.entries] == ["2511.01006"]
    assert again == announcement


async def test_source_gives_up_with_arxiv_unavailable(arxiv_feed_server: FakeFeedServer) -> None:
    arxiv_feed_server.fail_next(3, status=502)
    source = _source(arxiv_feed_server, retries=2)
    try:
        with pytest.raises(ArxivUnavailable) as info:
            await source.fetch_announcement(["cs.CL"])
    finally:
        await source.aclose()
    assert len(arxiv_feed_server.requests) == 3
    assert "HTTP 502" in str(info.value)
    assert info.value.user_message.startswith("⚠️")


async def test_source_does_not_retry_a_404(arxiv_feed_server: FakeFeedServer) -> None:
    arxiv_feed_server.fail_next(1, status=404)
    source = _source(arxiv_feed_server)
    try:
        with pytest.raises(ArxivUnavailable, match="HTTP 404"):
            await source.fetch_announcement(["cs.CL"])
    finally:
        await source.aclose()
    assert len(arxiv_feed_server.requests) == 1


async def test_unreachable_feed_raises_arxiv_unavailable() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with httpx.AsyncClient() as client:
        source = ArxivFeedSource(
            f"http://127.0.0.1:{port}/rss", client=client, retries=1, backoff=0.01, min_interval=0
        )
        with pytest.raises(ArxivUnavailable, match="connection failed"):
            await source.fetch_announcement(["cs.CL"])
        await source.aclose()  # a shared client stays open
        assert not client.is_closed


async def test_a_feed_at_the_2000_item_cap_is_split() -> None:
    def paper(i: int, cat: str) -> Paper:
        return Paper(arxiv_id=f"2511.{20000 + i}", version=1, title=f"P{i}", authors=("A B",),
                     abstract="x", categories=(cat,), primary_category=cat)  # fmt: skip

    papers = tuple((paper(i, "cs.CL" if i % 2 else "cs.LG"), "new") for i in range(3000))
    async with FakeFeedServer(papers=papers) as server:  # type: ignore[arg-type]
        source = ArxivFeedSource(server.url, retries=0)
        try:
            got = await source.fetch_announcement(["cs.CL", "cs.LG"])
        finally:
            await source.aclose()
        assert len(got.entries) == 3000
        assert server.requests == ["/rss/cs.CL+cs.LG", "/rss/cs.CL", "/rss/cs.LG"]
