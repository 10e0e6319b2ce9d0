"""`paperbot demo` (what `make demo` runs): the product end to end, offline, no keys."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.test_cli_summarize import cli_env, run_cli


async def test_demo_replays_checked_outputs_offline(tmp_path: Path) -> None:
    code, out, err = await run_cli("demo", env=cli_env(tmp_path))
    assert code == 0, err
    assert "离线演示：回放随包附带的示例模型输出" in out
    entries = re.findall(r"^(\d+)\. 📄 (.+)$", out, re.MULTILINE)
    assert [int(n) for n, _ in entries] == list(range(1, 15))
    assert entries[0][1] == "少即是多：参数高效微调推动医学视觉基础模型"
    assert out.count("[展开完整总结] [原文] [PDF] [👍] [👎]") == 14
    # The FinSQL recording repeats the seed's invented number: caught, re-asked, never shown.
    assert "99.36" not in out
    assert "36.64%" in out
    assert "校验：1 次模型输出未通过校验" in out
    assert "完成：14 篇，模型调用 15 次" in out


async def test_demo_extractive_and_full_modes(tmp_path: Path) -> None:
    code, out, err = await run_cli("demo", "--extractive", "--limit", "2", env=cli_env(tmp_path))
    assert code == 0, err
    assert out.count("ℹ️ 未配置大模型，以下为摘要原文要点（未经机器总结）") == 2
    code, out, err = await run_cli("demo", "--full", "--limit", "3", env=cli_env(tmp_path))
    assert code == 0, err
    for heading in (
        "题目：",
        "作者：",
        "关键词：",
        "摘要\n(1) 研究背景：",
        "方法\n(1)",
        "结论\n创新点：",
    ):
        assert out.count(heading) == 3, heading
    assert "单位" not in out  # never guessed without the paper's text
