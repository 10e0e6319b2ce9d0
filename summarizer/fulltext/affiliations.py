"""单位: affiliations from LaTeXML markup or from a PDF's first page, cleaned and deduplicated."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summarizer.fulltext.html_tree import Element

MAX_AFFILIATIONS = 12
MAX_AFFILIATION_CHARS = 240

_KEYWORDS = re.compile(
    r"univ|institut|école|ecole|laborator|\blab\b|\blabs\b|college|school|department|\bdept\b"
    r"|cent(?:er|re)\b|academy|akademie|\binc\b|\bcorp|\bltd\b|\bllc\b|gmbh|research|hospital"
    r"|foundation|faculty|polytechn|politecnico|\beth\b|epfl|\bmit\b|cnrs|inria|max planck"
    r"|observator|google|microsoft|deepmind|openai|nvidia|amazon|\bibm\b|alibaba|tencent"
    r"|bytedance|baidu|huawei|meta ai|\bfair\b|samsung|sony|intel\b|apple|salesforce"
    r"|大学|研究院|研究所|实验室|学院|公司",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\{?[\w.+\-, ]+\}?@[\w\-]+(?:\.[\w\-]+)+")
_MARKER = re.compile(r"^(?:[\d,\s]+|[*∗†‡§¶♯♮#⋆★☆✉♣♠♦♥⁎]+|[a-z](?=[A-Z]))+\s*")
_NOT_AFFILIATION = re.compile(
    r"^\(?(?:dated|received|accepted|published|revised|date|preprint|submitted|correspond"
    r"|equal contribution|these authors|work done|e-?mail|arxiv)\b",
    re.IGNORECASE,
)


def clean_affiliation(raw: str) -> str:
    """Strip footnote markers, e-mail addresses and stray punctuation; one line."""
    text = unicodedata.normalize("NFKC", raw)
    text = _EMAIL.sub("", text)
    text = " ".join(text.split())
    text = _MARKER.sub("", text)
    text = re.sub(r"\s+,", ",", text)
    return text.strip(" ,;:.·|")[:MAX_AFFILIATION_CHARS]


def looks_like_affiliation(text: str) -> bool:
    return bool(_KEYWORDS.search(text)) and not _NOT_AFFILIATION.match(text)


def unique(items: Iterable[str], limit: int = MAX_AFFILIATIONS) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = re.sub(r"\W+", "", item).casefold()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out[:limit]


# --- HTML (LaTeXML) ------------------------------------------------------------------------


# Labels and marks LaTeXML prints inside an author note ("Affiliation: ", "¹", the e-mail).
_HTML_NOISE = frozenset(
    {"ltx_contact_name", "ltx_note_mark", "ltx_note_type", "ltx_role_email", "ltx_tag"}
)


def _contact_text(element: Element) -> str:
    lines = element.text(skip=_HTML_NOISE).split("\n")
    return clean_affiliation(", ".join(ln for ln in lines if not _EMAIL.fullmatch(ln.strip())))


def html_affiliations(document: Element) -> list[str]:
    """Every `ltx_role_affiliation` (or `ltx_role_address`) as marked up; else the
    affiliation-like lines of `ltx_personname` (templates with `Name \\\\ University`)."""
    authors = document.find("ltx_authors") or document
    marked = authors.find_all("ltx_role_affiliation") or authors.find_all("ltx_role_address")
    # Nested roles (a note holding a contact) would repeat the text: keep the innermost.
    ids = {id(e) for e in marked}
    inner = [e for e in marked if not any(id(d) in ids for d in list(e.iter())[1:])]
    found = [_contact_text(e) for e in inner]
    found = [a for a in found if a and not _NOT_AFFILIATION.match(a)]
    if not found:
        for person in authors.find_all("ltx_personname"):
            lines = person.text(skip=_HTML_NOISE).split("\n")
            found += [clean_affiliation(ln) for ln in lines[1:] if looks_like_affiliation(ln)]
    return unique(a for a in found if a)


# --- PDF first page ----------------------------------------------------------------------


@dataclass(frozen=True)
class PdfLine:
    """One printed line: its text, the footnote marker set before it (superscript), its size."""

    text: str
    size: float
    marker: str = ""
    bold: bool = False
    y: float = 0.0
    block: int = -1  # the PDF text block it belongs to (-1: unknown)


def fold(text: str) -> str:
    """Lowercase ASCII letters only: `Teˇsanovi´c` (TeX accents as PDF text) == `Tešanović`."""
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z]", "", decomposed.lower())


def abstract_start(lines: Sequence[PdfLine], abstract_hint: str | None) -> int:
    hint = fold(abstract_hint or "")[:40]
    for index, line in enumerate(lines):
        head = line.text.strip()
        if re.match(r"^(?:abstract|a b s t r a c t)\b", head, re.IGNORECASE):
            return index
        if _NOT_AFFILIATION.match(head) and index > 0:
            return index
        if re.match(r"^(?:1|I)\.?\s+introduction\b", head, re.IGNORECASE):
            return index
        if len(hint) >= 20 and fold(head)[:20] and hint.startswith(fold(head)[:20]):
            return index
    return len(lines)


def _author_line(line: PdfLine, surnames: set[str]) -> bool:
    words = {fold(w) for w in re.split(r"[\s,]+", line.text) if w}
    return bool(words & surnames) and not looks_like_affiliation(line.text)


def _dangling(text: str) -> bool:
    """A line that cannot end an affiliation: `..., ` or `... and` / `of` / `&` / `-`."""
    return bool(re.search(r"(?:,|\band|\bof|\bfor|&|-)\s*$", text.strip()))


def _join(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        out += (" " if _dangling(out) else ", ") + line
    return out


def pdf_affiliations(
    lines: Sequence[PdfLine], authors: Sequence[str] = (), abstract_hint: str | None = None
) -> list[str]:
    """Affiliations printed between the author block and the abstract of a first page.

    Lines opening with a superscript marker start a new affiliation and unmarked lines continue
    it; without markers, the lines of one text block are one affiliation (or, when blocks are
    unknown, a line ending in a comma or "and" is continued by the next one)."""
    if not lines:
        return []
    stop = abstract_start(lines, abstract_hint)
    title_size = max(line.size for line in lines[:stop] or lines)
    first = next((i for i, ln in enumerate(lines) if ln.size < title_size - 0.5), 0)
    surnames = {fold(name.split()[-1]) for name in authors if name.split()}
    region = [
        line
        for line in lines[first:stop]
        if line.text.strip()
        and not _author_line(line, surnames)
        and not (_EMAIL.search(line.text) and not looks_like_affiliation(_EMAIL.sub("", line.text)))
    ]
    marked = any(line.marker for line in region)
    groups: list[list[str]] = []
    previous: PdfLine | None = None
    for line in region:
        text = line.text.strip()
        if previous is None or line.marker:
            continues = False
        elif marked:
            continues = True
        elif line.block >= 0:
            # One author column of a NeurIPS/ACL-style header is one block: "Dept. of CS" /
            # "Stanford University" / e-mail under a name are one affiliation.
            continues = line.block == previous.block
        else:
            continues = _dangling(previous.text)
        if continues and groups:
            groups[-1].append(text)
        else:
            groups.append([text])
        previous = line
    joined = (clean_affiliation(_join(g)) for g in groups)
    return unique(a for a in joined if looks_like_affiliation(a))
