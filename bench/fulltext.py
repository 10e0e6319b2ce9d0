"""Benchmark: full-text extraction time per paper, and prompt tokens per full summary for the
abstract only, the HTML or PDF text excerpt, the whole text, and Gemini reading the PDF itself."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pymupdf

from summarizer.fulltext import FullText, parse_html_fulltext, parse_pdf
from summarizer.fulltext.images import extract_figures, render_first_page
from summarizer.models import Mode, Paper
from summarizer.prompt import MAX_FULL_TEXT_CHARS, build_prompt
from tests.fakes.arxiv_html import HtmlAuthor, HtmlSection, latexml_html
from tests.fakes.arxiv_server import real_papers

ROOT = Path(__file__).resolve().parent.parent
REAL_PDF = ROOT / "tests" / "data" / "real" / "1111.2011v2.pdf"
RUNS = 5
# Gemini bills a PDF sent as a document at 258 tokens per page (Gemini API docs, "Document
# understanding"): the page is seen as an image, whatever text it holds.
GEMINI_TOKENS_PER_PDF_PAGE = 258
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")

T = TypeVar("T")


def estimate_tokens(text: str) -> int:
    """ESTIMATE, not a tokenizer: ~4 characters per token for Latin text, 1 per CJK character."""
    cjk = len(_CJK.findall(text))
    return round(cjk + (len(text) - cjk) / 4)


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """The result and the median wall time (ms) over RUNS calls."""
    times, result = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    assert result is not None
    return result, statistics.median(times)


def prompt_tokens(paper: Paper, full_text: str | None) -> int:
    prompt = build_prompt(paper, Mode.FULL, full_text=full_text)
    return estimate_tokens(prompt.system + prompt.user)


def as_latexml(paper: Paper, fulltext: FullText) -> str:
    """The same paper as arxiv.org/html would serve it (built from the PDF's sections)."""
    sections = [
        HtmlSection(s.heading, tuple(p for p in s.text.split("\n") if p))
        for s in fulltext.sections
        if s.kind != "abstract"
    ]
    authors = [HtmlAuthor(name, fulltext.affiliations[:1]) for name in paper.authors]
    return latexml_html(
        title=paper.title, authors=authors, abstract=paper.abstract, sections=sections
    )


def main() -> None:
    paper = next(p for p in real_papers() if p.arxiv_id == "1111.2011" and p.version == 2)
    pdf = REAL_PDF.read_bytes()
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        pages = doc.page_count
    kwargs = {"arxiv_id": paper.arxiv_id, "version": paper.version}
    from_pdf, pdf_ms = timed(
        lambda: parse_pdf(pdf, **kwargs, authors=paper.authors, abstract=paper.abstract)
    )
    page = as_latexml(paper, from_pdf)
    from_html, html_ms = timed(lambda: parse_html_fulltext(page, **kwargs))
    _, first_page_ms = timed(lambda: render_first_page(pdf))
    figures, figures_ms = timed(lambda: extract_figures(pdf))

    print(f"paper arXiv:{paper.versioned_id}: {pages} pages, PDF {len(pdf) / 1024:.0f} KiB, "
          f"HTML {len(page.encode()) / 1024:.0f} KiB (built from the same sections)")  # fmt: skip
    print(f"extraction time per paper (median of {RUNS}):")
    print(f"  PDF  -> sections + affiliations + code links: {pdf_ms:7.1f} ms "
          f"({len(from_pdf.sections)} sections, {from_pdf.chars:,} chars)")  # fmt: skip
    print(f"  HTML -> sections + affiliations + code links: {html_ms:7.1f} ms "
          f"({len(from_html.sections)} sections, {from_html.chars:,} chars)")  # fmt: skip
    print(f"  first-page JPEG:                              {first_page_ms:7.1f} ms")
    print(f"  {len(figures)} figures (JPEG):                             {figures_ms:7.1f} ms")

    abstract_only = prompt_tokens(paper, None)
    rows = [
        ("abstract only (no full text)", abstract_only),
        ("HTML text: intro+method+conclusion excerpt",
         prompt_tokens(paper, from_html.excerpt(MAX_FULL_TEXT_CHARS))),
        ("PDF text: intro+method+conclusion excerpt",
         prompt_tokens(paper, from_pdf.excerpt(MAX_FULL_TEXT_CHARS))),
        ("PDF text: whole body (no excerpt, uncapped)",
         estimate_tokens(from_pdf.body_text()) + abstract_only),
        (f"Gemini reads the PDF itself ({pages} x {GEMINI_TOKENS_PER_PDF_PAGE})",
         pages * GEMINI_TOKENS_PER_PDF_PAGE + abstract_only),
    ]  # fmt: skip
    print("input tokens per full summary (ESTIMATE: 4 chars/token Latin, 1/token CJK; the PDF")
    print("row uses Gemini's documented 258 tokens per page plus the same prompt):")
    for label, tokens in rows:
        print(f"  {label:<48} ~{tokens:>7,} tokens")


if __name__ == "__main__":
    main()
