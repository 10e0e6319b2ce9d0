"""arXiv listing pages (`/list/<archive>/new`, `/pastweek`) read by the pure parser."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from summarizer.arxiv.listing_parser import ListingParseError, parse_listing
from tests.fakes.arxiv_feed import AGENTS, ATTENTION, DAY_PAPERS, HODGE, REPLACED
from tests.fakes.arxiv_listing import render_new, render_pastweek

DATA = Path(__file__).parents[1] / "data" / "listing"


def read(name: str, today: date = date(2026, 11, 30)):  # type: ignore[no-untyped-def]
    return parse_listing((DATA / name).read_bytes(), feed_category="cs", today=today)


def test_new_page_sections_and_fields() -> None:
    page = read("cs_new_2026-12-01.html")
    assert page.mailing == date(2026, 12, 1)
    assert page.total == 6 == len(page.entries)
    kinds = [(e.paper.arxiv_id, e.announce_type) for e in page.entries]
    assert kinds == [
        ("2612.00101", "new"),
        ("2612.00102", "new"),
        ("2612.00103", "new"),
        ("2612.00050", "cross"),
        ("2410.05229", "replace"),
        ("2409.01234", "replace-cross"),
    ]
    first = page.entries[0].paper
    assert first.title == "Sparse Mixture-of-Experts Routing for Long-Context Language Models"
    assert first.authors == ("Li Chen", "José García", "Ngozi Okafor")
    assert first.affiliations[0] == ("Tsinghua University", "Shanghai AI Laboratory")
    assert first.categories == ("cs.CL", "cs.LG") and first.primary_category == "cs.CL"
    assert "97.1%" in first.abstract and "<br>" not in first.abstract
    assert first.comment is not None and first.comment.startswith("14 pages")
    second = page.entries[1].paper
    assert second.authors == ("John Smith, Jr.", "Ann Lee")
    assert second.title.endswith("Tool-Using Agents & Their Failure Modes")
    assert second.journal_ref == "Proceedings of the Agents Workshop 2026, pp. 1-12"


def test_page_of_a_day_without_announcement_shows_the_previous_mailing() -> None:
    # Fetched on Thanksgiving evening (Thu 26 Nov 2026, no 20:00 announcement).
    page = read("cs_new_seen_on_2026-11-26_thanksgiving.html", today=date(2026, 11, 26))
    assert page.mailing == date(2026, 11, 26)  # announced Wed 25 Nov 20:00 ET
    assert len(page.entries) == 6


def test_empty_listing_is_an_empty_day_not_an_error() -> None:
    page = read("q-fin_new_2026-12-01_empty.html")
    assert page.mailing == date(2026, 12, 1)
    assert page.entries == [] and page.total == 0


def test_dateline_without_heading_dates_is_read_against_today() -> None:
    html = render_new("cs", DAY_PAPERS, date(2027, 1, 4))
    stripped = html.replace(b"submissions for Monday, 4 January 2027", b"submissions")
    page = parse_listing(stripped, feed_category="cs", today=date(2027, 1, 3))
    assert page.mailing == date(2027, 1, 4)


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body><h1>503 Service Unavailable</h1></body></html>",
        b"<html><body><div class='listing-v2'><article>2612.00001</article></div></body></html>",
        b"",
        # a layout change: items are there but the title div was renamed
        render_new("cs", DAY_PAPERS, date(2026, 12, 1)).replace(b"list-title", b"paper-title"),
        # the page claims entries but none can be read
        b"<div id='dlpage'><div class='paging'>Total of 12 entries</div>"
        b"<div class='list-dateline'>announced Tue, 1 Dec 26</div></div>",
    ],
)
def test_unreadable_pages_raise(body: bytes) -> None:
    with pytest.raises(ListingParseError):
        parse_listing(body, feed_category="cs", today=date(2026, 12, 1))


def test_rendered_archive_page_matches_the_fake_day() -> None:
    page = parse_listing(render_new("cs", DAY_PAPERS, date(2025, 11, 25)), feed_category="cs",
                         today=date(2025, 11, 24))  # fmt: skip
    by_id = {e.paper.arxiv_id: e.announce_type for e in page.entries}
    assert by_id[ATTENTION.arxiv_id] == "new"
    assert by_id[REPLACED.arxiv_id] == "replace"
    assert HODGE.arxiv_id not in by_id  # math only
    stat = parse_listing(render_new("stat", DAY_PAPERS, date(2025, 11, 25)), feed_category="stat",
                         today=date(2025, 11, 24))  # fmt: skip
    assert {e.announce_type for e in stat.entries} == {"new"}
    cs_lg_primary = {e.paper.arxiv_id: e.announce_type for e in page.entries}
    assert cs_lg_primary[AGENTS.arxiv_id] == "new"


def test_pastweek_dates_and_offsets() -> None:
    days = [(date(2025, 11, 26), DAY_PAPERS[:2]), (date(2025, 11, 25), DAY_PAPERS[2:5])]
    page = parse_listing(render_pastweek("cs", days), feed_category="cs", today=date(2025, 11, 26))
    assert [d for d, _ in page.dates] == [date(2025, 11, 26), date(2025, 11, 25)]
    assert [s for _, s in page.dates] == [0, 2]
    assert page.indexes == list(range(1, len(page.entries) + 1))
    assert all(e.paper.abstract == "" for e in page.entries)  # pastweek has no abstracts
