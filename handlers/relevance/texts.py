"""The digest's "why" lines in the chat's language (Traditional by OpenCC, English written
here), and the limits of `/like`; its replies live in the catalogue (handlers.messages)."""

from __future__ import annotations

import re

from handlers.messages import traditional
from summarizer.language import normalize

MAX_LIKES = 20
SEPARATOR = {"zh": "、", "zh-TW": "、", "en": ", "}


# The ranking's reason clauses (handlers.relevance.ranking._reason) in English.
_REASONS_EN = (
    (re.compile(r"^匹配\s(.+)$"), lambda m: "matches " + m[1].replace("、", ", ")),
    (re.compile(r"^贴近兴趣「(.+)」$"), lambda m: f"close to your interest “{m[1]}”"),
    (re.compile(r"^与你赞过的\s(\S+)\s相似$"), lambda m: f"like {m[1]}, which you liked"),
    (re.compile(r"^新方向$"), lambda m: "a new direction"),
)


def reason_in(reason: str | None, language: str | None) -> str | None:
    """A digest entry's "why" line (`匹配 cs.CL · 与你赞过的 2401.12187 相似 · 新方向`) in the
    chat's language; a clause with no English form stays as it is."""
    lang = normalize(language)
    if not reason or lang == "zh":
        return reason
    if lang == "zh-TW":
        return traditional(reason)
    clauses = []
    for clause in reason.split(" · "):
        clause = clause.replace("（交叉发布）", " (cross-list)")
        for pattern, english in _REASONS_EN:
            found = pattern.match(clause)
            if found:
                clause = english(found)
                break
        clauses.append(clause)
    return " · ".join(clauses)
