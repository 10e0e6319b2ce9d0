"""Reliability and security suite: shared checkers (Telegram HTML rules, log capture, wiring)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from bot.config import Settings
from bot.wiring import build_services
from storage import Database
from summarizer.ports import LLMProvider

# Telegram's HTML parse mode (core.telegram.org/bots/api#html-style).
TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre"}
TELEGRAM_TAGS |= {"blockquote", "tg-spoiler", "span"}
_TAG = re.compile(r"<(/?)([a-z-]+)((?:\s+[a-z-]+=\"[^\"<>]*\")*)\s*>")
_ATTR = re.compile(r"\s+([a-z-]+)=\"([^\"<>]*)\"")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")


def telegram_html_problems(text: str) -> list[str]:
    """Everything Telegram's strict HTML parser would reject (or we never want to send):
    unknown or unbalanced tags, bad attributes, unescaped `& < >` and unknown entities."""
    problems: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            m = _TAG.match(text, i)
            if m is None:
                problems.append(f"raw '<' at {i}")
                i += 1
                continue
            closing, tag, attrs = m.group(1), m.group(2), m.group(3)
            if tag not in TELEGRAM_TAGS:
                problems.append(f"tag <{tag}> not allowed")
            elif closing:
                if not stack or stack[-1] != tag:
                    problems.append(f"unbalanced </{tag}> (open: {stack})")
                else:
                    stack.pop()
            else:
                problems += _attr_problems(tag, dict(_ATTR.findall(attrs)))
                stack.append(tag)
            i = m.end()
        elif char == ">":
            problems.append(f"raw '>' at {i}")
            i += 1
        elif char == "&":
            m = _ENTITY.match(text, i)
            if m is None:
                problems.append(f"bad entity at {i}: {text[i : i + 10]!r}")
                i += 1
            else:
                i = m.end()
        else:
            i += 1
    if stack:
        problems.append(f"unclosed tags {stack}")
    return problems


def _attr_problems(tag: str, attrs: dict[str, str]) -> list[str]:
    if tag == "a":
        return [] if set(attrs) == {"href"} else [f"<a> attributes {sorted(attrs)}"]
    if tag == "span":
        return [] if attrs == {"class": "tg-spoiler"} else [f"<span> attributes {attrs}"]
    if tag in ("code", "pre"):
        return [] if set(attrs) <= {"class"} else [f"<{tag}> attributes {sorted(attrs)}"]
    return [f"<{tag}> takes no attributes"] if attrs else []


def hrefs(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)">', html)


class Capture(logging.Handler):
    """Every record at DEBUG, formatted with its traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@contextmanager
def capture_all_logs() -> Iterator[Capture]:
    """Root at DEBUG with a capturing handler; logger levels are left as the code sets them."""
    capture = Capture()
    root = logging.getLogger()
    old = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        root.setLevel(old)


@asynccontextmanager
async def sql_services(
    database_url: str,
    arxiv_url: str,
    provider: LLMProvider | None = None,
    *,
    rate_limit: int = 100,
    max_links: int = 3,
) -> Any:
    """The real wiring (bot.wiring.build_services) minus the platforms: migrated database,
    SQL stores, ArxivSource without politeness delay, the SummaryService over `provider`
    (None: extractive). Yields (services, the database the stores use)."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        arxiv_api_url=arxiv_url,
        arxiv_min_interval=0.0,
        arxiv_retries=1,
        arxiv_backoff=0.05,
        user_rate_limit=rate_limit,
        max_links_per_message=max_links,
        fulltext_enabled=False,
    )
    async with build_services(settings, provider=provider) as services:
        db = Database(database_url)
        try:
            yield services, db
        finally:
            await db.dispose()
