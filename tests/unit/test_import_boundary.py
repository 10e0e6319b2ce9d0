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


# Inside bot/: each platform's package uses its own library only.
PLATFORM_PACKAGES = {"telegram": "discord", "discord": "telegram"}


@pytest.mark.parametrize("platform", sorted(PLATFORM_PACKAGES))
def test_platform_packages_keep_to_their_library(platform: str) -> None:
    other = PLATFORM_PACKAGES[platform]
    for path in (ROOT / "bot" / platform).rglob("*.py"):
        imports = imported_modules(path)
        assert other not in imports, f"bot/{platform}/{path.name} imports {other}"
    for path in (ROOT / "handlers").rglob("*.py"):
        assert not {"telegram", "discord"} & imported_modules(path)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports(path: Path, known: set[str]) -> set[str]:
    """Modules of ours imported at module level (not inside functions or TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            candidates = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            candidates = [a.name for a in node.names]
        else:
            continue
        found.update(name for name in candidates if name in known)
    return found


def test_no_import_cycles() -> None:
    files = {module_name(p): p for p in source_files()}
    graph = {name: top_level_imports(path, set(files)) - {name} for name, path in files.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for dep in sorted(graph[name]):
            if state.get(dep) == 1:
                cycle = [*stack[stack.index(dep) :], dep]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if dep not in state:
                visit(dep)
        stack.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    assert len(graph) > 50


def test_modules_stay_small() -> None:
    """~300 lines a module (STYLE.md); 330 leaves room for a docstring or two."""
    big = {
        str(p.relative_to(ROOT)): n
        for p in source_files()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 330
    }
    assert not big, f"modules over ~300 lines: {big}"
