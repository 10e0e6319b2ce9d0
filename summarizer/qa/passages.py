"""A paper cut into citable passages: section labels (§3.2) and the figures/tables each holds."""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.fulltext.sections import FullText

PASSAGE_CHARS = 900
"""Target passage size: about a paragraph, small enough that several fit a question's budget."""

# "3.1 Low-Rank Adaptation", "A.2 More results", "B. Ordered phase" (LaTeXML writes subsection
# headings as their own line inside the section text; PDF extraction does the same).
_SUBHEADING = re.compile(r"^((?:[1-9]\d*|[A-Z])(?:\.\d+)+|[A-Z]\.)\s+([A-Z][A-Za-z].{0,80})$")
# "1 Introduction", "IV. CORRECTIONS AT FINITE N", "A Additional Results", "Section 3:"
_SECTION_NUMBER = re.compile(
    r"^\s*(?:(?i:section)\s+|§\s*)?(\d+(?:\.\d+)*|[IVXLC]+|[A-Z])[.:]?\s+\S"
)
_FIGURE = re.compile(r"\b(?:Figure|Fig\.)\s*(\d+)", re.IGNORECASE)
_TABLE = re.compile(r"\b(?:Table|Tab\.)\s*(\d+|[IVX]+)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Passage:
    """One retrievable piece of the paper with the label an answer cites it by."""

    label: str
    """`§3.1`, `§II`, `摘要`, or the heading itself when the paper does not number it."""
    heading: str
    text: str
    figures: tuple[str, ...] = ()
    """`图 4`, `表 2`: figures and tables whose caption or mention is in this passage."""

    @property
    def cites(self) -> tuple[str, ...]:
        """Every citation this passage supports: its section label and its figures/tables."""
        return (self.label, *self.figures)


def section_label(heading: str, kind: str) -> str:
    if kind == "abstract":
        return "摘要"
    if kind == "acknowledgments":
        return "致谢"
    match = _SECTION_NUMBER.match(" ".join(heading.split()))
    if match:
        return f"§{match.group(1)}"
    return heading.strip()[:40] or kind


def _figures(text: str) -> tuple[str, ...]:
    found = [f"图 {n}" for n in _FIGURE.findall(text)]
    found += [f"表 {n}" for n in _TABLE.findall(text)]
    return tuple(dict.fromkeys(found))


def _chunks(lines: list[str], size: int) -> list[str]:
    """Lines packed into chunks of about `size` characters (a long line is its own chunk)."""
    out: list[str] = []
    current = ""
    for line in lines:
        if current and len(current) + len(line) + 1 > size:
            out.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        out.append(current)
    return out


def split_section(label: str, heading: str, text: str, size: int = PASSAGE_CHARS) -> list[Passage]:
    """One section's passages: split at subsection headings, then at about `size` chars."""
    groups: list[tuple[str, str, list[str]]] = [(label, heading, [])]
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        sub = _SUBHEADING.match(line)
        if sub and len(line) <= 90 and not line.endswith("."):
            number = sub.group(1).rstrip(".")
            # "A. Ordered Phase" inside §II is §II.A (physics papers cite "Sec. II A")
            sub_label = (
                f"{label}.{number}" if number.isalpha() and label.startswith("§") else f"§{number}"
            )
            groups.append((sub_label, sub.group(2), []))
            continue
        groups[-1][2].append(line)
    passages: list[Passage] = []
    for group_label, group_heading, lines in groups:
        for chunk in _chunks(_sentences(lines, size), size):
            passages.append(Passage(group_label, group_heading, chunk, _figures(chunk)))
    return passages


def _sentences(lines: list[str], size: int) -> list[str]:
    """Lines longer than `size` (a PDF paragraph, or a whole PDF section) cut at sentence ends."""
    out: list[str] = []
    for line in lines:
        if len(line) <= size:
            out.append(line)
            continue
        out.extend(s for s in re.split(r"(?<=[.!?。])\s+(?=[A-Z(\[])", line) if s)
    return out


def paper_passages(fulltext: FullText, size: int = PASSAGE_CHARS) -> list[Passage]:
    """Every passage of the paper (abstract, appendices and acknowledgments included: "who
    funded this?" is a fair question); only the reference list is left out."""
    passages: list[Passage] = []
    for section in fulltext.sections:
        if section.kind == "references":
            continue
        label = section_label(section.heading, section.kind)
        passages.extend(split_section(label, section.heading, section.text, size))
    return passages


def paper_text(fulltext: FullText) -> str:
    """The text an answer's numbers are checked against: what the passages hold."""
    return "\n\n".join(s.text for s in fulltext.sections if s.kind != "references")


def abstract_passages(abstract: str) -> list[Passage]:
    """When the paper's text cannot be had: the abstract is the only passage."""
    return [Passage("摘要", "Abstract", " ".join(abstract.split()), _figures(abstract))]
