"""Papers written in the arXiv API's Atom layout (the fake arXiv server's answers, round trips)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

from summarizer.arxiv.atom import ARXIV_NS, ATOM_NS, OPENSEARCH_NS
from summarizer.models import Paper

# Characters XML 1.0 cannot carry at all (and lone surrogates); dropped when writing.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _esc(text: str) -> str:
    return escape(_XML_INVALID.sub("", text))


def _attr(text: str) -> str:
    return quoteattr(_XML_INVALID.sub("", text))


def _render_entry(p: Paper) -> list[str]:
    out = ["  <entry>", f"    <id>http://arxiv.org/abs/{_esc(p.versioned_id)}</id>"]
    out.append(f"    <title>{_esc(p.title)}</title>")
    if p.updated is not None:
        out.append(f"    <updated>{_stamp(p.updated)}</updated>")
    out.append(f'    <link href={_attr(p.abs_url)} rel="alternate" type="text/html"/>')
    out.append(
        f'    <link href={_attr(p.pdf_url)} rel="related" type="application/pdf" title="pdf"/>'
    )
    if p.doi is not None:
        out.append(
            f'    <link href={_attr("https://doi.org/" + p.doi)} rel="related" title="doi"/>'
        )
    out.append(f"    <summary>{_esc(p.abstract)}</summary>")
    out.extend(
        f'    <category term={_attr(t)} scheme="http://arxiv.org/schemas/atom"/>'
        for t in p.categories
    )
    if p.published is not None:
        out.append(f"    <published>{_stamp(p.published)}</published>")
    if p.comment is not None:
        out.append(f"    <arxiv:comment>{_esc(p.comment)}</arxiv:comment>")
    if p.primary_category is not None:
        out.append(f"    <arxiv:primary_category term={_attr(p.primary_category)}/>")
    if p.journal_ref is not None:
        out.append(f"    <arxiv:journal_ref>{_esc(p.journal_ref)}</arxiv:journal_ref>")
    if p.doi is not None:
        out.append(f"    <arxiv:doi>{_esc(p.doi)}</arxiv:doi>")
    for name in p.authors:
        out += ["    <author>", f"      <name>{_esc(name)}</name>", "    </author>"]
    out.append("  </entry>")
    return out


def _render_error(error_id: str, message: str, now: str) -> list[str]:
    url = _attr(f"https://arxiv.org/api/errors#{error_id}")
    return [
        "  <entry>",
        f"    <id>https://arxiv.org/api/errors#{_esc(error_id)}</id>",
        "    <title>Error</title>",
        f"    <updated>{now}</updated>",
        f'    <link href={url} rel="alternate" type="text/html"/>',
        f"    <summary>{_esc(message)}</summary>",
        "    <author>",
        "      <name>arXiv api core</name>",
        "    </author>",
        "  </entry>",
    ]


def render_atom(
    papers: Sequence[Paper],
    *,
    total: int | None = None,
    query: str = "",
    errors: Sequence[tuple[str, str]] = (),
) -> bytes:
    """Write papers (and `(error_id, message)` error entries) in arXiv's current API layout."""
    now = _stamp(datetime.now(UTC))
    count = len(papers) + len(errors)
    self_url = _attr("https://arxiv.org/api/query?" + query)
    lines = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        f'<feed xmlns:opensearch="{OPENSEARCH_NS}" xmlns:arxiv="{ARXIV_NS}" xmlns="{ATOM_NS}">',
        "  <id>https://arxiv.org/api/paperbot-fake</id>",
        f"  <title>arXiv Query: {_esc(query)}</title>",
        f"  <updated>{now}</updated>",
        f'  <link href={self_url} type="application/atom+xml"/>',
        f"  <opensearch:itemsPerPage>{count}</opensearch:itemsPerPage>",
        f"  <opensearch:totalResults>{count if total is None else total}</opensearch:totalResults>",
        "  <opensearch:startIndex>0</opensearch:startIndex>",
    ]
    for p in papers:
        lines += _render_entry(p)
    for error_id, message in errors:
        lines += _render_error(error_id, message, now)
    lines.append("</feed>\n")
    return "\n".join(lines).encode("utf-8")
