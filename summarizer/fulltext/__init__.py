"""Full text of arXiv papers: sections, affiliations (单位), code links and page images."""

from summarizer.fulltext.cache import CachedFullText, FullTextStore, MemoryFullTextStore
from summarizer.fulltext.code_links import find_code_urls
from summarizer.fulltext.fetch import PaperFetcher
from summarizer.fulltext.html_sections import HtmlUnusable, parse_html_fulltext
from summarizer.fulltext.images import (
    Figure,
    PaperImages,
    extract_figures,
    render_first_page,
    save_images,
)
from summarizer.fulltext.pdf_sections import PdfUnreadable, parse_pdf
from summarizer.fulltext.sections import FullText, Section, SectionKind, classify_heading
from summarizer.fulltext.source import FullTextSource

__all__ = [
    "CachedFullText",
    "Figure",
    "FullText",
    "FullTextSource",
    "FullTextStore",
    "HtmlUnusable",
    "MemoryFullTextStore",
    "PaperFetcher",
    "PaperImages",
    "PdfUnreadable",
    "Section",
    "SectionKind",
    "classify_heading",
    "extract_figures",
    "find_code_urls",
    "parse_html_fulltext",
    "parse_pdf",
    "render_first_page",
    "save_images",
]
