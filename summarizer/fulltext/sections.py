"""The full-text model: sections with normalised headings, and the three-part reading excerpt."""

from __future__ import annotations

import re
from typing import Literal

from summarizer.models import Frozen

SectionKind = Literal[
    "abstract",
    "introduction",
    "related_work",
    "background",
    "method",
    "experiments",
    "discussion",
    "conclusion",
    "acknowledgments",
    "references",
    "appendix",
    "other",
]
TextSource = Literal["html", "pdf"]

# Sections whose text is not the paper's argument: left out of excerpts and of fact checks.
BACK_MATTER: frozenset[str] = frozenset({"acknowledgments", "references", "appendix"})

# "1 Introduction", "2.1 Setup", "I. INTRODUCTION", "IV. CORRECTIONS", "A. Ordered Phase",
# "Section 3:", "§2". A lone capital letter counts only when followed by a dot.
_NUMBERING = re.compile(
    r"^\s*(?:(?i:section)\s+|§\s*)?"
    r"(?:(?:[IVXLC]+|\d+(?:\.\d+)*)[.:]?|[A-Z]\.|\d+(?:\.\d+)*\))\s+(?=\S)"
)
# Checked in order: the first match wins ("Results and Discussion" is experiments,
# "Discussion and Conclusions" is conclusion, "Background and Related Work" is related work).
_KIND_RULES: tuple[tuple[SectionKind, str], ...] = (
    ("abstract", r"^abstract\b"),
    ("references", r"^(?:references?|bibliography|literature cited|works cited)\b"),
    ("acknowledgments", r"^acknowledge?ments?\b"),
    ("appendix", r"^(?:appendix|appendices|supplementary|supplemental)\b"),
    ("introduction", r"^(?:introduction|motivation)\b"),
    ("conclusion", r"conclu|concluding|closing remarks|future work|summary and outlook"),
    (
        "related_work",
        r"related (?:work|research|literature)|prior (?:work|art)|previous work"
        r"|literature (?:review|survey)|state of the art",
    ),
    (
        "experiments",
        r"experiment|evaluation|\bresults?\b|empirical|benchmark|ablation"
        r"|case stud",
    ),
    ("discussion", r"^discussion|limitations?\b|broader impact"),
    (
        "method",
        r"method|approach|proposed|framework|architecture|algorithm|our model"
        r"|model design|system design|system overview|technical details",
    ),
    (
        "background",
        r"background|preliminar|problem (?:formulation|setup|statement|definition)"
        r"|notation|theoretical framework",
    ),
)
_KIND_PATTERNS = tuple((kind, re.compile(pattern)) for kind, pattern in _KIND_RULES)


class Section(Frozen):
    """One section of the paper body: its kind, its heading as printed, its plain text."""

    kind: SectionKind
    heading: str
    text: str


def strip_numbering(heading: str) -> str:
    """`"2.1 Proposed Method"` -> `"Proposed Method"`; `"I. INTRODUCTION"` -> `"INTRODUCTION"`."""
    flat = " ".join(heading.split())
    stripped = _NUMBERING.sub("", flat, count=1)
    return stripped.strip(" .:") or flat


def classify_heading(heading: str) -> SectionKind:
    """The kind of a section from its heading, robust to numbering, case and naming variants."""
    name = strip_numbering(heading).lower()
    name = re.sub(r"[^a-z ]+", " ", name)
    name = " ".join(name.split())
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(name):
            return kind
    return "other"


def clip(text: str, budget: int) -> str:
    """At most `budget` characters, cut after a sentence end when one is near the limit."""
    text = text.strip()
    if len(text) <= budget:
        return text
    if budget <= 0:
        return ""
    cut = text[:budget]
    end = max(cut.rfind(". "), cut.rfind("。"), cut.rfind("\n"))
    if end >= budget * 0.6:
        return cut[: end + 1].rstrip()
    return cut.rstrip() + "…"


class FullText(Frozen):
    """What the paper itself says: ordered sections, first-page affiliations, code links."""

    arxiv_id: str
    version: int | None = None
    source: TextSource
    sections: tuple[Section, ...]
    affiliations: tuple[str, ...] = ()
    code_urls: tuple[str, ...] = ()

    @property
    def chars(self) -> int:
        return sum(len(s.text) for s in self.sections)

    def of_kind(self, *kinds: SectionKind) -> list[Section]:
        return [s for s in self.sections if s.kind in kinds]

    def body_text(self) -> str:
        """Every section but back matter (references, acknowledgments, appendices)."""
        return "\n\n".join(s.text for s in self.sections if s.kind not in BACK_MATTER)

    def _parts(self) -> list[tuple[list[Section], float]]:
        intro = self.of_kind("introduction")
        method = self.of_kind("method")
        if not method:
            # Physics and math papers name sections after their content ("III. CRITICAL
            # POINT"): the body between the introduction and the conclusion is the method.
            method = self.of_kind("other", "background")
        ending = self.of_kind("conclusion") or self.of_kind("discussion")
        if not ending:
            ending = self.of_kind("experiments")
        return [(intro, 0.35), (method, 0.40), (ending, 0.25)]

    def excerpt(self, budget_chars: int) -> str:
        """Introduction + method + conclusion within `budget_chars` (ChatPaper's reading);
        budget a part does not use goes to the parts after it."""
        parts = [(sections, share) for sections, share in self._parts() if sections]
        if not parts:
            return clip(self.body_text(), budget_chars)
        blocks: list[str] = []
        remaining = budget_chars
        for index, (sections, share) in enumerate(parts):
            rest_share = sum(s for _, s in parts[index:])
            allowance = int(remaining * share / rest_share) if rest_share else remaining
            text = _join(sections, allowance)
            blocks.append(text)
            remaining -= len(text) + 2
        return "\n\n".join(b for b in blocks if b)[:budget_chars]


def _join(sections: list[Section], budget: int) -> str:
    """Sections as `## Heading` + text, the budget spread evenly over them in order (what one
    leaves unused goes to the next)."""
    out: list[str] = []
    remaining = budget
    for index, section in enumerate(sections):
        header = f"## {section.heading}\n"
        room = remaining // (len(sections) - index) - len(header)
        if room < 80:
            continue
        body = clip(section.text, room)
        out.append(header + body)
        remaining -= len(out[-1]) + 2
    return "\n\n".join(out)
