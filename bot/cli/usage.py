"""`paperbot usage [--days N]`: model calls, tokens and estimated cost per day, provider, chat."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from bot.config import Settings
from storage.engine import Database, sqlite_path
from storage.health import schema_revision
from storage.usage_store import SqlUsageStore, UsageRow

NO_CHAT = "（命令行 / 推送）"


def _totals(rows: Iterable[UsageRow]) -> tuple[int, int, int, int, float]:
    calls = failures = tokens_in = tokens_out = 0
    cost = 0.0
    for row in rows:
        calls += row.calls
        failures += row.failures
        tokens_in += row.input_tokens
        tokens_out += row.output_tokens
        cost += row.cost_usd
    return calls, failures, tokens_in, tokens_out, cost


def _line(label: str, rows: list[UsageRow], width: int) -> str:
    calls, failures, tokens_in, tokens_out, cost = _totals(rows)
    return (
        f"{label:<{width}} {calls:>6} {failures:>5} {tokens_in:>12,} {tokens_out:>12,} "
        f"{cost:>10.4f}"
    )


def _table(title: str, groups: dict[str, list[UsageRow]]) -> list[str]:
    width = max([24, *(len(k) for k in groups)])
    head = f"{'':<{width}} {'调用':>4} {'失败':>3} {'输入令牌':>8} {'输出令牌':>8} {'费用USD':>7}"
    lines = [title, head]
    lines += [_line(key, groups[key], width) for key in sorted(groups)]
    return lines


def format_usage(
    rows: list[UsageRow], *, days: int, today: date, budget: int = 0, tokens_today: int = 0
) -> str:
    """The report as text: per day, per provider/model, per chat, totals and the budget."""
    since = today - timedelta(days=days - 1)
    out = [f"模型用量：{since.isoformat()} 至 {today.isoformat()}（UTC，费用为估算）", ""]
    if not rows:
        out.append("这段时间没有模型调用记录。")
    else:
        by_day: dict[str, list[UsageRow]] = defaultdict(list)
        by_provider: dict[str, list[UsageRow]] = defaultdict(list)
        by_chat: dict[str, list[UsageRow]] = defaultdict(list)
        for row in rows:
            by_day[row.day.isoformat()].append(row)
            by_provider[f"{row.provider}/{row.model}"].append(row)
            by_chat[row.chat or NO_CHAT].append(row)
        out += [*_table("按天（per day）", by_day), ""]
        out += [*_table("按提供方（per provider/model）", by_provider), ""]
        out += [*_table("按聊天（per chat）", by_chat), ""]
        out.append(_line("合计（total）", rows, 24))
    if budget:
        left = max(budget - tokens_today, 0)
        out.append(
            f"今日令牌：{tokens_today:,} / 预算 {budget:,}（剩余 {left:,}，"
            "PAPERBOT_DAILY_TOKEN_BUDGET）"
        )
    else:
        out.append(f"今日令牌：{tokens_today:,}（未设每日预算 PAPERBOT_DAILY_TOKEN_BUDGET）")
    return "\n".join(out)


async def print_usage(settings: Settings, *, days: int) -> int:
    if days < 1:
        print("--days 至少为 1")
        return 2
    path = sqlite_path(settings.database_url)
    if path is not None and not path.exists():
        print(f"数据库 {path} 尚不存在：还没有任何用量记录。")
        return 0
    today = datetime.now(UTC).date()
    db = Database(settings.database_url)
    try:
        if await schema_revision(db) is None:
            print("数据库尚未初始化：还没有任何用量记录（运行 `paperbot db upgrade`）。")
            return 0
        store = SqlUsageStore(db)
        rows = await store.usage_report(today - timedelta(days=days - 1))
        spent = await store.tokens_on(today)
    finally:
        await db.dispose()
    print(
        format_usage(
            rows, days=days, today=today, budget=settings.daily_token_budget, tokens_today=spent
        )
    )
    return 0
