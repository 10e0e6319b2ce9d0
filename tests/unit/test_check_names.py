"""Names absent from the source, Chinese non-answers, name-like domains, TODO, borrowed terms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.check_names import unsupported_names
from summarizer.checks import check_output, chinese_ratio, source_words
from summarizer.models import Mode
from tests.fakes.llm_servers import LORA_PAPER

LORA_SOURCE = LORA_PAPER.source_text()
REAL = Path(__file__).parents[1] / "data/real/llm-outputs/labelled.jsonl"
GOOD: dict[str, Any] = {
    "title_zh": "少即是多：参数高效微调推动医学视觉基础模型",
    "tldr": "低秩适配（LoRA）以不到 1% 的可调参数，在 18 个迁移任务中的 13 个超过全参数微调。",
    "highlights": [
        "系统比较参数高效微调（PEFT）与全参数微调",
        "两个自监督胸片基础模型 × 三个公开数据集",
        "在 NIH ChestX-ray14 上仅用 1% 标注数据取得 80.6% AUROC",
    ],
}


def failures(**changes: Any) -> list[str]:
    raw = json.dumps({**GOOD, **changes}, ensure_ascii=False)
    return check_output(raw, Mode.CONDENSED, LORA_SOURCE).failures


def test_the_good_summary_passes() -> None:
    assert failures() == []


@pytest.mark.parametrize(
    "name", ["Matterport3D", "SUNCG", "Replica", "ImageNet-21K", "GPT-4o", "nuScenes", "BERT"]
)
def test_a_dataset_or_model_the_abstract_never_names_is_flagged(name: str) -> None:
    highlights = [*GOOD["highlights"][:2], f"并在 {name} 上验证了效果"]
    assert any(
        f.startswith(("invented_name:", "invented_number:")) and name in f
        for f in failures(highlights=highlights)
    )


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("在 ChestX-ray14 上评估 LoRA", LORA_SOURCE),
        ("提出 CVP 方法", "concealed visual perception (CVP) is hard"),
        ("在网格 MRF 上", "speedup over junction trees on grid MRFs"),  # singular of a plural
        ("提出 CLIC 任务", "we propose HyperCLIC, a continual learning algorithm"),  # a part
        ("与 GPT-4o/Claude 3.5 Sonnet 相当", "equal 68.75% of GPT-4o and Claude 3.5 Sonnet"),
        ("在 Matterport3D 上", "experiments on Matterport 3D scenes"),
        ("低秩适配（Low-Rank Adaptation）", "we study LoRA"),  # an English gloss
        ("提出 HELiX 算法", r"called $\texttt{HELiX}$, that provably solves"),
        ("利用 Cramér-Rao 界", "the Cramer-Rao bound (CRB)"),
        ("复杂度为 $O(n^{5/3}\\log n)$", "an efficient algorithm"),  # math, not a name
        ("使用 GPU 与 LLM", "we train a model"),  # generic terms
    ],
)
def test_names_the_source_supports_pass(text: str, source: str) -> None:
    assert unsupported_names(text, source) == []


@pytest.mark.parametrize("field", ["摘要中未提及。", "未提及", "无", "原文未说明。", "暂无"])
def test_chinese_non_answers_are_placeholders(field: str) -> None:
    highlights = [*GOOD["highlights"][:2], field]
    assert f"placeholder: {field} (highlights[2])" in failures(highlights=highlights)


def test_a_sentence_mentioning_no_data_is_not_a_non_answer() -> None:
    item = "摘要中未提及具体数据集，但作者在 13 个任务上进行了比较"
    assert failures(highlights=[*GOOD["highlights"][:2], item]) == []


@pytest.mark.parametrize("name", ["Key.Net", "DataSeeds.AI", "Simphony.NET"])
def test_tool_names_with_capital_tlds_are_not_links(name: str) -> None:
    source = LORA_SOURCE + f" We compare with {name}."
    raw = json.dumps({**GOOD, "tldr": f"作者与 {name} 进行了比较。"}, ensure_ascii=False)
    assert check_output(raw, Mode.CONDENSED, source).failures == []


@pytest.mark.parametrize("link", ["example.com", "https://github.com/x/y", "HTTPS://BIT.LY/x"])
def test_real_links_still_are(link: str) -> None:
    assert any(f.startswith("link:") for f in failures(tldr=f"代码见 {link} 。"))


def test_todo_only_in_capitals() -> None:
    source = LORA_SOURCE + " We name the method ToDo."
    raw = json.dumps({**GOOD, "tldr": "作者提出 ToDo 方法。"}, ensure_ascii=False)
    assert check_output(raw, Mode.CONDENSED, source).failures == []
    assert any(f.startswith("placeholder: TODO") for f in failures(tldr="TODO：补充"))


def test_english_words_from_the_abstract_weigh_like_chinese() -> None:
    text = "RUN++ 通过 Concealed Object Region Extraction 模块细化 uncertain regions"
    source = "a Concealed Object Region Extraction (CORE) module refines uncertain regions"
    assert chinese_ratio(text) < 0.5  # counted as foreign words
    assert chinese_ratio(text, source_words(source)) >= 0.5
    assert chinese_ratio("Summary generation failed", source_words("generation failed")) == 0


def real_records() -> dict[str, dict[str, Any]]:
    return {r["key"]: r for r in map(json.loads, REAL.read_text("utf-8").splitlines())}


@pytest.mark.parametrize(
    "key",
    [
        "dw:2508.15338",  # 12导联 for 12-lead
        "dw:2511.15312",  # 122万 for 1.22 million
        "dw:2511.14993",  # 10秒 for 10-second
    ],
)
def test_real_summaries_judged_fine_pass(key: str) -> None:
    record = real_records()[key]
    raw = json.dumps({**record["output"], "title_zh": "关于该论文的研究"}, ensure_ascii=False)
    failures = check_output(raw, Mode.CONDENSED, record["source_text"]).failures
    assert [f for f in failures if not f.startswith(("too_long", "count"))] == []


def test_real_placeholder_summary_is_flagged() -> None:
    record = real_records()["xmk:2506.05265"]  # two highlights that only say 摘要中未提及。
    raw = json.dumps(record["output"], ensure_ascii=False)
    failures = check_output(raw, Mode.CONDENSED, record["source_text"]).failures
    assert "placeholder: 摘要中未提及。 (highlights[2])" in failures
