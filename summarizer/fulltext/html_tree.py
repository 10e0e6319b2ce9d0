"""A small element tree over the standard library's HTMLParser, with LaTeXML-aware plain text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_SKIP = frozenset({"script", "style", "noscript", "template", "button", "svg"})
_BLOCK = frozenset(
    {
        "p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
        "table", "tr", "figure", "figcaption", "blockquote", "pre", "br", "dd", "dt", "header",
    }
)  # fmt: skip


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def has_class(self, name: str) -> bool:
        return name in self.classes

    def iter(self) -> Iterator[Element]:
        """This element and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, class_name: str) -> list[Element]:
        return [e for e in self.iter() if class_name in e.classes]

    def find(self, class_name: str) -> Element | None:
        return next((e for e in self.iter() if class_name in e.classes), None)

    def child_elements(self) -> list[Element]:
        return [c for c in self.children if isinstance(c, Element)]

    def text(self, *, skip: frozenset[str] = frozenset()) -> str:
        """Plain text: math as its LaTeX alt text, blocks on their own lines, spaces collapsed."""
        parts: list[str] = []
        _collect(self, parts, skip)
        lines = (_tidy(" ".join(line.split())) for line in "".join(parts).split("\n"))
        return "\n".join(line for line in lines if line)

    def hrefs(self) -> list[str]:
        return [e.attrs["href"] for e in self.iter() if e.tag == "a" and e.attrs.get("href")]


def _collect(node: Element, parts: list[str], skip: frozenset[str]) -> None:
    if node.tag == "math":
        alt = node.attrs.get("alttext", "")
        parts.append(f" {alt} " if alt else "")
        return
    if node.tag in _SKIP or (skip and node.classes & skip):
        return
    block = node.tag in _BLOCK
    # A footnote's text sits inline in LaTeXML output (CSS hides it): read it in parentheses.
    note = "ltx_note_outer" in node.classes
    parts.append("\n" if block else " (" if note else "")
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        else:
            _collect(child, parts, skip)
    parts.append("\n" if block else ") " if note else "")


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self._stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self._stack[-1].children.append(element)
        if tag not in _VOID:
            self._stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        # Tolerate stray or unclosed tags: close up to the nearest open element of that name.
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)


def parse_html(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _tidy(line: str) -> str:
    """No space before closing punctuation or after an opening bracket (`r=8 .`, `( x`)."""
    return re.sub(r"([(\[]) ", r"\1", re.sub(r" ([.,;:!?)\]])", r"\1", line))
