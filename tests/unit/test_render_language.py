"""Card labels and common messages follow the chat's language."""

from __future__ import annotations

from bot.render.telegram_html import render_telegram
from bot.render.text import render_text
from handlers.messages import MESSAGES, card_label, text_for
from handlers.types import Reply
from summarizer.models import Mode
from tests.fakes.services import make_result, sample_paper


def test_condensed_card_labels_in_each_language() -> None:
    result = make_result(sample_paper(), Mode.CONDENSED)
    simplified = render_text(Reply(summary=result, mode=Mode.CONDENSED))
    english = render_text(Reply(summary=result, mode=Mode.CONDENSED, language="en"))
    assert "一句话" in simplified and "要点" in simplified
    assert "TL;DR" in english and "Highlights" in english and "要点" not in english


def test_full_card_labels_in_traditional() -> None:
    result = make_result(sample_paper(), Mode.FULL)
    html = "".join(
        m.html for m in render_telegram(Reply(summary=result, mode=Mode.FULL, language="zh-TW"))
    )
    assert "關鍵詞" in html and "結論" in html and "关键词" not in html


def test_degraded_label_is_translated() -> None:
    result = make_result(sample_paper(), Mode.CONDENSED, status="degraded")
    english = render_text(Reply(summary=result, mode=Mode.CONDENSED, language="en"))
    assert "Summary failed (model unavailable)" in english


def test_every_message_has_both_texts_and_traditional_is_derived() -> None:
    for key, (zh, en) in MESSAGES.items():
        assert zh and en, key
        assert not any("\u4e00" <= c <= "\u9fff" for c in en.replace("“", "").replace("”", "")), key
    assert text_for("rate_limited", "zh-TW", seconds=30) == "請求太頻繁了，請 30 秒後再試。"
    assert text_for("rate_limited", "en", seconds=30).startswith("Too many requests")
    assert text_for("rate_limited", "unknown-code", seconds=30) == "请求太频繁了，请 30 秒后再试。"
    assert card_label("展开完整总结", "zh-TW") == "展開完整總結"
