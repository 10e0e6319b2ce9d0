"""Loaded by every Python subprocess a test starts (PYTHONPATH): the loopback-only guard.

A non-loopback connect or name lookup is refused and appended to $LOOPBACK_GUARD_LOG, which the
test's autouse fixture reads: the test fails even if the subprocess swallowed the error.
"""

import importlib.util
import os
from pathlib import Path

_log = os.environ.get("LOOPBACK_GUARD_LOG")
if _log:
    _spec = importlib.util.spec_from_file_location(
        "_paperbot_network_guard", Path(__file__).resolve().parent.parent / "network_guard.py"
    )
    assert _spec is not None and _spec.loader is not None
    _guard = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_guard)

    class _LoggedViolations(list):  # type: ignore[type-arg]
        def append(self, item: object) -> None:
            super().append(item)
            with open(_log, "a", encoding="utf-8") as handle:
                handle.write(f"pid {os.getpid()}: {item}\n")

    # Keep a reference: a collected generator would run its `finally` and lift the guard.
    _ACTIVE_GUARD = _guard.loopback_only(_LoggedViolations())
    _ACTIVE_GUARD.__enter__()
