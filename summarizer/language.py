"""Chat languages: Simplified (the product), Traditional (OpenCC from Simplified), English."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from summarizer.models import SummaryKey, SummaryRecord

Language = Literal["zh", "zh-TW", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "zh-TW", "en")
"""Stored codes; "zh" is Simplified Chinese (zh-CN), the code summaries were always keyed by."""
DISPLAY = {"zh": "zh-CN", "zh-TW": "zh-TW", "en": "en"}
NAMES = {"zh": "简体中文", "zh-TW": "繁體中文", "en": "English"}
_ALIASES = {
    "zh": "zh",
    "zh-cn": "zh",
    "zh-hans": "zh",
    "cn": "zh",
    "简体": "zh",
    "简体中文": "zh",
    "zh-tw": "zh-TW",
    "zh-hk": "zh-TW",
    "zh-hant": "zh-TW",
    "tw": "zh-TW",
    "繁体": "zh-TW",
    "繁體": "zh-TW",
    "繁體中文": "zh-TW",
    "繁体中文": "zh-TW",
    "en": "en",
    "en-us": "en",
    "english": "en",
    "英文": "en",
    "英语": "en",
}
# OpenCC "s2tw": characters and Taiwan variants, without phrase swaps: "s2twp" turns 参数
# (parameter) into 引數 (a function argument), wrong for papers. (opencc 1.4.2, 2026-12-01,
# configs listed in OpenCC's README.)
OPENCC_CONFIG = "s2tw"
_PARENS = re.compile(r"(（[^（）]*）|\([^()]*\))")
_LATIN = re.compile(r"[A-Za-z]")


def parse_language(text: str) -> Language:
    """A user's spelling of a language -> its stored code; ValueError names the choices."""
    code = _ALIASES.get(text.strip().lower().replace("_", "-"))
    if code is None:
        raise ValueError("请填写 zh-CN（简体）、zh-TW（繁體）或 en（English）")
    return code  # type: ignore[return-value]


def normalize(code: str | None) -> Language:
    """A stored code (possibly old or odd) -> one of LANGUAGES, Simplified when unknown."""
    try:
        return parse_language(code or "zh")
    except ValueError:
        return "zh"


@lru_cache(maxsize=1)
def _converter() -> object:
    import opencc  # dictionaries ship inside the wheel: nothing is downloaded

    return opencc.OpenCC(OPENCC_CONFIG)


def to_traditional(text: str) -> str:
    """Simplified -> Traditional, leaving parenthesized terms untouched: in 低秩适配（LoRA 的变体）
    the parentheses stay exactly as the model wrote them; parentheses holding only Chinese
    (（即微调）) are ordinary prose and are converted."""
    if not text:
        return text
    converter = _converter()
    parts = _PARENS.split(text)
    return "".join(
        part if i % 2 and _LATIN.search(part) else converter.convert(part)  # type: ignore[attr-defined]
        for i, part in enumerate(parts)
    )


def traditional_record(record: SummaryRecord, key: SummaryKey) -> SummaryRecord:
    """A Simplified summary converted to Traditional, stored under the zh-TW key: the model is
    asked once per paper, whatever mix of languages the chats want."""

    def convert(value: object) -> object:
        if isinstance(value, str):
            return to_traditional(value)
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    changes: dict[str, object] = {"key": key}
    for name in ("condensed", "full"):
        summary = getattr(record, name)
        if summary is not None:
            changes[name] = summary.model_copy(
                update={field: convert(value) for field, value in summary}
            )
    if record.degraded_reason:
        changes["degraded_reason"] = to_traditional(record.degraded_reason)
    return record.model_copy(update=changes)
