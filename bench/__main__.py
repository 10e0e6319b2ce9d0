"""Run every benchmark module in bench/ (or those named on the command line)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def discover() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))


def main(names: list[str]) -> int:
    failures = 0
    for name in names or discover():
        module = importlib.import_module(f"bench.{name}")
        entry = getattr(module, "main", None)
        if entry is None:
            continue
        print(f"== bench.{name} ==", flush=True)
        started = time.perf_counter()
        sys.argv = [f"bench.{name}"]  # each benchmark with its default options
        try:
            entry()
        except Exception as exc:  # a broken benchmark should not hide the others' figures
            failures += 1
            print(f"!! bench.{name} failed: {exc!r}", flush=True)
        print(f"(bench.{name} took {time.perf_counter() - started:.1f} s)\n", flush=True)
    return 1 if failures else 0


def run_one(name: str, args: list[str]) -> int:
    """`python -m bench NAME --opt ...`: one benchmark with its own options and nothing
    printed around it (its last line may be machine-read, e.g. `--json`)."""
    entry = importlib.import_module(f"bench.{name}").main
    sys.argv = [f"bench.{name}", *args]
    result = entry()
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    argv = sys.argv[1:]
    if len(argv) > 1 and any(a.startswith("-") for a in argv[1:]):
        sys.exit(run_one(argv[0], argv[1:]))
    sys.exit(main(argv))
