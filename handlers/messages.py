"""The message catalogue: common replies in Simplified, Traditional (via OpenCC) and English."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from summarizer.errors import (
    ArxivUnavailable,
    MalformedArxivId,
    MalformedArxivLink,
    NoArxivReference,
    NotArxivLink,
    PaperbotError,
    PaperNotFound,
)
from summarizer.language import Language, normalize, to_traditional

if TYPE_CHECKING:
    from handlers.services import Services
    from handlers.types import Request

# Simplified Chinese is the source; Traditional is converted from it, English is written here.
MESSAGES: dict[str, tuple[str, str]] = {
    "rate_limited": (
        "请求太频繁了，请 {seconds} 秒后再试。",
        "Too many requests: please try again in {seconds} s.",
    ),
    "paper_not_found": (
        "找不到论文 arXiv:{arxiv_id}，请检查编号是否正确。",
        "Cannot find arXiv:{arxiv_id}; please check the id.",
    ),
    "no_reference": (
        "没有在消息中找到 arXiv 链接或编号。直接发送链接或编号即可，例如 2401.12215；"
        "发送 /help 查看全部命令。",
        "No arXiv link or id found in your message. Send one, e.g. 2401.12215, or /help for all "
        "commands.",
    ),
    "too_many_links": (
        "一条消息最多处理 {count} 篇论文，其余的请分开发送。",
        "At most {count} papers per message; please send the rest separately.",
    ),
    "rate_limited_some": (
        "请求太频繁了，请 {seconds} 秒后再试。（未处理：{links}）",
        "Too many requests: please try again in {seconds} s (not handled: {links}).",
    ),
    "links_dropped": (
        "一条消息最多处理 {count} 篇论文，这些没有处理：{links}。请另发一条消息。",
        "At most {count} papers per message; not handled: {links}. Please send them again.",
    ),
    "ask_usage": (
        "用法：/ask <arXiv 编号> <问题>，例如：/ask 2401.12215 用了哪些数据集？\n"
        "也可以直接回复我发的论文摘要来提问。",
        "Usage: /ask <arXiv id> <question>, e.g. /ask 2401.12215 Which datasets are used?\n"
        "Or reply to one of my paper summaries with your question.",
    ),
    "ask_no_question": (
        "请在论文编号后写出你的问题，例如：/ask {arxiv_id} 主要结论是什么？",
        "Please write your question after the id, e.g. /ask {arxiv_id} What is the main result?",
    ),
    "ask_empty": (
        "问题是空的：请回复论文摘要并写出你的问题，例如“用了哪些数据集？”。",
        "Your question is empty: reply to a paper summary with a question, e.g. “Which datasets?”.",
    ),
    "ask_too_long": (
        "问题太长了（{length} 字），请精简到 {limit} 字以内再发。",
        "Your question is too long ({length} characters); please keep it under {limit}.",
    ),
    "ask_which_paper": (
        "这条消息里有多篇论文，请回复其中一篇的卡片提问，或使用 /ask <编号> <问题>。",
        "That message lists several papers: reply to one paper's card, or use /ask <id> "
        "<question>.",
    ),
    "ask_disabled": (
        "这个机器人没有开启论文问答。",
        "Questions about papers are not enabled on this bot.",
    ),
    "ask_progress": ("⏳ 正在阅读论文并查找答案…", "⏳ Reading the paper…"),
    "ask_sources": ("📍 出处：{citations}", "📍 Source: {citations}"),
    "ask_abstract_only": (
        "ℹ️ 未能获取论文全文，以下仅根据摘要回答：",
        "ℹ️ The paper's full text could not be fetched; this answer is from the abstract only:",
    ),
    "ask_degraded": (
        "⚠️ 回答生成失败（{reason}），以下为论文中最相关的原文段落（{label}）：",
        "⚠️ Could not generate an answer ({reason}); the most relevant passage of the paper "
        "({label}):",
    ),
    "ask_degraded_empty": (
        "⚠️ 回答生成失败（{reason}），请稍后再试。",
        "⚠️ Could not generate an answer ({reason}); please try again later.",
    ),
    "ask_extractive": (
        "ℹ️ 未配置大模型，以下为论文中与问题最相关的原文段落（{label}，未经机器回答）：",
        "ℹ️ No language model is configured; the passage most relevant to your question "
        "({label}), verbatim:",
    ),
    "ask_follow_up_button": ("继续追问", "Ask more"),
    "ask_follow_up_toast": (
        "直接回复这条回答即可继续追问。",
        "Reply to this answer to ask a follow-up.",
    ),
    "button_abs": ("原文", "arXiv"),
    "settings_lang_done": (
        "✅ 这个聊天的语言已设为 {name}。",
        "✅ This chat's language is now {name}.",
    ),
    "settings_lang_choose": (
        "请选择这个聊天的语言（摘要、卡片与常用提示都会跟随）：",
        "Choose this chat's language (summaries, cards and common messages follow it):",
    ),
    "digest_header": (
        "🗞 arXiv 每日速递",
        "🗞 arXiv daily digest · {day}\n"
        "{total} matching papers today, {shown} shown, most relevant first.",
    ),
    "digest_footer": ("{footer}", "{footer}"),
    "digest_more": ("还有 {count} 篇：", "{count} more:"),
    "reason_unavailable": ("模型暂不可用", "model unavailable"),
    "reason_checks": ("回答未通过校验", "the answer failed the checks"),
    # /like and the 相关论文 button (handlers.relevance.commands)
    "like_usage": (
        "用法：/like <arXiv 编号或链接>…（可一次写多篇）\n例：/like 2401.12187 2402.01234\n"
        "记下这个聊天喜欢的论文，之后的每日速递会优先推荐与之相似的论文。",
        "Usage: /like <arXiv ids or links>… (several at once)\nExample: /like 2401.12187 "
        "2402.01234\nRemembers papers this chat likes; later digests rank similar papers first.",
    ),
    "like_count": (
        "这个聊天目前记有 {count} 篇喜欢的论文。",
        "This chat has {count} liked papers.",
    ),
    "like_no_ids": ("没有找到 arXiv 编号或链接。", "No arXiv id or link found."),
    "like_reading": ("⏳ 正在读取论文信息…", "⏳ Reading the papers' details…"),
    "like_saved": (
        "✅ 已记下 {count} 篇喜欢的论文，之后的速递会优先推荐相似的论文：",
        "✅ Noted {count} liked papers; later digests will rank similar papers first:",
    ),
    "like_missing": (
        "⚠️ arXiv 上找不到：{ids}，请检查编号。",
        "⚠️ Not found on arXiv: {ids}. Please check the ids.",
    ),
    "like_too_many": (
        "一次最多记录 {limit} 篇，其余的请再发一次。",
        "At most {limit} papers at a time: please send the rest again.",
    ),
    "relevance_not_wired": (
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
REASONS = {"模型暂不可用": "reason_unavailable", "回答未通过校验": "reason_checks"}


@lru_cache(maxsize=512)
def _traditional(text: str) -> str:
    return to_traditional(text)


def traditional(text: str) -> str:
    """Simplified -> Traditional (OpenCC), memoised: fixed texts are converted once."""
    return _traditional(text)


def text_for(key: str, language: str | None = "zh", **values: object) -> str:
    """The message `key` in `language`, with `{placeholders}` filled in."""
    zh, en = MESSAGES[key]
    lang = normalize(language)
    template = en if lang == "en" else _traditional(zh) if lang == "zh-TW" else zh
    return template.format(**values)


def reason_text(reason: str | None, language: Language) -> str:
    """A degraded reason (written in Simplified by the core) in the chat's language."""
    key = REASONS.get(reason or "模型暂不可用")
    if key is not None:
        return text_for(key, language)
    return _traditional(reason or "") if language == "zh-TW" else reason or ""


async def chat_language(request: Request, services: Services) -> Language:
    """The language the chat chose with /settings lang (Simplified until it chooses)."""
    info = await services.chats.get_chat(request.chat)
    return normalize(info.settings.language if info is not None else None)


# Card labels (bot/render) and button labels, keyed by their Simplified text.
CARD_EN: dict[str, str] = {
    "一句话": "TL;DR",
    "要点": "Highlights",
    "题目": "Title",
    "作者": "Authors",
    "单位": "Affiliations",
    "关键词": "Keywords",
    "链接": "Links",
    "代码": "Code",
    "摘要": "Summary",
    "方法": "Method",
    "结论": "Conclusion",
    "(1) 研究背景：": "(1) Background: ",
    "(2) 过去的方法及问题：": "(2) Earlier methods and their problems: ",
    "(3) 研究方法：": "(3) Method: ",
    "(4) 任务与性能：": "(4) Tasks and performance: ",
    "创新点：": "Novelty: ",
    "性能：": "Performance: ",
    "工作量：": "Workload: ",
    "展开完整总结": "Full summary",
    "收起": "Collapse",
    "原文": "arXiv",
    "等 {n} 人": "et al. ({n} authors)",
    "⚠️ 摘要生成失败（{reason}），以下为原文摘要：": (
        "⚠️ Summary failed ({reason}); the original abstract:"
    ),
    "ℹ️ 未配置大模型，以下为摘要原文要点（未经机器总结）": (
        "ℹ️ No language model configured: key sentences of the abstract (not machine-summarized)"
    ),
    "ℹ️ 未能取得论文全文，本总结仅依据 arXiv 摘要写成。": (
        "ℹ️ The paper's full text was not available: this summary is based on the arXiv abstract "
        "only."
    ),
    "模型暂不可用": "model unavailable",
    "相关论文": "Related papers",
}


def card_label(zh: str, language: str | None) -> str:
    """A card or button label in the chat's language (the Simplified text is the key)."""
    lang = normalize(language)
    if lang == "en":
        return CARD_EN.get(zh, zh)
    if lang == "zh-TW":
        return _traditional(zh)
    return zh


def error_text(exc: PaperbotError, language: str | None) -> str:
    """An expected failure's user message in the chat's language."""
    lang = normalize(language)
    if lang == "zh":
        return exc.user_message
    if lang == "zh-TW":
        return _traditional(exc.user_message)
    if isinstance(exc, PaperNotFound):
        return text_for("paper_not_found", "en", arxiv_id=exc.arxiv_id)
    if isinstance(exc, NotArxivLink):
        return f"“{exc.raw[:60]}” is not an arXiv link. Send an arXiv link or id, e.g. 2401.12215."
    if isinstance(exc, MalformedArxivLink):
        return (
            f"The arXiv id in “{exc.raw[:60]}” is not valid. "
            "arXiv ids look like 2401.12215 or hep-th/9901001."
        )
    if isinstance(exc, MalformedArxivId):
        return f"“{exc.raw[:40]}” is not a valid arXiv id. Examples: 2401.12215, hep-th/9901001"
    if isinstance(exc, NoArxivReference):
        return "No arXiv link or id found. Example: /paper 2401.12215"
    if isinstance(exc, ArxivUnavailable):
        return "⚠️ arXiv cannot be reached right now; please try again later."
    return "Something went wrong; please try again later."


def localize(zh_text: str, key: str, language: str | None, **values: object) -> str:
    """A message whose Simplified wording lives in its own module (`zh_text`, already filled
    in): Traditional is converted from it, English comes from the catalogue's `key`."""
    lang = normalize(language)
    if lang == "zh":
        return zh_text
    if lang == "zh-TW":
        return _traditional(zh_text)
    return MESSAGES[key][1].format(**values)
