"""Relevance over the hybrid space (meaning + words): graceful degradation while the meaning
backend is down, and `相关论文` by meaning; with a fake of our own Embedder port."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from handlers.relevance.service import Relevance
from summarizer.embeddings import EmbeddingError
from summarizer.embeddings.hashing import HashingEmbedder
from summarizer.embeddings.hybrid import HybridEmbedder
from summarizer.embeddings.port import Vectors, normalise
from tests.fakes.relevance import MemoryRelevanceStore
from tests.fakes.services import sample_paper

# Meaning by topic word, whatever the other words: "hallucination" and "幻觉" mean the same.
TOPICS = {"hallucination": 0, "幻觉": 0, "sorting": 1, "protein": 2}


class TopicMeaning:
    """An Embedder whose meaning is the topic words a text contains; `down` makes it fail."""

    name = "topics"
    dim = 3

    def __init__(self) -> None:
        self.down = False
        self.calls = 0

    def _rows(self, texts: Sequence[str]) -> Vectors:
        self.calls += 1
        if self.down:
            raise EmbeddingError("endpoint unreachable")
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word, axis in TOPICS.items():
                rows[i, axis] += word in text.lower()
        return normalise(rows)

    async def passages(self, texts: Sequence[str]) -> Vectors:
        return self._rows(texts)

    async def queries(self, texts: Sequence[str]) -> Vectors:
        return self._rows(texts)


PAPERS = [
    sample_paper("2401.00001", title="Hallucination in multimodal models",
                 abstract="We measure hallucination of vision language models."),
    sample_paper("2401.00002", title="When captions invent objects: a hallucination study",
                 abstract="Captioners describe things that are not there."),
    sample_paper("2401.00003", title="Sorting networks for multimodal models",
                 abstract="We measure sorting of vision language models."),
]  # fmt: skip


def relevance() -> tuple[Relevance, TopicMeaning, MemoryRelevanceStore]:
    meaning = TopicMeaning()
    store = MemoryRelevanceStore()
    return Relevance(HybridEmbedder(meaning, HashingEmbedder(512)), store), meaning, store


async def test_meaning_down_ranks_by_words_and_stores_nothing_until_it_is_back() -> None:
    service, meaning, store = relevance()
    meaning.down = True
    degraded = await service.vectors(PAPERS)
    assert set(degraded) == {p.arxiv_id for p in PAPERS} and not store.vectors
    rows = np.stack([degraded[p.arxiv_id] for p in PAPERS])
    assert not rows[:, :3].any() and np.allclose(np.linalg.norm(rows, axis=1), 1.0)
    day = await service.day(PAPERS)
    assert day.vectors is not None and day.vectors.shape == (3, 3 + 512)
    meaning.down = False
    healthy = await service.vectors(PAPERS)
    assert len(store.vectors) == 3 and healthy["2401.00001"][:3].any()


async def test_interests_are_not_cached_while_the_meaning_backend_is_down() -> None:
    service, meaning, _ = relevance()
    meaning.down = True
    [words] = await service.interest_vectors(["幻觉"])
    assert not words[:3].any()
    meaning.down = False
    [full] = await service.interest_vectors(["幻觉"])
    assert full[0] > 0  # asked again once the backend is back, not the words-only row
    calls = meaning.calls
    await service.interest_vectors(["幻觉"])
    assert meaning.calls == calls  # now cached


async def test_related_papers_follow_meaning_not_shared_words() -> None:
    service, _, _ = relevance()
    await service.vectors(PAPERS)
    ranked = await service.similar(PAPERS[0])
    # 2401.00003 shares most words with 2401.00001; 2401.00002 shares its meaning
    assert [arxiv_id for arxiv_id, _ in ranked] == ["2401.00002", "2401.00003"]
    assert ranked[0][1] > 0.99
