"""The real PDF of arXiv:1111.2011v2 -> sections, first-page 单位, excerpt."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pymupdf
import pytest

from summarizer.fulltext import FullText, PdfUnreadable, parse_pdf
from summarizer.fulltext.pdf_sections import join_lines

REAL_PDF = Path(__file__).resolve().parents[1] / "data" / "real" / "1111.2011v2.pdf"
AUTHORS = ("James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic")


@cache
def murray() -> FullText:
    return parse_pdf(
        REAL_PDF.read_bytes(),
        arxiv_id="1111.2011",
        version=2,
        authors=AUTHORS,
        abstract="Theoretical description of anisotropic systems, such as layered superconductors",
        comment="8 pages, 3 figures. Published version",
    )


def test_affiliations_are_what_the_first_page_prints() -> None:
    # Page 1: "¹Institute for Quantum Matter and Department of Physics and Astronomy, / Johns
    # Hopkins University, Baltimore, Maryland 21218, USA / ²Department of Physics, University
    # of Vermont, Burlington, Vermont 05405, USA / (Dated: April 3, 2012)".
    assert murray().affiliations == (
        "Institute for Quantum Matter and Department of Physics and Astronomy, "
        "Johns Hopkins University, Baltimore, Maryland 21218, USA",
        "Department of Physics, University of Vermont, Burlington, Vermont 05405, USA",
    )


def test_sections_follow_the_printed_headings() -> None:
    assert [(s.kind, s.heading) for s in murray().sections] == [
        ("abstract", "Abstract"),
        ("introduction", "I. INTRODUCTION"),
        ("other", "II. SELF-CONSISTENT ACTION IN THE LARGE z LIMIT"),
        ("other", "III. CRITICAL POINT IN N →∞LIMIT"),
        ("other", "IV. CORRECTIONS AT FINITE N"),
        ("discussion", "V. DISCUSSION"),
        ("acknowledgments", "ACKNOWLEDGMENTS"),
    ]


def test_section_text_is_prose() -> None:
    ft = murray()
    abstract = ft.of_kind("abstract")[0].text
    assert abstract.startswith("Theoretical description of anisotropic systems")
    assert abstract.endswith("the theory describing a single node.")
    assert "Dated" not in abstract and "Vermont" not in abstract
    intro = ft.of_kind("introduction")[0].text
    assert intro.startswith("It is often the case that the relevent degrees of freedom")
    assert "ﬀ" not in ft.body_text() and "effectively described" in intro
    assert ft.of_kind("discussion")[0].text.startswith("We have presented a self-consistent")
    assert ft.chars > 30_000


def test_excerpt_reads_introduction_body_and_discussion() -> None:
    excerpt = murray().excerpt(6000)
    assert len(excerpt) <= 6000
    positions = [
        excerpt.index(f"## {h}")
        for h in (
            "I. INTRODUCTION",
            "II. SELF-CONSISTENT ACTION IN THE LARGE z LIMIT",
            "V. DISCUSSION",
        )
    ]
    assert positions == sorted(positions)
    assert "Predrag Nikolic" not in excerpt  # acknowledgments are not the paper's argument


def test_no_code_links_in_a_paper_without_any() -> None:
    assert murray().code_urls == ()


def test_bytes_that_are_not_a_pdf_raise() -> None:
    with pytest.raises(PdfUnreadable):
        parse_pdf(b"<html>not a pdf</html>", arxiv_id="x")


def test_a_pdf_without_text_raises() -> None:
    doc = pymupdf.open()
    doc.new_page()
    data = doc.tobytes()
    doc.close()
    with pytest.raises(PdfUnreadable):
        parse_pdf(data, arxiv_id="x")


def test_join_lines_mends_hyphenation_and_drops_page_numbers() -> None:
    assert join_lines(["degrees of free-", "dom in a system", "7", "Next line"]) == (
        "degrees of freedom in a system Next line"
    )


def _ml_paper_pdf() -> bytes:
    """A NeurIPS-like page written with PyMuPDF: headings are bold lines inside text blocks."""
    doc = pymupdf.open()
    page = doc.new_page()
    y = 72.0
    for text, size, bold in [
        ("Scaling Laws for Tiny Things", 17, True),
        ("Ann Lee", 10, True),
        ("Abstract", 12, True),
        ("We study tiny things and find that they scale.", 10, False),
        ("1 Introduction", 12, True),
        ("Tiny things matter. We reach 97.5% accuracy on TinyBench.", 10, False),
        ("2 Related Work", 12, True),
        ("Others studied big things.", 10, False),
        ("3 Method", 12, True),
        ("Method", 10, True),  # a bold table header, not a section
        ("We train a model with rank 16 adapters.", 10, False),
        ("4 Experiments", 12, True),
        ("Results on three datasets.", 10, False),
        ("5 Conclusion", 12, True),
        ("Tiny things scale. Code: https://github.com/annlee/tiny-things", 10, False),
        ("References", 12, True),
        ("[1] B. Chen. Big things. https://github.com/other/big", 10, False),
    ]:
        page.insert_text((72, y), text, fontsize=size, fontname="hebo" if bold else "helv")
        y += size * 1.6
    data = bytes(doc.tobytes())
    doc.close()
    return data


def test_numbered_headings_inside_text_blocks() -> None:
    ft = parse_pdf(_ml_paper_pdf(), arxiv_id="x", authors=["Ann Lee"])
    assert [(s.kind, s.heading) for s in ft.sections] == [
        ("abstract", "Abstract"),
        ("introduction", "1 Introduction"),
        ("related_work", "2 Related Work"),
        ("method", "3 Method"),
        ("experiments", "4 Experiments"),
        ("conclusion", "5 Conclusion"),
        ("references", "References"),
    ]
    assert (
        " ".join(ft.of_kind("method")[0].text.split())
        == "Method We train a model with rank 16 adapters."
    )
    assert ft.code_urls == ("https://github.com/annlee/tiny-things",)  # not the cited one
