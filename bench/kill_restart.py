"""SIGKILL real `paperbot digest --run-now` processes at random moments and restart them,
with the REAL Telegram and Discord adapters against the fake Bot API and Discord REST; count
what the fakes received: duplicates and papers lost per platform, parts written off per kill,
on SQLite and PostgreSQL, with one process at a time and with two processes at once.

`--db sqlite|postgresql|both` (default both): a database that was asked for and cannot be had
is an error, never silently replaced. `--runs` kills per setting (default 8), `--chats`
(default 40), `--seed`, `--processes 1|2|both` (default both)."""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field

import asyncpg

from storage.engine import Database
from storage.health import delivery_status_counts
from tests.fakes.digest_fakes import seed_chats
from tests.fakes.digest_kill import (
    DAY,
    FakePlatforms,
    expected,
    fake_platforms,
    finish,
    kill_when,
    many_chats,
    start_cli,
)

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
PLATFORMS = ("telegram", "discord")


@dataclass
class Figures:
    kills: int = 0
    chats: int = 0
    messages: int = 0
    duplicates: Counter[str] = field(default_factory=Counter)
    lost: Counter[str] = field(default_factory=Counter)
    written_off: int = 0
    rejected_429: int = 0
    seconds: float = 0.0


async def postgres_admin(sql: str) -> None:
    conn = await asyncpg.connect(POSTGRES, timeout=3)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def fresh_database(backend: str, name: str, tmp: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp}/{name}.db"
    try:
        await postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await postgres_admin(f'CREATE DATABASE "{name}"')
    except (OSError, asyncpg.PostgresError) as exc:
        message = f"PostgreSQL was asked for and is not reachable at {POSTGRES}: {exc}"
        raise SystemExit(message) from exc
    return POSTGRES.rsplit("/", 1)[0] + f"/{name}"


async def one_setting(
    fakes: FakePlatforms, url: str, chats: int, kills: int, processes: int, rng: random.Random
) -> Figures:
    topics = many_chats(chats)
    await seed_chats(url, topics, digest_style="cards")  # one message per paper
    want = expected(topics)
    env = fakes.env(url, PLATFORMS)
    figures = Figures(chats=chats)
    started = time.perf_counter()
    total = sum(want.values())
    step = max(2, total // (kills + 1))
    live = [await start_cli(env) for _ in range(processes)]
    # Kill one live process at a random moment, start a replacement at once (as a supervisor
    # would), so `processes` of them keep running side by side until the planned kills are done.
    while figures.kills < kills and fakes.messages() < total:
        victim = rng.choice(live)
        target = fakes.messages() + rng.randint(1, step)
        if await kill_when(victim, fakes, target, rng.uniform(0.0, 0.05)):
            figures.kills += 1
        else:
            await finish(victim)
        live.remove(victim)
        live.append(await start_cli(env))
    await asyncio.gather(*(finish(proc) for proc in live))
    last = [await start_cli(env) for _ in range(processes)]  # anything left over
    await asyncio.gather(*(finish(proc) for proc in last))
    figures.seconds = time.perf_counter() - started
    got = fakes.received()
    figures.messages = sum(got.values())
    for (chat, _paper), n in (got - want).items():
        figures.duplicates[chat.split(":")[0]] += n
    for (chat, _paper), n in (want - got).items():
        figures.lost[chat.split(":")[0]] += n
    db = Database(url)
    try:
        counts = await delivery_status_counts(db, DAY)
    finally:
        await db.dispose()
    figures.written_off = sum(n for (_day, status), n in counts.items() if status == "uncertain")
    figures.rejected_429 = fakes.telegram.rejected
    return figures


def report(backend: str, processes: int, f: Figures) -> None:
    per_kill = f.written_off / f.kills if f.kills else 0.0
    print(f"{backend}, {processes} process(es) at once:")
    print(f"  kills               : {f.kills}")
    print(f"  chats               : {f.chats}  (messages received by the fakes: {f.messages})")
    for platform in PLATFORMS:
        print(
            f"  {platform:<9} dup / lost: {f.duplicates[platform]} / {f.lost[platform]}"
            "  (target 0 / 0)"
        )
    print(f"  parts written off   : {f.written_off}  ({per_kill:.2f} per kill)")
    print(f"  Telegram 429s       : {f.rejected_429}")
    print(f"  wall time           : {f.seconds:.1f} s")


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    backends = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    modes = [1, 2] if args.processes == "both" else [int(args.processes)]
    print(f"kill -9 during a digest to {args.chats} chats, real adapters (seed {args.seed})")
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            for processes in modes:
                name = f"paperbot_kill_{processes}"
                url = await fresh_database(backend, name, tmp)
                try:
                    async with fake_platforms() as fakes:
                        figures = await one_setting(
                            fakes, url, args.chats, args.runs, processes, rng
                        )
                finally:
                    if backend == "postgresql":
                        await postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                report(backend, processes, figures)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=8, help="kills per setting")
    parser.add_argument("--chats", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--processes", choices=("1", "2", "both"), default="both")
    args = parser.parse_args(argv or [])  # `python -m bench` calls main() with defaults
    asyncio.run(run(args))


if __name__ == "__main__":
    main(sys.argv[1:])
