"""A chat's language in its digest: entries, labels and headers, kept through the ledger JSON."""

from __future__ import annotations

from datetime import date

from bot.render.text import render_text
from handlers.digest.render import digest_parts, reply_from_json
from handlers.digest.summaries import RunSummaries
from handlers.digest.types import Match
from summarizer.models import Mode
from tests.fakes.digest_fakes import LLM_PAPERS
from tests.fakes.services import FakePapers, FakeSummaries, make_result

DAY = date(2026, 11, 25)


def found(n: int) -> list[Match]:
    return [
        Match(paper=p, score=1.0, topics=("cs.CL",), cross=i == 0)
        for i, p in enumerate(LLM_PAPERS[:n])
    ]


def test_traditional_digest_converts_headers_and_labels() -> None:
    matches = found(3)
    shown = [(m, make_result(m.paper, Mode.CONDENSED)) for m in matches[:2]]
    parts = digest_parts(DAY, ["cs.CL"], shown, matches[2:], Mode.CONDENSED, "zh-TW", "cards")
    header = reply_from_json(parts[0].payload).text
    assert header.startswith("🗞 arXiv 每日速遞") and "今日匹配 3 篇" in header
    entry = reply_from_json(parts[1].payload)
    assert entry.language == "zh-TW" and entry.buttons[0].label == "展開完整總結"
    assert entry.footer == "1️⃣ 🔎 匹配：cs.CL（交叉發佈）"
    assert "要點" in render_text(entry)
    assert reply_from_json(parts[3].payload).text.startswith("還有 1 篇：")


def test_english_digest() -> None:
    matches = found(3)
    shown = [(m, make_result(m.paper, Mode.CONDENSED)) for m in matches[:2]]
    parts = digest_parts(DAY, ["cs.CL"], shown, matches[2:], Mode.CONDENSED, "en", "cards")
    assert reply_from_json(parts[0].payload).text.startswith("🗞 arXiv daily digest · 2026-11-25")
    entry = reply_from_json(parts[1].payload)
    assert entry.footer == "1️⃣ 🔎 cs.CL (cross-list)"
    assert "Highlights" in render_text(entry) and entry.buttons[0].label == "Full summary"
    more = reply_from_json(parts[3].payload).text.splitlines()
    assert more[0] == "1 more:" and matches[2].paper.arxiv_id in more[1]


def test_compact_digest_follows_the_language() -> None:
    matches = found(3)
    shown = [(m, make_result(m.paper, Mode.CONDENSED)) for m in matches[:2]]
    [part] = digest_parts(DAY, ["cs.CL"], shown, matches[2:], Mode.CONDENSED, "en")
    english = render_text(reply_from_json(part.payload))
    assert english.startswith("🗞 arXiv daily digest · 2026-11-25") and "1 more:" in english
    [part] = digest_parts(DAY, ["cs.CL"], shown, matches[2:], Mode.CONDENSED, "zh-TW")
    assert render_text(reply_from_json(part.payload)).startswith("🗞 arXiv 每日速遞")


def test_old_ledger_payloads_without_a_language_read_as_simplified() -> None:
    parts = digest_parts(DAY, ["cs.CL"], [], found(1), Mode.CONDENSED)
    payload = dict(parts[-1].payload)
    payload.pop("language")
    assert reply_from_json(payload).language == "zh"


async def test_run_summaries_once_per_paper_and_language() -> None:
    papers = FakePapers(LLM_PAPERS[:1])
    summaries = FakeSummaries(papers)
    run = RunSummaries(summaries)
    paper = LLM_PAPERS[0]
    await run.get(paper, Mode.CONDENSED, "zh-TW")
    await run.get(paper, Mode.CONDENSED, "zh-TW")
    await run.get(paper, Mode.CONDENSED)
    assert summaries.languages == ["zh-TW", None]
