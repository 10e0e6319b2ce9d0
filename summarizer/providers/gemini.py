"""Gemini through google-genai's async client, with JSON output and SDK-level retries."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import aiohttp
import httpx
from google import genai
from google.genai import errors, types
from pydantic import BaseModel

from summarizer.errors import ModelUnavailable, ProviderError
from summarizer.ports import Generation

log = logging.getLogger(__name__)

RETRY_STATUS_CODES = [429, 500, 502, 503, 504]
TEMPERATURE = 0.3
# 2026-12-01, Gemini API deprecations page (ai.google.dev/gemini-api/docs/deprecations, as
# quoted on 2026-11-10): gemini-2.5-flash and gemini-2.5-pro shut down on 2026-12-01, recommended
# replacement for 2.5 Flash: gemini-3.5-flash-lite; gemini-2.5-flash-lite "remains available
# until further notice". A summary needs no deep reasoning: the Flash-Lite tier is the fit.
DEFAULT_MODEL = "gemini-3.5-flash-lite"
FIX_HINT = f"set PAPERBOT_GEMINI_MODEL={DEFAULT_MODEL} (or another model `paperbot doctor` lists)"


def thinking_config(model: str) -> types.ThinkingConfig | None:
    """Least thinking the model allows (2026-12-01, Gemini API "Gemini thinking" guide): Gemini 3
    models take thinking_level (MINIMAL on Flash/Flash-Lite; Pro accepts LOW at least); 2.5
    Flash/Flash-Lite take thinking_budget=0 (off). Others keep their default."""
    name = model.removeprefix("models/")
    if name.startswith("gemini-") and not name.startswith(("gemini-1", "gemini-2")):
        level = types.ThinkingLevel.LOW if "-pro" in name else types.ThinkingLevel.MINIMAL
        return types.ThinkingConfig(thinking_level=level)
    if name.startswith("gemini-2.5-flash"):
        return types.ThinkingConfig(thinking_budget=0)
    return None


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
        fallback_models: tuple[str, ...] = (),
    ) -> None:
        self._models = [model, *(m for m in fallback_models if m != model)]
        self.unavailable: ModelUnavailable | None = None  # set when no model is left
        self.on_unavailable: Callable[[ModelUnavailable], None] | None = None
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
        return self._models[0]

    async def check_model(self) -> tuple[bool | None, str]:
        """(True, "") when models.get knows the model; (False, what to fix) when it is unknown or
        retired (404); (None, why) when it could not be checked (network, key)."""
        try:
            await self._client.aio.models.get(model=self.model)
        except errors.APIError as exc:
            if exc.code == 404:
                return False, f"Gemini model {self.model!r} is unknown or retired (404): {FIX_HINT}"
            return None, f"Gemini model {self.model!r} could not be checked: HTTP {exc.code}"
        except (httpx.HTTPError, aiohttp.ClientError, TimeoutError) as exc:
            return None, f"Gemini model {self.model!r} could not be checked: {exc!r}"
        return True, ""

    async def aclose(self) -> None:
        await self._client.aio.aclose()
        self._client.close()

    async def generate(self, *, system: str, user: str, schema: type[BaseModel]) -> Generation:
        while True:
            if self.unavailable is not None:
                raise self.unavailable  # known gone: no request per summary
            try:
                return await self._generate(self.model, system, user, schema)
            except ModelUnavailable as exc:
                log.error("%s; %s", exc, exc.fix)
                if len(self._models) == 1:
                    self.unavailable = exc
                    if self.on_unavailable is not None:
                        self.on_unavailable(exc)
                else:
                    self._models.pop(0)
                    log.warning("falling back to Gemini model %s", self.model)

    async def _generate(
        self, model: str, system: str, user: str, schema: type[BaseModel]
    ) -> Generation:
        config = types.GenerateContentConfig(
            system_instruction=system,
            temperature=TEMPERATURE,
            response_mime_type="application/json",
            response_json_schema=schema.model_json_schema(),
            thinking_config=thinking_config(model),
        )
        try:
            response = await self._client.aio.models.generate_content(
                model=model, contents=user, config=config
            )
        except errors.APIError as exc:
            if exc.code == 404:  # NOT_FOUND: "models/x is not found for API version v1beta"
                raise ModelUnavailable(
                    self.name, model, f"HTTP 404 {exc.status}: {exc.message}", fix=FIX_HINT
                ) from exc
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
        if self.unavailable is not None:
            raise self.unavailable
        model = self.model
        config = types.GenerateContentConfig(
            system_instruction=system,
            temperature=TEMPERATURE,
            response_mime_type="application/json",
            response_json_schema=schema.model_json_schema(),
            thinking_config=thinking_config(model),
        )
        text, last = "", None
        try:
            stream = await self._client.aio.models.generate_content_stream(
                model=model, contents=user, config=config
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
            if exc.code == 404 and not text:  # model gone: generate() falls back or says so
                return await self.generate(system=system, user=user, schema=schema)
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
