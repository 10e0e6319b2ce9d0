"""ArxivSource (real httpx) against the fake arXiv API on 127.0.0.1, and the fake itself."""

from __future__ import annotations

import asyncio
import itertools
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from summarizer.arxiv.atom import parse_atom
from summarizer.arxiv.source import ArxivSource
from summarizer.errors import ArxivUnavailable, MalformedArxivId, PaperNotFound
from summarizer.models import ArxivRef, Paper
from tests.fakes.arxiv_server import FakeArxivServer, ThreadedArxivServer
from tests.fakes.memory_stores import MemoryPaperStore


def R(arxiv_id: str, version: int | None = None) -> ArxivRef:
    return ArxivRef(arxiv_id=arxiv_id, version=version)


def _paper(arxiv_id: str, version: int, title: str) -> Paper:
    return Paper(
        arxiv_id=arxiv_id,
        version=version,
        title=title,
        authors=("Ada Lovelace",),
        abstract=f"Abstract of {title}.",
        categories=("cs.CL",),
        primary_category="cs.CL",
        published=datetime(2025, 3, 1, 12, 0, tzinfo=UTC),
        updated=datetime(2025, 3, 1 + version, 12, 0, tzinfo=UTC),
    )


V1 = _paper("2503.00001", 1, "First version")
V2 = _paper("2503.00001", 2, "Second version")


@pytest.fixture
async def source(arxiv_server: FakeArxivServer) -> AsyncIterator[ArxivSource]:
    src = ArxivSource(arxiv_server.url, min_interval=0, backoff=0, timeout=2.0, retries=3)
    yield src
    await src.aclose()


async def test_batch_lookup_is_one_request(
    arxiv_server: FakeArxivServer, source: ArxivSource
) -> None:
    refs = [R("2401.12215"), R("1605.08386"), R("astro-ph/0601001"), R("2401.99999")]
    found = await source.fetch_papers(refs)
    assert len(arxiv_server.requests) == 1
    query = arxiv_server.requests[0].query
    assert query["id_list"] == "2401.12215,1605.08386,astro-ph/0601001,2401.99999"
    assert query["max_results"] == "4"
    assert list(found) == refs[:3]  # the unknown id is simply absent
    assert found[R("2401.12215")].title.startswith("Less Could Be Better")
    assert found[R("1605.08386")].authors == ("Caprice Stanley", "Tobias Windisch")
    assert found[R("astro-ph/0601001")].version == 1
    assert arxiv_server.requests[0].headers["User-Agent"].startswith("paperbot/")


async def test_reordered_batch_is_mapped_by_id(
    arxiv_server: FakeArxivServer, source: ArxivSource
) -> None:
    arxiv_server.reverse_answers = True
    found = await source.fetch_papers([R("2104.12255"), R("1605.08386", 1)])
    assert found[R("2104.12255")].title == "0"
    assert found[R("1605.08386", 1)].title == "Heat-bath random walks with Markov bases"


async def test_large_batches_are_chunked(
    arxiv_server: FakeArxivServer, source: ArxivSource
) -> None:
    refs = [R(f"2502.{n:05d}") for n in range(1, 151)] + [R("2401.12215")]
    found = await source.fetch_papers(refs)
    assert [r.query["max_results"] for r in arxiv_server.requests] == ["100", "51"]
    assert list(found) == [R("2401.12215")]


async def test_store_hits_make_no_request(arxiv_server: FakeArxivServer) -> None:
    store = MemoryPaperStore()
    await store.save_papers([V1])
    src = ArxivSource(arxiv_server.url, store=store, min_interval=0, backoff=0)
    try:
        # versioned refs come from the store; a fresh unversioned one too
        assert await src.fetch_paper(R("2503.00001", 1)) == V1
        assert await src.fetch_paper(R("2503.00001")) == V1
        assert arxiv_server.requests == []
        # fetched papers are saved: the second ask is answered by the store
        first = await src.fetch_paper(R("2104.12255", 1))
        assert await src.fetch_paper(R("2104.12255", 1)) == first
        assert await src.fetch_paper(R("2104.12255")) == first
        assert len(arxiv_server.requests) == 1
    finally:
        await src.aclose()


async def test_stale_unversioned_metadata_is_refetched(arxiv_server: FakeArxivServer) -> None:
    store = MemoryPaperStore()
    await store.save_papers([V1])
    arxiv_server.add_papers([V1, V2])
    src = ArxivSource(
        arxiv_server.url, store=store, min_interval=0, backoff=0, metadata_ttl=timedelta(0)
    )
    try:
        await asyncio.sleep(0.01)  # the stored copy is now older than the (zero) TTL
        assert await src.fetch_paper(R("2503.00001")) == V2
        assert await src.fetch_paper(R("2503.00001", 1)) == V1  # versioned: never stale
        assert len(arxiv_server.requests) == 1
        assert (await store.get_papers([R("2503.00001", 2)]))[R("2503.00001", 2)] == V2
    finally:
        await src.aclose()


async def test_versioned_and_unversioned(
    arxiv_server: FakeArxivServer, source: ArxivSource
) -> None:
    arxiv_server.add_papers([V1, V2])
    assert await source.fetch_paper(R("2503.00001", 1)) == V1
    assert await source.fetch_paper(R("2503.00001")) == V2
    both = await source.fetch_papers([R("2503.00001"), R("2503.00001", 1)])
    assert both == {R("2503.00001"): V2, R("2503.00001", 1): V1}
    with pytest.raises(PaperNotFound) as info:
        await source.fetch_paper(R("2503.00001", 3))
    assert info.value.arxiv_id == "2503.00001v3"
    assert arxiv_server.requests[0].query["id_list"] == "2503.00001v1"


async def test_requests_are_spaced_and_never_overlap(arxiv_server: FakeArxivServer) -> None:
    a = ArxivSource(arxiv_server.url, min_interval=0.2, backoff=0)
    b = ArxivSource(arxiv_server.url, min_interval=0.2, backoff=0)  # the gate is process-wide
    try:
        # Warm both connections first: a new connection's set-up delays that request's arrival
        # at the server, which would shorten the next measured gap by the set-up time.
        await a.fetch_paper(R("2401.12215"))
        await b.fetch_paper(R("1605.08386"))
        warm = len(arxiv_server.requests)
        arxiv_server.delay_next(0.1, n=4)
        await asyncio.gather(
            a.fetch_paper(R("1605.08386")),
            b.fetch_paper(R("2104.12255")),
            a.fetch_paper(R("quant-ph/0201082", 1)),
            b.fetch_papers([R("1707.08567")]),
        )
    finally:
        await a.aclose()
        await b.aclose()
    times = [r.at for r in arxiv_server.requests[warm - 1 :]]
    assert len(times) == 5
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) >= 0.19, gaps
    assert arxiv_server.max_in_flight == 1


async def test_retries_then_success(arxiv_server: FakeArxivServer, source: ArxivSource) -> None:
    arxiv_server.fail_next(1, status=503)
    arxiv_server.fail_next(1, status=502)
    arxiv_server.drop_next()
    paper = await source.fetch_paper(R("2104.12255"))
    assert paper.title == "0"
    assert len(arxiv_server.requests) == 4


async def test_timeout_is_retried(arxiv_server: FakeArxivServer) -> None:
    src = ArxivSource(arxiv_server.url, min_interval=0, backoff=0, timeout=0.3)
    try:
        arxiv_server.delay_next(5)
        assert (await src.fetch_paper(R("1605.08386"))).version == 1
    finally:
        await src.aclose()
    assert len(arxiv_server.requests) == 2


async def test_retry_after_is_honoured(arxiv_server: FakeArxivServer, source: ArxivSource) -> None:
    arxiv_server.fail_next(1, status=429, retry_after=0.3)
    await source.fetch_paper(R("1605.08386"))
    first, second = arxiv_server.requests
    assert second.at - first.at >= 0.29


async def test_retries_exhausted(arxiv_server: FakeArxivServer) -> None:
    src = ArxivSource(arxiv_server.url, min_interval=0, backoff=0, retries=2)
    arxiv_server.fail_next(5, status=503)
    try:
        with pytest.raises(ArxivUnavailable) as info:
            await src.fetch_paper(R("1605.08386"))
    finally:
        await src.aclose()
    assert len(arxiv_server.requests) == 3
    assert "PAPERBOT_ARXIV_API_URL" in str(info.value)
    assert arxiv_server.url in str(info.value)
    assert info.value.reason == "HTTP 503"
    assert "arXiv" in info.value.user_message


async def test_stale_copy_when_arxiv_is_down(arxiv_server: FakeArxivServer) -> None:
    store = MemoryPaperStore()
    await store.save_papers([V1])
    src = ArxivSource(
        arxiv_server.url,
        store=store,
        min_interval=0,
        backoff=0,
        retries=0,
        metadata_ttl=timedelta(0),
    )
    try:
        await asyncio.sleep(0.01)
        arxiv_server.fail_next(2, status=503)
        assert await src.fetch_paper(R("2503.00001")) == V1  # past its TTL, but better than nothing
        with pytest.raises(ArxivUnavailable):  # nothing stored for one of them: no partial answer
            await src.fetch_papers([R("2503.00001"), R("2104.12255")])
    finally:
        await src.aclose()
    assert len(arxiv_server.requests) == 2


async def test_unreachable_host() -> None:
    with socket.socket() as sock:  # bound but not listening: connections are refused
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/api/query"
        src = ArxivSource(url, min_interval=0, backoff=0, retries=1)
        try:
            with pytest.raises(ArxivUnavailable) as info:
                await src.fetch_papers([R("2401.12215")])
        finally:
            await src.aclose()
    assert "connection failed" in info.value.reason
    assert "PAPERBOT_ARXIV_API_URL" in str(info.value)


async def test_other_http_errors_are_not_retried(
    arxiv_server: FakeArxivServer, source: ArxivSource
) -> None:
    arxiv_server.fail_next(1, status=404)
    with pytest.raises(ArxivUnavailable, match="HTTP 404"):
        await source.fetch_paper(R("1605.08386"))
    arxiv_server.fail_next(1, status=200)  # 200 with a body that is not Atom
    with pytest.raises(ArxivUnavailable, match="unreadable body"):
        await source.fetch_paper(R("1605.08386"))
    assert len(arxiv_server.requests) == 2


async def test_malformed_id(arxiv_server: FakeArxivServer, source: ArxivSource) -> None:
    with pytest.raises(MalformedArxivId) as info:
        await source.fetch_paper(R("abc"))
    assert info.value.raw == "abc"
    assert arxiv_server.requests[0].query["id_list"] == "abc"
    # in a batch the rejected id is dropped and the rest asked again
    found = await source.fetch_papers([R("abc"), R("2104.12255")])
    assert list(found) == [R("2104.12255")]
    assert [r.query["id_list"] for r in arxiv_server.requests[1:]] == [
        "abc,2104.12255",
        "2104.12255",
    ]


async def test_unsafe_id_never_leaves_the_process(
    arxiv_server: FakeArxivServer, source: ArxivSource
) -> None:
    with pytest.raises(MalformedArxivId):
        await source.fetch_paper(R("2401.12215&max_results=1000"))
    assert arxiv_server.requests == []


async def test_unknown_paper(arxiv_server: FakeArxivServer, source: ArxivSource) -> None:
    with pytest.raises(PaperNotFound) as info:
        await source.fetch_paper(R("0000.0000"))
    assert "0000.0000" in info.value.user_message
    assert await source.fetch_papers([R("2412.99999")]) == {}


# --- the fake itself -------------------------------------------------------------------------


async def test_fake_speaks_arxiv(arxiv_server: FakeArxivServer) -> None:
    async with httpx.AsyncClient() as client:
        bad = await client.get(arxiv_server.url, params={"id_list": "abc"})
        assert bad.status_code == 400
        assert parse_atom(bad.content).errors == ["incorrect id format for abc"]
        assert b"https://arxiv.org/api/errors#incorrect_id_format_for_abc" in bad.content

        empty = await client.get(arxiv_server.url, params={"id_list": "0808.05394,1707.08567"})
        feed = parse_atom(empty.content)
        assert [p.versioned_id for p in feed.papers] == ["1707.08567v1"]

        # arXiv's default page is 10 results: a client must send max_results
        query = {"id_list": "2401.12215,1605.08386", "max_results": "1"}
        many = await client.get(arxiv_server.url, params=query)
        assert len(parse_atom(many.content).papers) == 1
        assert parse_atom(many.content).total_results == 2
    assert [r.path for r in arxiv_server.requests] == ["/api/query"] * 3


async def test_fake_serves_the_seed_example(arxiv_server: FakeArxivServer) -> None:
    paper = arxiv_server.lookup("2401.12215v1")
    assert paper is not None
    assert paper.title == (
        "Less Could Be Better: Parameter-efficient Fine-tuning Advances Medical Vision "
        "Foundation Models"
    )
    assert paper.authors == ("Chenyu Lian", "Hong-Yu Zhou", "Yizhou Yu", "Liansheng Wang")
    assert paper.primary_category == "cs.CV"
    assert paper.comment == "Technical report"
    assert paper.published is not None
    assert paper.published.date().isoformat() == "2024-01-22"
    assert "LoRA outperformed FFT in 13 out of 18 transfer learning tasks" in paper.abstract


def test_threaded_fake_serves_blocking_clients() -> None:
    with ThreadedArxivServer() as srv:
        srv.server.add_papers([V2])
        with httpx.Client() as client:
            answer = client.get(srv.url, params={"id_list": "2503.00001,hep-th/9901001"})
        assert answer.status_code == 200
        assert parse_atom(answer.content).papers == [V2]
        assert len(srv.server.requests) == 1


async def test_concurrent_requests_for_one_paper_share_one_lookup(
    arxiv_server: FakeArxivServer,
) -> None:
    source = ArxivSource(arxiv_server.url, min_interval=0.2, retries=0)
    try:
        ref = ArxivRef(arxiv_id="2401.12215", version=1)
        papers = await asyncio.gather(*(source.fetch_paper(ref) for _ in range(5)))
    finally:
        await source.aclose()
    assert {p.versioned_id for p in papers} == {"2401.12215v1"}
    assert len(arxiv_server.requests) == 1


async def test_a_failed_shared_lookup_fails_every_waiter(arxiv_server: FakeArxivServer) -> None:
    arxiv_server.fail_next(5, status=503)
    source = ArxivSource(arxiv_server.url, min_interval=0, retries=0)
    try:
        ref = ArxivRef(arxiv_id="2401.12215")
        results = await asyncio.gather(
            *(source.fetch_paper(ref) for _ in range(3)), return_exceptions=True
        )
    finally:
        await source.aclose()
    assert all(isinstance(r, ArxivUnavailable) for r in results)
    assert len(arxiv_server.requests) == 1
