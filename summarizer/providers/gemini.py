"""Gemini through google-genai's async client, with JSON output and SDK-level retries."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import aiohttp
import httpx
from google import genai
from google.genai import errors, types
from pydantic import BaseModel

from summarizer.errors import ProviderError
from summarizer.ports import Generation

log = logging.getLogger(__name__)

RETRY_STATUS_CODES = [429, 500, 502, 503, 504]
TEMPERATURE = 0.3


class GeminiProvider:
    name = "gemini"

    def __init__(
        self,
        api_key: str,
        model: str,
        *,
        base_url: str | None = None,
        timeout: float = 60,
        attempts: int = 3,
        retry_initial_delay: float = 1.0,
        api_version: str | None = None,
    ) -> None:
        self._model = model
        retry = types.HttpRetryOptions(
            attempts=attempts,
            http_status_codes=RETRY_STATUS_CODES,
            initial_delay=retry_initial_delay,
            max_delay=max(retry_initial_delay, 1.0) * 8,
            jitter=retry_initial_delay,  # the SDK's default jitter adds up to 1 s per retry
        )
        self._client = genai.Client(
            api_key=api_key,
            http_options=types.HttpOptions(
                base_url=base_url,
                api_version=api_version,  # None: the SDK's default ("v1" in google-genai 3.x)
                timeout=int(timeout * 1000),
                retry_options=retry,
            ),
        )

    @property
    def model(self) -> str:
        return self._model

    async def aclose(self) -> None:
        await self._client.aio.aclose()
        self._client.close()

    async def generate(self, *, system: str, user: str, schema: type[BaseModel]) -> Generation:
        config = types.GenerateContentConfig(
            system_instruction=system,
            temperature=TEMPERATURE,
            response_mime_type="application/json",
            response_json_schema=schema.model_json_schema(),
        )
        try:
            response = await self._client.aio.models.generate_content(
                model=self._model, contents=user, config=config
            )
        except errors.APIError as exc:
            retryable = exc.code in RETRY_STATUS_CODES
            raise ProviderError(
                self.name, f"HTTP {exc.code} {exc.status}: {exc.message}", retryable=retryable
            ) from exc
        except (httpx.HTTPError, aiohttp.ClientError, TimeoutError) as exc:
            raise ProviderError(self.name, f"network: {exc!r}", retryable=True) from exc
        return self._generation(response)

    def _generation(self, response: types.GenerateContentResponse) -> Generation:
        feedback = response.prompt_feedback
        if feedback is not None and feedback.block_reason is not None:
            raise ProviderError(self.name, f"prompt blocked: {feedback.block_reason}")
        if not response.candidates:
            raise ProviderError(self.name, "no candidates in the response")
        candidate = response.candidates[0]
        finish = candidate.finish_reason
        if finish is not None and finish != types.FinishReason.STOP:
            raise ProviderError(self.name, f"generation stopped: {finish.value}")
        parts = candidate.content.parts if candidate.content and candidate.content.parts else []
        text = "".join(part.text for part in parts if part.text and not part.thought)
        if not text.strip():
            raise ProviderError(self.name, "empty answer")
        usage = response.usage_metadata
        return Generation(
            text=text,
            input_tokens=(usage.prompt_token_count or 0) if usage else 0,
            output_tokens=(
                (usage.candidates_token_count or 0) + (usage.thoughts_token_count or 0)
                if usage
                else 0
            ),
        )

    async def generate_streaming(
        self,
        *,
        system: str,
        user: str,
        schema: type[BaseModel],
        on_text: Callable[[str], Awaitable[None]],
    ) -> Generation:
        """`generate`, streamed (`:streamGenerateContent?alt=sse`): `on_text` gets the answer
        so far after every chunk; the whole answer is returned as `generate` would."""
        config = types.GenerateContentConfig(
            system_instruction=system,
            temperature=TEMPERATURE,
            response_mime_type="application/json",
            response_json_schema=schema.model_json_schema(),
        )
        text, last = "", None
        try:
            stream = await self._client.aio.models.generate_content_stream(
                model=self._model, contents=user, config=config
            )
            async for chunk in stream:
                last = chunk
                feedback = chunk.prompt_feedback
                if feedback is not None and feedback.block_reason is not None:
                    raise ProviderError(self.name, f"prompt blocked: {feedback.block_reason}")
                content = chunk.candidates[0].content if chunk.candidates else None
                parts = content.parts if content and content.parts else []
                piece = "".join(part.text for part in parts if part.text and not part.thought)
                if piece:
                    text += piece
                    await on_text(text)
        except errors.APIError as exc:
            retryable = exc.code in RETRY_STATUS_CODES
            raise ProviderError(
                self.name, f"HTTP {exc.code} {exc.status}: {exc.message}", retryable=retryable
            ) from exc
        except (httpx.HTTPError, aiohttp.ClientError, TimeoutError) as exc:
            raise ProviderError(self.name, f"network: {exc!r}", retryable=True) from exc
        if last is None:
            raise ProviderError(self.name, "empty stream")
        whole = last.model_copy(deep=True)
        if whole.candidates and whole.candidates[0].content is not None:
            whole.candidates[0].content.parts = [types.Part(text=text)]
        return self._generation(whole)
