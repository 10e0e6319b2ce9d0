"""Any OpenAI-compatible chat completions endpoint (OpenAI, DeepSeek, Qwen, Ollama, vLLM)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import openai
from openai import AsyncOpenAI
from pydantic import BaseModel

from summarizer.errors import ProviderError
from summarizer.ports import Generation

TEMPERATURE = 0.3
NO_KEY = "not-needed"  # local servers (Ollama, vLLM) ignore the key, but the SDK wants one


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
    ) -> None:
        self._model = model
        self._json_mode = json_mode
        self._client = AsyncOpenAI(
            api_key=api_key or NO_KEY,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
        )

    @property
    def model(self) -> str:
        return self._model

    async def aclose(self) -> None:
        await self._client.close()

    async def generate(self, *, system: str, user: str, schema: type[BaseModel]) -> Generation:
        # The schema is described in the prompt: json_object mode is what DeepSeek, Qwen,
        # Ollama and vLLM all accept, unlike strict json_schema response formats.
        extra: dict[str, Any] = {}
        if self._json_mode:
            extra["response_format"] = {"type": "json_object"}
        try:
            completion = await self._client.chat.completions.create(
                model=self._model,
                messages=[
                    {"role": "system", "content": system},
                    {"role": "user", "content": user},
                ],
                temperature=TEMPERATURE,
                **extra,
            )
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
        text, finish, usage = "", None, None
        try:
            stream = await self._client.chat.completions.create(
                model=self._model,
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
