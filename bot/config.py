"""Settings from the environment and `.env`: the areas of bot/settings_areas.py read together;
invalid configuration fails early with the fix. The environment names are a public interface."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, ValidationError

from bot import config_messages
from bot.relevance_settings import RelevanceSettings
from bot.settings_areas import (
    DEFAULT_DATABASE_URL,
    ArxivSettings,
    ChatLimitSettings,
    DatabaseSettings,
    DigestSettings,
    DiscordSettings,
    ExportSettings,
    ModelSettings,
    OpsSettings,
    ProviderName,
    TelegramSettings,
)

__all__ = ["DEFAULT_DATABASE_URL", "ConfigError", "ProviderName", "Settings", "load_settings"]


class ConfigError(Exception):
    """Configuration that cannot work; the message names the variable and an example value."""


class Settings(
    DatabaseSettings,
    ArxivSettings,
    ModelSettings,
    TelegramSettings,
    DiscordSettings,
    ChatLimitSettings,
    DigestSettings,
    ExportSettings,
    OpsSettings,
    RelevanceSettings,
):
    """Every setting paperbot reads: the areas above, read together from one environment.
    Names are the documented environment variables."""

    def secrets(self) -> list[str]:
        """Every secret value set, for log redaction."""
        values = [
            self.gemini_api_key,
            self.openai_api_key,
            self.telegram_bot_token,
            self.discord_bot_token,
            self.telegram_webhook_secret,
            self.embeddings_api_key,
        ]
        return [v.get_secret_value() for v in values if v is not None and v.get_secret_value()]


def load_settings(**overrides: Any) -> Settings:
    """Read settings, turning every problem into one ConfigError that says what to fix: a
    PAPERBOT_ENV_FILE that does not exist, .env lines python-dotenv cannot parse (it would
    only warn and skip them), and each invalid value with its variable and an example."""
    chosen = os.environ.get("PAPERBOT_ENV_FILE")
    env_file = Path(chosen) if chosen else Path(".env")
    if chosen and (not env_file.exists() or env_file.is_dir()):
        raise ConfigError(config_messages.message([config_messages.missing_env_file(chosen)]))
    problems = config_messages.env_file_problems(env_file) if env_file.exists() else []
    if problems:
        raise ConfigError(config_messages.message(problems))
    try:
        return Settings(_env_file=env_file, **overrides)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = err.get("loc") or ()
            why = config_messages.reason(err)
            if loc:
                variable = _variable_name(str(loc[0]))
                lines.append(config_messages.problem_line(variable, err.get("input"), why))
            else:
                lines.append(f"- {why}")
        raise ConfigError(config_messages.message(lines)) from None


def _variable_name(field: str) -> str:
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info else None
    if isinstance(alias, AliasChoices) and alias.choices:
        return str(alias.choices[0])
    return field
