"""Chinese explanations of bad settings: each names the variable and gives an example value."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dotenv.parser import parse_stream

HEADER = "paperbot 配置无效（环境变量或 .env）："
FOOTER = "按每一行的提示修改 .env 或环境变量；`paperbot doctor` 可检查全部配置。"
MAX_SHOWN_VALUE = 40

# A valid value for every setting, shown next to an invalid one. tests/unit/test_config_messages
# checks that each example loads, so the advice cannot drift from what the validators accept.
EXAMPLES: dict[str, str] = {
    "DATABASE_URL": "sqlite:///./data/paperbot.db",
    "PAPERBOT_ARXIV_API_URL": "https://export.arxiv.org/api/query",
    "PAPERBOT_ARXIV_RSS_URL": "https://rss.arxiv.org/rss",
    "PAPERBOT_ARXIV_HTML_URL": "https://arxiv.org/html",
    "PAPERBOT_ARXIV_PDF_URL": "https://arxiv.org/pdf",
    "PAPERBOT_ARXIV_LIST_URL": "https://arxiv.org/list",
    "PAPERBOT_FULLTEXT": "true",
    "PAPERBOT_ARXIV_MIN_INTERVAL": "3",
    "PAPERBOT_ARXIV_RETRIES": "3",
    "PAPERBOT_ARXIV_BACKOFF": "2",
    "PAPERBOT_DEFAULT_ARCHIVE": "cs",
    "PAPERBOT_LLM_PROVIDER": "auto",
    "GEMINI_API_KEY": "AIza…",
    "PAPERBOT_GEMINI_MODEL": "gemini-3.5-flash-lite",
    "PAPERBOT_GEMINI_FALLBACK_MODELS": "gemini-2.5-flash-lite",
    "PAPERBOT_GEMINI_BASE_URL": "https://generativelanguage.googleapis.com",
    "OPENAI_API_KEY": "sk-…",
    "OPENAI_BASE_URL": "https://api.deepseek.com/v1",
    "PAPERBOT_OPENAI_MODEL": "deepseek-flash",
    "PAPERBOT_OPENAI_FALLBACK_MODELS": "deepseek-v4-flash",
    "PAPERBOT_LLM_TIMEOUT": "90",
    "TELEGRAM_BOT_TOKEN": "123456789:AA…",
    "PAPERBOT_TELEGRAM_API_URL": "https://api.telegram.org",
    "PAPERBOT_TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram",
    "PAPERBOT_TELEGRAM_WEBHOOK_SECRET": "一串随机字符",
    "PAPERBOT_TELEGRAM_WEBHOOK_PORT": "8443",
    "DISCORD_BOT_TOKEN": "MTA…",
    "PAPERBOT_DISCORD_API_URL": "https://discord.com/api/v10",
    "PAPERBOT_DISCORD_GATEWAY_URL": "wss://gateway.discord.gg",
    "PAPERBOT_DISCORD_MESSAGE_CONTENT": "false",
    "PAPERBOT_USER_RATE_LIMIT": "5",
    "PAPERBOT_USER_RATE_WINDOW": "60",
    "PAPERBOT_MAX_LINKS_PER_MESSAGE": "3",
    "PAPERBOT_BLOG_AUTHOR": "paperbot",
    "PAPERBOT_BLOG_COVER": "https://example.org/cover.png",
    "PAPERBOT_LOG_LEVEL": "INFO",
    "PAPERBOT_LOG_FORMAT": "text",
    "PAPERBOT_HTTP_PORT": "8080",
    "PAPERBOT_HTTP_HOST": "127.0.0.1",
    "PAPERBOT_DAILY_TOKEN_BUDGET": "200000",
    "PAPERBOT_LLM_INPUT_PRICE": "0.30",
    "PAPERBOT_LLM_OUTPUT_PRICE": "2.50",
    "PAPERBOT_DIGEST_CONCURRENCY": "4",
    "PAPERBOT_DIGEST_SEND_ATTEMPTS": "5",
    "PAPERBOT_DIGEST_RETRY_SECONDS": "30",
    "PAPERBOT_DIGEST_CHAT_CONCURRENCY": "32",
    "PAPERBOT_DIGEST_LEASE_SECONDS": "600",
    "PAPERBOT_EMBEDDINGS": "auto",
    "PAPERBOT_EMBEDDINGS_URL": "http://127.0.0.1:8000/v1",
    "PAPERBOT_EMBEDDINGS_MODEL": "multilingual-e5-small",
    "PAPERBOT_EMBEDDINGS_API_KEY": "sk-…",
    "PAPERBOT_EMBEDDINGS_LEXICAL_WEIGHT": "1",
}
# Variables whose value must never be echoed back (it may be a credential).
SECRET_VARIABLES = frozenset(
    {
        "GEMINI_API_KEY",
        "OPENAI_API_KEY",
        "TELEGRAM_BOT_TOKEN",
        "DISCORD_BOT_TOKEN",
        "PAPERBOT_TELEGRAM_WEBHOOK_SECRET",
        "PAPERBOT_EMBEDDINGS_API_KEY",
    }
)


def reason(error: Mapping[str, Any]) -> str:
    """pydantic's error for one value, in Chinese."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return "应为整数"
    if kind in ("float_parsing", "float_type", "finite_number"):
        return "应为数字"
    if kind in ("bool_parsing", "bool_type"):
        return "应为 true 或 false"
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}"
    if kind == "greater_than":
        return f"应大于 {ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}"
    if kind == "less_than":
        return f"应小于 {ctx.get('lt')}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "")
        return "可选值：" + expected.replace(" or ", "、").replace(", ", "、")
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    return str(error.get("msg", "取值无效"))


def problem_line(variable: str, value: object, why: str) -> str:
    """`- NAME=value：why。例如：NAME=example` (a secret's value is never shown)."""
    shown = ""
    if isinstance(value, str) and variable not in SECRET_VARIABLES:
        shown = value if value.isprintable() else repr(value)[1:-1]  # one line, always
        shown = shown if len(shown) <= MAX_SHOWN_VALUE else shown[:MAX_SHOWN_VALUE] + "…"
    example = EXAMPLES.get(variable)
    hint = f"。例如：{variable}={example}" if example is not None else ""
    return f"- {variable}={shown}：{why}{hint}"


def env_file_problems(path: Path) -> list[str]:
    """Lines of an env file python-dotenv cannot parse (it would only warn and skip them).
    The line's text is not repeated: it may hold a token."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return [f"- {path}：不是 UTF-8 编码的文本文件，请用 UTF-8 保存"]
    except OSError as exc:
        return [f"- {path}：无法读取（{exc.strerror or type(exc).__name__}）"]
    return [
        f"- {path} 第 {binding.original.line} 行无法解析：每行应为 变量名=值，"
        "例如 PAPERBOT_LOG_LEVEL=INFO（注释以 # 开头）"
        for binding in parse_stream(io.StringIO(text))
        if binding.error
    ]


def missing_env_file(path: str) -> str:
    return (
        f"- PAPERBOT_ENV_FILE={path}：文件不存在。请改成 .env 文件的路径，"
        "例如 PAPERBOT_ENV_FILE=/etc/paperbot/.env，或删除这个变量以读取当前目录的 .env"
    )


def message(lines: list[str]) -> str:
    return "\n".join([HEADER, *lines, FOOTER])
