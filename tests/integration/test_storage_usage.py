"""Storage: SqlUsageStore events, the per-day report and the daily token count."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from storage import Database, SqlUsageStore, UsageRow
from summarizer.models import Mode, UsageEvent

BEIJING = timezone(timedelta(hours=8))


def event(at: datetime, **changes: object) -> UsageEvent:
    base: dict[str, object] = {
        "at": at,
        "provider": "gemini",
        "model": "gemini-2.5-flash",
        "arxiv_id": "2401.12215",
        "mode": Mode.CONDENSED,
        "input_tokens": 1000,
        "output_tokens": 200,
        "cost_usd": 0.25,
        "chat": "telegram:-100",
    }
    return UsageEvent.model_validate(base | changes)


async def test_usage_report_aggregates_per_day_provider_model_and_chat(
    database: Database,
) -> None:
    store = SqlUsageStore(database)
    events = [
        event(datetime(2026, 11, 19, 23, 59, tzinfo=UTC)),  # before `since`
        event(datetime(2026, 11, 20, 1, 0, tzinfo=UTC)),
        # 07:30 in Beijing is 23:30 UTC the day before: counted on 11-20 in UTC.
        event(datetime(2026, 11, 21, 7, 30, tzinfo=BEIJING), input_tokens=10, ok=False),
        event(datetime(2026, 11, 20, 12, 0, tzinfo=UTC), chat=None),
        event(datetime(2026, 11, 20, 12, 0, tzinfo=UTC), provider="openai", model="gpt-4o-mini"),
        event(datetime(2026, 11, 21, 0, 0, tzinfo=UTC), output_tokens=5, cost_usd=0.5),
    ]
    for e in events:
        await store.record_usage(e)

    report = await store.usage_report(date(2026, 11, 20))

    common = {"provider": "gemini", "model": "gemini-2.5-flash"}
    assert report == [
        UsageRow(day=date(2026, 11, 20), **common, chat=None, calls=1, failures=0,
                 input_tokens=1000, output_tokens=200, cost_usd=0.25),
        UsageRow(day=date(2026, 11, 20), **common, chat="telegram:-100", calls=2, failures=1,
                 input_tokens=1010, output_tokens=400, cost_usd=0.5),
        UsageRow(day=date(2026, 11, 20), provider="openai", model="gpt-4o-mini",
                 chat="telegram:-100", calls=1, failures=0, input_tokens=1000,
                 output_tokens=200, cost_usd=0.25),
        UsageRow(day=date(2026, 11, 21), **common, chat="telegram:-100", calls=1, failures=0,
                 input_tokens=1000, output_tokens=5, cost_usd=0.5),
    ]  # fmt: skip
    assert report[1].tokens == 1410

    assert await store.tokens_on(date(2026, 11, 20)) == 1200 + 210 + 1200 + 1200
    assert await store.tokens_on(date(2026, 11, 19)) == 1200
    assert await store.tokens_on(date(2026, 11, 22)) == 0
    # Days in Beijing time: 11-21 07:30 +08 and 11-21 00:00 UTC (08:00 +08) both fall on 11-21.
    assert await store.tokens_on(date(2026, 11, 21), tz=BEIJING) == 210 + 1005
    beijing = await store.usage_report(date(2026, 11, 21), tz=BEIJING)
    assert [(r.day, r.calls) for r in beijing] == [(date(2026, 11, 21), 2)]


async def test_usage_report_is_empty_without_events(database: Database) -> None:
    store = SqlUsageStore(database)
    assert await store.usage_report(date(2026, 1, 1)) == []
    assert await store.tokens_on(date(2026, 1, 1)) == 0
