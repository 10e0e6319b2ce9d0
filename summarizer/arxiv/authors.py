"""arXiv author lines: `A (Aff1, Aff2), B and C` -> names, with each name's affiliations apart.

The RSS feed's `dc:creator` and the listing page's author line both write affiliations in
parentheses after a name; a comma or `and` inside parentheses never separates authors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME_SUFFIX = re.compile(r"^(?:Jr\.?|Sr\.?|II|III|IV)$")
_AND = re.compile(r"\s+and\s+|^and\s+", re.IGNORECASE)


@dataclass(frozen=True)
class AuthorLine:
    """Names in order, and for each the affiliations written after it (maybe none)."""

    names: tuple[str, ...]
    affiliations: tuple[tuple[str, ...], ...]


def _split_top(text: str, *, on_and: bool) -> list[str]:
    """Split on commas (and on ` and `) that are outside parentheses."""
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and ch == ",":
            parts.append(text[start:i])
            start = i + 1
        elif depth == 0 and on_and and ch == " ":
            match = _AND.match(text, i)
            if match is not None:
                parts.append(text[start:i])
                start = i = match.end()
                continue
        i += 1
    parts.append(text[start:])
    cleaned = []
    for part in parts:
        part = part.strip()
        if on_and and part.lower().startswith("and "):
            part = part[4:].strip()
        if part:
            cleaned.append(part)
    return cleaned


def _name_and_affiliations(part: str) -> tuple[str, tuple[str, ...]]:
    """`Jane Doe (MIT, Stanford)` -> ("Jane Doe", ("MIT", "Stanford"))."""
    open_at = part.find("(")
    if open_at <= 0:
        return part, ()
    name = part[:open_at].strip()
    inner = part[open_at + 1 :]
    depth = 1
    groups: list[str] = []
    current: list[str] = []
    for ch in inner:
        if ch == "(":
            if depth == 0:
                current = []
                depth = 1
                continue
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                groups.append("".join(current))
                current = []
                continue
        if depth > 0:
            current.append(ch)
    if depth > 0 and current:  # unbalanced: keep what was written
        groups.append("".join(current))
    affiliations = tuple(a for g in groups for a in _split_top(g, on_and=False))
    return name, affiliations


def parse_author_line(line: str) -> AuthorLine:
    """`A (Aff1, Aff2), B, C and D` / `Smith, Jr.` stays one name."""
    text = " ".join(line.split())
    names: list[str] = []
    affiliations: list[tuple[str, ...]] = []
    for part in _split_top(text, on_and=True):
        name, affs = _name_and_affiliations(part)
        if names and _NAME_SUFFIX.match(name) and not affs:
            names[-1] = f"{names[-1]}, {name}"
            continue
        if not name:
            if names and affs:  # `A, (Aff)`: the affiliation belongs to the name before
                affiliations[-1] = affiliations[-1] + affs
            continue
        names.append(name)
        affiliations.append(affs)
    return AuthorLine(names=tuple(names), affiliations=tuple(affiliations))


def split_authors(line: str) -> tuple[str, ...]:
    """The names of an author line (affiliations dropped)."""
    return parse_author_line(line).names
