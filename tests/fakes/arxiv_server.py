"""pytest plugin and helper: a fake arXiv API (`GET /api/query`) on 127.0.0.1 with faults."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import re
import threading
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Self

import pytest
from aiohttp import web

from summarizer.arxiv.atom import parse_atom
from summarizer.models import Paper
from tests.fakes.atom_writer import render_atom
from tests.fakes.loopback import LoopbackSite

REAL_DIR = Path(__file__).resolve().parent.parent / "data" / "real"
# arXiv's own syntax check is looser than ours: `0000.0000` and `0808.05394` get a 200 (empty).
_ID_SYNTAX = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Za-z]{2})?/\d{7})(?:v\d+)?")
_VERSIONED = re.compile(r"(?P<id>.+?)(?:v(?P<v>\d+))?")

# arXiv:2401.12215v1, metadata as on arXiv (abstract from shared/seed, the day's digest).
LESS_COULD_BE_BETTER = Paper(
    arxiv_id="2401.12215",
    version=1,
    title="Less Could Be Better: Parameter-efficient Fine-tuning Advances Medical Vision "
    "Foundation Models",
    authors=("Chenyu Lian", "Hong-Yu Zhou", "Yizhou Yu", "Liansheng Wang"),
    abstract=(
        "Parameter-efficient fine-tuning (PEFT) that was initially developed for exploiting "
        "pre-trained large language models has recently emerged as an effective approach to "
        "perform transfer learning on computer vision tasks. However, the effectiveness of PEFT "
        "on medical vision foundation models is still unclear and remains to be explored. As a "
        "proof of concept, we conducted a detailed empirical study on applying PEFT to chest "
        "radiography foundation models. Specifically, we delved into LoRA, a representative PEFT "
        "method, and compared it against full-parameter fine-tuning (FFT) on two self-supervised "
        "radiography foundation models across three well-established chest radiograph datasets. "
        "Our results showed that LoRA outperformed FFT in 13 out of 18 transfer learning tasks "
        "by at most 2.9% using fewer than 1% tunable parameters. Combining LoRA with foundation "
        "models, we set up new state-of-the-art on a range of data-efficient learning tasks, "
        "such as an AUROC score of 80.6% using 1% labeled data on NIH ChestX-ray14. We hope this "
        "study can evoke more attention from the community in the use of PEFT for transfer "
        "learning on medical imaging tasks. Code and models are available at "
        "https://github.com/RL4M/MED-PEFT."
    ),
    categories=("cs.CV",),
    primary_category="cs.CV",
    published=datetime(2024, 1, 22, tzinfo=UTC),
    updated=datetime(2024, 1, 22, tzinfo=UTC),
    comment="Technical report",
)


@cache
def real_papers() -> tuple[Paper, ...]:
    """Every paper in the recorded payloads of tests/data/real/*.xml."""
    return tuple(
        p for f in sorted(REAL_DIR.glob("*.xml")) for p in parse_atom(f.read_bytes()).papers
    )


def seed_papers() -> list[Paper]:
    """The lead's demo papers, when `summarizer.demo_data.load_seed_papers` exists."""
    try:
        loader = importlib.import_module("summarizer.demo_data").load_seed_papers
        return list(loader())
    except (ImportError, AttributeError, OSError, ValueError):
        return []


def _fill_from(known: dict[tuple[str, int | None], Paper], papers: list[Paper]) -> list[Paper]:
    """Seed papers win, but a field the seed leaves empty keeps the built-in default's value."""
    filled = []
    for p in papers:
        base = known.get((p.arxiv_id, p.version))
        if base is not None:
            gaps = {k: getattr(base, k) for k, v in p if v in (None, ()) and getattr(base, k)}
            p = p.model_copy(update=gaps)
        filled.append(p)
    return filled


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    raw_query: str
    at: float  # time.monotonic() when the request arrived
    headers: dict[str, str]


@dataclass(frozen=True)
class _Fault:
    kind: str  # "status" | "delay" | "drop"
    status: int = 503
    seconds: float = 0.0
    retry_after: str | None = None


class FakeArxivServer(LoopbackSite):
    """`GET /api/query` like export.arxiv.org: id_list lookups with versions, errors, faults."""

    def __init__(self, *, preload: bool = True, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port
        self.papers: dict[tuple[str, int | None], Paper] = {}
        self.requests: list[RecordedRequest] = []
        self._faults: list[_Fault] = []
        self.reverse_answers = False  # answer a batch in reverse order (arXiv may reorder)
        self.in_flight = 0
        self.max_in_flight = 0
        self._runner: web.AppRunner | None = None
        self._closing: asyncio.Event | None = None
        if preload:
            self.add_papers(real_papers())
            self.add_papers([LESS_COULD_BE_BETTER])
            self.add_papers(_fill_from(self.papers, seed_papers()))

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/api/query"

    def add_papers(self, papers: Iterable[Paper]) -> None:
        for p in papers:
            self.papers[(p.arxiv_id, p.version)] = p

    def fail_next(self, n: int = 1, *, status: int = 503, retry_after: float | None = None) -> None:
        after = None if retry_after is None else f"{retry_after:g}"
        self._faults += [_Fault("status", status=status, retry_after=after)] * n

    def delay_next(self, seconds: float, n: int = 1) -> None:
        self._faults += [_Fault("delay", seconds=seconds)] * n

    def drop_next(self, n: int = 1) -> None:
        """Close the connection without any answer."""
        self._faults += [_Fault("drop")] * n

    def lookup(self, raw_id: str) -> Paper | None:
        m = _VERSIONED.fullmatch(raw_id)
        if m is None:
            return None
        arxiv_id = re.sub(r"^([a-z\-]+)\.[A-Za-z]{2}/", r"\1/", m["id"])  # math.GT/… is math/…
        if m["v"]:
            return self.papers.get((arxiv_id, int(m["v"])))
        versions = [p for (aid, _), p in self.papers.items() if aid == arxiv_id]
        return max(versions, key=lambda p: p.version or 0, default=None)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self._respond(request)
        finally:
            self.in_flight -= 1

    async def _respond(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(
            RecordedRequest(
                request.method,
                request.path,
                dict(request.query),
                request.query_string,
                time.monotonic(),
                dict(request.headers),
            )
        )
        fault = self._faults.pop(0) if self._faults else None
        if fault is not None and fault.kind == "drop":
            assert request.transport is not None
            request.transport.close()
            return web.Response()
        if fault is not None and fault.kind == "delay" and self._closing is not None:
            # Wakes early when the server stops, so cleanup never waits for a delay.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), fault.seconds)
        if fault is not None and fault.kind == "status":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            return web.Response(status=fault.status, text="Service Unavailable", headers=headers)
        return self._answer(request)

    def _answer(self, request: web.Request) -> web.Response:
        query = request.query_string
        ids = [i.strip() for i in request.query.get("id_list", "").split(",") if i.strip()]
        for raw in ids:
            if not _ID_SYNTAX.fullmatch(raw):
                slug = re.sub(r"\W", "_", raw)
                body = render_atom(
                    [],
                    query=query,
                    errors=[(f"incorrect_id_format_for_{slug}", f"incorrect id format for {raw}")],
                )
                return _atom(body, status=400)
        found = [p for raw in ids if (p := self.lookup(raw)) is not None]
        if self.reverse_answers:
            found.reverse()
        try:
            start = int(request.query.get("start", "0"))
            max_results = int(request.query.get("max_results", "10"))  # arXiv's default
        except ValueError:
            return _atom(render_atom([], query=query, errors=[("bad_int", "bad start")]), 400)
        page = found[start : start + max_results]
        return _atom(render_atom(page, total=len(found), query=query))

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/api/query", self._handle)

    async def start(self) -> Self:
        self._closing = asyncio.Event()
        return await super().start()

    async def stop(self) -> None:
        if self._closing is not None:
            self._closing.set()
        await super().stop()


def _atom(body: bytes, status: int = 200) -> web.Response:
    return web.Response(
        body=body, status=status, headers={"Content-Type": "application/atom+xml; charset=UTF-8"}
    )


class ThreadedArxivServer:
    """The fake on its own loop in a thread: for blocking callers (a `subprocess.run` CLI test).

    with ThreadedArxivServer() as srv: subprocess.run([...], env={"PAPERBOT_ARXIV_API_URL": srv.url})
    """

    def __init__(self, **kwargs: Any) -> None:
        self.server = FakeArxivServer(**kwargs)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def url(self) -> str:
        return self.server.url

    def __enter__(self) -> ThreadedArxivServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self._loop).result(timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()


@pytest.fixture
async def arxiv_server() -> AsyncIterator[FakeArxivServer]:
    """A running fake arXiv API; `.url` is the value for PAPERBOT_ARXIV_API_URL."""
    async with FakeArxivServer() as server:
        yield server


@pytest.fixture
def arxiv_server_thread() -> Iterator[ThreadedArxivServer]:
    """The same fake in a background thread, for tests that block (subprocesses)."""
    with ThreadedArxivServer() as server:
        yield server


def main() -> None:  # pragma: no cover - manual use: python -m tests.fakes.arxiv_server
    async def serve() -> None:
        async with FakeArxivServer() as server:
            print(server.url, flush=True)
            await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":  # pragma: no cover
    main()
