"""In-process metrics (counters, gauges with labels, Prometheus text) and component status."""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from handlers.ports import ProgressFn, Summaries
from summarizer.models import ArxivRef, Mode, Paper, SummaryResult
from summarizer.streaming import PreviewFn

Kind = Literal["counter", "gauge"]
LabelKey = tuple[tuple[str, str], ...]
_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


@dataclass
class Metric:
    """One metric family: a value per label combination. Labels must be exactly `labels`."""

    name: str
    help: str
    kind: Kind
    labels: tuple[str, ...] = ()
    values: dict[LabelKey, float] = field(default_factory=dict)

    def _key(self, labels: dict[str, Any]) -> LabelKey:
        if set(labels) != set(self.labels):
            raise ValueError(f"{self.name} takes labels {self.labels}, got {tuple(labels)}")
        return tuple((name, str(labels[name])) for name in self.labels)

    def inc(self, amount: float = 1.0, **labels: Any) -> None:
        if self.kind == "counter" and amount < 0:
            raise ValueError(f"counter {self.name} cannot go down")
        key = self._key(labels)
        self.values[key] = self.values.get(key, 0.0) + amount

    def set(self, value: float, **labels: Any) -> None:
        if self.kind != "gauge":
            raise ValueError(f"{self.name} is a counter: use inc()")
        self.values[self._key(labels)] = value

    def get(self, **labels: Any) -> float:
        return self.values.get(self._key(labels), 0.0)

    def clear(self) -> None:
        self.values.clear()

    def render(self) -> list[str]:
        lines = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} {self.kind}"]
        for key, value in sorted(self.values.items()):
            label_text = ",".join(f'{name}="{_escape(v)}"' for name, v in key)
            series = f"{self.name}{{{label_text}}}" if label_text else self.name
            lines.append(f"{series} {_number(value)}")
        return lines


class Registry:
    """Metric families by name, rendered in the Prometheus text exposition format 0.0.4."""

    def __init__(self) -> None:
        self._metrics: dict[str, Metric] = {}

    def _add(self, name: str, help: str, kind: Kind, labels: Iterable[str]) -> Metric:
        if not _NAME.match(name):
            raise ValueError(f"invalid metric name {name!r}")
        existing = self._metrics.get(name)
        if existing is not None:
            if existing.kind != kind or existing.labels != tuple(labels):
                raise ValueError(f"metric {name} already registered differently")
            return existing
        metric = Metric(name, help, kind, tuple(labels))
        self._metrics[name] = metric
        return metric

    def counter(self, name: str, help: str, labels: Iterable[str] = ()) -> Metric:
        return self._add(name, help, "counter", labels)

    def gauge(self, name: str, help: str, labels: Iterable[str] = ()) -> Metric:
        return self._add(name, help, "gauge", labels)

    def reset(self) -> None:
        """Forget every value (tests; families stay registered)."""
        for metric in self._metrics.values():
            metric.clear()

    def render(self) -> str:
        lines: list[str] = []
        for name in sorted(self._metrics):
            lines.extend(self._metrics[name].render())
        return "\n".join(lines) + "\n"


REGISTRY = Registry()
START_TIME = REGISTRY.gauge("paperbot_start_time_seconds", "Unix time the process started.")
COMPONENT_UP = REGISTRY.gauge(
    "paperbot_component_up", "1 when the component (platform, scheduler) runs.", ["component"]
)
SUMMARIES = REGISTRY.counter(
    "paperbot_summaries_total",
    "Summaries served, by provider and outcome (ok, cached, extractive, degraded, error).",
    ["provider", "outcome"],
)
MODEL_CALLS = REGISTRY.gauge(
    "paperbot_model_calls_today", "Model calls today (UTC), from the usage table.",
    ["provider", "model", "result"],
)  # fmt: skip
MODEL_TOKENS = REGISTRY.gauge(
    "paperbot_model_tokens_today", "Model tokens today (UTC), from the usage table.",
    ["provider", "model", "direction"],
)  # fmt: skip
MODEL_COST = REGISTRY.gauge(
    "paperbot_model_cost_usd_today", "Estimated model cost today in USD (usage table).",
    ["provider", "model"],
)  # fmt: skip
DELIVERIES = REGISTRY.gauge(
    "paperbot_deliveries", "Digest ledger rows of the last 7 days by status.", ["status"]
)
DIGESTS = REGISTRY.counter(
    "paperbot_digests_total", "Digest runs of this process by status.", ["status"]
)
RATE_LIMIT_WAITS = REGISTRY.counter(
    "paperbot_rate_limit_waits_total", "Waits imposed by a rate limit (429 or politeness).",
    ["service"],
)  # fmt: skip
RATE_LIMIT_SECONDS = REGISTRY.counter(
    "paperbot_rate_limit_wait_seconds_total", "Seconds spent waiting on rate limits.", ["service"]
)
BUDGET_FALLBACKS = REGISTRY.counter(
    "paperbot_budget_fallbacks_total", "Model calls refused because the daily budget was spent."
)
LOG_ERRORS = REGISTRY.counter(
    "paperbot_log_errors_total", "ERROR and CRITICAL log records by logger.", ["logger"]
)


@dataclass(frozen=True)
class ComponentState:
    ok: bool
    detail: str
    since: datetime


_COMPONENTS: dict[str, ComponentState] = {}
MODEL_COMPONENT = "model"  # the configured LLM: known at start, or found retired (404)


def set_component(name: str, ok: bool, detail: str = "") -> None:
    """Platforms and the scheduler report here whether they are connected / running."""
    _COMPONENTS[name] = ComponentState(ok, detail, datetime.now(UTC))
    COMPONENT_UP.set(1 if ok else 0, component=name)


def forget_component(name: str) -> None:
    _COMPONENTS.pop(name, None)
    COMPONENT_UP.values.pop((("component", name),), None)


def components() -> dict[str, ComponentState]:
    return dict(_COMPONENTS)


def record_rate_limit_wait(service: str, seconds: float) -> None:
    RATE_LIMIT_WAITS.inc(service=service)
    RATE_LIMIT_SECONDS.inc(max(seconds, 0.0), service=service)


def record_digest(status: str) -> None:
    DIGESTS.inc(status=status)


def reset() -> None:
    """Back to a fresh process (tests)."""
    REGISTRY.reset()
    _COMPONENTS.clear()
    START_TIME.set(time.time())


START_TIME.set(time.time())

# Library log lines that mean "waiting on a rate limit": (logger prefix, message regex, service).
_WAIT_PATTERNS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("telegram", re.compile(r"Rate limit hit\. Retrying after ([\d.]+)"), "telegram"),
    ("discord", re.compile(r"rate limit.*?Retrying in ([\d.]+)", re.IGNORECASE), "discord"),
    ("summarizer.arxiv", re.compile(r"arXiv request failed .*? in ([\d.]+)s"), "arxiv"),
)


class MetricsLogHandler(logging.Handler):
    """Counts ERROR records by logger, and the rate-limit waits the libraries log."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            LOG_ERRORS.inc(logger=record.name)
        for prefix, pattern, service in _WAIT_PATTERNS:
            if record.name.startswith(prefix):
                match = pattern.search(record.getMessage())
                if match:
                    record_rate_limit_wait(service, float(match.group(1)))
                    return


def _outcome(result: SummaryResult) -> str:
    return "cached" if result.cached else result.record.status


class InstrumentedSummaries:
    """Wraps the summary service (handlers.ports.Summaries) and counts every outcome."""

    def __init__(self, inner: Summaries, default_provider: str = "extractive") -> None:
        self.inner = inner
        self._provider = default_provider

    def _count(self, result: SummaryResult) -> SummaryResult:
        SUMMARIES.inc(provider=result.record.key.provider, outcome=_outcome(result))
        return result

    async def _measured(self, call: Callable[[], Any]) -> SummaryResult:
        try:
            result: SummaryResult = await call()
        except Exception:
            SUMMARIES.inc(provider=self._provider, outcome="error")
            raise
        return self._count(result)

    async def cached(
        self, ref: ArxivRef, mode: Mode, *, language: str | None = None
    ) -> SummaryResult | None:
        result = await self.inner.cached(ref, mode, language=language)
        return self._count(result) if result is not None else None

    async def stored(
        self, refs: Sequence[ArxivRef], mode: Mode, *, language: str | None = None
    ) -> dict[ArxivRef, SummaryResult]:
        found = await self.inner.stored(refs, mode, language=language)
        return {ref: self._count(result) for ref, result in found.items()}

    async def summarize(
        self, ref: ArxivRef, mode: Mode, *, progress: ProgressFn | None = None,
        chat: str | None = None, language: str | None = None,
        preview: PreviewFn | None = None,
    ) -> SummaryResult:  # fmt: skip
        return await self._measured(
            lambda: self.inner.summarize(
                ref, mode, progress=progress, chat=chat, language=language, preview=preview
            )
        )

    async def summarize_paper(
        self, paper: Paper, mode: Mode, *, progress: ProgressFn | None = None,
        chat: str | None = None, language: str | None = None,
        preview: PreviewFn | None = None,
    ) -> SummaryResult:  # fmt: skip
        return await self._measured(
            lambda: self.inner.summarize_paper(
                paper,
                mode,
                progress=progress,
                chat=chat,
                language=language,
                preview=preview,
            )
        )

    def __getattr__(self, name: str) -> Any:
        # Anything else the service offers (key_for, ...) passes straight through.
        return getattr(self.inner, name)
