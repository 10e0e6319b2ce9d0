"""Logging: one line per event, secrets redacted, chatty HTTP client loggers silenced."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

# httpx logs every request URL at INFO, and the Telegram token sits in those URLs.
NOISY_LOGGERS = ("httpx", "httpcore", "telegram.ext.Updater", "apscheduler.executors.default")
# No \b before the digits: in request URLs the token follows "/bot" directly.
TOKEN_LIKE = re.compile(r"(?<!\d)\d{6,12}:[A-Za-z0-9_-]{30,}")


class RedactingFilter(logging.Filter):
    """Replace every configured secret (and anything shaped like a Telegram token) in the
    rendered message and exception text with `***`."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return TOKEN_LIKE.sub("***", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = self.redact(message)
        record.args = None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def setup_logging(level: str, secrets: Iterable[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s", "%Y-%m-%dT%H:%M:%S")
    )
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
