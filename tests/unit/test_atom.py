"""parse_atom on every recorded arXiv payload, and render_atom's round trip."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.arxiv.atom import AtomFeed, AtomParseError, parse_atom
from summarizer.models import Paper
from tests.fakes.atom_writer import render_atom


def _feed(real_fixtures: Path, name: str) -> AtomFeed:
    return parse_atom((real_fixtures / name).read_bytes())


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_title_zero(real_fixtures: Path) -> None:
    feed = _feed(real_fixtures, "id_2104.12255v1.atom.xml")
    assert feed.total_results == 1
    assert feed.errors == []
    [p] = feed.papers
    assert (p.arxiv_id, p.version) == ("2104.12255", 1)
    assert p.title == "0"
    assert p.authors == ("Quan Thoi Minh Nguyen",)
    assert p.abstract.startswith("What is the funniest number in cryptography? 0. The reason")
    assert p.abstract.endswith("awarded $35,000 in total for the reported bugs.")
    assert p.categories == ("cs.CR",)
    assert p.primary_category == "cs.CR"
    assert p.published == p.updated == _utc("2021-04-20T16:07:14+00:00")
    assert (p.comment, p.journal_ref, p.doi) == (None, None, None)


def test_ordinary_unversioned_lookup(real_fixtures: Path) -> None:
    [p] = _feed(real_fixtures, "id_1605.08386.atom.xml").papers
    assert (p.arxiv_id, p.version) == ("1605.08386", 1)
    assert p.title == "Heat-bath random walks with Markov bases"
    assert p.authors == ("Caprice Stanley", "Tobias Windisch")
    assert p.categories == ("math.CO", "math.ST")
    assert p.primary_category == "math.CO"
    assert p.comment == "20 pages, 3 figures"
    assert p.published == _utc("2016-05-26T17:59:46+00:00")
    assert p.published.tzinfo is UTC


def test_legacy_id(real_fixtures: Path) -> None:
    [p] = _feed(real_fixtures, "id_astro-ph_0601001.atom.xml").papers
    assert (p.arxiv_id, p.version) == ("astro-ph/0601001", 1)
    assert p.title.startswith("Frequency of Hot Jupiters and Very Hot Jupiters from the OGLE-III")
    assert p.authors == ("Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski")
    assert p.categories == ("astro-ph",)
    assert p.primary_category == "astro-ph"
    assert p.journal_ref == "ActaAstron.56:1-50,2006"
    assert p.comment is not None
    assert p.comment.startswith("62 pages including 16 figures and 9 tables.")
    # entities decoded, leading whitespace of <summary> gone
    assert p.abstract.startswith("We derive the frequencies of hot Jupiters (HJs)")
    assert "Gould & Morgan (2003)" in p.abstract
    assert "V_max<17.5" in p.abstract


def test_legacy_id_with_version(real_fixtures: Path) -> None:
    [p] = _feed(real_fixtures, "id_quant-ph_0201082v1.atom.xml").papers
    assert (p.arxiv_id, p.version) == ("quant-ph/0201082", 1)
    assert p.authors == ("Stephen Blaha",)
    assert p.categories == ("quant-ph", "cs.PL")
    assert p.primary_category == "quant-ph"
    assert p.comment == "32 pages"
    assert p.published == _utc("2002-01-18T15:08:05+00:00")


def test_batch_with_an_invalid_id(real_fixtures: Path) -> None:
    feed = _feed(real_fixtures, "id_0808.05394_1707.08567.atom.xml")
    assert feed.total_results == 1
    assert feed.errors == []
    [p] = feed.papers
    assert (p.arxiv_id, p.version) == ("1707.08567", 1)
    assert p.title == (
        "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications"
    )
    assert len(p.authors) == 34
    assert p.authors[:3] == ("Kees A. Schouhamer Immink", "Stan Baggen", "Ferdaous Chaabane")
    assert p.authors[-1] == "Hirosuke Yamamoto"
    # the recording holds UTF-8 decoded as Latin-1 ("WÃ¼bben"); the parser repairs it
    assert "Dirk Wübben" in p.authors
    assert p.comment == "44 pages, editors for the proceedings: Yanling Chen and A. J. Han Vinck"


def test_empty_result(real_fixtures: Path) -> None:
    feed = _feed(real_fixtures, "id_0000.0000.atom.xml")
    assert feed == AtomFeed(papers=[], errors=[], total_results=0)


def test_error_entry_is_not_a_paper(real_fixtures: Path) -> None:
    feed = _feed(real_fixtures, "id_abc.atom.xml")
    assert feed.papers == []
    assert feed.errors == ["incorrect id format for abc"]
    assert feed.total_results == 1


def test_hundred_entry_search(real_fixtures: Path) -> None:
    feed = _feed(real_fixtures, "q_testing.atom.xml")
    assert feed.total_results == 214881
    assert feed.errors == []
    papers = feed.papers
    assert len(papers) == 100
    assert len({p.arxiv_id for p in papers}) == 100
    assert [p.versioned_id for p in papers[:3]] == ["2202.12139v1", "2405.13786v1", "2005.14124v2"]
    assert papers[-1].versioned_id == "gr-qc/0103067v1"
    assert papers[-1].authors == ("Mark P. Haugan", "C. Lämmerzahl")
    assert papers[-1].doi == "10.1007/3-540-40988-2_10"
    assert papers[1].authors[0] == "Aurora Ramírez"
    assert [p.arxiv_id for p in papers if "/" in p.arxiv_id] == [
        "cs/0503050",
        "hep-ph/0301050",
        "gr-qc/0103067",
    ]
    assert sum(p.doi is not None for p in papers) == 32
    assert sum(p.journal_ref is not None for p in papers) == 18
    assert sum(p.comment is not None for p in papers) == 97
    first = papers[0]
    assert first.title == (
        "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques"
    )
    assert first.categories == ("cs.SE", "cs.LG")
    assert first.doi == "10.1109/ICSTW55395.2022.00035"
    for p in papers:
        assert p.title
        assert p.abstract
        assert p.authors
        assert p.primary_category in p.categories
        assert p.published is not None
        assert p.published.tzinfo is UTC
        assert "\n" not in p.title + p.abstract


def test_2016_layout_with_per_element_namespaces(real_fixtures: Path) -> None:
    feed = _feed(real_fixtures, "id_1111.2011v2.2016-format.atom.xml")
    assert feed.total_results == 1
    [p] = feed.papers
    assert (p.arxiv_id, p.version) == ("1111.2011", 2)
    assert p.title == (
        "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    )
    assert p.authors == ("James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic")
    assert p.abstract.startswith("Theoretical description of anisotropic systems, such as layered ")
    assert p.abstract.endswith(
        "adding a single extra dimension to the theory describing a single node."
    )
    assert "\n" not in p.abstract
    assert p.categories == ("cond-mat.str-el", "cond-mat.stat-mech")
    assert p.primary_category == "cond-mat.str-el"
    assert p.doi == "10.1103/PhysRevB.85.115117"
    assert p.journal_ref == "Phys. Rev. B 85, 115117 (2012)"
    assert p.comment == "8 pages, 3 figures. Published version"
    assert p.published == _utc("2011-11-08T18:48:36+00:00")
    assert p.updated == _utc("2012-04-02T12:38:54+00:00")


def test_every_recorded_payload_is_read(real_fixtures: Path) -> None:
    files = sorted(real_fixtures.glob("*.xml"))
    assert len(files) == 9
    counts = {f.name: len(parse_atom(f.read_bytes()).papers) for f in files}
    assert counts == {
        "id_0000.0000.atom.xml": 0,
        "id_0808.05394_1707.08567.atom.xml": 1,
        "id_1111.2011v2.2016-format.atom.xml": 1,
        "id_1605.08386.atom.xml": 1,
        "id_2104.12255v1.atom.xml": 1,
        "id_abc.atom.xml": 0,
        "id_astro-ph_0601001.atom.xml": 1,
        "id_quant-ph_0201082v1.atom.xml": 1,
        "q_testing.atom.xml": 100,
    }


def test_offsets_become_utc() -> None:
    xml = render_atom([]).replace(
        b"</feed>",
        b"<entry><id>http://arxiv.org/abs/2401.12215v1</id><title>t</title><summary>s</summary>"
        b"<published>2024-01-22T13:00:00-05:00</published></entry></feed>",
    )
    [p] = parse_atom(xml).papers
    assert p.published == datetime(2024, 1, 22, 18, 0, tzinfo=UTC)
    assert p.updated is None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body>502 Bad Gateway</body></html>",
        b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>",
        b"<?xml version='1.0'?><!DOCTYPE feed [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;'>]>"
        b"<feed xmlns='http://www.w3.org/2005/Atom'><title>&b;</title></feed>",
    ],
)
def test_garbage_is_refused(body: bytes) -> None:
    with pytest.raises(AtomParseError):
        parse_atom(body)


def test_round_trip_of_recorded_papers(real_fixtures: Path) -> None:
    for f in sorted(real_fixtures.glob("*.xml")):
        papers = parse_atom(f.read_bytes()).papers
        assert parse_atom(render_atom(papers)).papers == papers


def test_render_writes_error_entries_and_total() -> None:
    feed = parse_atom(render_atom([], total=0, errors=[("incorrect_id_format_for_x", "bad x")]))
    assert feed.errors == ["bad x"]
    assert feed.papers == []
    assert feed.total_results == 0


# No Latin-1 supplement: text that looks like mojibake ("Ã¼") is repaired by design.
_CHARS = st.characters(
    blacklist_categories=("Cs", "Cc", "Cn"),
    blacklist_characters="".join(map(chr, range(0x80, 0x100))),
)
_TEXT = st.text(_CHARS, min_size=1, max_size=60).map(lambda s: " ".join(s.split())).filter(bool)
_WHEN = st.datetimes(
    min_value=datetime(1991, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive by API
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
).map(lambda d: d.replace(microsecond=0))
_IDS = st.one_of(
    st.from_regex(r"\A(1[5-9]|2[0-9])(0[1-9]|1[0-2])\.\d{5}\Z"),
    st.from_regex(r"\A(hep-th|math|cond-mat)/(9[1-9]|0[0-7])(0[1-9]|1[0-2])\d{3}\Z"),
)
_TERM = st.from_regex(r"\A[a-z\-]{2,8}(\.[A-Za-z\-]{2,6})?\Z")


@settings(max_examples=150, deadline=None)
@given(
    st.builds(
        Paper,
        arxiv_id=_IDS,
        version=st.none() | st.integers(1, 40),
        title=_TEXT,
        authors=st.lists(_TEXT, max_size=6).map(tuple),
        abstract=_TEXT,
        categories=st.lists(_TERM, max_size=4).map(tuple),
        primary_category=st.none() | _TERM,
        published=st.none() | _WHEN,
        updated=st.none() | _WHEN,
        comment=st.none() | _TEXT,
        journal_ref=st.none() | _TEXT,
        doi=st.none() | st.from_regex(r"\A10\.\d{4,5}/[A-Za-z0-9.\-]{1,20}\Z"),
    )
)
def test_round_trip_property(paper: Paper) -> None:
    assert parse_atom(render_atom([paper])).papers == [paper]
