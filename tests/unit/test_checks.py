"""Faithfulness checks on realistic Chinese outputs, including the seed digest's real failures."""

from __future__ import annotations

import json
from typing import Any

import pytest

from summarizer.checks import check_output, chinese_ratio, extract_json, unsupported_numbers
from summarizer.models import CondensedSummary, FullSummary, Mode
from tests.fakes.llm_servers import FINSQL_PAPER, LORA_PAPER

LORA_SOURCE = LORA_PAPER.source_text()
FINSQL_SOURCE = FINSQL_PAPER.source_text()

# The UX mock's condensed summary of 2401.12215: must pass untouched.
LORA_GOOD: dict[str, Any] = {
    "title_zh": "少即是多：参数高效微调推动医学视觉基础模型",
    "tldr": "在胸片基础模型上，低秩适配（LoRA）以不到 1% 的可调参数，"
    "在 18 个迁移任务中的 13 个超过全参数微调（FFT）。",
    "highlights": [
        "系统比较参数高效微调（PEFT）与全参数微调在医学视觉基础模型上的效果",
        "两个自监督胸片基础模型 × 三个公开数据集，共 18 个迁移任务",
        "LoRA 在 13/18 个任务上更优，最多提升 2.9%",
        "在 NIH ChestX-ray14 上仅用 1% 标注数据取得 80.6% AUROC 的新最好结果",
    ],
}

# The seed's actual FinSQL 要点 (invented 99.36%, a GitHub link, 7 items).
FINSQL_SEED = {
    "title_zh": "FinSQL：基于模型无关的 LLM 的金融分析文本转 SQL 框架",
    "tldr": "基于大语言模型的金融领域文本转 SQL 框架 FinSQL 实现了最先进的文本转 SQL 性能，"
    "并且在少样本跨数据库模型迁移的场景中，FinSQL 可以带来高达 36.64% 的性能提升。",
    "highlights": [
        "基于大语言模型的文本转 SQL 框架 FinSQL 在金融领域实现了最先进的性能，"
        "在 BULL 数据集上的准确率达到了 99.36%。",
        "FinSQL 利用提示工程、参数高效微调和输出校准等技术，有效地解决了金融领域文本转 SQL 的挑战。",
        "FinSQL 可以通过提示工程和微调，轻松地适应不同的金融领域数据库。",
        "FinSQL 提供了一个统一的框架，可以应用于各种金融领域文本转 SQL 任务。",
        "FinSQL 可以帮助金融专业人士轻松地从文本查询中提取信息，从而提高工作效率和决策质量。",
        "FinSQL 是一个开源工具，可以在 GitHub 上获取，https://github.com/hundun-tech/FinSQL。",
        "FinSQL 可以在各种硬件平台上运行，包括 CPU 和 GPU。",
    ],
}

LORA_FULL: dict[str, Any] = {
    "title_zh": "少即是多：参数高效微调推动医学视觉基础模型",
    "keywords": ["参数高效微调（PEFT）", "LoRA", "医学视觉基础模型", "胸部 X 光"],
    "background": "参数高效微调（PEFT）最初用于预训练大语言模型，近来已成为计算机视觉任务中"
    "迁移学习的有效方法，但其在医学视觉基础模型上的效果尚不清楚。",
    "prior_work": "全参数微调（FFT）一直被视为迁移学习的主流做法，但在标注稀缺的医学影像任务中，"
    "微调全部权重未必是最优选择。",
    "approach": "作者以低秩适配（LoRA）为代表，在两个自监督胸片基础模型和三个胸片数据集上与全参数微调进行对比。",
    "results": "LoRA 在 18 个迁移任务中的 13 个优于全参数微调，最多提升 2.9%，可调参数少于 1%；"
    "在 NIH ChestX-ray14 上仅用 1% 标注数据取得 80.6% 的 AUROC。",
    "methods": [
        "选取两个自监督预训练的胸片基础模型。",
        "在三个公开胸片数据集上分别使用 LoRA 与全参数微调进行迁移。",
        "在数据高效学习设置下比较两者的表现。",
    ],
    "innovation": "首次系统评估参数高效微调在医学视觉基础模型上的效果。",
    "performance": "在 13/18 个任务上优于全参数微调，并刷新多项数据高效学习任务的最好结果。",
    "workload": "覆盖两个基础模型、三个数据集和 18 个迁移学习任务的实证研究。",
}


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def with_field(base: dict[str, Any], **changes: Any) -> str:
    return dumps({**base, **changes})


def codes(failures: list[str]) -> set[str]:
    return {f.split(":")[0] for f in failures}


def test_ux_mock_lora_summary_passes() -> None:
    outcome = check_output(dumps(LORA_GOOD), Mode.CONDENSED, LORA_SOURCE)
    assert outcome.failures == []
    assert outcome.ok
    assert isinstance(outcome.summary, CondensedSummary)
    assert outcome.summary.highlights[2] == "LoRA 在 13/18 个任务上更优，最多提升 2.9%"


def test_full_lora_summary_passes() -> None:
    outcome = check_output(dumps(LORA_FULL), Mode.FULL, LORA_SOURCE)
    assert outcome.failures == []
    assert isinstance(outcome.summary, FullSummary)


def test_seed_finsql_takeaways_are_rejected() -> None:
    outcome = check_output(dumps(FINSQL_SEED), Mode.CONDENSED, FINSQL_SOURCE)
    assert "invented_number: 99.36% (highlights[0])" in outcome.failures
    assert any(
        f.startswith("link: https://github.com/hundun-tech/FinSQL") for f in outcome.failures
    )
    assert "count: highlights=7" in outcome.failures
    # the real number (36.64%) is fine
    assert not any("36.64" in f for f in outcome.failures)
    assert not outcome.ok


def test_seed_template_echo_is_a_placeholder() -> None:
    raw = with_field(
        LORA_FULL, innovation="（1）：xxx；", performance="（2）：创新点：xxx；性能：xxx；"
    )
    failures = check_output(raw, Mode.FULL, LORA_SOURCE).failures
    assert "placeholder: xxx (innovation)" in failures
    assert "placeholder: xxx (performance)" in failures


def test_seed_some_error_for_method_is_a_placeholder() -> None:
    raw = with_field(LORA_FULL, methods=["Some Error for method(比如是不是没有Methods这个章节)"])
    failures = check_output(raw, Mode.FULL, LORA_SOURCE).failures
    assert "placeholder: Some Error (methods[0])" in failures


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("……", "……"),
        ("...", "..."),
        ("（1）：", "（1）："),
        ("(3)：；", "(3)：；"),
        ("N/A", "N/A"),
        ("TODO：补充背景", "TODO"),
        ("[研究背景]", "[研究背景]"),
        ("待补充", "待补充"),
        ("(1) 研究背景", "(1) 研究背景"),  # an echo of the schema's field description
    ],
)
def test_placeholders(value: str, shown: str) -> None:
    failures = check_output(
        with_field(LORA_FULL, background=value), Mode.FULL, LORA_SOURCE
    ).failures
    assert f"placeholder: {shown} (background)" in failures


def test_prompt_echo_title_is_a_placeholder() -> None:
    raw = with_field(LORA_GOOD, title_zh="[中文标题]", tldr="一句话摘要，不超过 100 个汉字")
    failures = check_output(raw, Mode.CONDENSED, LORA_SOURCE).failures
    assert "placeholder: [中文标题] (title_zh)" in failures
    assert any(f.startswith("placeholder:") and f.endswith("(tldr)") for f in failures)


def test_english_prose_is_rejected_but_terms_in_parentheses_are_fine() -> None:
    english = "LoRA outperformed full fine-tuning on most chest X-ray transfer tasks."
    failures = check_output(with_field(LORA_GOOD, tldr=english), Mode.CONDENSED, LORA_SOURCE)
    assert "not_chinese: tldr" in failures.failures
    mixed = "低秩适配（Low-Rank Adaptation, LoRA）在多数胸片迁移任务上优于全参数微调（FFT）。"
    assert check_output(with_field(LORA_GOOD, tldr=mixed), Mode.CONDENSED, LORA_SOURCE).ok


def test_chinese_ratio_ignores_parentheses_and_numbers() -> None:
    assert (
        chinese_ratio("在 NIH ChestX-ray14 上仅用 1% 标注数据取得 80.6% AUROC 的新最好结果") > 0.5
    )
    assert chinese_ratio("We propose a new method（新方法）.") < 0.5
    assert chinese_ratio("2.9%") == 1.0


def test_tldr_too_long() -> None:
    tldr = "本文" + "提出了一种新的参数高效微调方法" * 9  # 2 + 15 * 9 = 137 字
    failures = check_output(with_field(LORA_GOOD, tldr=tldr), Mode.CONDENSED, LORA_SOURCE)
    assert "too_long: tldr（137 字，上限 100）" in failures.failures


def test_highlight_too_long() -> None:
    long_item = "作者" + "系统比较了参数高效微调与全参数微调" * 6
    highlights = [*LORA_GOOD["highlights"][:3], long_item]
    failures = check_output(with_field(LORA_GOOD, highlights=highlights), Mode.CONDENSED, "")
    assert any(f.startswith("too_long: highlights[3]") for f in failures.failures)


@pytest.mark.parametrize("count", [2, 6])
def test_highlight_count(count: int) -> None:
    items = [f"第{'一二三四五六'[i]}条要点：低秩适配在胸片任务上表现良好" for i in range(count)]
    failures = check_output(with_field(LORA_GOOD, highlights=items), Mode.CONDENSED, LORA_SOURCE)
    assert failures.failures == [f"count: highlights={count}"]


def test_empty_fields() -> None:
    raw = with_field(LORA_FULL, background="  ", methods=["", "  "])
    failures = check_output(raw, Mode.FULL, LORA_SOURCE).failures
    assert "empty: background" in failures
    assert "empty: methods" in failures


@pytest.mark.parametrize(
    "text",
    [
        "LoRA 在 13/18 个任务上更优",
        "最多提升 2.9%，可调参数不到 1%",
        "AUROC 达到 80.6",
        "AUROC 达到 80.6 %",
        "GPT-4 与 T5、Llama-2-7B 均未参与比较",
        "在 NIH ChestX-ray14 上",
        "两个模型、三个数据集、共十八个任务",
        "使用 2 个模型和 3 个数据集",
    ],
)
def test_numbers_found_in_source(text: str) -> None:
    source = LORA_SOURCE + " We compare with GPT-4, T5 and Llama-2-7B."
    assert unsupported_numbers(text, source) == []


@pytest.mark.parametrize(
    ("text", "source", "missing"),
    [
        ("准确率达到了 99.36%", FINSQL_SOURCE, ["99.36%"]),
        ("在 14/18 个任务上更优", LORA_SOURCE, ["14/18"]),
        ("提升约 4%", LORA_SOURCE, ["4%"]),  # (约 3% would be 2.9% rounded)
        ("推理速度提升 4×", LORA_SOURCE, ["4×"]),
        ("共 25 个任务", LORA_SOURCE, ["25"]),
        ("AUROC 为 80.60%", LORA_SOURCE, []),  # same value, trailing zero
        ("使用 1,000 条样本", "we use 1000 samples", []),
        ("使用 1000 条样本", "we use 1,000 samples", []),
        ("使用 Llama-2-70B 作为基座", LORA_SOURCE, ["Llama-2-70B"]),
        ("使用 GPT-5 作为基座", LORA_SOURCE, []),  # small numbers inside names are not checked
        ("共 14 个数据集", LORA_SOURCE, ["14"]),  # the 14 of ChestX-ray14 is a name, not a count
        ("速度提升 16 倍", "16x faster with a 7B model", []),
        ("使用 7B 模型，速度提升 16x", "16x faster with Llama-2-7B", []),
    ],
)
def test_invented_numbers(text: str, source: str, missing: list[str]) -> None:
    assert unsupported_numbers(text, source) == missing


def test_links_and_mentions_are_rejected() -> None:
    highlights = [
        "代码见 https://github.com/RL4M/MED-PEFT",
        "详情请访问 www.example.com 了解",
        "项目主页在 github.com/foo/bar 上",
        "请 @everyone 关注，并联系 <@123456>",
    ]
    failures = check_output(with_field(LORA_GOOD, highlights=highlights), Mode.CONDENSED, "")
    assert "link: https://github.com/RL4M/MED-PEFT (highlights[0])" in failures.failures
    assert "link: www.example.com (highlights[1])" in failures.failures
    assert "link: github.com/foo/bar (highlights[2])" in failures.failures
    assert "mention: @everyone (highlights[3])" in failures.failures
    assert "mention: <@123456> (highlights[3])" in failures.failures


@pytest.mark.parametrize(
    "wrap",
    [
        "```json\n{}\n```",
        "```\n{}\n```",
        "好的，以下是摘要：\n{}\n希望对您有帮助。",
        "  {}  ",
    ],
)
def test_json_is_found_in_fences_and_prose(wrap: str) -> None:
    raw = wrap.replace("{}", dumps(LORA_GOOD))
    assert check_output(raw, Mode.CONDENSED, LORA_SOURCE).ok


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"title_zh": "少即是多", "tldr": ', "schema: invalid JSON"),
        ("我无法完成这个任务。", "schema: invalid JSON"),
        ('["不是对象"]', "schema: expected a JSON object, got list"),
        ('{"title_zh": "少即是多", "tldr": "一句话"}', "schema: highlights Field required"),
        ('{"title_zh": 1, "tldr": "一句话", "highlights": []}', "schema: title_zh"),
    ],
)
def test_schema_failures(raw: str, expected: str) -> None:
    outcome = check_output(raw, Mode.CONDENSED, LORA_SOURCE)
    assert outcome.summary is None
    assert len(outcome.failures) == 1
    assert outcome.failures[0].startswith(expected)


def test_light_repairs() -> None:
    messy = {
        "title_zh": "  少即是多：参数高效微调推动医学视觉基础模型\n",
        "tldr": LORA_GOOD["tldr"] + "  ",
        "highlights": [" " + LORA_GOOD["highlights"][0], "", *LORA_GOOD["highlights"]],
        "authors": ["Yichuan Liu", "Xiang Wang"],  # DiffusionGPT's invented authors: dropped
        "links": "https://arxiv.org/abs/2302.08134",
    }
    outcome = check_output(dumps(messy), Mode.CONDENSED, LORA_SOURCE)
    assert outcome.failures == []
    assert outcome.summary == CondensedSummary.model_validate(LORA_GOOD)


def test_extract_json_prefers_the_fenced_block() -> None:
    assert extract_json('说明 {"a": 1} 之后\n```json\n{"b": 2}\n```') == {"b": 2}
