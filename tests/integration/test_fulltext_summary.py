"""SummaryService with a FullTextSource: full summaries read the paper, 单位 come from it."""

from __future__ import annotations

from typing import Any

from bot.render.common import ABSTRACT_ONLY_NOTE
from bot.render.text import render_text
from handlers.ondemand.paper import summary_reply
from summarizer.fulltext import FullTextSource
from summarizer.models import Mode, Paper
from summarizer.providers.gemini import GeminiProvider
from summarizer.service import SummaryService
from tests.fakes.arxiv_html import FakeFullTextServer
from tests.fakes.arxiv_server import real_papers
from tests.fakes.llm_servers import FakeGeminiServer, StaticPaperSource
from tests.fakes.memory_stores import MemorySummaryStore, MemoryUsageStore

JHU = (
    "Institute for Quantum Matter and Department of Physics and Astronomy, "
    "Johns Hopkins University, Baltimore, Maryland 21218, USA"
)
UVM = "Department of Physics, University of Vermont, Burlington, Vermont 05405, USA"


def murray() -> Paper:
    return next(p for p in real_papers() if p.arxiv_id == "1111.2011" and p.version == 2)


def full_reply(innovation: str) -> dict[str, Any]:
    return {
        "title_zh": "大连通度极限下贝特晶格上扩展节点的量子临界性",
        "keywords": ["量子临界性", "贝特晶格（Bethe lattice）", "量子转子模型"],
        "background": "各向异性体系中不同方向的相互作用性质不同，理论描述具有挑战性。",
        "prior_work": "动力学平均场理论（DMFT）只保留量子涨落，忽略了节点内部的空间涨落。",
        "approach": "作者在贝特晶格的大连通度极限下为单个节点构造自洽有效作用量。",
        "results": "计算临界指数后发现，节点间跃迁使上、下临界维度各降低一。",
        "methods": ["构造单节点的自洽有效作用量。", "在大 N 极限下分析临界点。"],
        "innovation": innovation,
        "performance": "节点间耦合的效果类似于为单个节点的理论增加一个维度。",
        "workload": "作者完成了大 N 与有限 N 两种情形的解析计算。",
    }


def service(provider: GeminiProvider, fulltext: FullTextSource | None) -> SummaryService:
    return SummaryService(
        StaticPaperSource(murray()),
        MemorySummaryStore(),
        MemoryUsageStore(),
        provider,
        fulltext=fulltext,
    )


async def test_full_summary_reads_the_paper_and_takes_affiliations_from_it(
    gemini_server: FakeGeminiServer,
    gemini_provider: GeminiProvider,
    fulltext_server: FakeFullTextServer,
    fulltext_source: FullTextSource,
) -> None:
    # "(11)" is the effective action's equation number: in the paper body, not the abstract.
    gemini_server.enqueue_json(
        full_reply("推导出单节点的自洽有效作用量（式 11），把系统化为解耦节点。")
    )
    result = await service(gemini_provider, fulltext_source).summarize(murray().ref, Mode.FULL)
    record = result.record
    assert record.status == "ok", record.failed_checks
    assert record.affiliations == [JHU, UVM]
    assert record.code_urls == []
    prompt = gemini_server.requests[0].user
    assert "正文节选" in prompt and "## I. INTRODUCTION" in prompt and "## V. DISCUSSION" in prompt
    assert "University of Vermont" not in prompt  # 单位 are ours to show, not the model's to write
    assert fulltext_server.paths() == ["/html/1111.2011v2", "/pdf/1111.2011v2"]
    shown = render_text(summary_reply(result, Mode.FULL))
    assert f"{JHU}；{UVM}" in shown
    assert ABSTRACT_ONLY_NOTE not in shown


async def test_without_full_text_the_summary_is_labelled_abstract_only(
    gemini_server: FakeGeminiServer,
    gemini_provider: GeminiProvider,
    fulltext_server: FakeFullTextServer,
    fulltext_source: FullTextSource,
) -> None:
    fulltext_server.pdfs.clear()
    gemini_server.enqueue_json(full_reply("构造了单节点的自洽有效作用量，把系统化为解耦节点。"))
    result = await service(gemini_provider, fulltext_source).summarize(murray().ref, Mode.FULL)
    record = result.record
    assert record.status == "ok"
    assert record.affiliations == []  # never guessed
    assert record.text_source == "abstract"
    assert "正文节选" not in gemini_server.requests[0].user
    shown = render_text(summary_reply(result, Mode.FULL))
    assert ABSTRACT_ONLY_NOTE in shown and "单位" not in shown


async def test_a_body_number_is_invented_when_only_the_abstract_was_read(
    gemini_server: FakeGeminiServer, gemini_provider: GeminiProvider
) -> None:
    reply = full_reply("推导出单节点的自洽有效作用量（式 11），把系统化为解耦节点。")
    gemini_server.enqueue_json(reply)
    gemini_server.enqueue_json(reply)
    record = (await service(gemini_provider, None).summarize(murray().ref, Mode.FULL)).record
    assert record.status == "degraded"
    assert any("11" in failure for failure in record.failed_checks)


async def test_condensed_summaries_stay_abstract_only(
    gemini_server: FakeGeminiServer,
    gemini_provider: GeminiProvider,
    fulltext_server: FakeFullTextServer,
    fulltext_source: FullTextSource,
) -> None:
    record = (
        await service(gemini_provider, fulltext_source).summarize(murray().ref, Mode.CONDENSED)
    ).record
    assert record.status == "ok"
    assert fulltext_server.requests == []  # digests do not download every paper
    assert record.affiliations == []


async def test_an_abstract_only_summary_from_an_outage_is_not_served_for_the_paper(
    gemini_server: FakeGeminiServer,
    gemini_provider: GeminiProvider,
    fulltext_server: FakeFullTextServer,
    fulltext_source: FullTextSource,
) -> None:
    summaries = service(gemini_provider, fulltext_source)
    fulltext_server.faults[:] = [503] * 50  # arxiv.org/html and /pdf down for a while
    gemini_server.enqueue_json(full_reply("构造了单节点的自洽有效作用量，把系统化为解耦节点。"))
    first = await summaries.summarize(murray().ref, Mode.FULL)
    assert first.record.status == "ok" and first.record.text_source == "abstract"
    assert first.record.key.reads == "abstract"  # cached as what it read
    fulltext_server.faults.clear()
    gemini_server.enqueue_json(
        full_reply("推导出单节点的自洽有效作用量（式 11），把系统化为解耦节点。")
    )
    second = await summaries.summarize(murray().ref, Mode.FULL)
    assert not second.cached  # the paper is read this time, not the outage's summary served
    assert second.record.key.reads == "fulltext"
    assert second.record.text_source in ("html", "pdf")
    assert second.record.affiliations == [JHU, UVM]
    third = await summaries.summarize(murray().ref, Mode.FULL)
    assert third.cached and third.record.key.reads == "fulltext"
    assert gemini_server.count == 2


async def test_without_full_text_the_abstract_code_link_is_still_shown(
    gemini_server: FakeGeminiServer,
    gemini_provider: GeminiProvider,
    fulltext_server: FakeFullTextServer,
    fulltext_source: FullTextSource,
) -> None:
    fulltext_server.pdfs.clear()  # no HTML (fixture has none for a 2011 paper) and no PDF
    paper = murray()
    with_code = paper.model_copy(
        update={"abstract": paper.abstract + " Code is available at https://github.com/qm/bethe."}
    )
    gemini_server.enqueue_json(full_reply("构造了单节点的自洽有效作用量，把系统化为解耦节点。"))
    summaries = SummaryService(
        StaticPaperSource(with_code),
        MemorySummaryStore(),
        MemoryUsageStore(),
        gemini_provider,
        fulltext=fulltext_source,
    )
    result = await summaries.summarize(with_code.ref, Mode.FULL)
    assert result.record.status == "ok", result.record.failed_checks
    assert result.record.text_source == "abstract"
    assert result.record.code_urls == ["https://github.com/qm/bethe"]
    assert "代码：https://github.com/qm/bethe" in render_text(summary_reply(result, Mode.FULL))
