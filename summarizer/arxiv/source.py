"""ArxivSource: paper metadata from the arXiv API (batched, polite, retried, cached in a store)."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Unpack

from summarizer.arxiv.atom import AtomFeed, AtomParseError, parse_atom
from summarizer.arxiv.http import Answer, ArxivHttp, ArxivHttpError, HttpOptions
from summarizer.errors import ArxivUnavailable, MalformedArxivId, PaperNotFound
from summarizer.models import ArxivRef, Paper
from summarizer.ports import PaperStore

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://export.arxiv.org/api/query"
BATCH_SIZE = 100  # arXiv's advice: at most 100 ids per id_list query
# Characters an id may carry into the query string; anything else never leaves the process.
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]*(?:/[0-9]{7})?")
# arXiv's error entry for a bad id: "incorrect id format for abc"
_BAD_ID_MESSAGE = re.compile(r"incorrect id format for (\S+)", re.IGNORECASE)
_Outcome = tuple[Paper | None, bool]  # (the paper if found, whether arXiv called the id malformed)


class ArxivSource:
    """`PaperSource` over the arXiv Atom API (`id_list` lookups); see DESIGN.md "arXiv rules".

    `retries` counts attempts after the first; `min_interval` spaces request starts for every
    ArxivSource talking to the same host on this event loop (arXiv asks for 1 request / 3 s).
    With a store, versioned refs are always served from it and unversioned ones for
    `metadata_ttl`; past that they are re-fetched (or served stale if arXiv is unreachable)."""

    def __init__(
        self,
        api_url: str = DEFAULT_API_URL,
        *,
        store: PaperStore | None = None,
        http: ArxivHttp | None = None,
        metadata_ttl: timedelta = timedelta(hours=12),
        **options: Unpack[HttpOptions],
    ) -> None:
        self.api_url = api_url
        self._store = store
        self._timeout = options.setdefault("timeout", 15.0)
        self._http, self._owns_http = ArxivHttp.shared_or_own(http, options)
        self._ttl = metadata_ttl
        # Lookups in flight, by ref: a concurrent request for the same paper joins the first
        # one instead of queueing another request behind arXiv's 3 s spacing.
        self._inflight: dict[ArxivRef, asyncio.Future[_Outcome]] = {}

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def fetch_paper(self, ref: ArxivRef) -> Paper:
        found, malformed = await self._fetch([ref])
        if ref in malformed:
            raise MalformedArxivId(ref.versioned)
        if ref not in found:
            raise PaperNotFound(ref.versioned)
        return found[ref]

    async def fetch_papers(self, refs: Sequence[ArxivRef]) -> dict[ArxivRef, Paper]:
        found, _ = await self._fetch(refs)
        return found

    async def known_papers(self, refs: Sequence[ArxivRef]) -> dict[ArxivRef, Paper]:
        """Stored metadata still within its TTL, without asking arXiv (what may be served
        from the cache before the per-user limit is consulted)."""
        if self._store is None or not refs:
            return {}
        fresh_after = datetime.now(UTC) - self._ttl
        return await self._store.get_papers(list(dict.fromkeys(refs)), fresh_after=fresh_after)

    async def _fetch(self, refs: Sequence[ArxivRef]) -> tuple[dict[ArxivRef, Paper], set[ArxivRef]]:
        wanted = list(dict.fromkeys(refs))
        found: dict[ArxivRef, Paper] = {}
        if self._store is not None and wanted:
            fresh_after = datetime.now(UTC) - self._ttl
            found.update(await self._store.get_papers(wanted, fresh_after=fresh_after))
        malformed = {r for r in wanted if not _SAFE_ID.fullmatch(r.arxiv_id)}
        missing = [r for r in wanted if r not in found and r not in malformed]
        joined = {r: self._inflight[r] for r in missing if r in self._inflight}
        mine = [r for r in missing if r not in joined]
        loop = asyncio.get_running_loop()
        futures = {r: loop.create_future() for r in mine}
        self._inflight.update(futures)
        try:
            fetched, bad = await self._fetch_missing(mine)
        except BaseException as exc:
            for future in futures.values():
                future.set_exception(exc)
                future.exception()  # retrieved here: joiners still get it, nobody else warns
            raise
        finally:
            for r in mine:
                self._inflight.pop(r, None)
        for r, future in futures.items():
            future.set_result((fetched.get(r), r in bad))
        found.update(fetched)
        malformed |= bad
        for r, future in joined.items():
            paper, was_malformed = await future
            if paper is not None:
                found[r] = paper
            if was_malformed:
                malformed.add(r)
        return {r: found[r] for r in wanted if r in found}, malformed

    async def _fetch_missing(
        self, missing: list[ArxivRef]
    ) -> tuple[dict[ArxivRef, Paper], set[ArxivRef]]:
        found: dict[ArxivRef, Paper] = {}
        malformed: set[ArxivRef] = set()
        for start in range(0, len(missing), BATCH_SIZE):
            chunk = missing[start : start + BATCH_SIZE]
            try:
                papers, bad = await self._lookup(chunk)
            except ArxivUnavailable as exc:
                found.update(await self._stale_or_raise(chunk, exc))
                continue
            malformed |= bad
            found.update(_match(chunk, papers))
            if self._store is not None and papers:
                await self._store.save_papers(papers)
        return found, malformed

    async def _stale_or_raise(
        self, chunk: list[ArxivRef], exc: ArxivUnavailable
    ) -> dict[ArxivRef, Paper]:
        """arXiv is down: metadata older than the TTL beats no answer, if it covers every ref."""
        stale = await self._store.get_papers(chunk) if self._store is not None else {}
        if len(stale) < len(chunk):
            raise exc
        log.warning("arXiv unavailable; serving %d stored papers past their TTL", len(stale))
        return stale

    async def _lookup(self, refs: list[ArxivRef]) -> tuple[list[Paper], set[ArxivRef]]:
        """One id_list query; ids arXiv rejects as malformed are dropped and the rest re-asked."""
        pending, bad = list(refs), set[ArxivRef]()
        while pending:
            status, feed = await self._query(pending)
            if status == 200:
                return feed.papers, bad
            rejected = _rejected(feed, pending)
            if not rejected:
                raise ArxivUnavailable(self.api_url, f"HTTP {status}: {'; '.join(feed.errors)}")
            bad |= rejected
            pending = [r for r in pending if r not in rejected]
        return [], bad

    async def _query(self, refs: list[ArxivRef]) -> tuple[int, AtomFeed]:
        ids = ",".join(r.versioned for r in refs)
        # Built by hand: arXiv documents literal commas (and slashes of legacy ids) in id_list.
        url = f"{self.api_url}?id_list={ids}&start=0&max_results={len(refs)}"
        try:
            return await self._http.get(
                url,
                self._read,
                accept="application/atom+xml",
                ok_status=(200, 400),
                request_timeout=self._timeout,
            )
        except ArxivHttpError as exc:
            raise ArxivUnavailable(self.api_url, exc.reason) from exc

    def _read(self, answer: Answer) -> tuple[int, AtomFeed]:
        try:
            return answer.status, parse_atom(answer.body)
        except AtomParseError as exc:
            raise ArxivUnavailable(
                self.api_url, f"HTTP {answer.status}, unreadable body: {exc}"
            ) from exc


def _rejected(feed: AtomFeed, pending: list[ArxivRef]) -> set[ArxivRef]:
    """The refs an arXiv 400 error entry names (a lone ref is the culprit by elimination)."""
    named = {m[1] for e in feed.errors if (m := _BAD_ID_MESSAGE.search(e))}
    rejected = {r for r in pending if r.versioned in named or r.arxiv_id in named}
    if not rejected and len(pending) == 1 and feed.errors:
        rejected = set(pending)
    return rejected


def _match(refs: list[ArxivRef], papers: list[Paper]) -> dict[ArxivRef, Paper]:
    """Map answers back to the refs asked for by id (arXiv may reorder a batch)."""
    exact = {(p.arxiv_id, p.version): p for p in papers}
    latest: dict[str, Paper] = {}
    for p in papers:
        if p.arxiv_id not in latest or (p.version or 0) > (latest[p.arxiv_id].version or 0):
            latest[p.arxiv_id] = p
    found: dict[ArxivRef, Paper] = {}
    for ref in refs:
        hit = exact.get((ref.arxiv_id, ref.version)) if ref.version else latest.get(ref.arxiv_id)
        if hit is not None:
            found[ref] = hit
    return found
