"""pytest plugin and helpers: arXiv RSS 2.0 feeds in the real layout, and a fake feed server.

The layout follows rss.arxiv.org/rss/<cats> (see shared/TESTING.md "RSS item"): per item
title, link, description `arXiv:<id>v<n> Announce Type: <type> \\nAbstract: ...`, guid
`oai:arXiv.org:<id>v<n>`, category elements (primary first), pubDate (the mailing date,
midnight ET), arxiv:announce_type, dc:rights, dc:creator "A, B and C", optional arxiv:DOI and
arxiv:journal_reference; the channel carries skipDays Saturday/Sunday.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from email.utils import format_datetime
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web

from summarizer.arxiv.announcements import AnnounceType, FeedEntry
from summarizer.models import Paper
from tests.fakes.loopback import LoopbackSite

ET_ZONE = ZoneInfo("America/New_York")
MAILING = date(2025, 11, 25)  # a Tuesday: announced Monday 2025-11-24 20:00 ET
WEEKEND_MAILING = date(2025, 11, 29)  # a Saturday: the feed has no items
MAX_ITEMS = 2000


def mailing_stamp(mailing: date) -> str:
    return format_datetime(datetime.combine(mailing, time(0, 0), tzinfo=ET_ZONE))


def _paper(arxiv_id: str, title: str, authors: Sequence[str], abstract: str, *cats: str) -> Paper:
    return Paper(
        arxiv_id=arxiv_id,
        version=1,
        title=title,
        authors=tuple(authors),
        abstract=abstract,
        categories=cats,
        primary_category=cats[0],
    )


# Real papers' metadata, placed in one fictional mailing.
ATTENTION = _paper(
    "2511.01001",
    "Attention Is All You Need",
    ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit", "Llion Jones",
     "Aidan N. Gomez", "Łukasz Kaiser", "Illia Polosukhin"],
    "The dominant sequence transduction models are based on complex recurrent or convolutional "
    "neural networks in an encoder-decoder configuration. We propose a new simple network "
    "architecture, the Transformer, based solely on attention mechanisms. Experiments on two "
    "machine translation tasks show these models to be superior in quality.",
    "cs.CL", "cs.LG",
)  # fmt: skip
LORA = _paper(
    "2511.01002",
    "LoRA: Low-Rank Adaptation of Large Language Models",
    ["Edward J. Hu", "Yelong Shen", "Phillip Wallis", "Zeyuan Allen-Zhu", "Yuanzhi Li",
     "Shean Wang", "Lu Wang", "Weizhu Chen"],
    "An important paradigm of natural language processing consists of large-scale pre-training "
    "on general domain data and adaptation to particular tasks. We propose Low-Rank Adaptation, "
    "or LoRA, which freezes the pre-trained model weights. LoRA reduces the number of trainable "
    "parameters by 10,000 times for large language models.",
    "cs.CL", "cs.AI", "cs.LG",
)  # fmt: skip
DISTILL = _paper(
    "2511.01003",
    "Distilling the Knowledge in a Neural Network",
    ["Geoffrey Hinton", "Oriol Vinyals", "Jeff Dean"],
    "A very simple way to improve the performance of almost any machine learning algorithm is "
    "to train many different models on the same data and then to average their predictions. "
    "We compress the knowledge in an ensemble into a single model.",
    "stat.ML", "cs.LG", "cs.NE",
)  # fmt: skip
SURVEY = _paper(
    "2511.01004",
    "A Survey of Large Language Models",
    ["Wayne Xin Zhao", "Kun Zhou", "Junyi Li", "Tianyi Tang", "Ji-Rong Wen"],
    "Language is essentially a complex, intricate system of human expressions governed by "
    "grammatical rules. This survey reviews the recent advances of large language models "
    "(LLMs), covering pre-training, adaptation tuning, utilization, and capacity evaluation.",
    "cs.CL", "cs.AI",
)  # fmt: skip
VIT = _paper(
    "2511.01005",
    "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale",
    ["Alexey Dosovitskiy", "Lucas Beyer", "Alexander Kolesnikov", "Dirk Weissenborn"],
    "While the Transformer architecture has become the de-facto standard for natural language "
    "processing tasks, its applications to computer vision remain limited. We show that a pure "
    "transformer applied directly to sequences of image patches performs very well on image "
    "classification tasks.",
    "cs.CV", "cs.AI", "cs.LG",
)  # fmt: skip
HODGE = _paper(
    "2511.01006",
    "Hodge Theory of Degenerations, (I): Consequences of the Decomposition Theorem",
    ["Mark Andrea A. de Cataldo", "Luca Migliorini", "Mircea Mustaţă"],
    "We use the Decomposition Theorem to derive several generalizations of the Clemens-Schmid "
    "sequence, relating asymptotic Hodge theory of a degeneration to the mixed Hodge theory of "
    "its singular fiber.",
    "math.AG",
)  # fmt: skip
STRINGS = _paper(
    "2511.01007",
    "The Large N Limit of Superconformal Field Theories and Supergravity",
    ["Juan Maldacena"],
    "We show that the large N limit of certain conformal field theories in various dimensions "
    "include in their Hilbert space a sector describing supergravity on the product of "
    "Anti-deSitter spacetimes, spheres and other compact manifolds.",
    "hep-th", "gr-qc",
)  # fmt: skip
REPLACED = _paper(
    "2410.05229",
    "Scaling Laws for Neural Language Models, revisited",
    ["Jared Kaplan", "Sam McCandlish", "Tom Henighan"],
    "We study empirical scaling laws for language model performance on the cross-entropy loss. "
    "This replacement corrects a typo in Table 2.",
    "cs.LG", "cs.CL",
).model_copy(update={"version": 3})  # fmt: skip
# cs.LG primary, cross-listed to cs.CL: a "cross" in the cs.CL feed.
AGENTS = _paper(
    "2511.01008",
    "Self-supervised Reinforcement Learning for LLM Agents",
    ["Zoë Müller", "José García"],
    "We train tool-using LLM agents with a self-supervised reward. On web navigation "
    "benchmarks the agents solve 41.2% more tasks than supervised baselines.",
    "cs.LG", "cs.CL",
)  # fmt: skip

DAY_PAPERS: tuple[tuple[Paper, AnnounceType], ...] = (
    (ATTENTION, "new"),
    (LORA, "new"),
    (DISTILL, "new"),
    (SURVEY, "new"),
    (VIT, "new"),
    (HODGE, "new"),
    (STRINGS, "new"),
    (AGENTS, "new"),
    (REPLACED, "replace"),
)
EXTRAS: dict[str, dict[str, str]] = {
    LORA.arxiv_id: {"DOI": "10.48550/arXiv.2106.09685"},
    ATTENTION.arxiv_id: {"journal_reference": "Advances in Neural Information Processing "
                         "Systems 30 (NIPS 2017)"},
}  # fmt: skip


def join_creators(authors: Sequence[str]) -> str:
    """arXiv's dc:creator: `A`, `A and B`, `A, B and C`."""
    if len(authors) <= 1:
        return "".join(authors)
    return f"{', '.join(authors[:-1])} and {authors[-1]}"


def render_item(entry: FeedEntry, mailing: date) -> str:
    p = entry.paper
    vid = f"{p.arxiv_id}v{p.version or 1}"
    cats = "".join(f"\n      <category>{escape(c)}</category>" for c in p.categories)
    extra = "".join(
        f"\n      <arxiv:{k}>{escape(v)}</arxiv:{k}>" for k, v in EXTRAS.get(p.arxiv_id, {}).items()
    )
    return f"""
    <item>
      <title>{escape(p.title)}</title>
      <link>https://arxiv.org/abs/{vid[: vid.rindex("v")]}</link>
      <description>arXiv:{vid} Announce Type: {entry.announce_type} 
Abstract: {escape(p.abstract)}</description>
      <guid isPermaLink="false">oai:arXiv.org:{vid}</guid>{cats}
      <pubDate>{mailing_stamp(mailing)}</pubDate>
      <arxiv:announce_type>{entry.announce_type}</arxiv:announce_type>
      <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>
      <dc:creator>{escape(join_creators(p.authors))}</dc:creator>{extra}
    </item>"""  # noqa: W291  (arXiv writes a space before the newline)


def render_rss(label: str, entries: Iterable[FeedEntry], mailing: date) -> bytes:
    """A feed for `label` (`cs.CL` or `cs.CL+cs.LG`) dated `mailing`, in arXiv's layout."""
    items = "".join(render_item(e, mailing) for e in entries)
    stamp = mailing_stamp(mailing)
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
  <channel>
    <title>{escape(label)} updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/{escape(label)}</link>
    <description>{escape(label)} updates on the arXiv.org e-print archive.</description>
    <atom:link href="https://rss.arxiv.org/atom/{escape(label)}" rel="self" type="application/rss+xml"/>
    <docs>http://www.rssboard.org/rss-specification</docs>
    <language>en-us</language>
    <lastBuildDate>{stamp}</lastBuildDate>
    <managingEditor>rss-help@arxiv.org</managingEditor>
    <pubDate>{stamp}</pubDate>
    <skipDays>
      <day>Saturday</day>
      <day>Sunday</day>
    </skipDays>{items}
  </channel>
</rss>
""".encode()


def _covers(code: str, category: str) -> bool:
    return category == code or category.startswith(code + ".")


def feed_for(codes: Sequence[str], papers: Iterable[tuple[Paper, AnnounceType]]) -> list[FeedEntry]:
    """What arXiv lists for `codes`: papers in any of them; `new` when the primary category is
    covered, `cross` otherwise; replacements keep their type."""
    out = []
    for paper, kind in papers:
        cats = paper.categories
        if not any(_covers(code, c) for code in codes for c in cats):
            continue
        if kind in ("new", "cross"):
            primary = paper.primary_category or cats[0]
            kind = "new" if any(_covers(code, primary) for code in codes) else "cross"
        out.append(FeedEntry(paper=paper, announce_type=kind, feed_category="+".join(codes)))
    return out


@dataclass
class FakeFeedServer(LoopbackSite):
    """`GET /rss/<cat>[+<cat>...]` like rss.arxiv.org, with faults on demand."""

    mailing: date = MAILING
    papers: tuple[tuple[Paper, AnnounceType], ...] = DAY_PAPERS
    host: str = "127.0.0.1"
    port: int = 0

    def __post_init__(self) -> None:
        self.requests: list[str] = []
        self._faults: list[str | int] = []
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """The value for PAPERBOT_ARXIV_RSS_URL."""
        return f"http://{self.host}:{self.port}/rss"

    def announce_nothing(self, mailing: date = WEEKEND_MAILING) -> None:
        """A weekend or holiday: the feed is dated `mailing` and has no items."""
        self.mailing, self.papers = mailing, ()

    def fail_next(self, n: int = 1, *, status: int = 503) -> None:
        self._faults += [status] * n

    def drop_next(self, n: int = 1) -> None:
        self._faults += ["drop"] * n

    def garble_next(self, n: int = 1) -> None:
        """Answer 200 with an HTML page (what a captive portal or busy proxy sends)."""
        self._faults += ["html"] * n

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request.path_qs)
        fault = self._faults.pop(0) if self._faults else None
        if fault == "drop":
            assert request.transport is not None
            request.transport.close()
            return web.Response()
        if fault == "html":
            return web.Response(text="<html><body>Busy</body></html>", content_type="text/html")
        if isinstance(fault, int):
            return web.Response(status=fault, text="Service Unavailable")
        label = request.match_info["codes"]
        codes = [c for c in label.split("+") if c]
        # rss.arxiv.org answers at most 2000 items, silently (DESIGN.md "arXiv rules").
        body = render_rss(label, feed_for(codes, self.papers)[:MAX_ITEMS], self.mailing)
        return web.Response(body=body, headers={"Content-Type": "application/rss+xml"})

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/rss/{codes}", self._handle)


@pytest.fixture
async def arxiv_feed_server() -> AsyncIterator[FakeFeedServer]:
    """A running fake rss.arxiv.org serving DAY_PAPERS for mailing MAILING; `.url` is the
    value for PAPERBOT_ARXIV_RSS_URL."""
    async with FakeFeedServer() as server:
        yield server


def main() -> None:  # pragma: no cover - manual use: python -m tests.fakes.arxiv_feed
    async def serve() -> None:
        async with FakeFeedServer() as server:
            print(server.url, flush=True)
            await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":  # pragma: no cover
    main()
