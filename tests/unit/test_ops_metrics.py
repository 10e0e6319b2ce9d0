"""The metrics registry: label discipline, Prometheus text rendering, component status."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from bot.cli.usage import format_usage
from bot.ops import metrics
from bot.ops.metrics import Registry
from storage import UsageRow


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    metrics.reset()
    yield
    metrics.reset()


def test_counters_and_gauges_render_in_prometheus_text() -> None:
    registry = Registry()
    hits = registry.counter("demo_hits_total", "Hits.", ["route"])
    temp = registry.gauge("demo_temperature", "Temperature.")
    hits.inc(route="/a")
    hits.inc(2, route='/b"\n\\')
    temp.set(21.5)
    assert registry.render().splitlines() == [
        "# HELP demo_hits_total Hits.",
        "# TYPE demo_hits_total counter",
        'demo_hits_total{route="/a"} 1',
        'demo_hits_total{route="/b\\"\\n\\\\"} 2',
        "# HELP demo_temperature Temperature.",
        "# TYPE demo_temperature gauge",
        "demo_temperature 21.5",
    ]


def test_label_and_kind_mistakes_are_refused() -> None:
    registry = Registry()
    hits = registry.counter("demo_total", "Hits.", ["route"])
    with pytest.raises(ValueError, match="labels"):
        hits.inc(path="/a")
    with pytest.raises(ValueError, match="cannot go down"):
        hits.inc(-1, route="/a")
    with pytest.raises(ValueError, match="counter"):
        hits.set(3, route="/a")
    with pytest.raises(ValueError, match="differently"):
        registry.gauge("demo_total", "Other.")
    with pytest.raises(ValueError, match="invalid"):
        registry.counter("bad-name", "x")
    assert registry.counter("demo_total", "Hits.", ["route"]) is hits


def test_component_status() -> None:
    metrics.set_component("telegram", True)
    metrics.set_component("discord", False, "gateway closed")
    states = metrics.components()
    assert states["telegram"].ok and not states["discord"].ok
    assert states["discord"].detail == "gateway closed"
    assert metrics.COMPONENT_UP.get(component="discord") == 0
    metrics.forget_component("discord")
    assert "discord" not in metrics.components()
    assert 'component="discord"' not in metrics.REGISTRY.render()


def row(day: int, provider: str, chat: str | None, tokens: int, cost: float) -> UsageRow:
    return UsageRow(day=date(2026, 11, day), provider=provider, model="m", chat=chat, calls=2,
                    failures=1, input_tokens=tokens, output_tokens=10, cost_usd=cost)  # fmt: skip


def test_usage_report_text() -> None:
    rows = [row(24, "gemini", "telegram:1", 1000, 0.5), row(25, "openai", None, 500, 0.25)]
    text = format_usage(rows, days=2, today=date(2026, 11, 25), budget=2000, tokens_today=510)
    assert text.startswith("模型用量：2026-11-24 至 2026-11-25")
    lines = text.splitlines()
    total = next(line for line in lines if line.startswith("合计"))
    assert total.split()[-5:] == ["4", "2", "1,500", "20", "0.7500"]
    assert any(line.startswith("gemini/m") for line in lines)
    assert any(line.startswith("telegram:1") for line in lines)
    assert any(line.startswith("（命令行 / 推送）") for line in lines)
    assert "今日令牌：510 / 预算 2,000（剩余 1,490" in text
    assert "没有模型调用记录" in format_usage([], days=1, today=date(2026, 11, 25))
