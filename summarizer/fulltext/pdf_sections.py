"""PDF text (PyMuPDF) -> printed lines, top-level section headings, sections and affiliations."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pymupdf

from summarizer.fulltext.affiliations import PdfLine, abstract_start, pdf_affiliations
from summarizer.fulltext.code_links import find_code_urls
from summarizer.fulltext.sections import FullText, Section, classify_heading

BOLD_FLAG = 16  # PyMuPDF span flag for bold fonts (TEXT_FONT_BOLD)
MAX_HEADING_CHARS = 90
MAX_PAGES = 60
LINK_PAGES = 2
# A top-level heading: "3 Method", "3. Method", "IV. RESULTS"; not "3.1 ..." nor "A. ...".
_TOP_NUMBER = re.compile(r"^(?:[IVXLC]+\.|\d{1,2}\.?)\s+\S")
# Letters I, V and X are Roman numerals of top-level sections ("I. INTRODUCTION").
_SUBSECTION = re.compile(r"^(?:\d+\.\d+|[A-HJ-UWYZ]\.)\s")
_PAGE_NUMBER = re.compile(r"^\s*(?:\d{1,3}|page \d+( of \d+)?)\s*$", re.IGNORECASE)
_MARKER_TEXT = re.compile(r"^[\d,\s*∗†‡§¶⋆a-z]{1,8}$")
_UNNUMBERED = frozenset({"abstract", "acknowledgments", "references", "appendix"})
_ABSTRACT_WORD = re.compile(r"^\s*(?:abstract|a b s t r a c t)\s*[.:—–-]?\s*", re.IGNORECASE)


LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬆ": "st"})


class PdfUnreadable(Exception):
    """The bytes are not a PDF PyMuPDF can open, or it has no text layer."""


@dataclass(frozen=True)
class _Block:
    page: int
    lines: tuple[PdfLine, ...]


def open_pdf(data: bytes) -> pymupdf.Document:
    if b"%PDF-" not in data[:1024]:  # MuPDF would happily open HTML or text as a document
        raise PdfUnreadable("no %PDF- header")
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except (RuntimeError, ValueError) as exc:  # pymupdf.FileDataError is a RuntimeError
        raise PdfUnreadable(str(exc)) from exc
    if doc.page_count == 0:
        doc.close()
        raise PdfUnreadable("no pages")
    return doc


def _is_bold(span: dict[str, Any]) -> bool:
    font = str(span.get("font", ""))
    return bool(int(span.get("flags", 0)) & BOLD_FLAG) or bool(
        re.search(r"bold|black|heavy|semibold|\bBX|CMBX|\.B$|-B$", font, re.IGNORECASE)
    )


def _line(spans: list[dict[str, Any]], y: float) -> PdfLine | None:
    spans = [s for s in spans if str(s.get("text", ""))]
    if not spans:
        return None
    size = max(float(s.get("size", 0.0)) for s in spans)
    marker_parts: list[str] = []
    # A smaller leading span ("1" in "¹Institute ...") is a footnote marker, not text.
    while spans and float(spans[0].get("size", 0.0)) < 0.8 * size:
        text = str(spans[0]["text"]).strip()
        if text and not _MARKER_TEXT.match(text):
            break
        marker_parts.append(text)
        spans = spans[1:]
    text = "".join(str(s["text"]) for s in spans).translate(LIGATURES)
    # Mostly bold: a heading may carry italic math ("LARGE z LIMIT", "N → ∞").
    chars = sum(len(str(s["text"]).strip()) for s in spans)
    bold_chars = sum(len(str(s["text"]).strip()) for s in spans if _is_bold(s))
    bold = chars > 0 and bold_chars >= 0.6 * chars
    marker = "".join(marker_parts).strip()
    return PdfLine(text=" ".join(text.split()), size=size, marker=marker, bold=bold, y=y)


def page_blocks(page: pymupdf.Page, number: int) -> list[_Block]:
    """Horizontal text lines per block; pieces printed side by side on one baseline ("I." and
    "INTRODUCTION") are one line, far-apart ones (two author columns) are not."""
    blocks: list[_Block] = []
    for block in page.get_text("dict")["blocks"]:
        lines: list[PdfLine] = []
        right = 0.0
        for raw in block.get("lines", []):
            if tuple(round(d) for d in raw.get("dir", (1, 0))) != (1, 0):
                continue  # rotated text: the arXiv stamp in the margin
            x0, _, x1, y = (float(v) for v in raw["bbox"])
            line = _line(list(raw.get("spans", [])), y)
            if line is None:
                continue
            prev = lines[-1] if lines else None
            beside = prev is not None and abs(prev.y - y) < 2.0 and x0 - right < 3 * line.size
            if prev is not None and beside and not line.marker:
                merged = f"{prev.text} {line.text}".strip()
                lines[-1] = PdfLine(merged, max(prev.size, line.size), prev.marker,
                                    prev.bold and line.bold, prev.y)  # fmt: skip
            else:
                lines.append(line)
            right = x1
        if lines:
            blocks.append(_Block(number, tuple(lines)))
    return blocks


def _heading(line: PdfLine, body_size: float, numbered: bool) -> str | None:
    """The line's text when it is a top-level section heading. In a paper with numbered
    sections only numbered lines (and back matter) count: a bold "Method" is a table cell."""
    text = line.text.strip()
    if not text or len(text) > MAX_HEADING_CHARS or _SUBSECTION.match(text):
        return None
    if not (line.bold or line.size > body_size + 1.0):
        return None
    if _TOP_NUMBER.match(text) and not text.endswith("."):
        return text
    kind = classify_heading(text)
    if len(text) <= 40 and (kind in _UNNUMBERED or (kind != "other" and not numbered)):
        return text
    return None


def _continues(heading: PdfLine, page: int, line: PdfLine, line_page: int) -> bool:
    """A heading wrapped onto a second line ("II. SELF-CONSISTENT ACTION IN THE" +
    "LARGE z LIMIT"): short, bold, same page, right below."""
    gap = line.y - heading.y
    return (
        page == line_page
        and line.bold
        and len(line.text) <= 50
        and abs(line.size - heading.size) < 0.5
        and 0 < gap < 1.5 * heading.size
        and not _TOP_NUMBER.match(line.text)
    )


def _split(blocks: Sequence[_Block], body_size: float) -> tuple[list[PdfLine], list[Section]]:
    """(front-matter lines before the first heading, the sections after it)."""
    numbered = (
        sum(1 for b in blocks for ln in b.lines if ln.bold and _TOP_NUMBER.match(ln.text.strip()))
        >= 2
    )
    front: list[PdfLine] = []
    sections: list[Section] = []
    heading: tuple[str, PdfLine, int] | None = None
    texts: list[str] = []

    def close() -> None:
        if heading is not None:
            text = "\n".join(t for t in texts if t)
            sections.append(
                Section(kind=classify_heading(heading[0]), heading=heading[0], text=text)
            )

    for block in blocks:
        pending: list[str] = []
        for line in block.lines:
            title = _heading(line, body_size, numbered)
            if (
                heading is not None
                and not texts
                and not pending
                and title is None
                and _continues(heading[1], heading[2], line, block.page)
            ):
                heading = (f"{heading[0]} {line.text}", line, block.page)
            elif title is not None:
                if pending:
                    texts.append(join_lines(pending))
                pending = []
                close()
                heading, texts = (title, line, block.page), []
            elif heading is None:
                front.append(line)
            else:
                pending.append(line.text)
        if pending:
            texts.append(join_lines(pending))
    close()
    return front, sections


def join_lines(lines: Sequence[str]) -> str:
    """Lines as prose: `free-` + `dom` -> `freedom`; page numbers dropped."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line or _PAGE_NUMBER.match(line):
            continue
        if out.endswith("-") and line[:1].islower():
            out = out[:-1] + line
        else:
            out = f"{out} {line}" if out else line
    return out


def _body_size(blocks: Sequence[_Block]) -> float:
    sizes: dict[float, int] = {}
    for block in blocks:
        for line in block.lines:
            sizes[round(line.size)] = sizes.get(round(line.size), 0) + len(line.text)
    return max(sizes, key=lambda s: sizes[s]) if sizes else 10.0


def _abstract_text(front: list[PdfLine], stop: int) -> str:
    lines = [line.text for line in front[stop:]]
    if lines and re.match(r"^\(?(?:dated|received|date)\b", lines[0], re.IGNORECASE):
        lines = lines[1:]
    return _ABSTRACT_WORD.sub("", join_lines(lines), count=1)


def parse_pdf(
    data: bytes,
    *,
    arxiv_id: str,
    version: int | None = None,
    authors: Sequence[str] = (),
    abstract: str | None = None,
    comment: str | None = None,
) -> FullText:
    """Sections, first-page affiliations and code links of a paper's PDF. Blocking (CPU):
    callers on the event loop run it in a thread."""
    with open_pdf(data) as doc:
        blocks = [b for n in range(min(doc.page_count, MAX_PAGES)) for b in page_blocks(doc[n], n)]
        # Link targets of the first pages only: later ones are mostly other works' references.
        links = [
            str(link.get("uri") or "")
            for n in range(min(LINK_PAGES, doc.page_count))
            for link in doc[n].get_links()
        ]
    if not blocks:
        raise PdfUnreadable("no text layer (scanned PDF?)")
    front, sections = _split(blocks, _body_size(blocks))
    first_page = [
        dataclasses.replace(line, block=index)
        for index, b in enumerate(b for b in blocks if b.page == 0)
        for line in b.lines
    ]
    affiliations = pdf_affiliations(first_page, authors, abstract)
    if not any(s.kind == "abstract" for s in sections) and front:
        text = _abstract_text(front, abstract_start(front, abstract))
        if text:
            sections.insert(0, Section(kind="abstract", heading="Abstract", text=text))
    all_text = "\n".join(s.text for s in sections if s.kind != "references")
    return FullText(
        arxiv_id=arxiv_id,
        version=version,
        source="pdf",
        sections=tuple(sections),
        affiliations=tuple(affiliations),
        code_urls=tuple(find_code_urls([comment or "", all_text], links)),
    )
