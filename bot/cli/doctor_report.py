"""`paperbot doctor`'s results: one Check per line, the verdict and the redacted report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.ops.logging_setup import RedactingFilter

Status = Literal["ok", "warn", "fail", "skip"]
ICONS: dict[Status, str] = {"ok": "✅", "warn": "⚠️", "fail": "❌", "skip": "➖"}


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    message: str
    fix: str = ""

    def lines(self) -> list[str]:
        out = [f"{ICONS[self.status]} {self.name}：{self.message}"]
        if self.fix:
            out.append(f"   → 修复：{self.fix}")
        return out


def verdict(checks: list[Check]) -> tuple[str, int]:
    failed = sum(c.status == "fail" for c in checks)
    warned = sum(c.status == "warn" for c in checks)
    if failed:
        return f"结论：❌ 有 {failed} 项需要修复（见上方“修复”）。", 1
    if warned:
        return f"结论：⚠️ 可以运行，但有 {warned} 项提醒。", 0
    return "结论：✅ 一切正常，可以运行 `paperbot run`。", 0


def report(checks: list[Check], secrets: list[str]) -> tuple[str, int]:
    summary, code = verdict(checks)
    lines = [line for check in checks for line in check.lines()] + ["", summary]
    return RedactingFilter(secrets).redact("\n".join(lines)), code
