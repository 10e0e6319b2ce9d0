"""`paperbot export` on a chat's subscriptions (real SQLite store) and on a live announcement
(the fake RSS feed on 127.0.0.1), as a subprocess."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from bot.render.hexo import NO_MODEL
from handlers.subscriptions.topics import parse_topic
from handlers.types import ChatRef
from storage.engine import Database
from storage.migrate import upgrade_database
from storage.subscription_store import SqlSubscriptionStore
from tests.e2e.test_export_seed import cli_env, papers_of, run_cli, tokens
from tests.fakes.arxiv_feed import FakeFeedServer
from tests.fakes.arxiv_html import REAL_PDF, FakeFullTextServer


async def subscribe(tmp_path: Path, chat: ChatRef, *topics: str) -> None:
    url = f"sqlite:///{tmp_path / 'paperbot.db'}"
    await upgrade_database(url)
    database = Database(url)
    try:
        store = SqlSubscriptionStore(database)
        for text in topics:
            await store.add_subscription(chat, parse_topic(text))
    finally:
        await database.dispose()


async def test_chat_export_uses_that_chats_subscriptions(tmp_path: Path) -> None:
    await subscribe(tmp_path, ChatRef("telegram", "42"), "WARM", "au:Geiping")
    args = ["export", "--chat", "telegram:42", "--date", "2024-01-24", "--out", "blog"]
    code, out, err = await run_cli(*args, env=cli_env(tmp_path), cwd=tmp_path)
    assert code == 0, err
    post = (tmp_path / "blog" / "2024-01-24-订阅速递.md").read_text("utf-8")
    assert "title: 订阅速递\n" in post
    titles = [p.splitlines()[0] for p in papers_of(post)]
    assert titles == [
        "## WARM: On the Benefits of Weight Averaged Reward Models",
        "## Spotting LLMs With Binoculars: Zero-Shot Detection of Machine-Generated Text",
    ]
    assert "2 篇" in out


async def test_chat_without_subscriptions_is_told_plainly(tmp_path: Path) -> None:
    await subscribe(tmp_path, ChatRef("telegram", "42"), "WARM")
    args = ["export", "--chat", "telegram:7", "--date", "2024-01-24"]
    code, _, err = await run_cli(*args, env=cli_env(tmp_path), cwd=tmp_path)
    assert code == 1
    assert "telegram:7 还没有订阅任何主题" in err
    code, _, err = await run_cli("export", "--chat", "seven", env=cli_env(tmp_path), cwd=tmp_path)
    assert code == 1 and "平台:编号" in err


async def test_live_announcement_without_a_model_lists_arxiv_text_marked(
    tmp_path: Path, arxiv_feed_server: FakeFeedServer
) -> None:
    env = cli_env(tmp_path, PAPERBOT_ARXIV_RSS_URL=arxiv_feed_server.url)
    # Mailing 2025-11-25 carries the announcement made on 2025-11-24 (ET).
    args = ["export", "--topic", "NLP", "--query", "cs.CL attention", "--date", "2025-11-24"]
    code, out, err = await run_cli(*args, "--no-images", "--out", "b", env=env, cwd=tmp_path)
    assert code == 0, err
    assert arxiv_feed_server.requests == ["/rss/cs.CL"]
    post = (tmp_path / "b" / "2025-11-24-nlp.md").read_text("utf-8")
    sections = papers_of(post)
    assert sections[0].startswith("## Attention Is All You Need")
    assert "本文未使用大语言模型" in post
    for section in sections:
        assert NO_MODEL in section
        assert tokens(section) == ["H2", "AUTHORS", "ABSTRACT", "PDF"]
        assert "<ol>" not in section
    assert "中文总结不完整" in out


async def test_live_day_the_feed_no_longer_serves_is_explained(
    tmp_path: Path, arxiv_feed_server: FakeFeedServer
) -> None:
    env = cli_env(tmp_path, PAPERBOT_ARXIV_RSS_URL=arxiv_feed_server.url)
    args = ["export", "--query", "cs.CL attention", "--date", "2025-11-20", "--no-images"]
    code, _, err = await run_cli(*args, env=env, cwd=tmp_path)
    assert code == 1
    assert "只提供最新一天" in err
    assert not await asyncio.to_thread(lambda: list(tmp_path.rglob("*.md")))


async def test_live_export_writes_page_images_beside_the_post(
    tmp_path: Path, arxiv_feed_server: FakeFeedServer, fulltext_server: FakeFullTextServer
) -> None:
    fulltext_server.pdfs["2511.01001v1"] = REAL_PDF.read_bytes()  # "Attention Is All You Need"
    env = cli_env(
        tmp_path,
        PAPERBOT_ARXIV_RSS_URL=arxiv_feed_server.url,
        PAPERBOT_ARXIV_HTML_URL=fulltext_server.html_url,
        PAPERBOT_ARXIV_PDF_URL=fulltext_server.pdf_url,
        PAPERBOT_ARXIV_MIN_INTERVAL="0",
    )
    args = ["export", "--topic", "NLP", "--query", "cs.CL attention", "--date", "2025-11-24"]
    code, _, err = await run_cli(*args, "--out", "b", env=env, cwd=tmp_path)
    assert code == 0, err
    post = (tmp_path / "b" / "2025-11-24-nlp.md").read_text("utf-8")
    first, *rest = papers_of(post)
    assert tokens(first) == ["H2", "AUTHORS", "ABSTRACT", "PDF", "DETAILS"]
    sources = re.findall(r'<img src="([^"]+)" align="middle">', first)
    assert sources and sources[0] == "2025-11-24-nlp/2511.01001v1_page1.jpg"
    for src in sources:  # relative to the post, written beside it
        data = (tmp_path / "b" / src).read_bytes()
        assert data[:3] == b"\xff\xd8\xff"  # JPEG
    assert all("<details>" not in section for section in rest)  # no PDF: no block
