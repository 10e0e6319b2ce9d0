"""`paperbot run` starts quietly: one line when the schema changes, none of Alembic's own."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.ops.logging_setup import setup_logging
from storage.migrate import upgrade_database


@pytest.fixture
def run_log() -> Iterator[io.StringIO]:
    """The log `paperbot run` writes on stderr (same setup, default level INFO)."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    setup_logging("INFO", [], "text")
    stream = io.StringIO()
    for handler in root.handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(stream)
    yield stream
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]


async def test_migrating_at_start_logs_one_line(run_log: io.StringIO, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'paperbot.db'}"
    await upgrade_database(url)
    lines = run_log.getvalue().splitlines()
    assert len(lines) == 1 and "database schema upgraded: empty -> " in lines[0], lines
    await upgrade_database(url)  # the usual restart: already current, nothing to say
    assert run_log.getvalue().splitlines() == lines
