"""Start-up failures of the real `paperbot` process: for each kind, the one line it prints, its
exit code, whether a traceback showed, and how long it took to fail."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from tests.fakes.discord_server import TOKEN as DISCORD_TOKEN
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.ops_servers import clean_env, free_port, run_paperbot
from tests.fakes.telegram_server import TOKEN, fake_telegram


async def cases(tmp: Path) -> list[tuple[str, list[str], dict[str, str]]]:
    sqlite = f"sqlite:///{tmp / 'data' / 'paperbot.db'}"
    blocker = tmp / "a-file"
    blocker.write_text("not a directory")
    closed = f"http://127.0.0.1:{free_port()}"
    api = "PAPERBOT_TELEGRAM_API_URL"
    return [
        ("Telegram unreachable (closed port)", ["run"],
         {"DATABASE_URL": sqlite, "TELEGRAM_BOT_TOKEN": TOKEN, api: closed}),
        ("Telegram DNS failure", ["run"],
         {"DATABASE_URL": sqlite, "TELEGRAM_BOT_TOKEN": TOKEN,
          "PAPERBOT_TELEGRAM_API_URL": "http://localhost.localdomain:8081"}),
        ("Discord unreachable", ["run"],
         {"DATABASE_URL": sqlite, "DISCORD_BOT_TOKEN": DISCORD_TOKEN,
          "PAPERBOT_DISCORD_API_URL": f"{closed}/api/v10"}),
        ("PostgreSQL unreachable", ["run"],
         {"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/test",
          "TELEGRAM_BOT_TOKEN": TOKEN}),
        ("PostgreSQL unreachable", ["db", "upgrade"],
         {"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/test"}),
        ("PostgreSQL unreachable", ["usage"],
         {"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/test"}),
        ("data directory uncreatable", ["digest", "--run-now"],
         {"DATABASE_URL": f"sqlite:///{blocker / 'data' / 'paperbot.db'}",
          "TELEGRAM_BOT_TOKEN": TOKEN}),
        ("Telegram unreachable", ["digest", "--run-now"],
         {"DATABASE_URL": sqlite, "TELEGRAM_BOT_TOKEN": TOKEN, api: closed}),
    ]  # fmt: skip


async def run_all() -> None:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        rows = [(kind, args, env) for kind, args, env in await cases(tmp)]
        async with fake_telegram() as telegram:
            sqlite = f"sqlite:///{tmp / 'data' / 'paperbot.db'}"
            rows.append(("Telegram token rejected", ["run"],
                         {"DATABASE_URL": sqlite, "PAPERBOT_TELEGRAM_API_URL": telegram.url,
                          "TELEGRAM_BOT_TOKEN": "7012345678:AAwrongToken12345"}))  # fmt: skip
            rows.append(("proxy down (HTTP_PROXY)", ["run"],
                         {"DATABASE_URL": sqlite, "PAPERBOT_TELEGRAM_API_URL": telegram.url,
                          "TELEGRAM_BOT_TOKEN": TOKEN, "NO_PROXY": "",
                          "HTTP_PROXY": f"http://127.0.0.1:{free_port()}"}))  # fmt: skip
            discord = FakeDiscord()
            await discord.start()
            discord.fail("GET", r"^/users/@me$", 401, times=10)
            rows.append(("Discord token rejected", ["run"],
                         {"DATABASE_URL": sqlite, "DISCORD_BOT_TOKEN": DISCORD_TOKEN,
                          "PAPERBOT_DISCORD_API_URL": discord.api_url,
                          "PAPERBOT_DISCORD_GATEWAY_URL": discord.gateway_url}))  # fmt: skip
            try:
                for kind, args, env in rows:
                    started = time.perf_counter()
                    done = await run_paperbot(*args, env=clean_env(**env), cwd=tmp)
                    took = time.perf_counter() - started
                    lines = [x for x in done.err.splitlines() if x.startswith("❌")]
                    traceback = "Traceback" in done.out + done.err
                    line = (
                        lines[-1] if lines else (done.err.strip().splitlines() or ["(nothing)"])[-1]
                    )
                    print(f"- {kind} · `paperbot {' '.join(args)}` · exit {done.code} · "
                          f"{took:.1f} s · traceback: {'yes' if traceback else 'no'}")  # fmt: skip
                    print(f"  {line}")
            finally:
                await discord.close()


def main() -> None:
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    asyncio.run(run_all())


if __name__ == "__main__":
    main()
