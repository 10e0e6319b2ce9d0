"""Summoned anywhere: inline mode (`@bot 2401.12215` in any chat) and Bot API 10.0 guest mode
(the bot mentioned in a chat it is not a member of). A cached summary is answered at once; an
uncached one first as a short "summarizing…" message that is edited into the summary.

Facts (checked 2026-12-01): guest mode is Bot API 10.0 (`Update.guest_message`,
`Message.guest_query_id`, `answerGuestQuery` -> SentGuestMessage.inline_message_id), supported by
python-telegram-bot 22.8 (installed; docstrings `versionadded:: 22.8`) and described at
core.telegram.org/api/bots/guest-mode. `chosen_inline_result` carries `inline_message_id` only
when the result has an inline keyboard, and is sent only with inline feedback turned on in
@BotFather (/setinlinefeedback); inline messages accept URL buttons here (no callbacks: a press
would carry no chat to answer in).
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.render.preview import preview_html
from bot.render.telegram_html import render_telegram
from handlers.ondemand.paper import summary_reply
from handlers.services import Services
from summarizer.arxiv.ids import find_arxiv_refs, parse_arxiv_ref
from summarizer.errors import PaperbotError
from summarizer.models import ArxivRef, Mode, SummaryResult
from summarizer.streaming import Preview

log = logging.getLogger(__name__)

SUMMARIZE = "s:"  # result id prefix: summarize this ref when chosen
WORKING = "⏳ 正在生成 arXiv:{ref} 的中文摘要，完成后这条消息会自动更新…"
HINT_TITLE = "发送 arXiv 链接或编号"
HINT = "例如：@{bot} 2401.12215（在任何聊天里都能用，无需把我拉进群）"
RATE_LIMITED = "请求太频繁了，请 {seconds} 秒后再试。"
PREVIEW_EVERY = 1.0  # seconds between two edits of a streamed preview (edits are rate limited)


def links_keyboard(ref: ArxivRef) -> InlineKeyboardMarkup:
    abs_url = f"https://arxiv.org/abs/{ref.versioned}"
    pdf_url = f"https://arxiv.org/pdf/{ref.versioned}"
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("原文", url=abs_url), InlineKeyboardButton("PDF", url=pdf_url)]]
    )


def summary_html(result: SummaryResult) -> tuple[str, InlineKeyboardMarkup]:
    reply = summary_reply(result, Mode.CONDENSED)
    first = render_telegram(reply)[0].html  # a condensed summary is one message
    urls = [b for b in reply.buttons if b.url]
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(b.label, url=b.url) for b in urls]])
    return first, keyboard


def summary_article(result: SummaryResult) -> InlineQueryResultArticle:
    html, keyboard = summary_html(result)
    record = result.record
    return InlineQueryResultArticle(
        id=f"c:{result.paper.versioned_id}"[:64],
        title=record.title_zh or result.paper.title,
        description=(record.condensed.tldr if record.condensed else result.paper.title)[:200],
        input_message_content=InputTextMessageContent(html, parse_mode=ParseMode.HTML),
        reply_markup=keyboard,
    )


def working_article(ref: ArxivRef) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id=f"{SUMMARIZE}{ref.versioned}"[:64],
        title=f"总结 arXiv:{ref.versioned}",
        description="选择后先发出占位消息，中文摘要写好后自动替换",
        input_message_content=InputTextMessageContent(WORKING.format(ref=ref.versioned)),
        reply_markup=links_keyboard(ref),  # a keyboard makes Telegram report inline_message_id
    )


def hint_article(bot_username: str) -> InlineQueryResultArticle:
    text = HINT.format(bot=bot_username)
    return InlineQueryResultArticle(
        id="hint", title=HINT_TITLE, description=text,
        input_message_content=InputTextMessageContent(text),
    )  # fmt: skip


class InlineAnswers:
    """Inline queries, chosen inline results and guest messages for one TelegramPlatform."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def article_for(self, text: str, bot_username: str) -> tuple[Any, ArxivRef | None]:
        refs = find_arxiv_refs(text, limit=1)
        if not refs:
            return hint_article(bot_username), None
        found = await self.services.summaries.stored(refs, Mode.CONDENSED)
        if refs[0] in found:
            return summary_article(found[refs[0]]), None
        return working_article(refs[0]), refs[0]

    async def on_inline_query(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.inline_query
        if query is None:
            return
        article, _ = await self.article_for(query.query, context.bot.username or "bot")
        # Cached answers may be cached by Telegram too; "summarizing…" must not be.
        cache_time = 300 if not article.id.startswith(SUMMARIZE) else 0
        with contextlib.suppress(TelegramError):
            await query.answer([article], cache_time=cache_time, is_personal=True)

    async def on_chosen_result(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chosen = update.chosen_inline_result
        if chosen is None or not chosen.result_id.startswith(SUMMARIZE):
            return
        if chosen.inline_message_id is None:
            return  # no keyboard on the result: nothing we could edit
        ref = parse_arxiv_ref(chosen.result_id.removeprefix(SUMMARIZE))
        await self.fill(context.bot, chosen.inline_message_id, ref, str(chosen.from_user.id))

    async def on_guest_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.guest_message
        if message is None or not message.guest_query_id:
            return
        text = message.text or message.caption or ""
        article, pending = await self.article_for(text, context.bot.username or "bot")
        sent = await context.bot.answer_guest_query(message.guest_query_id, article)
        if pending is not None:
            user = str(message.from_user.id if message.from_user else message.chat.id)
            await self.fill(context.bot, sent.inline_message_id, pending, user)

    async def fill(self, bot: Bot, inline_id: str, ref: ArxivRef, user: str) -> None:
        """Summarize `ref` (within the user's fair limit) into the inline message."""
        wait = self.services.user_limiter.admit(f"telegram:{user}", [ref.versioned])
        if wait > 0:
            await self._edit(bot, inline_id, RATE_LIMITED.format(seconds=int(wait) + 1), None)
            return
        last = [0.0]

        async def show(preview: Preview) -> None:
            if time.monotonic() - last[0] < PREVIEW_EVERY:
                return
            last[0] = time.monotonic()
            await self._edit(bot, inline_id, preview_html(preview), links_keyboard(ref))

        try:
            result = await self.services.summaries.summarize(
                ref, Mode.CONDENSED, chat=f"telegram:inline:{user}", preview=show
            )
        except PaperbotError as exc:
            await self._edit(bot, inline_id, exc.user_message, None, html=False)
            return
        html, keyboard = summary_html(result)
        await self._edit(bot, inline_id, html, keyboard)

    async def _edit(
        self, bot: Bot, inline_id: str, text: str, keyboard: InlineKeyboardMarkup | None,
        *, html: bool = True,
    ) -> None:  # fmt: skip
        try:
            await bot.edit_message_text(
                text, inline_message_id=inline_id, reply_markup=keyboard,
                parse_mode=ParseMode.HTML if html else None,
            )  # fmt: skip
        except BadRequest as exc:
            if "not modified" not in str(exc):
                log.warning("inline message %s not edited: %s", inline_id, exc)
        except TelegramError as exc:
            log.warning("inline message %s not edited: %s", inline_id, exc)
