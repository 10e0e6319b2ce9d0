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
        try:
            entry()
        except Exception as exc:  # a broken benchmark should not hide the others' figures
            failures += 1
            print(f"!! bench.{name} failed: {exc!r}", flush=True)
        print(f"(bench.{name} took {time.perf_counter() - started:.1f} s)\n", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
