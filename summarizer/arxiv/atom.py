"""The arXiv API's Atom format: a pure parser (bytes -> papers)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from summarizer.models import Frozen, Paper

ATOM_NS = "http://www.w3.org/2005/Atom"
ARXIV_NS = "http://arxiv.org/schemas/atom"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
_A = f"{{{ATOM_NS}}}"
_X = f"{{{ARXIV_NS}}}"
_OS = f"{{{OPENSEARCH_NS}}}"

# `http://arxiv.org/abs/2104.12255v1`, `http://arxiv.org/abs/astro-ph/0601001v2`
_ENTRY_ID = re.compile(r"^https?://(?:export\.)?arxiv\.org/abs/(?P<id>[^\s]+?)(?:v(?P<v>\d+))?$")
_ERROR_ID = "/api/errors"


class AtomParseError(ValueError):
    """The bytes are not an Atom feed (broken XML, an HTML error page, a hostile document)."""


class AtomFeed(Frozen):
    """One API answer: the papers, arXiv's error entries (as messages) and opensearch's total."""

    papers: list[Paper]
    errors: list[str]
    total_results: int


def _collapse(text: str | None) -> str:
    return " ".join((text or "").split())


def _unmangle(text: str) -> str:
    """Repair UTF-8 that was decoded as Latin-1 somewhere upstream ("WÃ¼bben" -> "Wübben").

    Only text that round-trips exactly is changed, so genuine Latin-1 text is left alone."""
    if not any("\u00c2" <= ch <= "\u00f4" for ch in text):
        return text
    try:
        fixed = text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text
    return fixed


def _text(el: ET.Element | None) -> str | None:
    if el is None or el.text is None:
        return None
    value = _unmangle(_collapse(el.text))
    return value or None


def _when(el: ET.Element | None) -> datetime | None:
    raw = _text(el)
    if raw is None:
        return None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if parsed.tzinfo is None:  # arXiv writes `Z`; a naive stamp is taken as UTC
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _paper(entry: ET.Element, arxiv_id: str, version: int | None) -> Paper:
    categories = tuple(
        term for c in entry.findall(f"{_A}category") if (term := c.get("term", "").strip())
    )
    primary = entry.find(f"{_X}primary_category")
    return Paper(
        arxiv_id=arxiv_id,
        version=version,
        title=_text(entry.find(f"{_A}title")) or "",
        authors=tuple(
            name for a in entry.findall(f"{_A}author") if (name := _text(a.find(f"{_A}name")))
        ),
        abstract=_text(entry.find(f"{_A}summary")) or "",
        categories=categories,
        primary_category=(primary.get("term") or None) if primary is not None else None,
        published=_when(entry.find(f"{_A}published")),
        updated=_when(entry.find(f"{_A}updated")),
        comment=_text(entry.find(f"{_X}comment")),
        journal_ref=_text(entry.find(f"{_X}journal_ref")),
        doi=_text(entry.find(f"{_X}doi")),
    )


def parse_atom(xml: bytes) -> AtomFeed:
    """Read an arXiv API response; error entries go to `errors`, never to `papers`."""
    try:
        root = SafeET.fromstring(xml)
    except (ET.ParseError, DefusedXmlException) as exc:
        raise AtomParseError(f"not an Atom feed: {exc}") from exc
    if root.tag != f"{_A}feed":
        raise AtomParseError(f"not an Atom feed: root element is {root.tag!r}")
    papers: list[Paper] = []
    errors: list[str] = []
    for entry in root.findall(f"{_A}entry"):
        entry_id = _text(entry.find(f"{_A}id")) or ""
        m = _ENTRY_ID.match(entry_id)
        if _ERROR_ID in entry_id or m is None:
            detail = _text(entry.find(f"{_A}summary")) or _text(entry.find(f"{_A}title"))
            errors.append(detail or f"unrecognised entry {entry_id!r}")
            continue
        version = int(m["v"]) if m["v"] else None
        papers.append(_paper(entry, m["id"], version))
    total_el = _text(root.find(f"{_OS}totalResults"))
    total = int(total_el) if total_el and total_el.isdigit() else len(papers) + len(errors)
    return AtomFeed(papers=papers, errors=errors, total_results=total)
