"""pytest plugin: fake Gemini and OpenAI-compatible servers on 127.0.0.1 with scripted replies.

Outside pytest: `python -m tests.fakes.llm_servers gemini --port 0` prints its base URL and serves
until killed (`openai` instead of `gemini` for the chat-completions fake).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest_asyncio
from aiohttp import web

from summarizer.errors import PaperNotFound
from summarizer.models import ArxivRef, Paper
from summarizer.prompt import PAPER_BEGIN, PAPER_END
from summarizer.providers.gemini import GeminiProvider
from summarizer.providers.openai_compat import OpenAICompatProvider

API_KEY = "test-llm-key"
GEMINI_MODEL = "gemini-test"
OPENAI_MODEL = "qwen-test"
# Shut down by their vendors (2026-12-01: Gemini API deprecations page; DeepSeek retired the
# deepseek-chat/-reasoner names on 2026-07-24): the fakes answer 404 for them, as the real APIs do.
RETIRED_MODELS = frozenset(
    {"gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.0-flash", "deepseek-chat", "deepseek-reasoner"}
)


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    system: str
    user: str

    @property
    def prompt(self) -> str:
        return f"{self.system}\n{self.user}"


@dataclass
class Scripted:
    """One queued reply: model text (`text`), or an HTTP error (`status`), or a raw body."""

    text: str | None = None
    status: int = 200
    message: str = ""
    body: dict[str, Any] | None = None


Responder = Callable[[RecordedRequest], Any]


# --- sample papers (real arXiv metadata, from the seed digest) and a static PaperSource -----

LORA_ABSTRACT = (
    "Parameter-efficient fine-tuning (PEFT) that was initially developed for exploiting "
    "pre-trained large language models has recently emerged as an effective approach to perform "
    "transfer learning on computer vision tasks. However, the effectiveness of PEFT on medical "
    "vision foundation models is still unclear and remains to be explored. As a proof of concept, "
    "we conducted a detailed empirical study on applying PEFT to chest radiography foundation "
    "models. Specifically, we delved into LoRA, a representative PEFT method, and compared it "
    "against full-parameter fine-tuning (FFT) on two self-supervised radiography foundation models "
    "across three well-established chest radiograph datasets. Our results showed that LoRA "
    "outperformed FFT in 13 out of 18 transfer learning tasks by at most 2.9% using fewer than 1% "
    "tunable parameters. Combining LoRA with foundation models, we set up new state-of-the-art on "
    "a range of data-efficient learning tasks, such as an AUROC score of 80.6% using 1% labeled "
    "data on NIH ChestX-ray14. We hope this study can evoke more attention from the community in "
    "the use of PEFT for transfer learning on medical imaging tasks. Code and models are available "
    "at https://github.com/RL4M/MED-PEFT."
)
LORA_PAPER = Paper(
    arxiv_id="2401.12215",
    version=1,
    title="Less Could Be Better: Parameter-efficient Fine-tuning Advances Medical Vision "
    "Foundation Models",
    authors=("Chenyu Lian", "Hong-Yu Zhou", "Yizhou Yu", "Liansheng Wang"),
    abstract=LORA_ABSTRACT,
    categories=("cs.CV",),
    primary_category="cs.CV",
    comment="Technical report",
)
FINSQL_ABSTRACT = (
    "Text-to-SQL, which provides zero-code interface for operating relational databases, has "
    "gained much attention in financial analysis; because, financial professionals may not "
    "well-skilled in SQL programming. However, until now, there is no practical Text-to-SQL "
    "benchmark dataset for financial analysis, and existing Text-to-SQL methods have not "
    "considered the unique characteristics of databases in financial applications, such as "
    "commonly existing wide tables. To address these issues, we collect a practical Text-to-SQL "
    "benchmark dataset and propose a model-agnostic Large Language Model (LLMs)-based Text-to-SQL "
    "framework for financial analysis. The benchmark dataset, BULL, is collected from the "
    "practical financial analysis business of Hundsun Technologies Inc., including databases for "
    "fund, stock, and macro economy. Besides, the proposed LLMs-based Text-to-SQL framework, "
    "FinSQL, provides a systematic treatment for financial Text-to-SQL from the perspectives of "
    "prompt construction, parameter-efficient fine-tuning and output calibration. Extensive "
    "experimental results on BULL demonstrate that FinSQL achieves the state-of-the-art "
    "Text-to-SQL performance at a small cost; furthermore, FinSQL can bring up to 36.64% "
    "performance improvement in scenarios requiring few-shot cross-database model transfer."
)
FINSQL_PAPER = Paper(
    arxiv_id="2401.10506",
    version=1,
    title="FinSQL: Model-Agnostic LLMs-based Text-to-SQL Framework for Financial Analysis",
    authors=("Chao Zhang", "Yuren Mao", "Yijiang Fan", "Yu Mi", "Yunjun Gao", "Lu Chen"),
    abstract=FINSQL_ABSTRACT,
    categories=("cs.CL", "cs.DB"),
    primary_category="cs.CL",
)


class StaticPaperSource:
    """A hand-written PaperSource holding Paper objects; counts the fetches it answers."""

    def __init__(self, *papers: Paper) -> None:
        self.papers = {p.arxiv_id: p for p in papers}
        self.fetches = 0

    async def fetch_papers(self, refs: Sequence[ArxivRef]) -> dict[ArxivRef, Paper]:
        self.fetches += 1
        return {ref: self.papers[ref.arxiv_id] for ref in refs if ref.arxiv_id in self.papers}

    async def known_papers(self, refs: Sequence[ArxivRef]) -> dict[ArxivRef, Paper]:
        """Known without a fetch (not counted)."""
        return {ref: self.papers[ref.arxiv_id] for ref in refs if ref.arxiv_id in self.papers}

    async def fetch_paper(self, ref: ArxivRef) -> Paper:
        found = await self.fetch_papers([ref])
        if ref not in found:
            raise PaperNotFound(ref.arxiv_id)
        return found[ref]


# --- the default model: a valid Chinese summary of whatever paper the prompt carries ---------


def paper_fields(user: str) -> tuple[str, str]:
    """(title, abstract) from the paper block of our prompt; the whole text if none is found."""
    start, end = user.find(PAPER_BEGIN), user.find(PAPER_END)
    block = user[start + len(PAPER_BEGIN) : end] if 0 <= start < end else user
    title = re.search(r"标题（Title）：(.*)", block)
    abstract = re.search(r"摘要（Abstract）：(.*)", block)
    return (
        title.group(1).strip() if title else "",
        abstract.group(1).strip() if abstract else block.strip(),
    )


def abstract_numbers(abstract: str, limit: int = 3) -> list[str]:
    """Standalone numbers of the abstract as written (never parts of names like GPT-4)."""
    found = re.findall(r"(?<![\w.,/-])\d+(?:\.\d+)?%?(?![\w.,/-]|\.\d)", abstract)
    return list(dict.fromkeys(found))[:limit]


def default_summary(request: RecordedRequest) -> dict[str, Any]:
    title, abstract = paper_fields(request.user)
    short_title = " ".join(title.split()[:10]) or "arXiv"
    numbers = abstract_numbers(abstract)
    figures = (
        f"实验报告的关键数字包括 {'、'.join(numbers)}，均来自论文摘要。"
        if numbers
        else "实验结果表明所提方法在多项任务上效果良好。"
    )
    title_zh = f"关于该论文（{short_title}）的研究"
    if '"tldr"' in request.prompt:
        return {
            "title_zh": title_zh,
            "tldr": "本文针对所研究的问题提出了一种新方法，并通过实验验证了其有效性。",
            "highlights": [
                "论文梳理了研究背景以及现有方法的不足。",
                "作者提出了新的技术方案，并给出了具体的实现步骤。",
                figures,
            ],
        }
    return {
        "title_zh": title_zh,
        "keywords": ["机器学习", "实验评估", "方法设计"],
        "background": "该领域的研究日益受到关注，但仍存在尚未解决的问题。",
        "prior_work": "现有方法在效率和效果上存在不足，难以满足实际需求。",
        "approach": "作者提出了一种新的方法来解决上述问题。",
        "results": figures,
        "methods": ["分析现有方法的不足。", "设计新的模型结构。", "在公开数据集上进行实验。"],
        "innovation": "提出了新的思路并加以验证。",
        "performance": figures,
        "workload": "作者完成了较为充分的实验与对比分析。",
    }


# --- the servers -----------------------------------------------------------------------------


class FakeLLMServer:
    """Shared plumbing: the script queue, the request log (every request, rejected ones too)
    and the aiohttp runner."""

    def __init__(self, api_key: str = API_KEY) -> None:
        self.api_key = api_key
        self.script: deque[Scripted] = deque()
        self.requests: list[RecordedRequest] = []
        self.responder: Responder = default_summary
        self.delay = 0.0  # seconds every answer waits (a slow or hanging endpoint)
        # the models served: None serves any model but the retired ones
        self.models: set[str] | None = None
        self.retired: set[str] = set(RETIRED_MODELS)
        self.pace = StreamPace()  # how a streamed answer trickles out (stream requests only)
        self.streamed = 0  # streamed answers served
        self.port = 0
        self._runner: web.AppRunner | None = None

    # scripting
    def enqueue_json(self, obj: Any) -> None:
        self.script.append(Scripted(text=json.dumps(obj, ensure_ascii=False)))

    def enqueue_text(self, raw: str) -> None:
        self.script.append(Scripted(text=raw))

    def enqueue_status(self, status: int, message: str = "", *, times: int = 1) -> None:
        for _ in range(times):
            self.script.append(Scripted(status=status, message=message or f"fake error {status}"))

    def enqueue_body(self, body: dict[str, Any]) -> None:
        """A complete protocol response body (e.g. a safety-blocked candidate)."""
        self.script.append(Scripted(body=body))

    def serves(self, model: str) -> bool:
        model = model.removeprefix("models/")
        return model not in self.retired and (self.models is None or model in self.models)

    def listed(self, default: str) -> list[str]:
        return sorted(self.models) if self.models is not None else [default]

    @property
    def count(self) -> int:
        return len(self.requests)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # lifecycle
    def routes(self) -> list[web.RouteDef]:
        raise NotImplementedError

    async def start(self, port: int = 0) -> None:
        app = web.Application()
        app.add_routes(self.routes())
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def next_reply(self, request: RecordedRequest) -> Scripted:
        if self.script:
            return self.script.popleft()
        produced = self.responder(request)
        text = produced if isinstance(produced, str) else json.dumps(produced, ensure_ascii=False)
        return Scripted(text=text)


@dataclass
class StreamPace:
    """A streamed answer: the first piece after `first_token` s, then `tokens_per_second`,
    `tokens_per_chunk` tokens per server-sent event, `chars_per_token` characters a token
    (about 1.5 for Chinese JSON). The defaults stream at once (tests); benches set real rates."""

    first_token: float = 0.0
    tokens_per_second: float = 0.0
    tokens_per_chunk: int = 5
    chars_per_token: float = 1.5

    def pieces(self, text: str) -> list[str]:
        size = max(1, round(self.tokens_per_chunk * self.chars_per_token))
        return [text[i : i + size] for i in range(0, len(text), size)] or [""]

    def duration(self, text: str) -> float:
        """How long streaming `text` takes: what a non-streamed answer should wait too."""
        chunks = len(self.pieces(text))
        rest = (chunks - 1) * self.tokens_per_chunk / self.tokens_per_second if chunks else 0
        return self.first_token + (rest if self.tokens_per_second > 0 else 0.0)

    async def wait(self, index: int) -> None:
        if index == 0:
            await asyncio.sleep(self.first_token)
        elif self.tokens_per_second > 0:
            await asyncio.sleep(self.tokens_per_chunk / self.tokens_per_second)


async def sse(request: web.Request, events: AsyncIterator[str]) -> web.StreamResponse:
    """Server-sent events as both SDKs read them: `data: <json>` and a blank line."""
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    async for event in events:
        await response.write(f"data: {event}\r\n\r\n".encode())
    await response.write_eof()
    return response


_GOOGLE_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED"}
_GOOGLE_STATUS |= {404: "NOT_FOUND"}
_GOOGLE_STATUS |= {429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}


class FakeGeminiServer(FakeLLMServer):
    """`POST /{v1beta|v1}/models/{model}:generateContent`, key in `x-goog-api-key`."""

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post(r"/{version:v1beta|v1}/models/{target}", self.generate_content),
            web.get(r"/{version:v1beta|v1}/models", self.list_models),
            web.get(r"/{version:v1beta|v1}/models/{model}", self.get_model),
        ]

    @staticmethod
    def model_info(model: str) -> dict[str, Any]:
        """A Model resource as models.get / models.list return it."""
        return {
            "name": f"models/{model}",
            "version": "001",
            "displayName": model,
            "inputTokenLimit": 1048576,
            "outputTokenLimit": 65536,
            "supportedGenerationMethods": ["generateContent", "countTokens"],
            "thinking": True,
        }

    @staticmethod
    def not_found(model: str, version: str) -> web.Response:
        # the real API's wording for a shut-down or misspelled model
        return FakeGeminiServer.error(
            404,
            f"models/{model} is not found for API version {version}, or is not supported for "
            "generateContent. Call ListModels to see the list of available models and their "
            "supported methods.",
        )

    async def list_models(self, request: web.Request) -> web.Response:
        if request.headers.get("x-goog-api-key") != self.api_key:
            return self.error(403, "API key not valid. Please pass a valid API key.")
        return web.json_response(
            {"models": [self.model_info(m) for m in self.listed(GEMINI_MODEL)]}
        )

    async def get_model(self, request: web.Request) -> web.Response:
        if request.headers.get("x-goog-api-key") != self.api_key:
            return self.error(403, "API key not valid. Please pass a valid API key.")
        model = request.match_info["model"]
        if not self.serves(model):
            return self.not_found(model, request.match_info["version"])
        return web.json_response(self.model_info(model))

    @staticmethod
    def error(status: int, message: str) -> web.Response:
        status_name = _GOOGLE_STATUS.get(status, "UNKNOWN")
        body = {"error": {"code": status, "message": message, "status": status_name}}
        return web.json_response(body, status=status)

    async def generate_content(self, request: web.Request) -> web.Response:
        model, _, method = request.match_info["target"].partition(":")
        if method not in ("generateContent", "streamGenerateContent"):
            return self.error(404, f"unknown method {method!r}")
        body = await request.json()
        user = "".join(p.get("text", "") for c in body.get("contents", []) for p in c["parts"])
        system = "".join(
            p.get("text", "") for p in body.get("systemInstruction", {}).get("parts", [])
        )
        recorded = RecordedRequest(request.path, dict(request.headers), body, system, user)
        self.requests.append(recorded)
        if self.delay:
            await asyncio.sleep(self.delay)
        if request.headers.get("x-goog-api-key") != self.api_key:
            return self.error(403, "API key not valid. Please pass a valid API key.")
        if not self.serves(model):
            return self.not_found(model, request.match_info["version"])
        reply = self.next_reply(recorded)
        if reply.body is not None:
            return web.json_response(reply.body)
        if reply.status != 200:
            return self.error(reply.status, reply.message)
        text = reply.text or ""
        if method == "streamGenerateContent":  # `?alt=sse`: one event per piece
            return await sse(request, self._gemini_events(recorded, text, model))
        return web.json_response(
            {
                "candidates": [
                    {
                        "content": {"role": "model", "parts": [{"text": text}]},
                        "finishReason": "STOP",
                        "index": 0,
                    }
                ],
                "usageMetadata": {
                    "promptTokenCount": len(recorded.prompt) // 2,
                    "candidatesTokenCount": len(text) // 2,
                    "totalTokenCount": len(recorded.prompt) // 2 + len(text) // 2,
                },
                "modelVersion": model,
            }
        )

    async def _gemini_events(
        self, recorded: RecordedRequest, text: str, model: str
    ) -> AsyncIterator[str]:
        """`GenerateContentResponse` chunks: text parts, the last one with finishReason STOP
        and usageMetadata (ai.google.dev/api/generate-content#method:-models.streamgeneratecontent)."""
        self.streamed += 1
        pieces = self.pace.pieces(text)
        for index, piece in enumerate(pieces):
            await self.pace.wait(index)
            candidate: dict[str, Any] = {
                "content": {"role": "model", "parts": [{"text": piece}]},
                "index": 0,
            }
            chunk: dict[str, Any] = {"candidates": [candidate], "modelVersion": model}
            if index == len(pieces) - 1:
                candidate["finishReason"] = "STOP"
                chunk["usageMetadata"] = {
                    "promptTokenCount": len(recorded.prompt) // 2,
                    "candidatesTokenCount": len(text) // 2,
                    "totalTokenCount": len(recorded.prompt) // 2 + len(text) // 2,
                }
            yield json.dumps(chunk, ensure_ascii=False)


class FakeOpenAIServer(FakeLLMServer):
    """`POST /v1/chat/completions` with `Authorization: Bearer <key>` (`"stream": true`: SSE)."""

    def _openai_events(
        self, body: dict[str, Any], text: str, usage: bool, recorded: RecordedRequest
    ) -> AsyncIterator[str]:
        return _openai_chunks(self, body, text, usage, recorded.prompt)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/v1/chat/completions", self.chat_completions),
            web.get("/v1/models", self.list_models),
            web.get("/v1/models/{model:.+}", self.get_model),
        ]

    @staticmethod
    def model_info(model: str) -> dict[str, Any]:
        return {"id": model, "object": "model", "created": 1764028800, "owned_by": "fake"}

    @staticmethod
    def not_found(model: str) -> web.Response:
        # OpenAI's documented body for an unknown model (DeepSeek and Qwen answer alike)
        body = {
            "error": {
                "message": f"The model `{model}` does not exist or you do not have access to it.",
                "type": "invalid_request_error",
                "param": None,
                "code": "model_not_found",
            }
        }
        return web.json_response(body, status=404)

    async def list_models(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return self.error(401, "Incorrect API key provided.")
        data = [self.model_info(m) for m in self.listed(OPENAI_MODEL)]
        return web.json_response({"object": "list", "data": data})

    async def get_model(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return self.error(401, "Incorrect API key provided.")
        model = request.match_info["model"]
        if not self.serves(model):
            return self.not_found(model)
        return web.json_response(self.model_info(model))

    @staticmethod
    def error(status: int, message: str) -> web.Response:
        body = {"error": {"message": message, "type": "fake_error", "code": str(status)}}
        # the SDK honours retry-after-ms: keeps the retry tests fast
        return web.json_response(body, status=status, headers={"retry-after-ms": "10"})

    async def chat_completions(self, request: web.Request) -> web.Response:
        body = await request.json()
        messages = body.get("messages", [])
        system = "".join(m["content"] for m in messages if m["role"] == "system")
        user = "".join(m["content"] for m in messages if m["role"] == "user")
        recorded = RecordedRequest(request.path, dict(request.headers), body, system, user)
        self.requests.append(recorded)
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return self.error(401, "Incorrect API key provided.")
        if not self.serves(str(body.get("model", ""))):
            return self.not_found(str(body.get("model", "")))
        reply = self.next_reply(recorded)
        if reply.body is not None:
            return web.json_response(reply.body)
        if reply.status != 200:
            return self.error(reply.status, reply.message)
        text = reply.text or ""
        prompt_tokens, completion_tokens = len(recorded.prompt) // 2, len(text) // 2
        if body.get("stream"):
            usage = (body.get("stream_options") or {}).get("include_usage", False)
            return await sse(request, self._openai_events(body, text, usage, recorded))
        return web.json_response(
            {
                "id": f"chatcmpl-{self.count}",
                "object": "chat.completion",
                "created": 1764028800,
                "model": body.get("model", OPENAI_MODEL),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
            }
        )


def _chunk(body: dict[str, Any], n: int, choices: list[Any], **more: Any) -> str:
    return json.dumps(
        {"id": f"chatcmpl-{n}", "object": "chat.completion.chunk", "created": 1764028800,
         "model": body.get("model", OPENAI_MODEL), "choices": choices, **more},
        ensure_ascii=False,
    )  # fmt: skip


async def _openai_chunks(
    server: FakeOpenAIServer, body: dict[str, Any], text: str, usage: bool, prompt: str
) -> AsyncIterator[str]:
    """`chat.completion.chunk` events: deltas, an empty delta with finish_reason "stop", the
    usage chunk (choices []) when `stream_options.include_usage`, then `[DONE]`
    (platform.openai.com/docs/api-reference/chat-streaming)."""
    server.streamed += 1
    n = server.count
    for index, piece in enumerate(server.pace.pieces(text)):
        await server.pace.wait(index)
        delta = {"role": "assistant", "content": piece} if index == 0 else {"content": piece}
        yield _chunk(body, n, [{"index": 0, "delta": delta, "finish_reason": None}])
    yield _chunk(body, n, [{"index": 0, "delta": {}, "finish_reason": "stop"}])
    if usage:
        tokens = {"prompt_tokens": len(prompt) // 2, "completion_tokens": len(text) // 2}
        tokens["total_tokens"] = tokens["prompt_tokens"] + tokens["completion_tokens"]
        yield _chunk(body, n, [], usage=tokens)
    yield "[DONE]"


# --- pytest fixtures -------------------------------------------------------------------------


@pytest_asyncio.fixture
async def gemini_server() -> AsyncIterator[FakeGeminiServer]:
    server = FakeGeminiServer()
    await server.start()
    try:
        yield server
    finally:
        await server.close()


@pytest_asyncio.fixture
async def openai_server() -> AsyncIterator[FakeOpenAIServer]:
    server = FakeOpenAIServer()
    await server.start()
    try:
        yield server
    finally:
        await server.close()


@pytest_asyncio.fixture
async def gemini_provider(gemini_server: FakeGeminiServer) -> AsyncIterator[GeminiProvider]:
    """A real GeminiProvider (google-genai) pointed at the fake, fast retries."""
    provider = GeminiProvider(
        API_KEY, GEMINI_MODEL, base_url=gemini_server.base_url, retry_initial_delay=0.01
    )
    try:
        yield provider
    finally:
        await provider.aclose()


@pytest_asyncio.fixture
async def openai_provider(openai_server: FakeOpenAIServer) -> AsyncIterator[OpenAICompatProvider]:
    """A real OpenAICompatProvider (openai SDK) pointed at the fake."""
    provider = OpenAICompatProvider(API_KEY, openai_server.base_url, OPENAI_MODEL)
    try:
        yield provider
    finally:
        await provider.aclose()


# --- outside pytest --------------------------------------------------------------------------


async def serve(kind: str, port: int, api_key: str) -> None:
    server: FakeLLMServer = (
        FakeGeminiServer(api_key) if kind == "gemini" else FakeOpenAIServer(api_key)
    )
    await server.start(port)
    print(server.base_url, flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a fake LLM endpoint on 127.0.0.1.")
    parser.add_argument("kind", choices=["gemini", "openai"])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--api-key", default=API_KEY)
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.kind, args.port, args.api_key))


if __name__ == "__main__":
    main()
