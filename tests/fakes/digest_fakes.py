"""Hand-written fakes of the digest ports (subscriptions, feed) and builders for digest tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from aiohttp import web

from handlers.digest.pipeline import DigestConfig, DigestPipeline
from handlers.digest.sender import SendPolicy
from handlers.digest.types import Announcement, FeedEntry, Messenger
from handlers.ports import ChatSettings, ChatStore, Summaries
from handlers.subscriptions.topics import parse_topic
from handlers.types import ChatKind, ChatRef
from storage.chat_store import SqlChatStore
from storage.digest_store import SqlDigestStore
from storage.engine import Database
from summarizer.arxiv import calendar as arxiv_calendar
from summarizer.errors import ArxivUnavailable
from summarizer.models import Paper
from tests.fakes.services import FakePapers, FakeSummaries
from tests.fakes.subscription_store import MemorySubscriptions


def paper(arxiv_id: str, title: str, category: str = "cs.CL", abstract: str = "") -> Paper:
    return Paper(
        arxiv_id=arxiv_id,
        version=1,
        title=title,
        authors=("Ada Lovelace", "Alan Turing"),
        abstract=abstract
        or f"We study {title.lower()}. Our method improves accuracy by 3.5% on 4 benchmarks.",
        categories=(category,),
        primary_category=category,
        published=datetime(2026, 11, 24, 20, 0, tzinfo=UTC),
    )


def entry(p: Paper, announce_type: str = "new") -> FeedEntry:
    return FeedEntry.model_validate(
        {"paper": p, "announce_type": announce_type, "feed_category": p.primary_category or ""}
    )


class FakeFeed:
    """FeedSource serving prepared announcements per day (`current` is what the feed shows);
    `fail_next(n)` makes the next n fetches raise ArxivUnavailable."""

    def __init__(self, day: date, entries: Sequence[FeedEntry] = ()) -> None:
        self.current = Announcement(day=day, categories=(), entries=tuple(entries))
        self.calls: list[tuple[str, ...]] = []
        self.failures = 0

    def fail_next(self, n: int) -> None:
        self.failures = n

    def show(self, day: date, entries: Sequence[FeedEntry]) -> None:
        """A new announcement; the one shown before goes to the past week (`fetch_recent`)."""
        if self.current.entries:
            self.past[self.current.day] = self.current
        self.current = Announcement(day=day, categories=(), entries=tuple(entries))

    @property
    def past(self) -> dict[date, Announcement]:
        return self.__dict__.setdefault("_past", {})  # type: ignore[no-any-return]

    def _for(self, a: Announcement, categories: Sequence[str]) -> Announcement:
        wanted = set(categories)
        entries = tuple(
            e
            for e in a.entries
            if e.feed_category in wanted or e.feed_category.split(".")[0] in wanted
        )
        return Announcement(day=a.day, categories=tuple(categories), entries=entries)

    async def fetch_announcement(self, categories: Sequence[str]) -> Announcement:
        self.calls.append(tuple(categories))
        if self.failures > 0:
            self.failures -= 1
            raise ArxivUnavailable("http://127.0.0.1:9/rss", "connection refused")
        return self._for(self.current, categories)

    async def fetch_recent(self, categories: Sequence[str]) -> dict[date, Announcement]:
        """What arxiv.org/list/<archive>/pastweek holds: the last five mailings."""
        self.calls.append(("pastweek", *categories))
        if self.failures > 0:
            self.failures -= 1
            raise ArxivUnavailable("http://127.0.0.1:9/list", "connection refused")
        days = sorted([*self.past, self.current.day], reverse=True)[:5]
        shown = {**self.past, self.current.day: self.current}
        return {d: self._for(shown[d], categories) for d in days}


class Clock:
    """A settable clock for the pipeline (aware UTC datetimes)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


LLM_PAPERS = (
    paper("2611.00001", "Scaling Laws for Large Language Model Agents"),
    paper("2611.00002", "A Survey of Language Model Alignment"),
    paper("2611.00003", "Retrieval Augmented Generation for Code", "cs.SE"),
    paper("2611.00004", "Diffusion Models for Protein Design", "q-bio.BM"),
    paper("2611.00005", "Efficient Attention for Long Context Language Model Inference", "cs.LG"),
    paper("2611.00006", "Tokenizer-free Machine Translation"),
)


def build_pipeline(
    db: Database,
    subs: MemorySubscriptions,
    feed: FakeFeed,
    clock: Clock,
    messengers: Sequence[Messenger],
    *,
    summaries: Summaries | None = None,
    chats: ChatStore | None = None,
    policy: SendPolicy | None = None,
    **config: Any,
) -> DigestPipeline:
    """A DigestPipeline on a real database with fakes around it (no waiting between retries
    unless `policy` says so); `config` overrides DigestConfig fields."""
    return DigestPipeline(
        store=SqlDigestStore(db),
        subscriptions=subs,
        feed=feed,
        chats=chats or SqlChatStore(db),
        summaries=summaries or FakeSummaries(FakePapers()),
        messengers={m.platform: m for m in messengers},
        calendar=arxiv_calendar,
        config=DigestConfig(
            send=policy or SendPolicy(retry_base_seconds=0.0), fetch_retry_seconds=0.0, **config
        ),
        clock=clock,
    )


def render_rss(entries: Sequence[FeedEntry], mailing: date, codes: str) -> bytes:
    """An arXiv RSS 2.0 feed (as rss.arxiv.org serves it) listing `entries`, dated `mailing`."""
    stamp = format_datetime(datetime.combine(mailing, time(0), tzinfo=ZoneInfo("America/New_York")))
    items = []
    for e in entries:
        p = e.paper
        cats = "".join(f"<category>{escape(c)}</category>" for c in p.categories)
        items.append(
            "<item>"
            f"<title>{escape(p.title)}</title>"
            f"<link>https://arxiv.org/abs/{p.arxiv_id}</link>"
            f"<description>arXiv:{p.versioned_id} Announce Type: {e.announce_type} \n"
            f"Abstract: {escape(p.abstract)}</description>"
            f'<guid isPermaLink="false">oai:arXiv.org:{p.versioned_id}</guid>'
            f"{cats}<pubDate>{stamp}</pubDate>"
            f"<arxiv:announce_type>{e.announce_type}</arxiv:announce_type>"
            f"<dc:rights>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</dc:rights>"
            f"<dc:creator>{escape(', '.join(p.authors))}</dc:creator>"
            "</item>"
        )
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel>'
        f"<title>{escape(codes)} updates on arXiv.org</title>"
        f"<link>http://rss.arxiv.org/rss/{escape(codes)}</link>"
        f"<description>{escape(codes)} updates</description>"
        f"<lastBuildDate>{stamp}</lastBuildDate><language>en-us</language>"
        "<skipDays><day>Saturday</day><day>Sunday</day></skipDays>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


class FakeRssServer:
    """arXiv's RSS feeds on 127.0.0.1: `/rss/cs.CL+cs.LG` lists the entries whose categories
    fall under the codes; `fail_next(n)` answers 503 to the next n requests."""

    def __init__(self, day: date, entries: Sequence[FeedEntry]) -> None:
        self.day = day
        self.entries = list(entries)
        self.requests: list[str] = []
        self.failures = 0
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/rss"

    def fail_next(self, n: int) -> None:
        self.failures = n

    @property
    def list_url(self) -> str:
        """The same day as arxiv.org's listing pages (`/list/<archive>/new`)."""
        return f"http://127.0.0.1:{self.port}/list"

    async def start(self) -> FakeRssServer:
        app = web.Application()
        app.router.add_get("/rss/{codes}", self._feed)
        app.router.add_get("/list/{archive}/{kind}", self._listing)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _feed(self, request: web.Request) -> web.Response:
        codes = request.match_info["codes"]
        self.requests.append(codes)
        if self.failures > 0:
            self.failures -= 1
            return web.Response(status=503, text="Service Unavailable")
        wanted = codes.split("+")
        chosen = [
            e
            for e in self.entries
            if any(c == w or c.startswith(w + ".") for c in e.paper.categories for w in wanted)
        ]
        body = render_rss(chosen, self.day + timedelta(days=1), codes)
        return web.Response(body=body, content_type="application/rss+xml")

    async def _listing(self, request: web.Request) -> web.Response:
        from tests.fakes.arxiv_listing import render_new, render_pastweek

        archive, kind = request.match_info["archive"], request.match_info["kind"]
        self.requests.append(f"list/{archive}/{kind}")
        if self.failures > 0:
            self.failures -= 1
            return web.Response(status=503, text="Service Unavailable")
        day = tuple((e.paper, e.announce_type) for e in self.entries)
        mailing = self.day + timedelta(days=1)
        if kind == "new":
            body = render_new(archive, day, mailing)  # type: ignore[arg-type]
        else:
            body = render_pastweek(archive, [(mailing, day)])  # type: ignore[list-item]
        return web.Response(body=body, content_type="text/html")


async def seed_chats(url: str, topics: dict[ChatRef, Sequence[str]], **settings: Any) -> None:
    """Migrate the database at `url` and store chats (group kind for negative/discord ids)
    with their subscriptions, the way /sub would."""
    from storage.migrate import upgrade_database
    from storage.subscription_store import SqlSubscriptionStore

    await upgrade_database(url)
    db = Database(url)
    try:
        chats, subs = SqlChatStore(db), SqlSubscriptionStore(db)
        for chat, raws in topics.items():
            private = chat.platform == "telegram" and not chat.chat_id.startswith("-")
            await chats.upsert_chat(chat, ChatKind.PRIVATE if private else ChatKind.GROUP, None)
            await chats.save_settings(chat, ChatSettings.model_validate(settings))
            for raw in raws:
                await subs.add_subscription(chat, parse_topic(raw))
    finally:
        await db.dispose()


def cli_env(url: str, rss_url: str, **extra: str) -> dict[str, str]:
    """The environment of a `python -m bot` subprocess: clean, offline, pointed at fakes (the
    listing pages beside the feed: `<root>/list` next to `<root>/rss`)."""
    return _cli_env(url, rss_url, PAPERBOT_ARXIV_LIST_URL=rss_url[: -len("/rss")] + "/list") | extra


def _cli_env(url: str, rss_url: str, **extra: str) -> dict[str, str]:
    """The environment of a `python -m bot` subprocess: clean, offline, pointed at fakes."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAPERBOT_", "DATABASE_"))}
    for name in ("TELEGRAM_BOT_TOKEN", "DISCORD_BOT_TOKEN", "GEMINI_API_KEY", "OPENAI_API_KEY"):
        env.pop(name, None)
    env |= {
        "DATABASE_URL": url,
        "PAPERBOT_ARXIV_RSS_URL": rss_url,
        "PAPERBOT_ARXIV_API_URL": "http://127.0.0.1:9/api/query",
        "PAPERBOT_ENV_FILE": os.devnull,
        "PAPERBOT_LLM_PROVIDER": "extractive",
        "PAPERBOT_FULLTEXT": "false",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    return env | extra
