"""Every Chinese string in the code follows the house style: 你 (never 您), full-width
parentheses around or next to Chinese, natural wording ("本会话", "交叉列表" read as translations)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "summarizer", "storage")
CJK = "\u3400-\u9fff\uf900-\ufaff"
HAS_CJK = re.compile(f"[{CJK}]")
# A half-width parenthesis touching Chinese, or enclosing Chinese: 配置 (configuration),
# (详情：…), 摘要(英文). English-only parentheses inside English text are left alone.
HALF_WIDTH_PARENS = re.compile(
    rf"[{CJK}，。：；！？、] ?\((?!\d+\))|\([^()]*[{CJK}][^()]*\)|(?<!\(\d)\) ?[{CJK}]"
)
REGEX = re.compile(r"\(\?[:<=!P]|\\[dsSwbW]|\[\^?\\")  # a pattern, not a message
WORDING = {
    "您": "用「你」：全部文字一个称呼（STYLE: one register）",
    "本会话": "用「这个聊天」/「本群」等自然说法",
    "会话编号": "用「聊天编号」",
    "交叉列表": "用「交叉发布」（arXiv cross-list）",
}
# Text that is not ours to restyle: what the model is told (it must see the seed's wording),
# and fixtures of third parties. Paths relative to the repository root.
EXEMPT = {"summarizer/prompt.py", "summarizer/qa/prompt.py"}


def chinese_strings() -> Iterator[tuple[str, int, str]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in EXEMPT or "/migrations/versions/" in rel:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            # Docstrings, attribute docstrings and comments are for developers (English).
            docstrings = {
                id(node.value)
                for node in ast.walk(tree)
                if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            }
            for node in ast.walk(tree):
                if isinstance(node, ast.JoinedStr):
                    text = "".join(
                        v.value if isinstance(v, ast.Constant) else "{}" for v in node.values
                    )
                elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                    if id(node) in docstrings:
                        continue
                    text = node.value
                else:
                    continue
                if HAS_CJK.search(text) and not REGEX.search(text):
                    yield rel, node.lineno, text


STRINGS = list(chinese_strings())


def test_the_scan_sees_the_product_text() -> None:
    texts = [text for _, _, text in STRINGS]
    assert len(texts) > 200
    assert any("找不到论文" in t for t in texts)


def test_the_patterns_catch_what_they_are_for() -> None:
    for bad in ("配置 (configuration)", "（详情：x）".replace("（", "(").replace("）", ")"),
                "摘要(英文)", "(LoRA)方法"):  # fmt: skip
        assert HALF_WIDTH_PARENS.search(bad), bad
    for good in ("配置（configuration）", "see (the docs)", "(1) 研究背景", "低秩适配（LoRA）"):
        assert not HALF_WIDTH_PARENS.search(good), good


@pytest.mark.parametrize(("word", "advice"), sorted(WORDING.items()))
def test_no_translated_or_formal_wording(word: str, advice: str) -> None:
    found = [f"{path}:{line}: {text[:60]!r}" for path, line, text in STRINGS if word in text]
    assert not found, f"「{word}」→ {advice}\n" + "\n".join(found)


def test_full_width_parentheses_in_chinese_text() -> None:
    found = [
        f"{path}:{line}: {HALF_WIDTH_PARENS.search(text).group()!r} in {text[:60]!r}"  # type: ignore[union-attr]
        for path, line, text in STRINGS
        if HALF_WIDTH_PARENS.search(text)
    ]
    assert not found, "中文里用全角括号（）：\n" + "\n".join(found)
