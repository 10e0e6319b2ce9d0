"""Faithfulness checks on model output: parse, validate, light repairs, and rule checks."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from summarizer.check_names import source_forms, unsupported_names
from summarizer.check_numbers import source_numbers, strip_markup, unsupported_numbers

__all__ = [
    "CheckOutcome", "check_output", "chinese_ratio", "extract_json", "source_forms",
    "source_numbers", "unsupported_names", "unsupported_numbers", "zi_count",
]  # fmt: skip
from summarizer.models import CondensedSummary, FullSummary, Mode
from summarizer.prompt import CONDENSED_FIELDS, FULL_FIELDS, output_schema

TLDR_MAX = 100
HIGHLIGHT_MAX = 80
HIGHLIGHTS_RANGE = (3, 5)
TITLE_MAX = 80
PARAGRAPH_MAX = 400
METHOD_MAX = 150
KEYWORD_MAX_CHARS = 40
KEYWORDS_RANGE = (2, 8)
METHODS_RANGE = (1, 8)
CHINESE_MIN_RATIO = 0.5
LATIN_WORD_WEIGHT = 2  # one English word reads like ~2 汉字 of a Chinese sentence


@dataclass(frozen=True)
class CheckOutcome:
    summary: CondensedSummary | FullSummary | None
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.summary is not None and not self.failures


# --- parsing --------------------------------------------------------------------------------

_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.DOTALL)


def extract_json(raw: str) -> Any:
    """The one JSON object in `raw`, tolerating ``` fences and prose around it."""
    text = raw.strip()
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1).strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        start = text.find("{")
        if start < 0:
            raise
        obj, _ = json.JSONDecoder().raw_decode(text[start:])
        return obj


def _repair(data: dict[str, Any], mode: Mode) -> dict[str, Any]:
    """Strip whitespace, drop empty list items and duplicates, drop fields we never render."""
    allowed = set(output_schema(mode).model_fields)
    fixed: dict[str, Any] = {}
    for key, value in data.items():
        if key not in allowed:
            continue  # e.g. invented "authors"/"links": never shown, so never kept
        if isinstance(value, str):
            value = value.strip()
        elif isinstance(value, list):
            items: list[Any] = []
            for item in value:
                item = item.strip() if isinstance(item, str) else item
                if item in ("", None) or item in items:
                    continue
                items.append(item)
            value = items
        fixed[key] = value
    return fixed


def _parse(raw: str, mode: Mode) -> tuple[CondensedSummary | FullSummary | None, str | None]:
    try:
        data = extract_json(raw)
    except (json.JSONDecodeError, ValueError) as exc:
        return (
            None,
            f"schema: invalid JSON ({exc.msg if isinstance(exc, json.JSONDecodeError) else exc})",
        )
    if not isinstance(data, dict):
        return None, f"schema: expected a JSON object, got {type(data).__name__}"
    try:
        return output_schema(mode).model_validate(_repair(data, mode)), None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '?'} {err['msg']}" for err in exc.errors()
        )
        return None, f"schema: {problems}"


# --- text measures --------------------------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.%/,'-][A-Za-z0-9]+)*%?")
_PARENS = re.compile(r"\([^()]*\)|（[^（）]*）")


def zi_count(text: str) -> int:
    """Length in 字: each 汉字 counts one, each English word or number counts one."""
    return len(_CJK.findall(text)) + len(_TOKEN.findall(_CJK.sub(" ", text)))


def chinese_ratio(text: str, source_words: frozenset[str] | set[str] = frozenset()) -> float:
    """汉字 share of the prose, ignoring parenthesized terms and numbers; 1.0 when no letters.
    In a sentence that has 汉字, an English word the source also uses (a term, a name) weighs
    like Chinese: "在 Bernoulli diffusion 上细化" is a Chinese sentence about the paper."""
    prose = _PARENS.sub(" ", text)
    cjk = len(_CJK.findall(prose))
    words = _LATIN_WORD.findall(prose)
    borrowed = sum(w.lower() in source_words for w in words) if cjk else 0
    latin = (len(words) - borrowed) * LATIN_WORD_WEIGHT
    cjk += borrowed * LATIN_WORD_WEIGHT
    return 1.0 if cjk + latin == 0 else cjk / (cjk + latin)


# --- rule checks ----------------------------------------------------------------------------

_PLACEHOLDERS = [
    re.compile(r"(?<![A-Za-z])[xX]{3,}(?![A-Za-z])"),
    re.compile(r"some\s+error", re.IGNORECASE),
    re.compile(r"(?<![A-Za-z])(?:TODO|TBD|FIXME)(?![A-Za-z])"),  # capitals: "ToDo" is a name
    re.compile(r"(?<![A-Za-z])(?:N/A|lorem ipsum)(?![A-Za-z])", re.IGNORECASE),
    re.compile(r"待补充|待填写|此处填写|请在此|在此填写|暂未填写"),
    re.compile(
        r"[\[【]\s*[^\]】]{0,20}(?:标题|摘要|要点|字段|背景|方法|结论|内容|填写)[^\]】]{0,10}\s*[\]】]"
    ),
]
# A whole field that only says the abstract does not tell (摘要中未提及。) or "none" (无).
_NON_ANSWER = re.compile(
    r"^(?:(?:该|本)?(?:摘要|原文|文中|论文|文章)(?:中)?)?(?:并)?(?:未|没有|无)"
    r"(?:提及|提到|说明|给出|提供|涉及|报告|描述)\S{0,10}$"
    r"|^(?:无|暂无|不适用|未知|不详|无相关(?:信息|内容|数据))$"
)
_ONLY_PUNCT = re.compile(r"^[\s.。…·,，;；:：!！?？\-—_*~、]*$")
_TEMPLATE_NUMBERING = re.compile(r"[(（]\s*\d+\s*[)）]\s*[:：]?|^\s*\d+\s*[.、:：]")
LINK_PATTERN = re.compile(
    r"(?i:https?|ftp)://[^\s，。；、）)\]】\"'<>]+"
    r"|(?i:www)\.[^\s，。；、）)\]】\"'<>]+"
    r"|(?<![A-Za-z0-9.-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.(?:com|org|net|io|ai|dev|edu|gov|cn|co|me|xyz|example"
    r"|ly|gg|gl|to|link|app|info|biz|ru|tk|site|top)"  # shorteners, invites (bit.ly, discord.gg)
    r"(?:/[^\s，。；、）)\]】\"'<>]*)?(?![A-Za-z0-9])",
)  # scheme and www in any case; a bare domain's TLD in lowercase (Key.Net, DataSeeds.AI: names)
MENTION_PATTERN = re.compile(r"<@[!&]?\d+>|<#\d+>|(?<![A-Za-z0-9_.@])@[A-Za-z0-9_]{2,}")


def _normalize(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", text)).lower()


_PROMPT_ECHOES = {
    _normalize(text) for fields in (CONDENSED_FIELDS, FULL_FIELDS) for text in fields.values()
} | {
    _normalize(str(info.description))
    for schema in (CondensedSummary, FullSummary)
    for info in schema.model_fields.values()
    if info.description
}


def _placeholder(text: str) -> str | None:
    norm = unicodedata.normalize("NFKC", text)
    bare = re.sub(r"[\s.。…,，;；:：!！]+", "", norm)
    if _NON_ANSWER.match(bare):
        return text.strip()[:30]
    for pattern in _PLACEHOLDERS:
        match = pattern.search(norm)
        if match:
            return match.group().strip()
    if _ONLY_PUNCT.match(_TEMPLATE_NUMBERING.sub("", norm)) or _normalize(text) in _PROMPT_ECHOES:
        return text.strip()[:30]
    return None


def _fields(summary: CondensedSummary | FullSummary) -> list[tuple[str, str, bool]]:
    """(name, text, is_prose) for every text the model wrote; keywords need not be Chinese."""
    out: list[tuple[str, str, bool]] = []
    for name, value in summary:
        if isinstance(value, str):
            out.append((name, value, True))
        elif isinstance(value, list):
            out.extend((f"{name}[{i}]", item, name != "keywords") for i, item in enumerate(value))
    return out


# --- the check ------------------------------------------------------------------------------


def _limits(mode: Mode, name: str) -> int:
    base = name.split("[")[0]
    if base == "title_zh":
        return TITLE_MAX
    if mode is Mode.CONDENSED:
        return TLDR_MAX if base == "tldr" else HIGHLIGHT_MAX
    return {"methods": METHOD_MAX, "keywords": KEYWORD_MAX_CHARS}.get(base, PARAGRAPH_MAX)


def _count_failures(summary: CondensedSummary | FullSummary) -> list[str]:
    failures: list[str] = []
    if isinstance(summary, CondensedSummary):
        bounds = {"highlights": (len(summary.highlights), HIGHLIGHTS_RANGE)}
    else:
        bounds = {
            "keywords": (len(summary.keywords), KEYWORDS_RANGE),
            "methods": (len(summary.methods), METHODS_RANGE),
        }
    for name, (count, (low, high)) in bounds.items():
        if count == 0:
            failures.append(f"empty: {name}")
        elif not low <= count <= high:
            failures.append(f"count: {name}={count}")
    for name, value in summary:
        if isinstance(value, str) and not value:
            failures.append(f"empty: {name}")
    return failures


def _field_failures(mode: Mode, name: str, text: str, prose: bool, source_text: str) -> list[str]:
    failures: list[str] = []
    placeholder = _placeholder(text)
    if placeholder is not None:
        failures.append(f"placeholder: {placeholder} ({name})")
    failures += [f"link: {m.group()} ({name})" for m in LINK_PATTERN.finditer(text)]
    failures += [f"mention: {m.group()} ({name})" for m in MENTION_PATTERN.finditer(text)]
    words = source_words(source_text)
    if placeholder is None and prose and chinese_ratio(text, words) < CHINESE_MIN_RATIO:
        failures.append(f"not_chinese: {name}")
    limit = _limits(mode, name)
    size = len(text) if name.startswith("keywords") else zi_count(text)
    if size > limit:
        failures.append(f"too_long: {name}（{size} 字，上限 {limit}）")
    numbers = unsupported_numbers(text, source_text)
    failures += [f"invented_number: {n} ({name})" for n in numbers]
    failures += [
        f"invented_name: {n} ({name})"
        for n in unsupported_names(text, source_text)
        if not any(n in number for number in numbers)  # GPT-5 flagged once
    ]
    return failures


@lru_cache(maxsize=64)
def source_words(source_text: str) -> frozenset[str]:
    """The source's English words, lowercased: borrowed terms in a Chinese sentence."""
    return frozenset(w.lower() for w in _LATIN_WORD.findall(strip_markup(source_text)))


def check_output(raw: str, mode: Mode, source_text: str) -> CheckOutcome:
    """Parse and check one model answer against the paper's source text."""
    summary, schema_failure = _parse(raw, mode)
    if summary is None:
        return CheckOutcome(None, [schema_failure or "schema: unusable output"])
    failures = _count_failures(summary)
    for name, text, prose in _fields(summary):
        if text:
            failures += _field_failures(mode, name, text, prose, source_text)
    return CheckOutcome(summary, failures)


def check_field(mode: Mode, name: str, text: str, source_text: str) -> list[str]:
    """The rule checks of one field (`tldr`, `highlights[2]`...) on its own, for streaming:
    a field is shown early only if it passes; the whole answer is still checked at the end."""
    prose = not name.startswith("keywords")
    return _field_failures(mode, name, text, prose, source_text)
