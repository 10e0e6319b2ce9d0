"""Settings errors: every variable has an example that loads, bad .env files are reported."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.cli.doctor import doctor_main
from bot.config import ConfigError, Settings, _variable_name, load_settings
from bot.config_messages import EXAMPLES, HEADER, SECRET_VARIABLES

VARIABLES = sorted(_variable_name(field) for field in Settings.model_fields)


def test_every_setting_has_an_example() -> None:
    assert sorted(EXAMPLES) == VARIABLES


@pytest.mark.parametrize("variable", VARIABLES)
def test_each_example_is_a_valid_value(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, EXAMPLES[variable])
    if variable == "PAPERBOT_LLM_PROVIDER":
        monkeypatch.setenv(variable, "auto")
    load_settings()  # raises ConfigError if the advice we print would not be accepted


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("PAPERBOT_DAILY_TOKEN_BUDGET", "200k", "应为整数"),
        ("PAPERBOT_LLM_TIMEOUT", "soon", "应为数字"),
        ("PAPERBOT_FULLTEXT", "maybe", "true 或 false"),
        ("PAPERBOT_ARXIV_RETRIES", "20", "不能大于 10"),
        ("PAPERBOT_USER_RATE_LIMIT", "0", "不能小于 1"),
        ("PAPERBOT_LOG_FORMAT", "xml", "可选值：text、json"),
        ("PAPERBOT_ARXIV_API_URL", "export.arxiv.org", "http"),
        ("PAPERBOT_DEFAULT_ARCHIVE", "biology", "cs、math"),
        ("DATABASE_URL", "mysql://x", "sqlite:///"),
    ],
)
def test_invalid_value_names_variable_reason_and_example(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, reason: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    text = str(caught.value)
    assert text.startswith(HEADER)
    line = next(line for line in text.splitlines() if line.startswith(f"- {variable}="))
    assert f"{variable}={value}" in line
    assert reason in line
    assert f"例如：{variable}={EXAMPLES[variable]}" in line
    assert "Input should" not in text  # pydantic's English does not leak through


def test_secret_values_are_never_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "TELEGRAM_BOT_TOKEN" in SECRET_VARIABLES
    monkeypatch.setenv("PAPERBOT_LLM_PROVIDER", "gemini")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-not-shown-anywhere")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "sk-not-shown-anywhere" not in str(caught.value)


def test_missing_env_file_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / ".env"
    monkeypatch.setenv("PAPERBOT_ENV_FILE", str(missing))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert f"PAPERBOT_ENV_FILE={missing}" in str(caught.value)
    assert "文件不存在" in str(caught.value)


BAD_ENV = "PAPERBOT_LOG_LEVEL=INFO\nTELEGRAM_BOT_TOKEN 123456:secret-in-a-bad-line\n# ok\n"


def test_unparsable_env_line_is_an_error_not_a_warning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(BAD_ENV, encoding="utf-8")
    monkeypatch.setenv("PAPERBOT_ENV_FILE", str(env_file))
    with caplog.at_level(logging.WARNING), pytest.raises(ConfigError) as caught:
        load_settings()
    assert "第 2 行无法解析" in str(caught.value)
    assert "secret-in-a-bad-line" not in str(caught.value)
    assert not [r for r in caplog.records if "could not parse" in r.getMessage()]


def test_doctor_reports_the_same_env_problem(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(BAD_ENV, encoding="utf-8")
    monkeypatch.setenv("PAPERBOT_ENV_FILE", str(env_file))
    assert doctor_main() == 2
    out = capsys.readouterr().out
    assert "第 2 行无法解析" in out
    assert "均有效" not in out
