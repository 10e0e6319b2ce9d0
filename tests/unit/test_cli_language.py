"""The terminal speaks Chinese, like `doctor`: every message a command line user can meet
(configuration errors, start-up failures, CLI prints) is written in Chinese."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile("[\u4e00-\u9fff]")
WORDS = re.compile(r"[A-Za-z]{3,}(?: [A-Za-z]{2,}){2,}")  # three English words in a row


def literal(node: ast.AST) -> str | None:
    """The text of a string literal or f-string ({} for the holes); None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def messages() -> Iterator[tuple[str, int, str]]:
    """ConfigError(...) anywhere in bot/, and print(...) / sys.exit(...) in bot/cli/."""
    for path in sorted((ROOT / "bot").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = ast.unparse(node.func)
            if name == "ConfigError" or (
                rel.startswith("bot/cli/") and name in ("print", "sys.exit")
            ):
                text = literal(node.args[0])
                if text is not None:
                    yield rel, node.lineno, text


def test_terminal_messages_are_chinese() -> None:
    found = list(messages())
    english = [
        f"{path}:{line}: {text[:70]!r}"
        for path, line, text in found
        if not CJK.search(text) and WORDS.search(re.sub(r"`[^`]*`|\{[^}]*\}", "", text))
    ]
    assert not english, "CLI messages are Chinese (as doctor is):\n" + "\n".join(english)


def test_the_scan_finds_the_messages() -> None:
    found = list(messages())
    assert any(path == "bot/runner.py" for path, _, _ in found)  # "nothing to run"
    assert any(path.startswith("bot/cli/") for path, _, _ in found)
    assert WORDS.search("nothing to run: set TELEGRAM_BOT_TOKEN")
