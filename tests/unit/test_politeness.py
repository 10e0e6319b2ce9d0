"""One arXiv politeness gate for the API, feed and full-text clients."""

from __future__ import annotations

import asyncio
import time

import pytest

from summarizer.arxiv.politeness import polite, site_of


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://export.arxiv.org/api/query", "arxiv.org"),
        ("https://arxiv.org/html/2401.12215", "arxiv.org"),
        ("https://rss.arxiv.org/rss/cs.CL", "arxiv.org"),
        ("http://127.0.0.1:8123/api/query", "127.0.0.1:8123"),
        ("https://arxiv.example.org/pdf/1", "arxiv.example.org"),
        ("https://notarxiv.org/x", "notarxiv.org"),
    ],
)
def test_site_of(url: str, site: str) -> None:
    assert site_of(url) == site


async def test_api_and_full_text_requests_share_one_gate() -> None:
    starts: dict[str, float] = {}
    inside = 0
    most_inside = 0

    async def request(url: str) -> None:
        nonlocal inside, most_inside
        async with polite(url, 0.2):
            starts[url] = time.monotonic()
            inside += 1
            most_inside = max(most_inside, inside)
            await asyncio.sleep(0.01)
            inside -= 1

    await asyncio.gather(
        request("https://export.arxiv.org/api/query"), request("https://arxiv.org/pdf/2401.12215")
    )
    first, second = sorted(starts.values())
    assert most_inside == 1
    assert second - first >= 0.19


async def test_other_sites_do_not_wait_for_arxiv() -> None:
    async with polite("https://export.arxiv.org/api/query", 5.0):
        pass
    started = time.monotonic()
    async with polite("http://127.0.0.1:9/other", 5.0):
        waited = time.monotonic() - started
    assert waited < 1.0
