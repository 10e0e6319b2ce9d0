"""The number check: equal in value or rounding, across scales, spellings and compounds."""

from __future__ import annotations

import pytest

from summarizer.check_numbers import source_numbers, unsupported_numbers


@pytest.mark.parametrize(
    ("text", "source"),
    [
        # 万/亿 ↔ K/M/B/thousand/million/billion, exact or rounded at the digits shown
        ("计算效率高：122万参数", "with 1.09 GFLOPs, 1.22 million parameters"),
        ("包含5510万标注属性", "a total of 55.1 million annotated attributes"),
        ("将参数从6850万扩展到10亿", "from 68.5 millions to 1 billion"),
        ("包含21,000个案例", "comprising 21K cases"),
        ("包含27.3万VQA样本", "over 273K Visual Question Answering pairs"),
        ("包含46.4万幅图像", "contains 464044 co-registered images"),  # rounded
        ("20亿参数的心电基础模型", "a 2B-parameter ECG foundation model"),
        ("分析了20万条对话", "a dataset of 200k anonymized conversations"),
        ("约1.4亿个模拟配对", "140 million simulated lobby pairs"),
        ("包含100万学生画像", "one million student personas"),
        # x% ↔ 0.x
        ("准确率达到97-99%", "achieves 0.97-0.99 accuracy"),
        ("准确率为0.97", "reaches 97% accuracy"),
        ("约5%的儿童", "affect roughly five percent of children"),
        # whole parts of a source token
        ("12导联心电图", "process 12-lead ECG signals"),
        ("仅使用前20个token", "leverages only the top-20 token log-probabilities"),
        ("推理速度提升1.3倍", "accelerates inference by up to x1.3"),
        ("加速1.7-2.2倍", "generation by 1.7-2.2x on 48-frame sequences"),
        ("token数量减少32倍", "up to a 32-fold reduction in token numbers"),
        ("在4/8/16位定点上", "a unified data-path for 4/8/16-bit fixed-point"),
        ("25,000个任务的实验", "We present a 25,000-task computational experiment"),
        # English number words
        ("评估10个前沿模型", "a committee of ten Executor models"),
        ("覆盖19个多模态模型", "Experiments on nineteen representative models"),
        ("推理延迟降低6倍", "up to six times lower inference latency"),
        ("困惑度降低至少2倍", "at least twice lower perplexity"),
        ("保留约3/4的准确率", "retains roughly three-quarters of clean accuracy"),
        ("伦理熵降低约80%", "reduce ethical entropy by roughly eighty percent"),
        # LaTeX and digit-group spellings
        ("从20.4%提升到37.7%", r"gains: $20.4\%\rightarrow37.7\%$ for Qwen-3 4B"),
        ("吞吐量提高了5.7倍", r"\textbf{6}x lower latency, \textbf{5,7}x higher throughput"),
        ("超过22万小时的记录", "more than 220'000 hours of recordings"),
        ("使用1000条样本", r"we use 1\,000 samples"),
        ("在79.6% IoU50下", r"achieves 79.6% $\rm{IoU}_{50}$"),
        ("实现100%的准确率", "the framework reached perfect accuracy on all cases"),
    ],
)
def test_the_same_figure_written_another_way_passes(text: str, source: str) -> None:
    assert unsupported_numbers(text, source) == []


@pytest.mark.parametrize(
    ("text", "source", "missing"),
    [
        ("包含123万参数", "1.22 million parameters", ["123万"]),  # not 1.22M at the digits shown
        ("包含12亿参数", "1.22 million parameters", ["12亿"]),
        ("准确率达到96%", "achieves 0.97 accuracy", ["96%"]),
        ("12导联心电图", "process 13-lead ECG signals", ["12"]),
        # dropping 倍 from the units would skip this small multiple
        ("推理速度提升 3 倍", "inference is faster on 12 tasks", ["3 倍"]),
        # "three datasets" supports 3, not 3倍 or 3%
        ("速度提升 3 倍，错误率降低 3%", "three datasets, 12 tasks", ["3 倍", "3%"]),
        # 10 is checked: small-integer skipping stops below 10
        ("共 10 个", "on 12 tasks", ["10"]),
        ("评估 11 个模型", "evaluates ten models", ["11"]),
        # a name's version is not a figure: ResNet-50 does not support "50%"
        ("准确率提升 50%", "a ResNet-50 backbone", ["50%"]),
    ],
)
def test_figures_the_source_does_not_have_are_flagged(
    text: str, source: str, missing: list[str]
) -> None:
    assert unsupported_numbers(text, source) == missing


def test_single_digits_without_a_unit_are_not_checked() -> None:
    assert unsupported_numbers("共 9 个数据集", "on 12 tasks") == []


def test_model_names_are_names_not_figures() -> None:
    source = "We compare against GPT-3.5 and Llama-2-7B on 12 tasks."
    assert unsupported_numbers("在 12 个任务上优于 GPT-3.5 与 Llama-2-7B", source) == []
    assert source_numbers(source) >= {12, 7}
    assert 3.5 not in source_numbers(source)  # the version of GPT-3.5 is no figure


def test_model_name_absent_from_the_source_is_flagged() -> None:
    assert unsupported_numbers("优于 GPT-3.5", "We compare on 12 tasks.") == ["GPT-3.5"]
