"""Parsing and display of `/settings rank learned|keyword`."""

from __future__ import annotations

RANK_WORDS = {
    "learned": "learned",
    "learn": "learned",
    "学习": "learned",
    "个性化": "learned",
    "keyword": "keyword",
    "keywords": "keyword",
    "关键词": "keyword",
}


def parse_rank(text: str) -> str:
    value = RANK_WORDS.get(text.strip().lower())
    if value is None:
        raise ValueError("请填写 learned（按你的 👍/👎 学习）或 keyword（按关键词）")
    return value


def show_rank(value: object) -> str:
    return "learned（按 👍/👎 学习）" if value == "learned" else "keyword（按关键词）"
