"""arXiv listing pages (`/list/<archive>/new` and `/pastweek`) read with html.parser: pure.

The page structure is arXiv's own (arXiv/arxiv-browse, browse/templates/list/new.html,
recent.html and list_macros.html, read 2026-12-01): a `div.list-dateline` "... announced Tue 1
Dec", `dl#articles` sections headed `<h3>New submissions for Tuesday, 1 December 2026 (showing
N of M entries )</h3>` (then Cross, Replacement), one `dt` (id link, "(cross-list from X)" or
"(replaced)") and one `dd` (`div.list-title`, `div.list-authors`, `div.list-comments`,
`div.list-journal-ref`, `div.list-subjects`, abstract `p.mathjax`) per paper; `div.paging`
"Total of M entries". The pastweek page lists its dates as `ul > li > a` ("Tuesday, 1 December
2026", href `?skip=N`) and its items unsectioned, numbered `[n]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser

from summarizer.arxiv.announcements import AnnounceType, FeedEntry
from summarizer.arxiv.authors import parse_author_line
from summarizer.models import Paper

_LONG_DATE = re.compile(
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,\s+(\d{1,2})\s+([A-Z][a-z]+)\s+(\d{4})"
)
_DATELINE = re.compile(
    r"announced\s+(?:[A-Z][a-z]{2},?\s+)?(\d{1,2})\s+([A-Z][a-z]{2})[a-z]*\s*(\d{2,4})?"
)
_TOTAL = re.compile(r"(?:Total|total) of\s+(\d+)\s+entries")
_SHOWING = re.compile(r"showing[^0-9]*(\d+)\s+of\s+(\d+)\s+entries")
_ID = re.compile(
    r"^(?:arXiv:)?(?P<id>(?:\d{4}\.\d{4,5})|(?:[a-z\-]+(?:\.[A-Z]{2})?/\d{7}))(?:v(?P<v>\d+))?$"
)
_CATEGORY = re.compile(r"\(([a-z\-]+(?:\.[A-Za-z\-]+)?)\)\s*$")
_SKIP = re.compile(r"[?&]skip=(\d+)")
_INDEX = re.compile(r"\[(\d+)\]")
_SECTION: dict[str, AnnounceType] = {
    "new": "new",
    "cross": "cross",
    "replacement": "replace",
    "replacements": "replace",
}
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}


class ListingParseError(ValueError):
    """The bytes are not an arXiv listing page we can read (an error page, a changed layout)."""


@dataclass
class _Item:
    index: int | None = None
    arxiv_id: str = ""
    version: int | None = None
    marker: str = ""
    section: AnnounceType | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ListingPage:
    """One page of a listing: its mailing date, entries, and how many the listing holds."""

    mailing: date | None
    entries: list[FeedEntry]
    total: int | None
    dates: list[tuple[date, int]]
    """pastweek only: (mailing date, skip offset of its first item), newest first."""
    indexes: list[int]
    """The `[n]` number of each entry (1-based position in the whole listing)."""


def _long_date(text: str) -> date | None:
    m = _LONG_DATE.search(text)
    if m is None or m.group(2)[:3] not in _MONTHS:
        return None
    return date(int(m.group(3)), _MONTHS[m.group(2)[:3]], int(m.group(1)))


def _dateline(text: str, today: date) -> date | None:
    """`announced Tue 1 Dec` (no year): the latest such date not after `today` + 1 day."""
    m = _DATELINE.search(text)
    if m is None or m.group(2) not in _MONTHS:
        return None
    month, day = _MONTHS[m.group(2)], int(m.group(1))
    if m.group(3):
        year = int(m.group(3))
        return date(year + 2000 if year < 100 else year, month, day)
    for year in (today.year + 1, today.year, today.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if (candidate - today).days <= 1:
            return candidate
    return None


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[_Item] = []
        self.section: AnnounceType | None = None
        self.headings: list[str] = []
        self.datelines: list[str] = []
        self.paging: list[str] = []
        self.date_links: list[tuple[str, str]] = []
        self.in_articles = 0
        self._capture: list[str] | None = None
        self._capture_tag = ""
        self._depth = 0
        self._where = ""
        self._item: _Item | None = None
        self._li_href: str | None = None

    def _start_capture(self, tag: str, where: str) -> None:
        self._capture, self._capture_tag, self._depth, self._where = [], tag, 1, where

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = set(a.get("class", "").split())
        if self._capture is not None:
            if tag == self._capture_tag:
                self._depth += 1
            if tag == "br":
                self._capture.append(" ")
            return
        if tag == "dl" and a.get("id") == "articles":
            self.in_articles += 1
        elif tag == "h3":
            self._start_capture("h3", "heading")
        elif tag == "div" and "list-dateline" in classes:
            self._start_capture("div", "dateline")
        elif tag == "div" and "paging" in classes:
            self._start_capture("div", "paging")
        elif tag == "dt":
            self._item = _Item(section=self.section)
            self.items.append(self._item)
            self._start_capture("dt", "dt")
        elif self._item is not None and tag == "div":
            for name in ("list-title", "list-authors", "list-comments", "list-journal-ref",
                         "list-subjects"):  # fmt: skip
                if name in classes:
                    self._start_capture("div", name)
        elif self._item is not None and tag == "p" and "mathjax" in classes:
            self._start_capture("p", "abstract")
        elif tag == "a" and self.in_articles == 0 and _SKIP.search(a.get("href", "")):
            self._li_href = a["href"]
            self._start_capture("a", "datelink")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._capture is not None and tag == "br":
            self._capture.append(" ")

    def handle_data(self, data: str) -> None:
        if self._capture is not None:
            self._capture.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._capture is not None and tag == self._capture_tag:
            self._depth -= 1
            if self._depth == 0:
                text = " ".join("".join(self._capture).split())
                self._capture = None
                self._finish(text)
            return
        if tag == "dl" and self.in_articles:
            self.in_articles -= 1

    def _finish(self, text: str) -> None:
        where = self._where
        if where == "heading":
            self.headings.append(text)
            first = text.split(" ", 1)[0].lower().rstrip(":")
            first = "cross" if first.startswith("cross") else first
            if first in _SECTION:
                self.section = _SECTION[first]
        elif where == "dateline":
            self.datelines.append(text)
        elif where == "paging":
            self.paging.append(text)
        elif where == "datelink" and self._li_href is not None:
            self.date_links.append((text, self._li_href))
        elif where == "dt" and self._item is not None:
            self._read_dt(self._item, text)
        elif self._item is not None:
            self._item.fields[where] = text

    def _read_dt(self, item: _Item, text: str) -> None:
        index = _INDEX.search(text)
        item.index = int(index.group(1)) if index else None
        for token in text.split():
            m = _ID.match(token)
            if m is not None:
                item.arxiv_id, item.version = m["id"], int(m["v"]) if m["v"] else None
                break
        item.marker = text


def _strip_descriptor(text: str, label: str) -> str:
    return text[len(label) :].strip() if text.startswith(label) else text


def _categories(subjects: str) -> tuple[str, ...]:
    text = _strip_descriptor(subjects, "Subjects:")
    cats = [m.group(1) for part in text.split(";") if (m := _CATEGORY.search(part.strip()))]
    return tuple(dict.fromkeys(cats))


def _entry(item: _Item, feed_category: str, published: datetime | None) -> FeedEntry:
    marker = item.marker
    kind: AnnounceType
    if "(replaced)" in marker or item.section == "replace":
        kind = "replace-cross" if "cross-list from" in marker else "replace"
    elif "cross-list from" in marker or item.section == "cross":
        kind = "cross"
    else:
        kind = item.section or "new"
    f = item.fields
    line = parse_author_line(f.get("list-authors", ""))
    cats = _categories(f.get("list-subjects", ""))
    paper = Paper(
        arxiv_id=item.arxiv_id,
        version=item.version or (1 if kind in ("new", "cross") else None),
        title=_strip_descriptor(f.get("list-title", ""), "Title:"),
        authors=line.names,
        affiliations=line.affiliations if any(line.affiliations) else (),
        abstract=f.get("abstract", ""),
        categories=cats,
        primary_category=cats[0] if cats else None,
        published=published,
        comment=_strip_descriptor(f.get("list-comments", ""), "Comments:") or None,
        journal_ref=_strip_descriptor(f.get("list-journal-ref", ""), "Journal-ref:") or None,
    )
    return FeedEntry(paper=paper, announce_type=kind, feed_category=feed_category)


def parse_listing(html: bytes, *, feed_category: str, today: date) -> ListingPage:
    """Read a `/list/<archive>/new` or `/pastweek` page; `today` (the ET date of the fetch)
    dates a dateline that prints no year. Raises ListingParseError on anything else."""
    text = html.decode("utf-8", errors="replace")
    if "<dl" not in text and "list-dateline" not in text and "dlpage" not in text:
        raise ListingParseError("no listing in the page (no dl#articles, no dateline)")
    reader = _Reader()
    try:
        reader.feed(text)
        reader.close()
    except (AssertionError, ValueError) as exc:  # html.parser's own complaints
        raise ListingParseError(f"unparseable HTML: {exc}") from exc
    mailing = None
    for heading in reader.headings:
        mailing = mailing or _long_date(heading)
    for line in reader.datelines:
        mailing = mailing or _dateline(line, today)
    total = None
    for line in reader.paging:
        if m := _TOTAL.search(line):
            total = int(m.group(1))
    if total is None:
        counts = [_SHOWING.search(h) for h in reader.headings]
        totals = [int(m.group(2)) for m in counts if m is not None]
        total = sum(totals) if totals else None
    dates = [(d, int(_SKIP.search(href).group(1))) for label, href in reader.date_links  # type: ignore[union-attr]
             if (d := _long_date(label)) is not None]  # fmt: skip
    items = reader.items
    bad = [i for i in items if not i.arxiv_id or "list-title" not in i.fields]
    if bad:
        raise ListingParseError(f"{len(bad)} of {len(items)} items without an id or a title")
    if mailing is None and not dates:
        raise ListingParseError("no announcement date on the page (layout changed?)")
    if not items and total:
        raise ListingParseError(f"the page says {total} entries but none could be read")
    entries = [_entry(i, feed_category, None) for i in items]
    indexes = [i.index or n for n, i in enumerate(items, 1)]
    return ListingPage(mailing=mailing, entries=entries, total=total, dates=dates, indexes=indexes)
