"""Settings: documented names, provider auto-selection, errors that say what to fix."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_DATABASE_URL, ConfigError, load_settings


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
