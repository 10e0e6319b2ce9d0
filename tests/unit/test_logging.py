"""Secrets never reach the log output, in messages, arguments or tracebacks."""

from __future__ import annotations

import io
import logging

from bot.ops.logging_setup import RedactingFilter

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def capture(secrets: list[str]) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter(secrets))
    logger = logging.getLogger(f"test.redact.{id(stream)}")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return logger, stream


def test_secret_in_arguments_and_traceback_is_redacted() -> None:
    logger, stream = capture(["gemini-secret-key"])
    logger.info("GET https://api.telegram.org/bot%s/getMe key=%s", TOKEN, "gemini-secret-key")
    try:
        raise RuntimeError(f"failed with key gemini-secret-key and {TOKEN}")
    except RuntimeError:
        logger.exception("boom")
    out = stream.getvalue()
    assert "gemini-secret-key" not in out
    assert TOKEN not in out
    assert "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" not in out
    assert out.count("***") >= 4
    assert "RuntimeError" in out
