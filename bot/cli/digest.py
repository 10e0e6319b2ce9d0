"""`paperbot digest`: preview a chat's digest (--dry-run), send one chat's now (--chat), or
run today's pipeline for every due chat (--run-now)."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from pathlib import Path

from bot.config import ConfigError, Settings
from bot.render.text import render_text
from handlers.digest.pipeline import DigestPipeline, TickReport
from handlers.types import ChatRef, Reply

RULE = "─" * 40


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("digest", help="每日速递：预览某个会话的速递，或立即为到点的会话推送")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--chat", help="会话，如 telegram:123456 或 discord:987654321")
    target.add_argument("--run-now", action="store_true", help="为所有到点的会话运行今天的速递")
    p.add_argument("--date", type=date.fromisoformat, help="公告日（ET 日期，YYYY-MM-DD）")
    p.add_argument("--dry-run", action="store_true", help="只显示将要发送的内容，不发送、不记账")
    p.add_argument("--at", type=_aware, help="假定当前时间（ISO 8601，带时区），用于演练")
    p.add_argument("--record", type=Path, help="不连接平台：把要发送的消息逐行写入此 JSONL 文件")
    # Tests: slow each recorded send down so a kill can land between two sends.
    p.add_argument("--record-delay", type=float, default=0.0, help=argparse.SUPPRESS)
    p.add_argument("--max-wait", type=float, default=60.0, help="等待重试的最长秒数（默认 60）")


def _aware(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError("需要带时区的时间，如 2026-11-25T09:31:00+08:00")
    return value.astimezone(UTC)


async def run_digest_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot.digest_delivery import open_messengers
    from bot.wiring import build_services

    async with build_services(settings) as services:
        pipeline = services.digest
        if pipeline is None:
            raise ConfigError("每日速递不可用：订阅存储或 arXiv 公告源未配置。")
        now = args.at or datetime.now(UTC)
        if args.dry_run:
            return await _dry_run(pipeline, args, now)
        async with open_messengers(
            settings, services.chats, record=args.record, delay=args.record_delay
        ) as messengers:
            for messenger in messengers:
                pipeline.add_messenger(messenger)
            if args.chat:
                report = await pipeline.run_chat(ChatRef.parse(args.chat), args.date, now=now)
            else:
                report = await pipeline.run_now(now, max_wait=args.max_wait)
        print(summary_line(report))
        return 1 if report.sent.failed else 0


async def _dry_run(pipeline: DigestPipeline, args: argparse.Namespace, now: datetime) -> int:
    chats = [ChatRef.parse(args.chat)] if args.chat else []
    if args.run_now:
        chats = [item.chat for item in await pipeline.due_chats(now)]
        if not chats:
            print("现在没有到点的会话。")
    for chat in chats:
        replies = await pipeline.preview(chat, args.date, now=now)
        print(render_preview(chat, replies))
    return 0


def render_preview(chat: ChatRef, replies: list[Reply]) -> str:
    lines = [f"{RULE}\n→ {chat}（{len(replies)} 条消息）"]
    for i, reply in enumerate(replies, 1):
        lines.append(f"[{i}/{len(replies)}]\n{render_text(reply)}")
    return "\n\n".join(lines)


def summary_line(report: TickReport) -> str:
    sent = report.sent
    text = (
        f"到点会话 {report.due} 个，新认领 {report.claimed} 个；发送 {sent.sent} 条，"
        f"重试 {sent.retried}，失败 {sent.failed}，存疑 {sent.uncertain}，恢复 {sent.recovered}"
    )
    if report.notices:
        text += f"；发出 {report.notices} 条“暂时无法连接 arXiv”通知"
    if report.waiting_days:
        text += "；等待公告：" + "、".join(d.isoformat() for d in report.waiting_days)
    return text
