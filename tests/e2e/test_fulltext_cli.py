"""`paperbot summarize 1111.2011v2 --full --images DIR`: a subprocess against fake arXiv (API,
/html, /pdf serving the real PDF) and fake Gemini; 单位 come from the PDF's first page."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf

from tests.e2e.test_cli_summarize import cli_env, run_cli
from tests.fakes.arxiv_html import FakeFullTextServer
from tests.fakes.arxiv_server import FakeArxivServer
from tests.fakes.llm_servers import API_KEY, FakeGeminiServer
from tests.integration.test_fulltext_summary import JHU, UVM, full_reply


def _env(
    tmp_path: Path, arxiv: FakeArxivServer, fulltext: FakeFullTextServer, gemini: FakeGeminiServer
) -> dict[str, str]:
    return cli_env(
        tmp_path,
        PAPERBOT_ARXIV_API_URL=arxiv.url,
        PAPERBOT_ARXIV_HTML_URL=fulltext.html_url,
        PAPERBOT_ARXIV_PDF_URL=fulltext.pdf_url,
        PAPERBOT_GEMINI_BASE_URL=gemini.base_url,
        GEMINI_API_KEY=API_KEY,
    )


async def test_full_summary_from_the_pdf_with_images(
    tmp_path: Path,
    arxiv_server: FakeArxivServer,
    fulltext_server: FakeFullTextServer,
    gemini_server: FakeGeminiServer,
) -> None:
    gemini_server.enqueue_json(
        full_reply("推导出单节点的自洽有效作用量（式 11），把系统化为解耦节点。")
    )
    env = _env(tmp_path, arxiv_server, fulltext_server, gemini_server)
    images = tmp_path / "images"
    args = ("summarize", "1111.2011v2", "--full", "--format", "json", "--images", str(images))
    code, out, err = await run_cli(*args, env=env)
    assert code == 0, err
    [result] = json.loads(out)["results"]
    assert result["paper"]["authors"] == [
        "James M. Murray",
        "Adrian Del Maestro",
        "Zlatko Tesanovic",
    ]
    assert result["status"] == "ok", result["checks"]
    assert result["affiliations"] == [JHU, UVM]  # 单位, as printed on page 1 of the PDF
    assert result["text_source"] == "pdf"
    assert result["summary"]["innovation"].startswith("推导出单节点")
    headings = [s["heading"] for s in result["fulltext"]["sections"]]
    assert headings[:3] == [
        "Abstract",
        "I. INTRODUCTION",
        "II. SELF-CONSISTENT ACTION IN THE LARGE z LIMIT",
    ]
    assert "V. DISCUSSION" in headings
    assert "## I. INTRODUCTION" in gemini_server.requests[0].user

    written = sorted(p.name for p in images.iterdir())
    assert written == [
        "1111.2011v2_fig1.jpg",
        "1111.2011v2_fig2.jpg",
        "1111.2011v2_fig3.jpg",
        "1111.2011v2_page1.jpg",
    ]
    assert [Path(p).name for p in result["images"]] == [
        "1111.2011v2_page1.jpg",
        "1111.2011v2_fig1.jpg",
        "1111.2011v2_fig2.jpg",
        "1111.2011v2_fig3.jpg",
    ]
    page = pymupdf.Pixmap(str(images / "1111.2011v2_page1.jpg"))
    assert page.height > page.width > 500
    assert (images / "1111.2011v2_page1.jpg").stat().st_size <= 300_000
    assert fulltext_server.paths() == ["/html/1111.2011v2", "/pdf/1111.2011v2"]

    # Again: summary, full text and images all come from the database, nothing is downloaded.
    code, out, err = await run_cli(*args, env=env)
    assert code == 0, err
    [again] = json.loads(out)["results"]
    assert again["cached"] is True and again["affiliations"] == [JHU, UVM]
    assert len(fulltext_server.requests) == 2
    assert gemini_server.count == 1


async def test_no_full_text_anywhere_is_said_in_the_json(
    tmp_path: Path,
    arxiv_server: FakeArxivServer,
    fulltext_server: FakeFullTextServer,
    gemini_server: FakeGeminiServer,
) -> None:
    fulltext_server.pdfs.clear()
    gemini_server.enqueue_json(full_reply("构造了单节点的自洽有效作用量，把系统化为解耦节点。"))
    env = _env(tmp_path, arxiv_server, fulltext_server, gemini_server)
    images = tmp_path / "images"
    code, out, err = await run_cli(
        "summarize", "1111.2011v2", "--full", "--format", "json", "--images", str(images), env=env
    )
    assert code == 0, err
    [result] = json.loads(out)["results"]
    assert result["text_source"] == "abstract"
    assert result["affiliations"] == []
    assert result["fulltext"] is None
    assert result["images"] == []
    assert "没有找到论文全文" in err  # the user is told why there are no pictures
