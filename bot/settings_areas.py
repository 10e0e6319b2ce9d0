"""The settings' areas (database, arXiv, model, Telegram, Discord, chat limits, digest, export,
operations): one class each, with the environment names users' `.env` files use."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from summarizer.arxiv.taxonomy import ARCHIVES, canonical_code
from summarizer.providers.registry import GEMINI, OPENAI, PROVIDERS, ProviderConfig, ProviderSpec

ProviderName = Literal["auto", "gemini", "openai", "extractive"]  # today's registry + auto/offline
PROVIDER_CHOICES = ("auto", *(p.name for p in PROVIDERS), "extractive")

DEFAULT_DATABASE_URL = "sqlite:///./data/paperbot.db"


def _env(*names: str) -> Any:
    return AliasChoices(*names)


def _blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError("应为 http:// 或 https:// 开头的网址")
    return value.rstrip("/")


class _Area(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )


class DatabaseSettings(_Area):
    """Where paperbot keeps chats, subscriptions, summaries and the digest ledger."""

    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias=_env("DATABASE_URL"))

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql", "postgres")):
            raise ValueError(
                "应为 sqlite:/// 或 postgresql:// 开头的数据库地址，"
                "如 postgresql://user:pass@localhost:5432/paperbot"
            )
        return value


class ArxivSettings(_Area):
    """arXiv's addresses (mirrors, tests), politeness and full text."""

    arxiv_api_url: str = Field(
        "https://export.arxiv.org/api/query", validation_alias=_env("PAPERBOT_ARXIV_API_URL")
    )
    arxiv_rss_url: str = Field(
        "https://rss.arxiv.org/rss", validation_alias=_env("PAPERBOT_ARXIV_RSS_URL")
    )
    arxiv_list_url: str = Field(
        "https://arxiv.org/list", validation_alias=_env("PAPERBOT_ARXIV_LIST_URL")
    )
    arxiv_html_url: str = Field(
        "https://arxiv.org/html", validation_alias=_env("PAPERBOT_ARXIV_HTML_URL")
    )
    arxiv_pdf_url: str = Field(
        "https://arxiv.org/pdf", validation_alias=_env("PAPERBOT_ARXIV_PDF_URL")
    )
    fulltext_enabled: bool = Field(True, validation_alias=_env("PAPERBOT_FULLTEXT"))
    arxiv_min_interval: float = Field(
        3.0, ge=0, validation_alias=_env("PAPERBOT_ARXIV_MIN_INTERVAL")
    )
    arxiv_retries: int = Field(3, ge=0, le=10, validation_alias=_env("PAPERBOT_ARXIV_RETRIES"))
    arxiv_backoff: float = Field(2.0, ge=0, validation_alias=_env("PAPERBOT_ARXIV_BACKOFF"))
    default_archive: str = Field("cs", validation_alias=_env("PAPERBOT_DEFAULT_ARCHIVE"))

    @field_validator(
        "arxiv_api_url", "arxiv_rss_url", "arxiv_list_url", "arxiv_html_url", "arxiv_pdf_url"
    )
    @classmethod
    def _arxiv_url(cls, value: str) -> str:
        return _http_url(value)

    @field_validator("default_archive")
    @classmethod
    def _arxiv_archive(cls, value: str) -> str:
        code = canonical_code(value)
        if code is None or code not in ARCHIVES:
            raise ValueError("应为 arXiv 的一级分类（archive），如 cs、math 或 hep-th")
        return code

    @property
    def resolved_fulltext(self) -> bool:
        """Whether full summaries read arxiv.org/html (PDF fallback). PAPERBOT_FULLTEXT decides
        when set; left unset it is on, unless the arXiv API or feed points at a mirror (so
        arxiv.org is likely blocked) and no PAPERBOT_ARXIV_HTML_URL / _PDF_URL is given."""
        if "fulltext_enabled" in self.model_fields_set:
            return self.fulltext_enabled
        if {"arxiv_html_url", "arxiv_pdf_url"} & self.model_fields_set:
            return True
        fields = ArxivSettings.model_fields
        return bool(
            self.arxiv_api_url == fields["arxiv_api_url"].default
            and self.arxiv_rss_url == fields["arxiv_rss_url"].default
        )

    @property
    def resolved_list_url(self) -> str | None:
        """The listing pages the digest reads first (`/list/<archive>/new`): the one set in
        PAPERBOT_ARXIV_LIST_URL, else arxiv.org's unless the feed points at a mirror (then
        arxiv.org is likely blocked and the feed alone is used)."""
        if "arxiv_list_url" in self.model_fields_set:
            return self.arxiv_list_url
        if self.arxiv_rss_url != ArxivSettings.model_fields["arxiv_rss_url"].default:
            return None
        return self.arxiv_list_url


class ModelSettings(_Area):
    """The model endpoint, its limits and its prices. Providers come from the registry
    (summarizer/providers/registry.py); their environment names are declared here."""

    llm_provider: str = Field("auto", validation_alias=_env("PAPERBOT_LLM_PROVIDER"))
    gemini_api_key: SecretStr | None = Field(None, validation_alias=_env("GEMINI_API_KEY"))
    # gemini-2.5-flash was shut down on 2026-12-01 (Gemini API deprecations page, checked
    # 2026-12-01): the registry's default says which model replaced it and why.
    gemini_model: str = Field(GEMINI.default_model, validation_alias=_env("PAPERBOT_GEMINI_MODEL"))
    gemini_base_url: str | None = Field(None, validation_alias=_env("PAPERBOT_GEMINI_BASE_URL"))
    # comma-separated, tried in order when a model answers 404 (retired or unknown)
    gemini_fallback_models: str = Field("", validation_alias=_env(GEMINI.fallback_env))
    openai_api_key: SecretStr | None = Field(None, validation_alias=_env("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(None, validation_alias=_env("OPENAI_BASE_URL"))
    openai_model: str = Field(OPENAI.default_model, validation_alias=_env("PAPERBOT_OPENAI_MODEL"))
    openai_fallback_models: str = Field("", validation_alias=_env(OPENAI.fallback_env))
    llm_timeout: float = Field(90.0, gt=0, validation_alias=_env("PAPERBOT_LLM_TIMEOUT"))
    daily_token_budget: int = Field(0, ge=0, validation_alias=_env("PAPERBOT_DAILY_TOKEN_BUDGET"))
    llm_input_price: float = Field(0.0, ge=0, validation_alias=_env("PAPERBOT_LLM_INPUT_PRICE"))
    llm_output_price: float = Field(0.0, ge=0, validation_alias=_env("PAPERBOT_LLM_OUTPUT_PRICE"))

    @field_validator("llm_provider", mode="before")
    @classmethod
    def _known_provider(cls, value: object) -> object:
        choice = value.strip().lower() if isinstance(value, str) else value
        if choice not in PROVIDER_CHOICES:
            raise ValueError(f"must be one of {', '.join(PROVIDER_CHOICES)}, got {value!r}")
        return choice

    @field_validator("gemini_base_url", "openai_base_url", mode="before")
    @classmethod
    def _blank_url_is_none(cls, value: object) -> object:
        return _blank_is_none(value)

    @field_validator("gemini_api_key", "openai_api_key", mode="before")
    @classmethod
    def _blank_key_is_none(cls, value: object) -> object:
        return _blank_is_none(value)

    @model_validator(mode="after")
    def _provider_has_credentials(self) -> ModelSettings:
        spec = next((p for p in PROVIDERS if p.name == self.llm_provider), None)
        if spec is not None and not self._configured(spec):
            needs = (
                spec.key_env if spec.key_required else f"{spec.key_env} 和/或 {spec.base_url_env}"
            )
            raise ValueError(
                f"PAPERBOT_LLM_PROVIDER={spec.name} 需要 {needs}（例如在 .env 中写 "
                f"{spec.key_hint}），或改为 PAPERBOT_LLM_PROVIDER=auto"
            )
        return self

    def _configured(self, spec: ProviderSpec) -> bool:
        key, base_url, _, _ = spec.settings
        return spec.configured(getattr(self, key), getattr(self, base_url))

    def provider_config(self, spec: ProviderSpec) -> ProviderConfig:
        """The provider's settings, by the field names its registry entry declares."""
        key_field, base_field, model_field, fallback_field = spec.settings
        key: SecretStr | None = getattr(self, key_field)
        fallbacks: str = getattr(self, fallback_field)
        return ProviderConfig(
            api_key=key.get_secret_value() if key is not None else None,
            base_url=getattr(self, base_field),
            model=getattr(self, model_field),
            fallback_models=tuple(m.strip() for m in fallbacks.split(",") if m.strip()),
            timeout=self.llm_timeout,
        )

    @property
    def resolved_provider(self) -> str:
        """`auto`: the first configured provider of the registry (Gemini with a key, then an
        OpenAI-compatible endpoint), else the offline extractive summaries."""
        if self.llm_provider != "auto":
            return self.llm_provider
        return next((p.name for p in PROVIDERS if self._configured(p)), "extractive")


class TelegramSettings(_Area):
    """The Telegram bot: token, Bot API address, webhook mode."""

    telegram_bot_token: SecretStr | None = Field(None, validation_alias=_env("TELEGRAM_BOT_TOKEN"))
    telegram_api_url: str = Field(
        "https://api.telegram.org", validation_alias=_env("PAPERBOT_TELEGRAM_API_URL")
    )
    telegram_webhook_url: str | None = Field(
        None, validation_alias=_env("PAPERBOT_TELEGRAM_WEBHOOK_URL")
    )
    telegram_webhook_secret: SecretStr | None = Field(
        None, validation_alias=_env("PAPERBOT_TELEGRAM_WEBHOOK_SECRET")
    )
    telegram_webhook_port: int = Field(
        8443, validation_alias=_env("PAPERBOT_TELEGRAM_WEBHOOK_PORT")
    )

    @field_validator("telegram_webhook_url", mode="before")
    @classmethod
    def _blank_webhook_is_none(cls, value: object) -> object:
        return _blank_is_none(value)

    @field_validator("telegram_bot_token", "telegram_webhook_secret", mode="before")
    @classmethod
    def _blank_secret_is_none(cls, value: object) -> object:
        return _blank_is_none(value)

    @field_validator("telegram_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        return _http_url(value)


class DiscordSettings(_Area):
    """The Discord bot: token, API and gateway addresses, the message-content intent."""

    discord_bot_token: SecretStr | None = Field(None, validation_alias=_env("DISCORD_BOT_TOKEN"))
    discord_api_url: str | None = Field(None, validation_alias=_env("PAPERBOT_DISCORD_API_URL"))
    discord_gateway_url: str | None = Field(
        None, validation_alias=_env("PAPERBOT_DISCORD_GATEWAY_URL")
    )
    discord_message_content: bool = Field(
        False, validation_alias=_env("PAPERBOT_DISCORD_MESSAGE_CONTENT")
    )

    @field_validator("discord_api_url", "discord_gateway_url", mode="before")
    @classmethod
    def _blank_url_is_none(cls, value: object) -> object:
        return _blank_is_none(value)

    @field_validator("discord_bot_token", mode="before")
    @classmethod
    def _blank_secret_is_none(cls, value: object) -> object:
        return _blank_is_none(value)


class ChatLimitSettings(_Area):
    """How much one user or message may ask of the bot in chats."""

    user_rate_limit: int = Field(5, ge=1, validation_alias=_env("PAPERBOT_USER_RATE_LIMIT"))
    user_rate_window: float = Field(60.0, gt=0, validation_alias=_env("PAPERBOT_USER_RATE_WINDOW"))
    max_links_per_message: int = Field(
        3, ge=1, le=10, validation_alias=_env("PAPERBOT_MAX_LINKS_PER_MESSAGE")
    )


class DigestSettings(_Area):
    """The daily digest's tuning: summary concurrency, sending retries and leases."""

    digest_concurrency: int = Field(
        4, ge=1, le=64, validation_alias=_env("PAPERBOT_DIGEST_CONCURRENCY")
    )
    digest_send_attempts: int = Field(
        5, ge=1, le=50, validation_alias=_env("PAPERBOT_DIGEST_SEND_ATTEMPTS")
    )
    digest_retry_seconds: float = Field(
        30.0, gt=0, validation_alias=_env("PAPERBOT_DIGEST_RETRY_SECONDS")
    )
    digest_chat_concurrency: int = Field(
        32, ge=1, le=1000, validation_alias=_env("PAPERBOT_DIGEST_CHAT_CONCURRENCY")
    )
    digest_lease_seconds: float = Field(
        600.0, ge=30, validation_alias=_env("PAPERBOT_DIGEST_LEASE_SECONDS")
    )


class ExportSettings(_Area):
    """Blog export (`paperbot export`): the post's author and cover."""

    blog_author: str = Field("paperbot", validation_alias=_env("PAPERBOT_BLOG_AUTHOR"))
    blog_cover: str = Field("", validation_alias=_env("PAPERBOT_BLOG_COVER"))


class OpsSettings(_Area):
    """Operations: logs, the /healthz and /metrics server."""

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", validation_alias=_env("PAPERBOT_LOG_LEVEL")
    )
    log_format: Literal["text", "json"] = Field(
        "text", validation_alias=_env("PAPERBOT_LOG_FORMAT")
    )
    http_port: int | None = Field(None, ge=1, le=65535, validation_alias=_env("PAPERBOT_HTTP_PORT"))
    http_host: str = Field("127.0.0.1", validation_alias=_env("PAPERBOT_HTTP_HOST"))

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("http_port", mode="before")
    @classmethod
    def _blank_port_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value
