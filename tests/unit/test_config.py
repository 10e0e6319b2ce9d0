"""Settings: documented names, provider auto-selection, errors that say what to fix."""

from __future__ import annotations

import pytest
from pydantic import AliasChoices
from pydantic_settings import BaseSettings

from bot.config import DEFAULT_DATABASE_URL, ConfigError, Settings, load_settings
from bot.relevance_settings import RelevanceSettings
from bot.settings_areas import (
    ArxivSettings,
    ChatLimitSettings,
    DatabaseSettings,
    DigestSettings,
    DiscordSettings,
    ExportSettings,
    ModelSettings,
    OpsSettings,
    TelegramSettings,
)


def test_defaults_need_no_configuration() -> None:
    settings = load_settings()
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.arxiv_api_url == "https://export.arxiv.org/api/query"
    assert settings.arxiv_rss_url == "https://rss.arxiv.org/rss"
    assert settings.resolved_provider == "extractive"
    assert settings.secrets() == []


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"GEMINI_API_KEY": "k1"}, "gemini"),
        ({"OPENAI_API_KEY": "sk-1"}, "openai"),
        ({"OPENAI_BASE_URL": "http://127.0.0.1:11434/v1"}, "openai"),
        ({"GEMINI_API_KEY": "k1", "OPENAI_API_KEY": "sk-1"}, "gemini"),
        ({"GEMINI_API_KEY": "k1", "PAPERBOT_LLM_PROVIDER": "extractive"}, "extractive"),
        (
            {"GEMINI_API_KEY": "k1", "OPENAI_API_KEY": "x", "PAPERBOT_LLM_PROVIDER": "openai"},
            "openai",
        ),
        ({"GEMINI_API_KEY": "   "}, "extractive"),
    ],
)
def test_auto_provider(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert load_settings().resolved_provider == expected


def test_documented_names_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@127.0.0.1/db")
    monkeypatch.setenv("PAPERBOT_ARXIV_API_URL", "http://127.0.0.1:9/api/query/")
    monkeypatch.setenv("PAPERBOT_GEMINI_MODEL", "gemini-x")
    monkeypatch.setenv("PAPERBOT_GEMINI_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("PAPERBOT_OPENAI_MODEL", "deepseek-chat")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij")
    s = load_settings()
    assert s.database_url == "postgresql://u@127.0.0.1/db"
    assert s.arxiv_api_url == "http://127.0.0.1:9/api/query"
    assert (s.gemini_model, s.gemini_base_url, s.openai_model) == (
        "gemini-x",
        "http://127.0.0.1:9",
        "deepseek-chat",
    )
    assert "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij" in s.secrets()
    assert "ABCDEFGHIJ" not in repr(s)


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"PAPERBOT_LLM_PROVIDER": "gemini"}, ["GEMINI_API_KEY"]),
        ({"PAPERBOT_LLM_PROVIDER": "openai"}, ["OPENAI_BASE_URL"]),
        ({"PAPERBOT_LLM_PROVIDER": "gpt"}, ["PAPERBOT_LLM_PROVIDER"]),
        ({"PAPERBOT_ARXIV_API_URL": "export.arxiv.org"}, ["PAPERBOT_ARXIV_API_URL"]),
        ({"DATABASE_URL": "mysql://x"}, ["DATABASE_URL", "sqlite:///"]),
        ({"PAPERBOT_USER_RATE_LIMIT": "many"}, ["PAPERBOT_USER_RATE_LIMIT"]),
    ],
)
def test_invalid_configuration_names_the_fix(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], names: list[str]
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    for name in names:
        assert name in str(caught.value)


def test_env_file_is_read(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    env_file = tmp_path / ".env"
    env_file.write_text("PAPERBOT_OPENAI_MODEL=qwen-plus\nOPENAI_BASE_URL=http://127.0.0.1:1/v1\n")
    monkeypatch.setenv("PAPERBOT_ENV_FILE", str(env_file))
    settings = load_settings()
    assert settings.openai_model == "qwen-plus"
    assert settings.resolved_provider == "openai"


# The public interface: every environment name paperbot read before settings were grouped by
# area (2026-12-01). Users' .env files depend on them; adding is fine, losing one is not.
PUBLIC_NAMES = {
    "DATABASE_URL", "PAPERBOT_ARXIV_API_URL", "PAPERBOT_ARXIV_RSS_URL", "PAPERBOT_ARXIV_HTML_URL",
    "PAPERBOT_ARXIV_PDF_URL", "PAPERBOT_FULLTEXT", "PAPERBOT_ARXIV_MIN_INTERVAL",
    "PAPERBOT_ARXIV_RETRIES", "PAPERBOT_ARXIV_BACKOFF", "PAPERBOT_DEFAULT_ARCHIVE",
    "PAPERBOT_LLM_PROVIDER", "GEMINI_API_KEY", "PAPERBOT_GEMINI_MODEL", "PAPERBOT_GEMINI_BASE_URL",
    "OPENAI_API_KEY", "OPENAI_BASE_URL", "PAPERBOT_OPENAI_MODEL", "PAPERBOT_LLM_TIMEOUT",
    "TELEGRAM_BOT_TOKEN", "PAPERBOT_TELEGRAM_API_URL", "PAPERBOT_TELEGRAM_WEBHOOK_URL",
    "PAPERBOT_TELEGRAM_WEBHOOK_SECRET", "PAPERBOT_TELEGRAM_WEBHOOK_PORT", "DISCORD_BOT_TOKEN",
    "PAPERBOT_DISCORD_API_URL", "PAPERBOT_DISCORD_GATEWAY_URL", "PAPERBOT_DISCORD_MESSAGE_CONTENT",
    "PAPERBOT_USER_RATE_LIMIT", "PAPERBOT_USER_RATE_WINDOW", "PAPERBOT_MAX_LINKS_PER_MESSAGE",
    "PAPERBOT_BLOG_AUTHOR", "PAPERBOT_BLOG_COVER", "PAPERBOT_LOG_LEVEL", "PAPERBOT_LOG_FORMAT",
    "PAPERBOT_HTTP_PORT", "PAPERBOT_HTTP_HOST", "PAPERBOT_DAILY_TOKEN_BUDGET",
    "PAPERBOT_LLM_INPUT_PRICE", "PAPERBOT_LLM_OUTPUT_PRICE", "PAPERBOT_EMBEDDINGS",
    "PAPERBOT_EMBEDDINGS_URL", "PAPERBOT_EMBEDDINGS_MODEL", "PAPERBOT_EMBEDDINGS_API_KEY",
    "PAPERBOT_EMBEDDINGS_LEXICAL_WEIGHT",
}  # fmt: skip


def _names(model: type[BaseSettings]) -> set[str]:
    names: set[str] = set()
    for info in model.model_fields.values():
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            names.update(str(choice) for choice in alias.choices)
    return names


def test_every_public_environment_name_is_still_read() -> None:
    assert _names(Settings) >= PUBLIC_NAMES


def test_each_setting_belongs_to_exactly_one_area() -> None:
    areas = [
        DatabaseSettings, ArxivSettings, ModelSettings, TelegramSettings, DiscordSettings,
        ChatLimitSettings, DigestSettings, ExportSettings, OpsSettings, RelevanceSettings,
    ]  # fmt: skip
    fields = [name for area in areas for name in area.model_fields]
    assert len(fields) == len(set(fields))
    assert set(fields) == set(Settings.model_fields)


def test_digest_tuning_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERBOT_DIGEST_CONCURRENCY", "8")
    monkeypatch.setenv("PAPERBOT_DIGEST_LEASE_SECONDS", "120")
    settings = load_settings()
    assert (settings.digest_concurrency, settings.digest_lease_seconds) == (8, 120.0)
    monkeypatch.setenv("PAPERBOT_DIGEST_CONCURRENCY", "0")
    with pytest.raises(ConfigError, match="PAPERBOT_DIGEST_CONCURRENCY"):
        load_settings()
