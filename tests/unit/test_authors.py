"""Author lines with affiliations (`Name (Aff1, Aff2), Name2`), on arXiv's real RSS feed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handlers.digest.matching import PaperIndex
from handlers.subscriptions.topics import parse_topic
from summarizer.arxiv.authors import parse_author_line, split_authors
from summarizer.arxiv.feeds import parse_rss

REAL_FEED = Path(__file__).parents[1] / "data" / "real" / "rss" / "rss_all-archives_2024-11-28.xml"
CREATOR = re.compile(rb"<dc:creator>(.*?)</dc:creator>", re.S)
ITEM = re.compile(rb"<item>(.*?)</item>", re.S)


@pytest.mark.parametrize(
    ("line", "names", "affiliations"),
    [
        ("Juan Maldacena", ("Juan Maldacena",), ((),)),
        ("A. Smith, B. Jones, and C. Lee", ("A. Smith", "B. Jones", "C. Lee"), ((), (), ())),
        ("John Smith, Jr., Ann Lee", ("John Smith, Jr.", "Ann Lee"), ((), ())),
        (
            "Aleteia Araujo (University of Brasilia Brazil, The University of Melbourne "
            "Australia), Breno Costa (University of Brasilia Brazil)",
            ("Aleteia Araujo", "Breno Costa"),
            (
                ("University of Brasilia Brazil", "The University of Melbourne Australia"),
                ("University of Brasilia Brazil",),
            ),
        ),
        (
            "A Lee (Dept. of X and Y, Univ (Main campus)) and B Kim",
            ("A Lee", "B Kim"),
            (("Dept. of X and Y", "Univ (Main campus)"), ()),
        ),
        ("Jiahuei Lin (Justina), Dayi Lin", ("Jiahuei Lin", "Dayi Lin"), (("Justina",), ())),
        ("Ann Lee (MIT", ("Ann Lee",), (("MIT",),)),  # unbalanced: kept, not lost
        ("", (), ()),
    ],
)
def test_parse_author_line(
    line: str, names: tuple[str, ...], affiliations: tuple[tuple[str, ...], ...]
) -> None:
    parsed = parse_author_line(line)
    assert parsed.names == names
    assert parsed.affiliations == affiliations
    assert split_authors(line) == names


def test_real_feed_names_never_carry_affiliations() -> None:
    entries = parse_rss(REAL_FEED.read_bytes(), feed_category="all")
    with_aff = [e for e in entries if e.paper.affiliations]
    assert len(with_aff) >= 24
    for entry in entries:
        paper = entry.paper
        assert all("(" not in n and ")" not in n for n in paper.authors), paper.authors
        if paper.affiliations:
            assert len(paper.affiliations) == len(paper.authors)


def _raw_new_items_with_affiliations(raw: bytes) -> dict[str, str]:
    """arXiv id -> last author's surname, read from the raw XML (not through the parser):
    parenthesized groups dropped, then the last comma/`and`-separated name."""
    out: dict[str, str] = {}
    for item in ITEM.finditer(raw):
        body = item.group(1)
        creator = CREATOR.search(body)
        if b"<arxiv:announce_type>new<" not in body or creator is None or b"(" not in creator[1]:
            continue
        line = creator.group(1).decode()
        while "(" in line:
            line = re.sub(r"\([^()]*\)?", "", line)
        last = re.split(r",|\band\b", line)[-1].split()
        guid = re.search(rb"oai:arXiv.org:([^<]+?)v\d+<", body)
        if last and guid:
            out[guid.group(1).decode()] = last[-1]
    return out


def test_au_topics_match_every_new_paper_whose_line_has_affiliations() -> None:
    raw = REAL_FEED.read_bytes()
    expected = _raw_new_items_with_affiliations(raw)
    assert len(expected) >= 24
    entries = [e for e in parse_rss(raw, feed_category="all") if e.announce_type == "new"]
    index = PaperIndex(entries)
    missed = []
    for arxiv_id, surname in expected.items():
        topic = parse_topic(f"au:{surname}").model_copy(update={"categories": ()})
        found = {m.paper.arxiv_id for m in index.match([topic], include_cross=True)}
        if arxiv_id not in found:
            missed.append((arxiv_id, surname))
    assert missed == []
