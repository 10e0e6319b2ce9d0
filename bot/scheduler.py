"""The digest's clock: an APScheduler AsyncIOScheduler on the bot's loop runs one tick job
every minute; schedules themselves live in our tables (each chat's settings + claim)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.config import Settings
from bot.ops import metrics
from handlers.digest.pipeline import DigestConfig, DigestPipeline
from handlers.digest.sender import SendPolicy
from handlers.digest.types import Messenger
from handlers.services import Services
from storage.digest_store import SqlDigestStore
from storage.engine import Database
from summarizer.arxiv import calendar as arxiv_calendar
from summarizer.arxiv.http import ArxivHttp

log = logging.getLogger(__name__)

TICK_SECONDS = 60
# A tick that starts late (busy loop, suspended laptop) still runs if within 50 s of its time;
# later than that, the next tick is as good. coalesce: a backlog of missed ticks runs once.
MISFIRE_GRACE_SECONDS = 50
STOP_WAIT_SECONDS = 30.0


class SchedulerPlatform:
    """Started by bot.runner after the chat platforms (it needs their messengers)."""

    name = "scheduler"

    def __init__(self, pipeline: DigestPipeline, *, interval: float = TICK_SECONDS) -> None:
        self.pipeline = pipeline
        self.interval = interval
        self.ticks = 0
        self._scheduler: AsyncIOScheduler | None = None
        self._current: asyncio.Future[Any] | None = None
        self._stopping = False
        self._job: asyncio.Task[Any] | None = None

    async def start(self) -> None:
        scheduler = AsyncIOScheduler(timezone=UTC)
        scheduler.add_job(
            self.tick,
            "interval",
            seconds=self.interval,
            id="digest-tick",
            next_run_time=datetime.now(UTC),  # catch up at once after downtime
            coalesce=True,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
            max_instances=1,
            replace_existing=True,
        )
        scheduler.start()
        self._scheduler = scheduler

    async def tick(self) -> None:
        # The pipeline runs in its own task so that stop() can cancel it without cancelling
        # the APScheduler job itself (which would be logged as a failed job with a traceback).
        self._job = asyncio.current_task()
        self._current = asyncio.ensure_future(self.pipeline.tick())
        try:
            report = await self._current
            self.ticks += 1
            if report.claimed or report.sent.sent or report.notices:
                metrics.record_digest("failed" if report.sent.failed else "sent")
                log.info(
                    "digest tick: %d claimed, %d sent, %d retried, %d failed, %d notices",
                    report.claimed,
                    report.sent.sent,
                    report.sent.retried,
                    report.sent.failed,
                    report.notices,
                )
        except asyncio.CancelledError:
            if not self._stopping:
                raise
            log.info("digest tick stopped at shutdown; the ledger resumes it at the next start")
        except Exception:
            metrics.record_digest("error")
            log.exception("digest tick failed; the next tick retries")
        finally:
            self._current = None

    async def stop(self) -> None:
        """Pause, let a running tick finish (or cancel it after STOP_WAIT_SECONDS; the ledger
        resumes it at the next start), then shut APScheduler down. Shutting down first would
        make APScheduler cancel the job itself and log that as a failed job."""
        self._stopping = True
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is None:
            return
        scheduler.pause()
        current, job = self._current, self._job
        if current is not None and not current.done():
            done, _ = await asyncio.wait({current}, timeout=STOP_WAIT_SECONDS)
            if not done:
                current.cancel()
        if job is not None and not job.done():
            await asyncio.wait({job}, timeout=STOP_WAIT_SECONDS)
        await asyncio.sleep(0)  # the executor's done-callback runs on the next loop turn
        scheduler.shutdown(wait=False)


@asynccontextmanager
async def open_digest(
    settings: Settings, database: Database, services: Services, http: ArxivHttp | None = None
) -> AsyncIterator[DigestPipeline | None]:
    """The pipeline on real stores and the RSS feed (None while those modules are absent)."""
    try:
        from storage.subscription_store import SqlSubscriptionStore
        from summarizer.arxiv.feeds import ArxivFeedSource
    except ImportError:  # pragma: no cover - until subscriptions land
        log.warning("digest disabled: subscription store or feed source missing")
        yield None
        return
    feed: Any = ArxivFeedSource(
        settings.arxiv_rss_url, http=http, min_interval=settings.arxiv_min_interval
    )
    list_url = settings.resolved_list_url
    if list_url is not None:
        from summarizer.arxiv.listing import ArxivListingSource
        from summarizer.arxiv.sources import ListingFirstSource

        # The listing shows an announcement at 20:00 ET, the feed only at midnight ET.
        feed = ListingFirstSource(ArxivListingSource(list_url), feed, metadata=services.papers)
    # The feed source retries with backoff itself; the pipeline backs off between ticks.
    config = DigestConfig(
        summary_concurrency=settings.digest_concurrency,
        fetch_attempts=1,
        send=SendPolicy(
            max_attempts=settings.digest_send_attempts,
            retry_base_seconds=settings.digest_retry_seconds,
            chat_concurrency=settings.digest_chat_concurrency,
            lease_seconds=settings.digest_lease_seconds,
        ),
    )
    pipeline = DigestPipeline(
        store=SqlDigestStore(database),
        subscriptions=SqlSubscriptionStore(database),
        feed=feed,
        chats=services.chats,
        summaries=services.summaries,
        messengers={},
        calendar=arxiv_calendar,
        config=config,
        relevance=services.relevance,
    )
    try:
        yield pipeline
    finally:
        pipeline.close()
        await pipeline.ahead.stopped()  # before the database closes under it
        close = getattr(feed, "aclose", None)
        if close is not None:
            await close()


def platform_messengers(platforms: Sequence[Any], services: Services) -> list[Messenger]:
    """Messengers over the running chat platforms (Telegram's bot, Discord's client)."""
    from bot.discord.messenger import DiscordMessenger
    from bot.telegram.messenger import TelegramMessenger

    found: list[Messenger] = []
    for platform in platforms:
        if platform.name == "telegram":
            found.append(TelegramMessenger(platform.app.bot, services.chats))
        elif platform.name == "discord":
            found.append(DiscordMessenger(platform.client, services.chats))
    return found


def scheduler_for(services: Services, platforms: Sequence[Any]) -> SchedulerPlatform | None:
    """For bot.runner: the scheduler platform, with the chat platforms' messengers."""
    pipeline = services.digest
    if pipeline is None:
        return None
    for messenger in platform_messengers(platforms, services):
        pipeline.add_messenger(messenger)
    return SchedulerPlatform(pipeline)
