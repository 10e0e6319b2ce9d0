"""A fake arxiv.org `/list/<archive>/new` and `/pastweek`, rendered like arXiv's templates.

The markup follows arXiv/arxiv-browse browse/templates/list/new.html, recent.html and
list_macros.html (read 2026-12-01): `div.list-dateline`, `dl#articles` sections with
`<h3>New|Cross|Replacement submissions for <Weekday>, D Month YYYY (showing n of m entries )`,
`dt` (`[n]`, abs link, "(cross-list from X)", "(replaced)") and `dd` (`div.list-title`,
`div.list-authors`, `div.list-subjects`, abstract `p.mathjax`), `div.paging` "Total of m
entries"; pastweek: `ul > li > a` per date with `?skip=`. `show` is capped at 2000 and
`skip` honoured, as on arxiv.org.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape

import pytest
from aiohttp import web

from summarizer.arxiv.announcements import AnnounceType
from summarizer.models import Paper
from tests.fakes.arxiv_feed import DAY_PAPERS, MAILING
from tests.fakes.loopback import LoopbackSite

MAX_SHOW = 2000
Day = tuple[tuple[Paper, AnnounceType], ...]


def _covers(code: str, category: str) -> bool:
    return category == code or category.startswith(code + ".")


def listing_for(archive: str, papers: Day) -> list[tuple[Paper, str]]:
    """What the archive's listing holds, in page order: new, cross, then replacements."""
    new, cross, rep = [], [], []
    for paper, kind in papers:
        if not any(_covers(archive, c) for c in paper.categories):
            continue
        primary = paper.primary_category or paper.categories[0]
        if kind in ("replace", "replace-cross"):
            rep.append((paper, "rep-cross" if not _covers(archive, primary) else "rep"))
        elif _covers(archive, primary):
            new.append((paper, "new"))
        else:
            cross.append((paper, "cross"))
    return new + cross + rep


def _authors(paper: Paper) -> str:
    out = []
    for i, name in enumerate(paper.authors):
        link = f'<a href="https://arxiv.org/a/x_{i}">{escape(name)}</a>'
        affs = paper.affiliations[i] if i < len(paper.affiliations) else ()
        out.append(link + (f" ({escape(', '.join(affs))})" if affs else ""))
    return ", ".join(out)


def _item(n: int, paper: Paper, kind: str, abstracts: bool) -> str:
    pid = paper.arxiv_id
    marker = ""
    if kind in ("cross", "rep-cross"):
        marker += f"\n      (cross-list from {escape(paper.primary_category or '')})"
    if kind.startswith("rep"):
        marker += "\n      (replaced)"
    subjects = "; ".join(
        (f'<span class="primary-subject">Subject ({c})</span>' if i == 0 else f"Subject ({c})")
        for i, c in enumerate(paper.categories)
    )
    abstract = f"\n        <p class='mathjax'>\n          {escape(paper.abstract)}\n        </p>"
    return f"""
    <dt>
      <a name='item{n}'>[{n}]</a>
      <a href ="/abs/{pid}" title="Abstract" id="{pid}">
        arXiv:{pid}
      </a>{marker}
      [<a href="/pdf/{pid}" title="Download PDF" id="pdf-{pid}">pdf</a>]
    </dt>
    <dd>
      <div class='meta'>
        <div class='list-title mathjax'><span class='descriptor'>Title:</span>
          {escape(paper.title)}
        </div>
        <div class='list-authors'>{_authors(paper)}
        </div>
        <div class='list-subjects'><span class='descriptor'>Subjects:</span>
          {subjects}
        </div>{abstract if abstracts else ""}
      </div>
    </dd>"""


def _page(title: str, index: str, paging: str, body: str) -> bytes:
    return f"""<!DOCTYPE html>
<html lang="en"><head><title>{escape(title)}</title></head>
<body><main><div id="content"><div id='content-inner'><div id='dlpage'>
  <h1>{escape(title)}</h1>
{index}
<div class='paging'>{paging}</div>
{body}
<div class='paging'>{paging}</div>
</div></div></div></main></body></html>
""".encode()


def render_new(
    archive: str, papers: Day, mailing: date, *, skip: int = 0, show: int = 2000
) -> bytes:
    listed = listing_for(archive, papers)
    show = min(max(show, 1), MAX_SHOW)
    window = list(enumerate(listed, 1))[skip : skip + show]
    long = f"{mailing:%A}, {mailing.day} {mailing:%B %Y}"
    sections = []
    for label, kinds in (("New", ("new",)), ("Cross", ("cross",)), ("Replacement", ("rep", "rep-cross"))):  # fmt: skip
        items = [(n, p, k) for n, (p, k) in window if k in kinds]
        total = sum(1 for _, k in listed if k in kinds)
        if not items:
            continue
        heading = f"{label} submissions for {long} (showing {len(items)} of {total} entries )"
        rendered = "".join(_item(n, p, k, True) for n, p, k in items)
        sections.append(f"<dl id='articles'>\n  <h3>{heading}</h3>{rendered}\n</dl>")
    dateline = (
        f'<div class="list-dateline">Submissions received from  Thu 1 Jan  to  Fri 2 Jan, '
        f"announced {mailing:%a}, {mailing.day} {mailing:%b %y}</div>"
    )
    body = (
        "\n".join(sections)
        or "<dl id='articles'>\n  <p>No updates for this time period.</p>\n</dl>"
    )
    return _page(archive, dateline, f"Total of {len(listed)} entries", body)


def render_pastweek(
    archive: str, days: Sequence[tuple[date, Day]], *, skip: int = 0, show: int = 2000
) -> bytes:
    show = min(max(show, 1), MAX_SHOW)
    flat: list[tuple[Paper, str]] = []
    links = []
    for mailing, papers in days:  # newest first
        start = len(flat)
        flat += [(p, k) for p, k in listing_for(archive, papers) if not k.startswith("rep")]
        links.append(
            f'  <li>\n    <a href="/list/{archive}/pastweek?skip={start}&amp;show={show}">\n'
            f"      {mailing:%A}, {mailing.day} {mailing:%B %Y}\n    </a>\n  </li>"
        )
    index = (
        "<h2>Authors and titles for recent submissions</h2>\n<ul>\n" + "\n".join(links) + "\n</ul>"
    )
    window = list(enumerate(flat, 1))[skip : skip + show]
    items = "".join(_item(n, p, k, False) for n, (p, k) in window)
    body = f"<h3>(showing first {len(window)} of {len(flat)} entries)</h3>\n<dl id='articles'>{items}\n</dl>"
    return _page(archive, index, f"[ total of {len(flat)} entries ]", body)


@dataclass
class FakeListingServer(LoopbackSite):
    """`GET /list/<archive>/new|pastweek` like arxiv.org, with faults on demand. `days` maps
    a mailing date to its papers; `/new` shows the latest mailing (or `current`)."""

    days: dict[date, Day] = field(default_factory=lambda: {MAILING: DAY_PAPERS})
    current: date | None = None
    host: str = "127.0.0.1"
    port: int = 0

    def __post_init__(self) -> None:
        self.requests: list[str] = []
        self.times: list[float] = []
        self._faults: list[str | int] = []
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """The value for PAPERBOT_ARXIV_LIST_URL."""
        return f"http://{self.host}:{self.port}/list"

    def announce(self, mailing: date, papers: Day) -> None:
        self.days[mailing] = papers
        self.current = mailing

    def fail_next(self, n: int = 1, *, status: int = 503) -> None:
        self._faults += [status] * n

    def garble_next(self, n: int = 1) -> None:
        """A 200 page in a layout the parser does not know (arXiv redesigned the page)."""
        self._faults += ["html"] * n

    def _latest(self) -> date:
        return self.current or max(self.days)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request.path_qs)
        self.times.append(time.monotonic())
        fault = self._faults.pop(0) if self._faults else None
        if fault == "html":
            return web.Response(
                text="<html><body><div class='listing-v2'><article>2612.00001</article></div></body></html>",
                content_type="text/html",
            )
        if isinstance(fault, int):
            headers = {"Retry-After": "0"} if fault in (429, 503) else {}
            return web.Response(status=fault, text="Access denied", headers=headers)
        archive, kind = request.match_info["archive"], request.match_info["kind"]
        skip = int(request.query.get("skip", "0") or 0)
        show = int(request.query.get("show", "25") or 25)
        latest = self._latest()
        if kind == "new":
            body = render_new(archive, self.days.get(latest, ()), latest, skip=skip, show=show)
        elif kind in ("pastweek", "recent"):
            mailings = sorted((d for d in self.days if d <= latest), reverse=True)[:5]
            days = [(d, self.days[d]) for d in mailings]
            body = render_pastweek(archive, days, skip=skip, show=show)
        else:
            return web.Response(status=400, text="Bad Request")
        return web.Response(body=body, content_type="text/html", charset="utf-8")

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/list/{archive}/{kind}", self._handle)


@pytest.fixture
async def arxiv_listing_server() -> AsyncIterator[FakeListingServer]:
    """A running fake arxiv.org/list serving DAY_PAPERS as the mailing MAILING."""
    async with FakeListingServer() as server:
        yield server
