"""Relevance as the digest and the commands use it: vectors computed once per paper and stored,
a chat's profile from its signals, ranking, and similar recent papers."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np

from handlers.digest.types import Match, Topic, TopicKind
from handlers.ports import ChatSettings
from handlers.relevance.ports import RelevanceStore
from handlers.relevance.profile import Profile, Vectors
from handlers.relevance.ranking import DayIndex, Ranked, rank
from handlers.types import ChatRef
from summarizer.embeddings import Embedder, EmbeddingError, paper_text
from summarizer.embeddings.hashing import HashingEmbedder
from summarizer.embeddings.hybrid import HybridEmbedder
from summarizer.models import Paper

log = logging.getLogger(__name__)

RECENT_DAYS = 14
INTEREST_CACHE = 4096


class Relevance:
    def __init__(self, embedder: Embedder, store: RelevanceStore) -> None:
        self.embedder = embedder
        self.store = store
        self._interests: dict[str, np.ndarray] = {}
        self._background: set[asyncio.Task[None]] = set()

    async def vectors(self, papers: Sequence[Paper]) -> dict[str, np.ndarray]:
        """Each paper's vector: stored ones read, missing ones computed once and stored. When
        the backend fails, whatever was stored (rank lexically for the rest, logged)."""
        ids = [p.arxiv_id for p in papers]
        found = await self.store.get_vectors(self.embedder.name, ids)
        missing = [p for p in papers if p.arxiv_id not in found]
        if missing:
            texts = [paper_text(p.title, p.abstract) for p in missing]
            try:
                rows = await self.embedder.passages(texts)
            except EmbeddingError as exc:
                log.warning(
                    "embeddings unavailable (%s): lexical ranking for %d papers", exc, len(missing)
                )
                if isinstance(self.embedder, HybridEmbedder) and self.embedder.semantic.dim:
                    words = self.embedder.lexical_only(texts)
                    found.update({p.arxiv_id: words[i] for i, p in enumerate(missing)})
                return found
            fresh = {p.arxiv_id: rows[i] for i, p in enumerate(missing)}
            await self.store.save_vectors(self.embedder.name, fresh)
            found.update(fresh)
        return found

    async def remember(
        self, chat: ChatRef, papers: Sequence[Paper], source: str, *, wait: bool = True
    ) -> None:
        """The chat liked (`/like`) or asked for these papers: store the signal and their
        vectors, so the next digest ranks similar papers higher. `wait=False` (on-demand
        replies) computes the vectors in the background instead of delaying the answer."""
        if not papers:
            return
        await self.store.add_interests(chat, [p.arxiv_id for p in papers], source)
        if wait:
            await self.vectors(papers)
            return
        task = asyncio.create_task(self._vectors_quietly(list(papers)))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def aclose(self) -> None:
        """Stop background embedding before the database closes (a task cut off later would
        leave its connection open; the vectors are computed again when next needed)."""
        tasks = list(self._background)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        close = getattr(self.embedder, "aclose", None)
        if close is not None:
            await close()

    async def _vectors_quietly(self, papers: list[Paper]) -> None:
        try:
            await self.vectors(papers)
        except Exception:  # a background nicety: never an unhandled task error
            log.exception("embedding %d asked-for papers failed", len(papers))

    async def day(self, papers: Sequence[Paper]) -> DayIndex:
        """One announcement's index (vectors for every paper, zero rows where unknown)."""
        found = await self.vectors(papers)
        matrix: Vectors | None = None
        if found:
            dim = next(iter(found.values())).shape[-1]
            matrix = np.zeros((len(papers), dim), dtype=np.float32)
            for i, paper in enumerate(papers):
                if paper.arxiv_id in found:
                    matrix[i] = found[paper.arxiv_id]
        return DayIndex([Match(paper=p, score=0.0, topics=()) for p in papers], matrix)

    async def interest_vectors(self, texts: Sequence[str]) -> Vectors:
        """`~` interests in the papers' space (cached); while the meaning backend is down,
        their lexical part only (a hybrid) or plain lexical vectors, not cached."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._interests]
        fallback: dict[str, np.ndarray] = {}
        if todo:
            try:
                rows = await self.embedder.queries(todo)
            except EmbeddingError as exc:
                log.warning("embeddings unavailable for interests (%s)", exc)
                if isinstance(self.embedder, HybridEmbedder) and self.embedder.semantic.dim:
                    rows = self.embedder.lexical_only(todo)
                else:
                    rows = HashingEmbedder().embed(todo)
                fallback = {t: rows[i] for i, t in enumerate(todo)}
            else:
                if len(self._interests) > INTEREST_CACHE:
                    self._interests.clear()
                self._interests.update({t: rows[i] for i, t in enumerate(todo)})
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        chosen = [fallback[t] if t in fallback else self._interests[t] for t in texts]
        stacked: Vectors = np.stack(chosen).astype(np.float32)
        return stacked

    async def profile(self, chat: ChatRef, topics: Sequence[Topic]) -> Profile:
        signals = await self.store.signals(chat)
        vectors = await self.store.get_vectors(self.embedder.name, [s.arxiv_id for s in signals])
        names = [t.interest for t in topics if t.kind is TopicKind.INTEREST and t.interest]
        interests = await self.interest_vectors(names) if names else None
        if interests is not None and vectors:
            dim = next(iter(vectors.values())).shape[-1]
            if interests.shape[-1] != dim:  # a failed backend answered in another space
                interests, names = None, []
        return Profile.build(signals, vectors, interests=interests, interest_names=names)

    async def rank_chat(
        self,
        day: DayIndex,
        chat: ChatRef,
        matches: Sequence[Match],
        topics: Sequence[Topic],
        settings: ChatSettings,
        *,
        limit: int,
        when: datetime | None = None,
    ) -> list[Ranked]:
        profile = await self.profile(chat, topics)
        day_of = (when or datetime.now(UTC)).date().isoformat()
        seed = zlib.crc32(f"{chat.platform}:{chat.chat_id}:{day_of}".encode())
        return rank(
            day,
            matches,
            topics,
            profile,
            limit=limit,
            mode=settings.rank_mode,
            explore=settings.explore,
            seed=seed,
        )

    async def order(
        self,
        day: DayIndex,
        chat: ChatRef,
        matches: Sequence[Match],
        topics: Sequence[Topic],
        settings: ChatSettings,
        *,
        limit: int,
        when: datetime | None = None,
    ) -> list[Match]:
        """The digest's order for this chat: the ranked best `limit` (each with its reason),
        then the rest in matching's order; papers matched only by a `~` interest and not
        close to it are left out."""
        if not matches:
            return []
        try:
            ranked = await self.rank_chat(
                day, chat, matches, topics, settings, limit=limit, when=when
            )
        except Exception:  # ranking must never cost a chat its digest
            log.exception("ranking failed for %s: matching's order", chat)
            return list(matches)
        top = [dataclasses.replace(r.match, reason=r.reason) for r in ranked]
        picked = {m.paper.arxiv_id for m in top}
        interests = {t.raw for t in topics if t.kind is TopicKind.INTEREST}
        rest = [
            m
            for m in matches
            if m.paper.arxiv_id not in picked and not (m.topics and set(m.topics) <= interests)
        ]
        return top + rest

    async def similar(self, paper: Paper, *, limit: int = 5) -> list[tuple[str, float]]:
        """Recent announced papers closest to `paper` (itself excluded), best first; by
        meaning alone when the space has a meaning part (a hybrid's leading columns)."""
        target = (await self.vectors([paper])).get(paper.arxiv_id)
        if target is None:
            return []
        head = self.embedder.semantic_dim if isinstance(self.embedder, HybridEmbedder) else None
        if head:
            target = target[:head] / max(float(np.linalg.norm(target[:head])), 1e-12)
        since = datetime.now(UTC) - timedelta(days=RECENT_DAYS)
        recent = await self.store.recent_vectors(self.embedder.name, since, head=head)
        recent.pop(paper.arxiv_id, None)
        if not recent:
            return []
        ids = list(recent)
        rows = np.stack([recent[i] for i in ids])
        sims = rows @ target / np.maximum(np.linalg.norm(rows, axis=1), 1e-12)
        best = np.argsort(-sims)[:limit]
        return [(ids[i], float(sims[i])) for i in best]
