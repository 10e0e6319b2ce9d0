"""The model providers paperbot can use: one entry each (settings, key hint, constructor, probe).

Adding a provider: its module in summarizer/providers/, one `ProviderSpec` in `PROVIDERS`, and
its documented environment variables as fields of bot.config.Settings (public names live there).
`bot.wiring` builds, `bot.config` validates and resolves `auto`, `paperbot doctor` probes, all
through this list: `auto` picks the first provider that is configured.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from summarizer.ports import LLMProvider


@dataclass(frozen=True)
class ProviderConfig:
    """What a provider is built from, read from the settings named by its spec."""

    api_key: str | None
    base_url: str | None
    model: str
    fallback_models: tuple[str, ...] = ()
    timeout: float = 90.0


@dataclass(frozen=True)
class Probe:
    """How `paperbot doctor` asks the endpoint for its models (a key check that costs nothing)."""

    default_base: str
    models_path: str
    auth_header: Callable[[str], dict[str, str]]
    list_optional: bool  # a 404 on the list: an endpoint without one (vLLM, some proxies)


@dataclass(frozen=True)
class ProviderSpec:
    name: str  # the PAPERBOT_LLM_PROVIDER value and the summaries' provider label
    label: str  # as `paperbot doctor` shows it
    key_env: str
    model_env: str
    base_url_env: str
    fallback_env: str
    settings: tuple[str, str, str, str]  # Settings fields: key, base URL, model, fallbacks
    default_model: str
    key_hint: str  # an example line for .env
    blocked_hint: str  # what to try when the endpoint cannot be reached
    key_required: bool  # False: a base URL alone will do (local servers)
    build: Callable[[ProviderConfig], LLMProvider]
    probe: Probe

    def configured(self, api_key: object, base_url: object) -> bool:
        return api_key is not None or (not self.key_required and base_url is not None)


def _gemini(config: ProviderConfig) -> LLMProvider:
    from summarizer.providers.gemini import GeminiProvider

    return GeminiProvider(
        config.api_key or "",
        config.model,
        base_url=config.base_url,
        timeout=config.timeout,
        fallback_models=config.fallback_models,
    )


def _openai(config: ProviderConfig) -> LLMProvider:
    from summarizer.providers.openai_compat import OpenAICompatProvider

    return OpenAICompatProvider(
        config.api_key,
        config.base_url,
        config.model,
        timeout=config.timeout,
        fallback_models=config.fallback_models,
    )


GEMINI = ProviderSpec(
    name="gemini",
    label="Gemini",
    key_env="GEMINI_API_KEY",
    model_env="PAPERBOT_GEMINI_MODEL",
    base_url_env="PAPERBOT_GEMINI_BASE_URL",
    fallback_env="PAPERBOT_GEMINI_FALLBACK_MODELS",
    settings=("gemini_api_key", "gemini_base_url", "gemini_model", "gemini_fallback_models"),
    # 2026-12-01, Gemini API deprecations page: gemini-2.5-flash shut down on 2026-12-01, its
    # recommended replacement is gemini-3.5-flash-lite (see summarizer.providers.gemini).
    default_model="gemini-3.5-flash-lite",
    key_hint="GEMINI_API_KEY=AIza...",
    blocked_hint="若本网络无法访问 Google，设置 PAPERBOT_GEMINI_BASE_URL 为可访问的中转地址",
    key_required=True,
    build=_gemini,
    probe=Probe(
        default_base="https://generativelanguage.googleapis.com",
        models_path="/v1beta/models",
        auth_header=lambda key: {"x-goog-api-key": key},
        list_optional=False,
    ),
)
OPENAI = ProviderSpec(
    name="openai",
    label="OpenAI 兼容",
    key_env="OPENAI_API_KEY",
    model_env="PAPERBOT_OPENAI_MODEL",
    base_url_env="OPENAI_BASE_URL",
    fallback_env="PAPERBOT_OPENAI_FALLBACK_MODELS",
    settings=("openai_api_key", "openai_base_url", "openai_model", "openai_fallback_models"),
    default_model="gpt-4o-mini",
    # 2026-12-01, DeepSeek API docs ("Your First API Call"): base URL https://api.deepseek.com,
    # model deepseek-flash; deepseek-chat and deepseek-reasoner were retired on 2026-07-24.
    key_hint=(
        "OPENAI_BASE_URL=https://api.deepseek.com/v1 OPENAI_API_KEY=sk-... "
        "PAPERBOT_OPENAI_MODEL=deepseek-flash"
    ),
    blocked_hint="确认 OPENAI_BASE_URL 正确（通常以 /v1 结尾）",
    key_required=False,
    build=_openai,
    probe=Probe(
        default_base="https://api.openai.com/v1",
        models_path="/models",
        auth_header=lambda key: {"Authorization": f"Bearer {key}"},
        list_optional=True,
    ),
)

PROVIDERS: tuple[ProviderSpec, ...] = (GEMINI, OPENAI)


def spec(name: str) -> ProviderSpec | None:
    return next((p for p in PROVIDERS if p.name == name), None)
