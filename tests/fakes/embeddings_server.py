"""A fake OpenAI-compatible embeddings server on 127.0.0.1: `POST /v1/embeddings` answering
as OpenAI documents it (object list, data[].index/embedding, usage; errors as {"error": {...}}).
Vectors come from the lexical HashingEmbedder so similar texts get similar vectors."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from summarizer.embeddings.hashing import HashingEmbedder


class FakeEmbeddingsServer:
    def __init__(self, api_key: str = "sk-test", dim: int = 64) -> None:
        self.api_key = api_key
        self.embedder = HashingEmbedder(dim)
        self.requests: list[dict[str, Any]] = []
        self.fail_next: int = 0
        self.short_next: bool = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def embeddings(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return self._error(401, "Incorrect API key provided", "invalid_api_key")
        body = await request.json()
        self.requests.append(body)
        if self.fail_next:
            self.fail_next -= 1
            return self._error(500, "The server had an error", "server_error")
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        vectors = self.embedder.embed(texts)
        data = [
            {"object": "embedding", "index": i, "embedding": [float(x) for x in vectors[i]]}
            for i in range(len(texts))
        ]
        if self.short_next:
            self.short_next = False
            data = data[:-1]
        data.reverse()  # clients must order by `index`, not by position
        tokens = sum(len(t.split()) for t in texts)
        answer = {
            "object": "list",
            "data": data,
            "model": body["model"],
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }
        return web.json_response(answer)

    @staticmethod
    def _error(status: int, message: str, code: str) -> web.Response:
        payload = {"error": {"message": message, "type": "invalid_request_error", "code": code}}
        return web.Response(
            status=status, text=json.dumps(payload), content_type="application/json"
        )

    async def start(self) -> None:
        app = web.Application()
        app.add_routes([web.post("/v1/embeddings", self.embeddings)])
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
