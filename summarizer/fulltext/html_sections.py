"""arXiv HTML (LaTeXML `ltx_` markup) -> sections, affiliations and code links."""

from __future__ import annotations

from summarizer.fulltext.affiliations import html_affiliations
from summarizer.fulltext.code_links import find_code_urls
from summarizer.fulltext.html_tree import Element, parse_html
from summarizer.fulltext.sections import FullText, Section, SectionKind, classify_heading

MIN_BODY_CHARS = 500  # less than this is a failed conversion page, not a paper
_TOP_LEVEL: dict[str, SectionKind | None] = {
    "ltx_section": None,  # kind from the heading
    "ltx_appendix": "appendix",
    "ltx_bibliography": "references",
    "ltx_acknowledgements": "acknowledgments",
    "ltx_acknowledgement": "acknowledgments",
}
_NOT_BODY = frozenset({"ltx_abstract", "ltx_authors", "ltx_title_document", "ltx_dates"})
_TITLES = frozenset(
    {
        "ltx_title_section",
        "ltx_title_appendix",
        "ltx_title_bibliography",
        "ltx_title_acknowledgements",
        "ltx_title_abstract",
    }
)


# Footnote marks, the "footnote:" label and LaTeXML's red markers for macros it could not expand.
_NOISE = frozenset({"ltx_note_mark", "ltx_note_type", "ltx_ERROR"})


class HtmlUnusable(Exception):
    """Not a LaTeXML paper (an error page, a failed conversion, an empty document)."""


def _top_sections(node: Element) -> list[Element]:
    """Section-level elements in document order, not descending into one once found."""
    found: list[Element] = []
    for child in node.child_elements():
        if child.classes & _TOP_LEVEL.keys():
            found.append(child)
        elif not child.classes & _NOT_BODY:
            found += _top_sections(child)
    return found


def _section(element: Element) -> Section | None:
    title = next((e for e in element.iter() if e.classes & _TITLES), None)
    heading = title.text().replace("\n", " ") if title is not None else ""
    fixed = next((_TOP_LEVEL[c] for c in element.classes if _TOP_LEVEL.get(c)), None)
    kind = fixed or classify_heading(heading)
    text = element.text(skip=_TITLES | _NOISE)
    if not text:
        return None
    return Section(kind=kind, heading=heading or kind.replace("_", " ").title(), text=text)


def parse_html_fulltext(
    html: str | bytes, *, arxiv_id: str, version: int | None = None, comment: str | None = None
) -> FullText:
    """Parse an arxiv.org/html page; raises HtmlUnusable when it holds no usable paper."""
    text = html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html
    document = parse_html(text).find("ltx_document")
    if document is None:
        raise HtmlUnusable("no ltx_document element (not a LaTeXML page)")
    sections: list[Section] = []
    abstract = document.find("ltx_abstract")
    if abstract is not None and (abstract_text := abstract.text(skip=_TITLES)):
        sections.append(Section(kind="abstract", heading="Abstract", text=abstract_text))
    body = [s for e in _top_sections(document) if (s := _section(e)) is not None]
    if not body:
        loose = document.text(skip=_NOT_BODY)
        if loose:
            body = [Section(kind="other", heading="Body", text=loose)]
    sections += body
    prose = [s for s in sections if s.kind not in {"references", "abstract"}]
    if sum(len(s.text) for s in prose) < MIN_BODY_CHARS:
        raise HtmlUnusable("document has almost no text (failed conversion?)")
    cited = [s for s in sections if s.kind != "references"]  # others' code is no link of ours
    references = {id(e) for s in document.find_all("ltx_bibliography") for e in s.iter()}
    hrefs = [
        e.attrs["href"]
        for e in document.iter()
        if e.tag == "a" and e.attrs.get("href") and id(e) not in references
    ]
    return FullText(
        arxiv_id=arxiv_id,
        version=version,
        source="html",
        sections=tuple(sections),
        affiliations=tuple(html_affiliations(document)),
        code_urls=tuple(find_code_urls([comment or "", *(s.text for s in cited)], hrefs)),
    )
