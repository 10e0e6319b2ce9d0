"""The `paperbot` command line: summarize, demo, run, db upgrade."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.cli.failures import StartupFailure, check_database, explain
from bot.config import ConfigError, Settings, load_settings
from bot.ops.logging_setup import setup_logging
from summarizer.errors import PaperbotError

# Commands that open the database (demo runs in memory; doctor reports it as one check).
USES_DATABASE = {"run", "digest", "db", "usage", "summarize", "export"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paperbot", description="arXiv 论文中文摘要机器人（Telegram / Discord / 命令行）"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("summarize", help="总结一篇或几篇 arXiv 论文（链接、编号或一段文字）")
    p.add_argument("input", nargs="+", help="arXiv 链接、编号，或含有它们的文字")
    p.add_argument("--full", action="store_true", help="完整的八段式总结（默认为精简版）")
    p.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    p.add_argument("--images", metavar="DIR", help="把论文首页截图和主要插图写入 DIR（读取 PDF）")

    d = sub.add_parser("demo", help="离线演示：总结随包附带的 14 篇真实论文")
    d.add_argument("--full", action="store_true", help="完整的八段式总结")
    d.add_argument("--limit", type=int, default=14, help="演示的论文篇数（默认 14）")
    d.add_argument(
        "--extractive", action="store_true", help="不回放示例输出，演示无模型时的原文摘录模式"
    )

    sub.add_parser("run", help="启动机器人（Telegram / Discord，按已配置的令牌）")

    db = sub.add_parser("db", help="数据库维护")
    db.add_argument("action", choices=["upgrade"], help="upgrade：迁移到最新结构")

    sub.add_parser("doctor", help="体检：配置、数据库、各平台令牌、模型接口与 arXiv 是否可用")
    u = sub.add_parser("usage", help="模型用量：每天、每个提供方和每个聊天的调用、令牌与估算费用")
    u.add_argument("--days", type=int, default=7, help="统计最近几天（默认 7，含今天）")
    from bot.cli.digest import add_parser as add_digest_parser

    add_digest_parser(sub)
    from bot.cli.export import add_parser as add_export_parser

    add_export_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    if args.command == "doctor":
        from bot.cli.doctor import doctor_main

        sys.exit(doctor_main())
    try:
        settings = load_settings()
    except ConfigError as exc:
        sys.exit(str(exc))
    setup_logging(
        "WARNING" if args.command != "run" else settings.log_level,
        settings.secrets(),
        settings.log_format,
    )
    try:
        code = asyncio.run(dispatch(args, settings))
    except StartupFailure as exc:
        print(exc.failure.line(), file=sys.stderr)
        sys.exit(exc.failure.exit_code)
    except ConfigError as exc:
        sys.exit(str(exc))
    except PaperbotError as exc:
        print(exc.user_message, file=sys.stderr)
        print(f"（详情：{exc}）", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        failure = explain(exc, settings)  # e.g. `digest --run-now` reaching Telegram
        if failure is None:
            raise  # not a start-up failure we know: a bug, keep its traceback
        print(failure.line(), file=sys.stderr)
        sys.exit(failure.exit_code)
    sys.exit(code)


async def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command in USES_DATABASE:
        await check_database(settings)  # one clear line, before anything else starts
    if args.command == "digest":
        from bot.cli.digest import run_digest_command

        return await run_digest_command(args, settings)
    if args.command == "export":
        from bot.cli.export import run_export_command

        return await run_export_command(args, settings)
    if args.command == "summarize":
        from bot.cli.summarize import summarize

        return await summarize(
            " ".join(args.input), settings, full=args.full, fmt=args.format, images=args.images
        )
    if args.command == "demo":
        from bot.cli.demo import run_demo

        return await run_demo(
            settings, full=args.full, limit=args.limit, extractive=args.extractive
        )
    if args.command == "run":
        from bot.runner import run

        await run(settings)
        return 0
    if args.command == "db":
        from storage.migrate import upgrade_database

        await upgrade_database(settings.database_url)
        print("数据库已是最新结构。")
        return 0
    if args.command == "usage":
        from bot.cli.usage import print_usage

        return await print_usage(settings, days=args.days)
    raise AssertionError(args.command)
