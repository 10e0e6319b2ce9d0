"""arXiv HTML (LaTeXML markup) -> sections, 单位 and code links."""

from __future__ import annotations

import pytest

from summarizer.fulltext import FullText, HtmlUnusable, parse_html_fulltext
from tests.fakes.arxiv_html import (
    HtmlAuthor,
    HtmlSection,
    latexml_html,
    less_could_be_better_html,
)

XMU = "School of Informatics, Xiamen University, Xiamen, China"
HKU = "Department of Computer Science, The University of Hong Kong"
BODY = ("A paragraph of real content. " * 30,)


def _parse(page: str | bytes, comment: str | None = None) -> FullText:
    return parse_html_fulltext(page, arxiv_id="2401.12215", version=1, comment=comment)


def test_sections_come_in_document_order_with_their_kinds() -> None:
    ft = _parse(less_could_be_better_html())
    assert ft.source == "html"
    assert [(s.kind, s.heading) for s in ft.sections] == [
        ("abstract", "Abstract"),
        ("introduction", "1 Introduction"),
        ("related_work", "2 Related Work"),
        ("method", "3 Methodology"),
        ("experiments", "4 Experiments"),
        ("conclusion", "5 Conclusions and Future Work"),
        ("appendix", "A Additional Results"),
        ("acknowledgments", "Acknowledgements"),
        ("references", "References"),
    ]


def test_section_text_keeps_subsections_math_and_captions_but_not_its_heading() -> None:
    ft = _parse(less_could_be_better_html())
    method = ft.of_kind("method")[0]
    assert method.text.startswith("We insert low-rank matrices")
    assert "3.1 Low-Rank Adaptation" in method.text
    assert "r=8" in method.text  # MathML read through its alttext, not <mi> soup
    intro = ft.of_kind("introduction")[0]
    assert "Figure 1: Overview of the transfer learning settings." in intro.text
    assert "3 Methodology" not in method.text


@pytest.mark.parametrize("style", ["contact", "personname"])
def test_affiliations_from_either_author_markup(style: str) -> None:
    ft = _parse(less_could_be_better_html(style))  # type: ignore[arg-type]
    assert ft.affiliations == (XMU, HKU)


def test_no_affiliation_markup_means_no_affiliations() -> None:
    assert _parse(less_could_be_better_html("none")).affiliations == ()


def test_affiliation_contact_drops_label_email_and_address_break() -> None:
    page = latexml_html(
        title="T",
        authors=[HtmlAuthor("Divya Bajpai", ("MLiONS, Department of IEOR, IIT Bombay",), "d@iitb.ac.in"),
                 HtmlAuthor("Meituan Author", ("Meituan",))],
        abstract="An abstract.",
        sections=[HtmlSection("Introduction", BODY, tag="1")],
    )  # fmt: skip
    assert _parse(page).affiliations == ("MLiONS, Department of IEOR, IIT Bombay", "Meituan")


def test_code_links_come_from_the_paper_not_from_references_or_arxiv_frame() -> None:
    ft = _parse(less_could_be_better_html())
    # github.com/microsoft/LoRA is cited in the bibliography and github.com/arXiv/html_feedback
    # is arXiv's "Report Issue" button: neither is this paper's code.
    assert ft.code_urls == ("https://github.com/RL4M/MED-PEFT",)


def test_code_link_from_the_arxiv_comment_comes_first() -> None:
    ft = _parse(less_could_be_better_html(), comment="Project page: https://rl4m.github.io/peft/")
    assert ft.code_urls == ("https://rl4m.github.io/peft", "https://github.com/RL4M/MED-PEFT")


def test_excerpt_is_intro_method_conclusion() -> None:
    excerpt = _parse(less_could_be_better_html()).excerpt(2000)
    assert "## 1 Introduction" in excerpt
    assert "## 3 Methodology" in excerpt
    assert "## 5 Conclusions and Future Work" in excerpt
    assert "Related Work" not in excerpt
    assert "microsoft/LoRA" not in excerpt


def test_a_page_without_latexml_document_is_unusable() -> None:
    with pytest.raises(HtmlUnusable):
        _parse("<html><body><h1>No HTML for '1111.2011v2'</h1></body></html>")


def test_a_failed_conversion_with_no_text_is_unusable() -> None:
    page = latexml_html(title="T", authors=[], abstract="Only an abstract.", sections=[])
    with pytest.raises(HtmlUnusable):
        _parse(page)


def test_a_paper_without_sections_is_one_body_section() -> None:
    page = latexml_html(title="T", authors=[], abstract="An abstract.", sections=[])
    page = page.replace(
        "</article>", f'<div class="ltx_para"><p class="ltx_p">{BODY[0]}</p></div></article>'
    )
    ft = _parse(page.encode())
    assert [s.kind for s in ft.sections] == ["abstract", "other"]
    assert ft.sections[1].text.startswith("A paragraph of real content.")


def test_footnote_marks_and_unexpanded_macros_are_not_text() -> None:
    page = less_could_be_better_html().replace(
        "prone to over-fitting.",
        'prone to over-fitting<span class="ltx_note ltx_role_footnote"><sup class="ltx_note_mark">'
        '2</sup><span class="ltx_note_outer"><span class="ltx_note_content"><sup class="ltx_note_mark">'
        '2</sup><span class="ltx_note_type">footnote: </span>See the appendix.</span></span></span> '
        '<span class="ltx_ERROR undefined">\\citep</span>.',
    )
    intro = _parse(page).of_kind("introduction")[0].text
    assert "prone to over-fitting (See the appendix.)." in intro
    assert "footnote:" not in intro and "\\citep" not in intro
