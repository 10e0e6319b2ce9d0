"""FullTextSource over real HTTP (httpx) against the fake arxiv.org: HTML first, PDF fallback,
caching, politeness, caps and images."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from summarizer.fulltext import FullTextSource, MemoryFullTextStore, PaperFetcher
from summarizer.models import Paper
from tests.fakes.arxiv_html import FakeFullTextServer, fetcher_kwargs, less_could_be_better_html
from tests.fakes.arxiv_server import LESS_COULD_BE_BETTER, real_papers

JHU = (
    "Institute for Quantum Matter and Department of Physics and Astronomy, "
    "Johns Hopkins University, Baltimore, Maryland 21218, USA"
)
UVM = "Department of Physics, University of Vermont, Burlington, Vermont 05405, USA"


def murray() -> Paper:
    return next(p for p in real_papers() if p.arxiv_id == "1111.2011" and p.version == 2)


def _source(
    server: FakeFullTextServer, store: MemoryFullTextStore | None = None, **kw: object
) -> FullTextSource:
    fetch_kw = {k: v for k, v in kw.items() if k in {"min_interval", "max_pdf_bytes", "timeout"}}
    fetch_kw.setdefault("min_interval", 0.0)
    rest = {k: v for k, v in kw.items() if k not in fetch_kw}
    fetcher = PaperFetcher(**fetcher_kwargs(server, **fetch_kw))
    return FullTextSource(fetcher, store=store or MemoryFullTextStore(), **rest)  # type: ignore[arg-type]


async def test_html_first_when_arxiv_has_it(
    fulltext_server: FakeFullTextServer, fulltext_source: FullTextSource
) -> None:
    ft = await fulltext_source.fetch(LESS_COULD_BE_BETTER)
    assert ft is not None and ft.source == "html"
    assert ft.affiliations[0] == "School of Informatics, Xiamen University, Xiamen, China"
    assert ft.code_urls == ("https://github.com/RL4M/MED-PEFT",)
    assert fulltext_server.paths() == ["/html/2401.12215v1"]  # affiliations found: no PDF needed
    assert "Mozilla" not in fulltext_server.requests[0].headers["User-Agent"]


async def test_pdf_fallback_when_there_is_no_html(
    fulltext_server: FakeFullTextServer, fulltext_source: FullTextSource
) -> None:
    ft = await fulltext_source.fetch(murray())
    assert ft is not None and ft.source == "pdf"
    assert ft.affiliations == (JHU, UVM)
    assert [s.kind for s in ft.sections][:2] == ["abstract", "introduction"]
    assert fulltext_server.paths() == ["/html/1111.2011v2", "/pdf/1111.2011v2"]


async def test_html_without_affiliations_takes_them_from_the_pdf(
    fulltext_server: FakeFullTextServer, fulltext_source: FullTextSource
) -> None:
    paper = murray()
    fulltext_server.html_pages["1111.2011v2"] = less_could_be_better_html("none")
    ft = await fulltext_source.fetch(paper)
    assert ft is not None and ft.source == "html"
    assert ft.affiliations == (JHU, UVM)
    assert fulltext_server.paths() == ["/html/1111.2011v2", "/pdf/1111.2011v2"]


async def test_cached_full_text_is_not_downloaded_again(
    fulltext_server: FakeFullTextServer, fulltext_source: FullTextSource
) -> None:
    first = await fulltext_source.fetch(murray())
    again = await fulltext_source.fetch(murray())
    assert again == first
    assert len(fulltext_server.requests) == 2


async def test_concurrent_callers_share_one_download(
    fulltext_server: FakeFullTextServer, fulltext_source: FullTextSource
) -> None:
    results = await asyncio.gather(*(fulltext_source.fetch(murray()) for _ in range(4)))
    assert all(r == results[0] and r is not None for r in results)
    assert fulltext_server.paths() == ["/html/1111.2011v2", "/pdf/1111.2011v2"]


async def test_missing_everywhere_is_remembered_for_a_day(
    fulltext_server: FakeFullTextServer,
) -> None:
    now = [datetime(2026, 11, 25, 12, tzinfo=UTC)]
    source = _source(fulltext_server, clock=lambda: now[0])
    unknown = LESS_COULD_BE_BETTER.model_copy(update={"arxiv_id": "2401.99999"})
    try:
        assert await source.fetch(unknown) is None
        assert await source.fetch(unknown) is None
        assert len(fulltext_server.requests) == 2  # the second answer came from the cache
        now[0] += timedelta(days=1, minutes=1)
        assert await source.fetch(unknown) is None
        assert len(fulltext_server.requests) == 4  # asked again after a day
    finally:
        await source.aclose()


async def test_a_temporary_failure_is_not_cached(
    fulltext_server: FakeFullTextServer, fulltext_source: FullTextSource
) -> None:
    fulltext_server.faults += [503, 503]
    assert await fulltext_source.fetch(murray()) is None
    ft = await fulltext_source.fetch(murray())
    assert ft is not None and ft.source == "pdf"


async def test_a_pdf_over_the_size_cap_is_not_read(fulltext_server: FakeFullTextServer) -> None:
    source = _source(fulltext_server, max_pdf_bytes=100_000)  # the real PDF is ~460 KB
    try:
        assert await source.fetch(murray()) is None
    finally:
        await source.aclose()


async def test_requests_to_arxiv_are_spaced(fulltext_server: FakeFullTextServer) -> None:
    source = _source(fulltext_server, min_interval=0.4)
    try:
        await source.fetch(murray())
    finally:
        await source.aclose()
    first, second = fulltext_server.requests
    assert second.at - first.at >= 0.35


async def test_images_are_rendered_once_and_stored(
    fulltext_server: FakeFullTextServer, fulltext_source: FullTextSource, tmp_path: Path
) -> None:
    await fulltext_source.fetch(murray())
    paths = await fulltext_source.write_images(murray(), tmp_path)
    assert [p.name for p in paths] == [
        "1111.2011v2_page1.jpg",
        "1111.2011v2_fig1.jpg",
        "1111.2011v2_fig2.jpg",
        "1111.2011v2_fig3.jpg",
    ]
    assert all(p.read_bytes().startswith(b"\xff\xd8") for p in paths)
    again = await fulltext_source.write_images(murray(), tmp_path / "again")
    assert len(again) == 4
    # Text and images came from one PDF download; the second write used stored images.
    assert fulltext_server.paths() == ["/html/1111.2011v2", "/pdf/1111.2011v2"]


async def test_no_pdf_means_no_images(fulltext_source: FullTextSource, tmp_path: Path) -> None:
    unknown = LESS_COULD_BE_BETTER.model_copy(update={"arxiv_id": "2401.99999"})
    assert await fulltext_source.write_images(unknown, tmp_path) == []
    assert not tmp_path.joinpath("2401.99999v1_page1.jpg").exists()


@pytest.mark.parametrize("status", [404, 410])
async def test_pdf_gone_is_missing(
    fulltext_server: FakeFullTextServer, fulltext_source: FullTextSource, status: int
) -> None:
    fulltext_server.faults += [404, status]
    assert await fulltext_source.fetch(murray()) is None
    assert await fulltext_source.fetch(murray()) is None
    assert len(fulltext_server.requests) == 2  # cached as missing
