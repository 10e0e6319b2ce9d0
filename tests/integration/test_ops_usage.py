"""`paperbot usage` on a real database (SQLite and PostgreSQL): what the operator reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli.usage import print_usage
from bot.config import Settings
from storage import Database, SqlUsageStore, upgrade_database
from summarizer.models import Mode, UsageEvent


def settings(url: str, **values: object) -> Settings:
    return Settings(_env_file=None, database_url=url, **values)  # type: ignore[call-arg]


async def test_usage_per_day_provider_and_chat(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    await upgrade_database(database_url)
    now = datetime.now(UTC)
    db = Database(database_url)
    try:
        store = SqlUsageStore(db)
        for at, provider, chat in (
            (now, "gemini", "telegram:42"),
            (now, "gemini", "discord:7"),
            (now - timedelta(days=1), "openai", None),
            (now - timedelta(days=30), "gemini", "telegram:42"),  # outside --days 2
        ):
            await store.record_usage(UsageEvent(
                at=at, provider=provider, model="m1", arxiv_id="2401.12215", mode=Mode.CONDENSED,
                input_tokens=1000, output_tokens=100, cost_usd=0.01, chat=chat,
            ))  # fmt: skip
    finally:
        await db.dispose()
    assert await print_usage(settings(database_url, daily_token_budget=5000), days=2) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    total = next(line for line in lines if line.startswith("合计"))
    assert total.split()[-5:] == ["3", "0", "3,000", "300", "0.0300"]
    assert next(line for line in lines if line.startswith("gemini/m1")).split()[1] == "2"
    assert next(line for line in lines if line.startswith("telegram:42")).split()[1] == "1"
    assert now.date().isoformat() in out and (now - timedelta(days=1)).date().isoformat() in out
    assert "今日令牌：2,200 / 预算 5,000" in out


async def test_usage_before_any_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    assert await print_usage(settings(url), days=7) == 0
    assert "尚不存在" in capsys.readouterr().out
    assert not (tmp_path / "none.db").exists()
