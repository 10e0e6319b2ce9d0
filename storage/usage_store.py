"""SqlUsageStore: one row per model call, with the per-day report and the daily token count."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func
from sqlmodel import col, select

from storage.engine import Database
from storage.tables import UsageRecordRow, as_utc
from summarizer.models import UsageEvent


class UsageRow(BaseModel):
    """One line of `paperbot usage`: a day, provider, model and chat with their totals."""

    model_config = ConfigDict(frozen=True)

    day: date
    provider: str
    model: str
    chat: str | None
    calls: int
    failures: int
    input_tokens: int
    output_tokens: int
    cost_usd: float

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens


def _day_start(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


class SqlUsageStore:
    """summarizer.ports.UsageStore on SQL. Days are calendar days in `tz` (UTC by default)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record_usage(self, event: UsageEvent) -> None:
        row = UsageRecordRow(
            at=event.at,
            provider=event.provider,
            model=event.model,
            arxiv_id=event.arxiv_id,
            mode=str(event.mode),
            input_tokens=event.input_tokens,
            output_tokens=event.output_tokens,
            cost_usd=event.cost_usd,
            chat=event.chat,
            ok=event.ok,
        )
        async with self._db.session() as s:
            s.add(row)
            await s.commit()

    async def usage_report(self, since: date, *, tz: tzinfo = UTC) -> list[UsageRow]:
        """Totals per (day, provider, model, chat) from `since` on, oldest day first."""
        stmt = select(UsageRecordRow).where(
            col(UsageRecordRow.at) >= _day_start(since, tz).astimezone(UTC)
        )
        async with self._db.session() as s:
            rows = (await s.exec(stmt)).all()
        # Grouped here, not in SQL: date arithmetic differs between SQLite and PostgreSQL and
        # a time zone other than UTC would need both. One row per model call stays small.
        totals: dict[tuple[date, str, str, str | None], list[float]] = {}
        for row in rows:
            day = as_utc(row.at).astimezone(tz).date()
            acc = totals.setdefault((day, row.provider, row.model, row.chat), [0, 0, 0, 0, 0.0])
            acc[0] += 1
            acc[1] += 0 if row.ok else 1
            acc[2] += row.input_tokens
            acc[3] += row.output_tokens
            acc[4] += row.cost_usd
        return [
            UsageRow(
                day=day,
                provider=provider,
                model=model,
                chat=chat,
                calls=int(acc[0]),
                failures=int(acc[1]),
                input_tokens=int(acc[2]),
                output_tokens=int(acc[3]),
                cost_usd=acc[4],
            )
            for (day, provider, model, chat), acc in sorted(
                totals.items(), key=lambda item: (item[0][:3], item[0][3] or "")
            )
        ]

    async def tokens_on(self, day: date, *, tz: tzinfo = UTC) -> int:
        """Input plus output tokens spent on `day`, for the daily budget."""
        start = _day_start(day, tz)
        end = _day_start(day + timedelta(days=1), tz)
        total = func.coalesce(
            func.sum(col(UsageRecordRow.input_tokens) + col(UsageRecordRow.output_tokens)), 0
        )
        stmt = select(total).where(
            col(UsageRecordRow.at) >= start.astimezone(UTC),
            col(UsageRecordRow.at) < end.astimezone(UTC),
        )
        async with self._db.session() as s:
            value = (await s.exec(stmt)).one()
        return int(value)
