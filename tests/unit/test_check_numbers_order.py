"""A figure after a skipped single digit is still checked (mutation audit: `continue` →
`break` in the figure loop survived every number-check test)."""

from __future__ import annotations

from summarizer.check_numbers import unsupported_numbers


def test_a_figure_after_a_single_digit_is_still_checked() -> None:
    source = "We evaluate on three datasets and report accuracy."
    assert unsupported_numbers("在 3 个数据集上准确率达 99.36%", source) == ["99.36%"]


def test_every_unsupported_figure_is_reported_in_order() -> None:
    source = "We evaluate on 12 tasks."
    found = unsupported_numbers("12 个任务中 7 个提升 35%，另有 2 个提升 48%", source)
    assert found == ["35%", "48%"]
