"""What `/like`, the `相关论文` button and the digest's "why" lines say, in the chat's language
(Simplified is the source, Traditional converted from it by OpenCC, English written here)."""

from __future__ import annotations

import re

from handlers.messages import traditional
from summarizer.language import normalize

MAX_LIKES = 20
_TEXTS: dict[str, tuple[str, str]] = {
    "usage": (
        "用法：/like <arXiv 编号或链接>…（可一次写多篇）\n例：/like 2401.12187 2402.01234\n"
        "记下这个聊天喜欢的论文，之后的每日速递会优先推荐与之相似的论文。",
        "Usage: /like <arXiv ids or links>… (several at once)\nExample: /like 2401.12187 "
        "2402.01234\nRemembers papers this chat likes; later digests rank similar papers first.",
    ),
    "count": ("这个聊天目前记有 {count} 篇喜欢的论文。", "This chat has {count} liked papers."),
    "no_ids": ("没有找到 arXiv 编号或链接。", "No arXiv id or link found."),
    "reading": ("⏳ 正在读取论文信息…", "⏳ Reading the papers' details…"),
    "saved": (
        "✅ 已记下 {count} 篇喜欢的论文，之后的速递会优先推荐相似的论文：",
        "✅ Noted {count} liked papers; later digests will rank similar papers first:",
    ),
    "missing": (
        "⚠️ arXiv 上找不到：{ids}，请检查编号。",
        "⚠️ Not found on arXiv: {ids}. Please check the ids.",
    ),
    "too_many": (
        f"一次最多记录 {MAX_LIKES} 篇，其余的请再发一次。",
        f"At most {MAX_LIKES} papers at a time: please send the rest again.",
    ),
    "not_wired": (
        "相关性排序尚未启用（机器人未配置向量存储）。",
        "Relevance ranking is not enabled (the bot has no vector store configured).",
    ),
    "related_none": (
        "最近两周的公告中还没有找到与这篇相似的论文。",
        "No similar paper in the last two weeks of announcements yet.",
    ),
    "related_head": (
        "🔎 与 {arxiv_id} 相似的近期论文：",
        "🔎 Recent papers similar to {arxiv_id}:",
    ),
    "related_hint": (
        "觉得有用？发送 /like <编号> 让之后的速递多推荐这类论文。",
        "Useful? Send /like <id> and later digests will favour papers like these.",
    ),
}
SEPARATOR = {"zh": "、", "zh-TW": "、", "en": ", "}


def say(key: str, language: str | None, **values: object) -> str:
    """Text `key` in the chat's language, placeholders filled in."""
    zh, en = _TEXTS[key]
    lang = normalize(language)
    template = en if lang == "en" else traditional(zh) if lang == "zh-TW" else zh
    return template.format(**values)


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
