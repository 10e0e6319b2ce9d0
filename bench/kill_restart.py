"""SIGKILL a real `paperbot digest --run-now` at many random points, restart it, count
duplicates and losses per chat and paper (target 0 and 0). Uses the e2e test's scenario."""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

import asyncpg

from tests.e2e.test_digest_restart import (
    DAY,
    TOPICS,
    delivered,
    expected,
    finish,
    kill_after,
    start_cli,
)
from tests.fakes.digest_fakes import LLM_PAPERS, FakeRssServer, entry, seed_chats

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


async def one_run(url: str, rss_url: str, record: Path, rng: random.Random) -> tuple[int, int]:
    """One kill point: returns (duplicated, lost) messages after the restart."""
    want = expected()
    await seed_chats(url, TOPICS, digest_style="cards")  # one ledger part per paper
    first = await start_cli(url, rss_url, record)
    await kill_after(first, record, rng.randint(1, sum(want.values()) - 1), rng.random() < 0.5)
    await finish(await start_cli(url, rss_url, record))
    got = delivered(record)
    duplicated = sum((got - want).values())
    lost = sum((want - got).values())
    return duplicated, lost


async def postgres_admin(sql: str) -> bool:
    try:
        conn = await asyncpg.connect(POSTGRES, timeout=3)
    except (OSError, asyncpg.PostgresError):
        return False
    try:
        await conn.execute(sql)
    finally:
        await conn.close()
    return True


async def fresh_postgres(name: str) -> str | None:
    await postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if not await postgres_admin(f'CREATE DATABASE "{name}"'):
        return None
    return POSTGRES.rsplit("/", 1)[0] + f"/{name}"


async def run(runs: int, seed: int) -> None:
    rng = random.Random(seed)
    rss = await FakeRssServer(DAY, [entry(p) for p in LLM_PAPERS]).start()
    totals: Counter[str] = Counter()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n in range(runs):
                backend = "postgresql" if n % 2 else "sqlite"
                url: str | None = f"sqlite:///{tmp}/kill{n}.db"
                if backend == "postgresql":
                    url = await fresh_postgres(f"paperbot_kill_{n}")
                    if url is None:
                        backend, url = "sqlite", f"sqlite:///{tmp}/kill{n}.db"
                assert url is not None
                try:
                    duplicated, lost = await one_run(
                        url, rss.url, Path(tmp) / f"sent{n}.jsonl", rng
                    )
                finally:
                    if backend == "postgresql":
                        await postgres_admin(f'DROP DATABASE "paperbot_kill_{n}" WITH (FORCE)')
                totals[f"runs ({backend})"] += 1
                totals["duplicated"] += duplicated
                totals["lost"] += lost
    finally:
        await rss.close()
    print(f"kill -9 at random points of a digest, then restart (seed {seed}):")
    for key in sorted(k for k in totals if k.startswith("runs")):
        print(f"  {key:<18}: {totals[key]}")
    print(f"  duplicated msgs   : {totals['duplicated']}  (target 0)")
    print(f"  lost msgs         : {totals['lost']}  (target 0)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv or [])  # `python -m bench` calls main() with defaults
    asyncio.run(run(args.runs, args.seed))


if __name__ == "__main__":
    main(sys.argv[1:])
