"""Log lines: one event per line as key=value or JSON, with every kind of credential redacted."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.ops.logging_setup import JsonFormatter, KeyValueFormatter, RedactingFilter

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture(params=["text", "json"])
def capture(request: pytest.FixtureRequest) -> Iterator[tuple[logging.Logger, io.StringIO, str]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if request.param == "json" else KeyValueFormatter())
    handler.addFilter(RedactingFilter(["configured-secret-value"]))
    logger = logging.getLogger(f"test.ops.logging.{request.param}")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield logger, stream, request.param
    logger.removeHandler(handler)


def parse(line: str, fmt: str) -> dict[str, str]:
    if fmt == "json":
        return json.loads(line)
    fields: dict[str, str] = {}
    rest = line
    while rest:
        key, _, rest = rest.partition("=")
        if rest.startswith('"'):
            decoder = json.JSONDecoder()
            value, end = decoder.raw_decode(rest)
            rest = rest[end:].lstrip(" ")
        else:
            value, _, rest = rest.partition(" ")
        fields[key] = value
    return fields


def test_one_line_per_event_with_fields(capture: tuple[logging.Logger, io.StringIO, str]) -> None:
    logger, stream, fmt = capture
    logger.info("two\nlines for chat %s", "telegram:42", extra={"chat": "telegram:42", "n": 3})
    try:
        raise ValueError("bad value")
    except ValueError:
        logger.exception("failed")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    first, second = parse(lines[0], fmt), parse(lines[1], fmt)
    assert first["msg"] == "two\nlines for chat telegram:42"
    assert first["level"] == "INFO" and first["logger"] == logger.name
    assert first["chat"] == "telegram:42" and str(first["n"]) == "3"
    assert first["ts"].endswith("+00:00")
    assert "ValueError: bad value" in second["exc"]


def test_credentials_are_redacted(capture: tuple[logging.Logger, io.StringIO, str]) -> None:
    logger, stream, _ = capture
    logger.warning(
        "GET https://generativelanguage.googleapis.com/v1beta/models?key=AIzaSyA-leak&x=1 "
        "db postgresql://paperbot:s3cretpw@db:5432/paperbot auth Bearer sk-abcdefghijkl123 "
        "bot %s configured-secret-value",
        TOKEN,
        extra={"url": "https://api.example/?token=tok-leak-1234"},
    )
    out = stream.getvalue()
    for leak in ("AIzaSyA-leak", "s3cretpw", "sk-abcdefghijkl123", TOKEN, "configured-secret-value",
                 "tok-leak-1234"):  # fmt: skip
        assert leak not in out, leak
    assert "postgresql://paperbot:***@db:5432" in out and "?key=***&x=1" in out
