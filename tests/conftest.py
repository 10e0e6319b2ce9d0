"""Suite-wide fixtures: the loopback-only network guard and a clean settings environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.network_guard import loopback_only

pytest_plugins = [
    "tests.fakes.arxiv_server",
    "tests.fakes.arxiv_feed",
    "tests.fakes.arxiv_listing",
    "tests.fakes.arxiv_html",
    "tests.fakes.llm_servers",
    "tests.fakes.databases",
    "tests.fakes.telegram_server",
    "tests.fakes.discord_server",
]

ROOT = Path(__file__).resolve().parent.parent
# Payloads captured from the real services (copied byte for byte from the team's shared
# fixtures): tests read only what is inside the repository.
REAL_FIXTURES = ROOT / "tests" / "data" / "real"
# The format reference (shared/seed), vendored in tests/data/seed for clones without shared/.
SEED_POST = ROOT / "tests" / "data" / "seed" / "000_2b154e7610c01647.txt"

# Settings come from the environment: tests start from a clean one so a developer's .env,
# tokens or proxies never leak into a test run.
for _name in list(os.environ):
    if _name.startswith("PAPERBOT_TEST_"):  # test-only knobs, e.g. PAPERBOT_TEST_POSTGRES_URL
        continue
    if _name.startswith(("PAPERBOT_", "TELEGRAM_", "DISCORD_", "GEMINI_", "OPENAI_")) or _name in {
        "DATABASE_URL",
        "HTTPS_PROXY",
        "HTTP_PROXY",
        "ALL_PROXY",
        "https_proxy",
        "http_proxy",
        "all_proxy",
    }:
        del os.environ[_name]
os.environ["NO_PROXY"] = "127.0.0.1,localhost"
os.environ["PAPERBOT_ENV_FILE"] = os.devnull


SUBPROCESS_GUARD = Path(__file__).resolve().parent / "subprocess_guard"


@pytest.fixture(autouse=True)
def _loopback_only_network(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Every test: any non-loopback connect or name lookup is refused and fails the test,
    even when the code under test catches the error. Python subprocesses the test starts
    inherit the same guard (tests/subprocess_guard/sitecustomize.py via PYTHONPATH)."""
    violations: list[str] = []
    guard_log = tmp_path_factory.mktemp("guard") / "violations.log"
    monkeypatch.setenv("LOOPBACK_GUARD_LOG", str(guard_log))
    paths = [str(SUBPROCESS_GUARD), *filter(None, [os.environ.get("PYTHONPATH")])]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    with loopback_only(violations):
        yield
    if guard_log.exists():
        violations += guard_log.read_text(encoding="utf-8").splitlines()
    if violations:
        pytest.fail(f"test reached non-loopback addresses: {violations}")


@pytest.fixture
def real_fixtures() -> Path:
    return REAL_FIXTURES
