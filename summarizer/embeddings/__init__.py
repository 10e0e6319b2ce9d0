"""Text embeddings of papers and interests: the port, and the choice of implementation."""

from summarizer.embeddings.port import Embedder, EmbeddingError, paper_text

__all__ = ["Embedder", "EmbeddingError", "paper_text"]
