"""The optional operations HTTP server (`PAPERBOT_HTTP_PORT`): `/healthz` and `/metrics`."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from bot.config import Settings
from bot.ops import metrics
from bot.ops.logging_setup import RedactingFilter
from storage.engine import Database
from storage.health import delivery_status_counts, ping
from storage.usage_store import SqlUsageStore

log = logging.getLogger(__name__)

DB_TIMEOUT = 3.0
DIGEST_DAYS = 7
PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8"
SCHEDULER = "scheduler"


class HttpPlatform:
    """Runs on the bot's event loop like a chat platform; `port` is the bound port."""

    name = "http"

    def __init__(self, settings: Settings, *, port: int | None = None) -> None:
        self.settings = settings
        self.host = settings.http_host
        self.port = port if port is not None else (settings.http_port or 0)
        self._redact = RedactingFilter(settings.secrets()).redact
        self._db: Database | None = None
        self._runner: web.AppRunner | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics)
        return app

    async def start(self) -> None:
        self._db = Database(self.settings.database_url)
        self._runner = web.AppRunner(self.app(), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        log.info("ops HTTP server on http://%s:%d (/healthz, /metrics)", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._db is not None:
            await self._db.dispose()
            self._db = None

    # /healthz ---------------------------------------------------------------------------
    async def _database_ok(self) -> tuple[bool, str]:
        assert self._db is not None
        try:
            await asyncio.wait_for(ping(self._db), DB_TIMEOUT)
        except Exception as exc:
            return False, self._redact(f"{type(exc).__name__}: {exc}")
        return True, ""

    async def _digests(self) -> dict[str, dict[str, int]]:
        assert self._db is not None
        since = datetime.now(UTC).date() - timedelta(days=DIGEST_DAYS - 1)
        try:
            counts = await delivery_status_counts(self._db, since)
        except Exception:
            log.warning("digest ledger query failed", exc_info=True)
            return {}
        days: dict[str, dict[str, int]] = {}
        for (day, status), count in sorted(counts.items()):
            days.setdefault(day.isoformat(), {})[status] = count
        return days

    async def health(self) -> tuple[bool, dict[str, Any]]:
        db_ok, db_error = await self._database_ok()
        states = metrics.components()
        platforms = {
            name: {"ok": s.ok, "detail": s.detail, "since": s.since.isoformat()}
            for name, s in sorted(states.items())
            if name not in (SCHEDULER, self.name, metrics.MODEL_COMPONENT)
        }
        scheduler = states.get(SCHEDULER)
        digests = await self._digests() if db_ok else {}
        model = states.get(metrics.MODEL_COMPONENT)
        healthy = db_ok and all(
            s.ok for name, s in states.items() if name not in (self.name, metrics.MODEL_COMPONENT)
        )
        # a retired model degrades summaries (labelled extracts) but the bot still serves: 200
        status = "ok" if model is None or model.ok else "degraded"
        body = {
            "status": status if healthy else "unhealthy",
            "model": None if model is None else {"ok": model.ok, "detail": model.detail},
            "database": {"ok": db_ok, **({"error": db_error} if db_error else {})},
            "platforms": platforms,
            "scheduler": None
            if scheduler is None
            else {"running": scheduler.ok, "detail": scheduler.detail},
            "digests": digests,
            # Parts in doubt after a crash or a lost answer, not resent (never twice).
            "digest_parts_written_off": sum(d.get("uncertain", 0) for d in digests.values()),
            "uptime_seconds": round(time.time() - metrics.START_TIME.get(), 1),
        }
        return healthy, body

    async def healthz(self, request: web.Request) -> web.Response:
        healthy, body = await self.health()
        text = self._redact(json.dumps(body, ensure_ascii=False))
        return web.json_response(text=text, status=200 if healthy else 503)

    # /metrics ---------------------------------------------------------------------------
    async def refresh(self) -> None:
        """Gauges read from the database at scrape time: today's usage, the digest ledger."""
        assert self._db is not None
        today = datetime.now(UTC).date()
        try:
            rows = await SqlUsageStore(self._db).usage_report(today)
            counts = await delivery_status_counts(self._db, today - timedelta(days=DIGEST_DAYS - 1))
        except Exception:
            log.warning("metrics refresh from the database failed", exc_info=True)
            return
        for gauge in (metrics.MODEL_CALLS, metrics.MODEL_TOKENS, metrics.MODEL_COST):
            gauge.clear()
        for row in rows:
            labels = {"provider": row.provider, "model": row.model}
            metrics.MODEL_CALLS.inc(row.calls - row.failures, **labels, result="ok")
            metrics.MODEL_CALLS.inc(row.failures, **labels, result="error")
            metrics.MODEL_TOKENS.inc(row.input_tokens, **labels, direction="input")
            metrics.MODEL_TOKENS.inc(row.output_tokens, **labels, direction="output")
            metrics.MODEL_COST.inc(row.cost_usd, **labels)
        metrics.DELIVERIES.clear()
        for (_day, status), count in counts.items():
            metrics.DELIVERIES.inc(count, status=status)

    async def metrics(self, request: web.Request) -> web.Response:
        await self.refresh()
        text = self._redact(metrics.REGISTRY.render())
        return web.Response(body=text.encode(), headers={"Content-Type": PROMETHEUS_TYPE})
