"""Checks on a model's answer: schema, real citations, numbers found in the paper, no links."""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from pydantic import ValidationError

# The summary checks' own number, link and mention rules, shared.
from summarizer.checks import (
    LINK_PATTERN,
    MENTION_PATTERN,
    chinese_ratio,
    extract_json,
    unsupported_numbers,
    zi_count,
)
from summarizer.qa.prompt import ANSWER_MAX_ZI, NOT_FOUND_EN, NOT_FOUND_ZH, PaperAnswer

EN_MAX_WORDS = 160
_SPACE = re.compile(r"\s+")
_LABEL_SPACE = re.compile(r"^(图|表)\s*")


@dataclass(frozen=True)
class AnswerOutcome:
    answer: PaperAnswer | None
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.answer is not None and not self.failures


def normalize_citation(label: str) -> str:
    """`§ 3.2` -> `§3.2`, `表2` -> `表 2`, `Section 3.2` -> `§3.2`, `Table 2` -> `表 2`."""
    text = _SPACE.sub(" ", label.strip().strip("[]【】（）()"))
    text = re.sub(r"^(?:section|sec\.?)\s*", "§", text, flags=re.IGNORECASE)
    text = re.sub(r"^(?:table|tab\.?)\s*", "表 ", text, flags=re.IGNORECASE)
    text = re.sub(r"^(?:figure|fig\.?)\s*", "图 ", text, flags=re.IGNORECASE)
    text = re.sub(r"^§\s+", "§", text)
    return _LABEL_SPACE.sub(lambda m: f"{m.group(1)} ", text)


def parse_answer(raw: str) -> tuple[PaperAnswer | None, str | None]:
    try:
        data = extract_json(raw)
    except (json.JSONDecodeError, ValueError) as exc:
        return None, f"schema: invalid JSON ({exc})"
    if not isinstance(data, dict):
        return None, f"schema: expected a JSON object, got {type(data).__name__}"
    try:
        return PaperAnswer.model_validate(data), None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))} {e['msg']}" for e in exc.errors())
        return None, f"schema: {problems}"


def check_answer(
    raw: str, *, paper_text: str, allowed_citations: Collection[str], language: str = "zh-CN"
) -> AnswerOutcome:
    """Parse and check one answer. Citations not in `allowed_citations` are a failure (the
    model must cite what it was shown); numbers must appear in `paper_text`."""
    answer, problem = parse_answer(raw)
    if answer is None:
        return AnswerOutcome(None, [problem or "schema: unusable output"])
    text = answer.answer.strip()
    citations = list(dict.fromkeys(normalize_citation(c) for c in answer.citations if c.strip()))
    if not answer.found:
        not_found = NOT_FOUND_EN if language == "en" else NOT_FOUND_ZH
        return AnswerOutcome(PaperAnswer(found=False, answer=not_found, citations=[]))
    answer = PaperAnswer(found=True, answer=text, citations=citations)
    failures: list[str] = []
    if not text:
        failures.append("empty: answer")
    failures += [f"link: {m.group()} (answer)" for m in LINK_PATTERN.finditer(text)]
    failures += [f"mention: {m.group()} (answer)" for m in MENTION_PATTERN.finditer(text)]
    if language == "en":
        if len(text.split()) > EN_MAX_WORDS:
            failures.append(f"too_long: answer ({len(text.split())} words, limit {EN_MAX_WORDS})")
    else:
        if text and chinese_ratio(text) < 0.5:
            failures.append("not_chinese: answer")
        if zi_count(text) > ANSWER_MAX_ZI:
            failures.append(f"too_long: answer（{zi_count(text)} 字，上限 {ANSWER_MAX_ZI}）")
    failures += [f"invented_number: {n} (answer)" for n in unsupported_numbers(text, paper_text)]
    allowed = set(allowed_citations)
    failures += [f"citation: {c}" for c in citations if c not in allowed]
    if not citations:
        failures.append("no_citation: answer")
    return AnswerOutcome(answer, failures)


def scrub(text: str) -> str:
    """Paper text shown as a fallback: links and @-mentions removed (never clickable noise)."""
    return MENTION_PATTERN.sub("", LINK_PATTERN.sub("", text))
