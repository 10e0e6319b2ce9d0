"""Any OpenAI-compatible chat completions endpoint (OpenAI, DeepSeek, Qwen, Ollama, vLLM)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import openai
from openai import AsyncOpenAI
from pydantic import BaseModel

from summarizer.errors import ModelUnavailable, ProviderError
from summarizer.ports import Generation

log = logging.getLogger(__name__)

TEMPERATURE = 0.3
NO_KEY = "not-needed"  # local servers (Ollama, vLLM) ignore the key, but the SDK wants one
FIX_HINT = "set PAPERBOT_OPENAI_MODEL to a model `paperbot doctor` lists (DeepSeek: deepseek-flash)"


def no_thinking(base_url: str | None, model: str) -> dict[str, Any]:
    """Vendor switches that turn thinking off for a summary (2026-12-01):
    - DeepSeek (api-docs.deepseek.com, "Your First API Call" and thinking mode guide): the V4
      models think by default; `thinking: {"type": "disabled"}` answers directly.
    - Qwen on Model Studio / DashScope (help.aliyun.com/en/model-studio/deep-thinking): hybrid
      Qwen3.5+ models take `enable_thinking: false` in the request body.
    Other endpoints get nothing: OpenAI rejects unknown body fields."""
    where = f"{base_url or ''} {model}".lower()
    if "deepseek" in where:
        return {"thinking": {"type": "disabled"}}
    if "dashscope" in where or "aliyuncs" in where or model.lower().startswith("qwen"):
        return {"enable_thinking": False}
    return {}


class OpenAICompatProvider:
    name = "openai"

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None,
        model: str,
        *,
        timeout: float = 60,
        max_retries: int = 2,
        json_mode: bool = True,
        fallback_models: tuple[str, ...] = (),
    ) -> None:
        self._models = [model, *(m for m in fallback_models if m != model)]
        self._base_url = base_url
        self._json_mode = json_mode
        self.unavailable: ModelUnavailable | None = None
        self.on_unavailable: Callable[[ModelUnavailable], None] | None = None
        self._client = AsyncOpenAI(
            api_key=api_key or NO_KEY,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
        )

    @property
    def model(self) -> str:
        return self._models[0]

    async def check_model(self) -> tuple[bool | None, str]:
        """(True, "") when models.retrieve knows the model; (False, what to fix) on a 404;
        (None, why) when it could not be checked (network, key, no model endpoint)."""
        try:
            await self._client.models.retrieve(self.model)
        except openai.NotFoundError:
            return False, f"model {self.model!r} is unknown or retired (404): {FIX_HINT}"
        except openai.APIError as exc:
            return None, f"model {self.model!r} could not be checked: {exc.message}"
        return True, ""

    async def aclose(self) -> None:
        await self._client.close()

    async def generate(self, *, system: str, user: str, schema: type[BaseModel]) -> Generation:
        while True:
            if self.unavailable is not None:
                raise self.unavailable  # known gone: no request per summary
            try:
                return await self._generate(self.model, system, user)
            except ModelUnavailable as exc:
                log.error("%s; %s", exc, exc.fix)
                if len(self._models) == 1:
                    self.unavailable = exc
                    if self.on_unavailable is not None:
                        self.on_unavailable(exc)
                else:
                    self._models.pop(0)
                    log.warning("falling back to model %s", self.model)

    async def _generate(self, model: str, system: str, user: str) -> Generation:
        # The schema is described in the prompt: json_object mode is what DeepSeek, Qwen,
        # Ollama and vLLM all accept, unlike strict json_schema response formats.
        extra: dict[str, Any] = {}
        body = no_thinking(self._base_url, model)
        if body:
            extra["extra_body"] = body
        if self._json_mode:
            extra["response_format"] = {"type": "json_object"}
        try:
            completion = await self._client.chat.completions.create(
                model=model,
                messages=[
                    {"role": "system", "content": system},
                    {"role": "user", "content": user},
                ],
                temperature=TEMPERATURE,
                **extra,
            )
        except openai.NotFoundError as exc:  # "The model `x` does not exist", code model_not_found
            raise ModelUnavailable(
                self.name, model, f"HTTP 404: {exc.message}", fix=FIX_HINT
            ) from exc
        except openai.APIStatusError as exc:
            retryable = exc.status_code == 429 or exc.status_code >= 500
            raise ProviderError(
                self.name, f"HTTP {exc.status_code}: {exc.message}", retryable=retryable
            ) from exc
        except openai.APIConnectionError as exc:  # includes APITimeoutError
            raise ProviderError(self.name, f"network: {exc!r}", retryable=True) from exc
        except openai.APIError as exc:  # e.g. a body that is not a chat completion
            raise ProviderError(self.name, f"bad response: {exc.message}") from exc
        if not completion.choices:
            raise ProviderError(self.name, "no choices in the response")
        choice = completion.choices[0]
        if choice.finish_reason != "stop":
            raise ProviderError(self.name, f"generation stopped: {choice.finish_reason}")
        text = choice.message.content or ""
        if not text.strip():
            raise ProviderError(self.name, "empty answer")
        usage = completion.usage
        return Generation(
            text=text,
            input_tokens=usage.prompt_tokens if usage else 0,
            output_tokens=usage.completion_tokens if usage else 0,
        )

    async def generate_streaming(
        self,
        *,
        system: str,
        user: str,
        schema: type[BaseModel],
        on_text: Callable[[str], Awaitable[None]],
    ) -> Generation:
        """`generate`, streamed (`stream: true`, server-sent events): `on_text` gets the answer
        so far after every chunk; the whole answer is returned as `generate` would."""
        extra: dict[str, Any] = {"stream_options": {"include_usage": True}}
        if self._json_mode:
            extra["response_format"] = {"type": "json_object"}
        if self.unavailable is not None:
            raise self.unavailable
        text, finish, usage = "", None, None
        try:
            stream = await self._client.chat.completions.create(
                model=self.model,
                messages=[
                    {"role": "system", "content": system},
                    {"role": "user", "content": user},
                ],
                temperature=TEMPERATURE,
                stream=True,
                **extra,
            )
            async for chunk in stream:
                usage = chunk.usage or usage
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                finish = choice.finish_reason or finish
                if choice.delta.content:
                    text += choice.delta.content
                    await on_text(text)
        except openai.APIStatusError as exc:
            if exc.status_code == 404 and not text:  # model gone: generate() falls back
                return await self.generate(system=system, user=user, schema=schema)
            retryable = exc.status_code == 429 or exc.status_code >= 500
            raise ProviderError(
                self.name, f"HTTP {exc.status_code}: {exc.message}", retryable=retryable
            ) from exc
        except openai.APIConnectionError as exc:
            raise ProviderError(self.name, f"network: {exc!r}", retryable=True) from exc
        except openai.APIError as exc:
            raise ProviderError(self.name, f"bad response: {exc.message}") from exc
        if finish != "stop":
            raise ProviderError(self.name, f"generation stopped: {finish}")
        if not text.strip():
            raise ProviderError(self.name, "empty answer")
        return Generation(
            text=text,
            input_tokens=usage.prompt_tokens if usage else 0,
            output_tokens=usage.completion_tokens if usage else 0,
        )
