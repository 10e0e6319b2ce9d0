"""Logging: one line per event (key=value text or JSON), secrets redacted, noisy loggers quiet."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

# httpx logs every request URL at INFO, and the Telegram token sits in those URLs.
NOISY_LOGGERS = (
    "httpx",
    "httpcore",
    "telegram.Bot",
    "telegram.ext.ExtBot",  # logs the Bot API URL, token included, at DEBUG
    "telegram.ext.Updater",
    "apscheduler.executors.default",
    # Nine INFO lines per start ("Context impl SQLiteImpl." ...); storage.migrate logs one
    # line of its own when it actually applied a revision.
    "alembic",
)
# No \b before the digits: in request URLs the token follows "/bot" directly.
TOKEN_LIKE = re.compile(r"(?<!\d)\d{6,12}:[A-Za-z0-9_-]{30,}")
# Credentials that are not configured secrets but still must not be logged: a password in a
# database URL, an API key in a query string (Gemini's `?key=`), a bearer token.
URL_PASSWORD = re.compile(r"(?P<pre>[a-z][a-z0-9+.-]*://[^:/@\s]+:)[^@/\s]+(?=@)", re.IGNORECASE)
QUERY_SECRET = re.compile(
    r"(?P<pre>[?&](?:key|api_key|apikey|access_token|token|secret)=)[^&\s\"']+", re.IGNORECASE
)
BEARER = re.compile(r"(?P<pre>\bBearer\s+)[A-Za-z0-9._~+/-]{8,}=*")
# Attributes every LogRecord has; anything else was passed with `extra=` and is logged as a field.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class RedactingFilter(logging.Filter):
    """Replace every configured secret (and anything shaped like a Telegram token, a URL
    password, a query-string key or a bearer token) in the rendered message, exception text
    and `extra` fields with `***`."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        text = TOKEN_LIKE.sub("***", text)
        for pattern in (URL_PASSWORD, QUERY_SECRET, BEARER):
            text = pattern.sub(lambda m: m.group("pre") + "***", text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = self.redact(message)
        record.args = None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        for name, value in list(vars(record).items()):
            if name not in _STANDARD and isinstance(value, str):
                setattr(record, name, self.redact(value))
        return True


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
        "level": record.levelname,
        "logger": record.name,
        "msg": record.getMessage(),
    }
    for name, value in vars(record).items():
        if name not in _STANDARD and not name.startswith("_"):
            fields[name] = value
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        fields["exc"] = record.exc_text
    return fields


_BARE = re.compile(r"^[^\s\"=]+$")


def _kv_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    if _BARE.match(text):
        return text
    return json.dumps(text, ensure_ascii=False)  # quoted, newlines escaped: stays one line


class KeyValueFormatter(logging.Formatter):
    """`ts=… level=INFO logger=bot.runner msg="platform started: telegram"` — one line."""

    def format(self, record: logging.LogRecord) -> str:
        return " ".join(f"{k}={_kv_value(v)}" for k, v in _fields(record).items())


class JsonFormatter(logging.Formatter):
    """One JSON object per line (for log shippers)."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(_fields(record), ensure_ascii=False, default=str)


def setup_logging(level: str, secrets: Iterable[str], fmt: str = "text") -> None:
    """Root logging: stderr, one line per event in `fmt` (text|json), secrets redacted, and the
    metrics handler counting errors and rate-limit waits."""
    from bot.ops.metrics import MetricsLogHandler

    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else KeyValueFormatter())
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.addHandler(MetricsLogHandler())
    root.setLevel(level)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
