"""The ops HTTP server on a real socket: /healthz verdicts, /metrics exposition, no secrets."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from bot.config import Settings
from bot.ops import metrics
from bot.ops.http_server import PROMETHEUS_TYPE, HttpPlatform
from storage import Database, SqlUsageStore, upgrade_database
from storage.digest_tables import DeliveryRow
from storage.health import delivery_status_counts, schema_revision
from storage.migrate import head_revision
from summarizer.models import ArxivRef, Mode, SummaryKey, SummaryRecord, SummaryResult, UsageEvent
from tests.fakes.llm_servers import LORA_PAPER
from tests.fakes.ops_servers import free_port
from tests.fakes.telegram_server import TOKEN

SECRET = "AIzaTopSecretGeminiKey0123456789"
SAMPLE = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? -?[0-9.e+Inf]+$')


@pytest.fixture(autouse=True)
def fresh_metrics() -> Iterator[None]:
    metrics.reset()
    yield
    metrics.reset()


def settings(**values: Any) -> Settings:
    base = {"telegram_bot_token": TOKEN, "gemini_api_key": SECRET}
    return Settings(_env_file=None, **(base | values))  # type: ignore[call-arg]


@pytest.fixture
async def server(database_url: str) -> AsyncIterator[HttpPlatform]:
    await upgrade_database(database_url)
    platform = HttpPlatform(settings(database_url=database_url), port=0)
    await platform.start()
    try:
        yield platform
    finally:
        await platform.stop()


@pytest.fixture
async def client(server: HttpPlatform) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as c:
        yield c


async def test_storage_health_queries(database: Database) -> None:
    assert await schema_revision(database) == head_revision()
    day = datetime(2026, 11, 24, tzinfo=UTC).date()
    async with database.session() as s:
        for part, status in enumerate(["sent", "sent", "failed"]):
            s.add(DeliveryRow(platform="telegram", chat_id="1", day=day, part=part, kind="paper",
                              status=status))  # fmt: skip
        await s.commit()
    assert await delivery_status_counts(database, day) == {(day, "sent"): 2, (day, "failed"): 1}


async def test_healthz_follows_the_components(client: httpx.AsyncClient) -> None:
    metrics.set_component("telegram", True)
    metrics.set_component("scheduler", True)
    ok = await client.get("/healthz")
    assert ok.status_code == 200
    body = ok.json()
    assert body["status"] == "ok" and body["database"] == {"ok": True}
    assert body["platforms"]["telegram"]["ok"] is True
    assert body["scheduler"] == {"running": True, "detail": ""}
    metrics.set_component("telegram", False, "reconnecting")
    down = await client.get("/healthz")
    assert down.status_code == 503
    assert down.json()["platforms"]["telegram"] == {**down.json()["platforms"]["telegram"],
                                                    "ok": False, "detail": "reconnecting"}  # fmt: skip


async def test_healthz_reports_last_digests(
    client: httpx.AsyncClient, server: HttpPlatform
) -> None:
    today = datetime.now(UTC).date()
    db = Database(server.settings.database_url)
    try:
        async with db.session() as s:
            s.add(DeliveryRow(platform="discord", chat_id="9", day=today, part=0, kind="paper",
                              status="sent"))  # fmt: skip
            for part in (1, 2):
                s.add(DeliveryRow(platform="telegram", chat_id="7", day=today, part=part,
                                  kind="entry", status="uncertain"))  # fmt: skip
            await s.commit()
    finally:
        await db.dispose()
    body = (await client.get("/healthz")).json()
    assert body["digests"] == {today.isoformat(): {"sent": 1, "uncertain": 2}}
    assert body["digest_parts_written_off"] == 2
    text = (await client.get("/metrics")).text
    assert 'paperbot_deliveries{status="sent"} 1' in text


async def test_healthz_unreachable_database_is_503_without_password() -> None:
    url = f"postgresql://paperbot:hunter22@127.0.0.1:{free_port()}/paperbot"
    platform = HttpPlatform(settings(database_url=url), port=0)
    await platform.start()
    try:
        async with httpx.AsyncClient() as c:
            response = await c.get(f"http://127.0.0.1:{platform.port}/healthz")
    finally:
        await platform.stop()
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False
    assert "hunter22" not in response.text


async def test_metrics_exposition(client: httpx.AsyncClient, server: HttpPlatform) -> None:
    db = Database(server.settings.database_url)
    try:
        usage = SqlUsageStore(db)
        now = datetime.now(UTC)
        for tokens_in, ok in ((1000, True), (0, False)):
            await usage.record_usage(UsageEvent(
                at=now, provider="gemini", model="gemini-2.5-flash", arxiv_id="2401.12215",
                mode=Mode.CONDENSED, input_tokens=tokens_in, output_tokens=200 if ok else 0,
                cost_usd=0.0015 if ok else 0.0, chat="telegram:1", ok=ok,
            ))  # fmt: skip
    finally:
        await db.dispose()
    metrics.record_rate_limit_wait("telegram", 1.5)
    metrics.record_digest("sent")
    response = await client.get("/metrics")
    assert response.headers["content-type"] == PROMETHEUS_TYPE
    text = response.text
    labels = 'provider="gemini",model="gemini-2.5-flash"'
    assert f'paperbot_model_tokens_today{{{labels},direction="input"}} 1000' in text
    assert f'paperbot_model_tokens_today{{{labels},direction="output"}} 200' in text
    assert f'paperbot_model_calls_today{{{labels},result="ok"}} 1' in text
    assert f'paperbot_model_calls_today{{{labels},result="error"}} 1' in text
    assert f"paperbot_model_cost_usd_today{{{labels}}} 0.0015" in text
    assert 'paperbot_rate_limit_wait_seconds_total{service="telegram"} 1.5' in text
    assert 'paperbot_digests_total{status="sent"} 1' in text
    declared: set[str] = set()
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            declared.add(line.split()[2])
        elif not line.startswith("# HELP "):
            assert SAMPLE.match(line), line
            assert line.split("{")[0].split(" ")[0] in declared, line


async def test_metrics_never_show_secrets(client: httpx.AsyncClient) -> None:
    metrics.LOG_ERRORS.inc(logger=f"leaky.{SECRET}")
    metrics.set_component("telegram", False, f"bad token {TOKEN}")
    text = (await client.get("/metrics")).text + (await client.get("/healthz")).text
    assert SECRET not in text and TOKEN not in text
    assert 'paperbot_log_errors_total{logger="leaky.***"} 1' in text


class RecordingSummaries:
    """A hand fake of handlers.ports.Summaries: answers from a queue of results or errors."""

    def __init__(self, *answers: SummaryResult | Exception) -> None:
        self.answers = list(answers)

    async def _next(self) -> SummaryResult:
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def cached(self, ref: ArxivRef, mode: Mode, **_: Any) -> SummaryResult | None:
        return None

    async def summarize(self, ref: ArxivRef, mode: Mode, **_: Any) -> SummaryResult:
        return await self._next()

    async def summarize_paper(self, paper: Any, mode: Mode, **_: Any) -> SummaryResult:
        return await self._next()


def result(status: str, provider: str, *, cached: bool = False) -> SummaryResult:
    key = SummaryKey(arxiv_id=LORA_PAPER.arxiv_id, version=LORA_PAPER.version, mode=Mode.CONDENSED,
                     language="zh", provider=provider, model="m", prompt_version="p")  # fmt: skip
    record = SummaryRecord(key=key, status=status)  # type: ignore[arg-type]
    return SummaryResult(paper=LORA_PAPER, record=record, cached=cached)


async def test_instrumented_summaries_count_outcomes() -> None:
    inner = RecordingSummaries(
        result("ok", "gemini"), result("ok", "gemini", cached=True),
        result("degraded", "gemini"), RuntimeError("boom"),
    )  # fmt: skip
    wrapped = metrics.InstrumentedSummaries(inner, default_provider="gemini")
    ref = ArxivRef(arxiv_id="2401.12215")
    for _ in range(3):
        await wrapped.summarize(ref, Mode.CONDENSED)
    with pytest.raises(RuntimeError):
        await wrapped.summarize_paper(LORA_PAPER, Mode.CONDENSED)
    assert await wrapped.cached(ref, Mode.CONDENSED) is None
    for outcome in ("ok", "cached", "degraded", "error"):
        assert metrics.SUMMARIES.get(provider="gemini", outcome=outcome) == 1, outcome
    assert wrapped.answers == []  # other attributes pass through to the wrapped service


def test_log_handler_counts_errors_and_library_rate_limit_waits() -> None:
    logger = logging.getLogger("test.ops.metrics")
    handler = metrics.MetricsLogHandler()
    logger.addHandler(handler)
    ptb = logging.getLogger("telegram.ext.AIORateLimiter")
    ptb.addHandler(handler)
    try:
        logger.error("something broke")
        ptb.warning("Rate limit hit. Retrying after %f seconds", 3.1)
    finally:
        logger.removeHandler(handler)
        ptb.removeHandler(handler)
    assert metrics.LOG_ERRORS.get(logger="test.ops.metrics") == 1
    assert metrics.RATE_LIMIT_WAITS.get(service="telegram") == 1
    assert metrics.RATE_LIMIT_SECONDS.get(service="telegram") == pytest.approx(3.1)
