"""Platform and database libraries stay inside their packages (DESIGN.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULES = {
    # library -> the only top-level package allowed to import it
    "telegram": "bot",
    "discord": "bot",
    "apscheduler": "bot",
    "sqlmodel": "storage",
    "sqlalchemy": "storage",
    "alembic": "storage",
    "asyncpg": "storage",
    "aiosqlite": "storage",
}
CORE_MUST_NOT_IMPORT = {
    "summarizer": {"bot", "handlers", "storage"},
    "handlers": {"bot", "storage"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def source_files() -> list[Path]:
    return [
        p
        for package in ("bot", "handlers", "summarizer", "storage")
        for p in (ROOT / package).rglob("*.py")
    ]


def test_there_are_sources_to_check() -> None:
    assert len(source_files()) > 10


@pytest.mark.parametrize("path", source_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_import_boundaries(path: Path) -> None:
    package = path.relative_to(ROOT).parts[0]
    imports = imported_modules(path)
    for library, owner in RULES.items():
        if library in imports:
            assert package == owner, f"{path.name} imports {library}; only {owner}/ may"
    forbidden = CORE_MUST_NOT_IMPORT.get(package, set()) & imports
    assert not forbidden, f"{path.name} ({package}/) imports {sorted(forbidden)}"


def test_no_module_shadows_a_platform_library() -> None:
    names = {p.stem for p in source_files()}
    assert not names & {"telegram", "discord", "apscheduler", "sqlmodel"}
