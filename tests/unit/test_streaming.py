"""Field-by-field streaming: finished fields of a half-written JSON answer, checked one by one."""

from __future__ import annotations

import json

from summarizer.models import Mode
from summarizer.streaming import FieldStream, finished_fields
from tests.fakes.services import sample_paper

GOOD = {
    "title_zh": "少即是多：参数高效微调推动医学视觉基础模型",
    "tldr": "在胸片基础模型上，低秩适配（LoRA）以不到 1% 的可调参数，在 18 个迁移任务中的 13 个超过全参数微调（FFT）。",
    "highlights": [
        "系统比较参数高效微调（PEFT）与全参数微调在医学视觉基础模型上的效果",
        "LoRA 在 13/18 个任务上更优，最多提升 2.9%",
        "仅用不到 1% 的可调参数",
    ],
}


def prefixes(text: str, step: int = 3) -> list[str]:
    return [text[:i] for i in range(1, len(text) + 1, step)] + [text]


def test_fields_appear_only_when_finished() -> None:
    text = "```json\n" + json.dumps(GOOD, ensure_ascii=False, indent=1)
    seen: list[list[str]] = []
    for prefix in prefixes(text):
        names = [name for name, _, _ in finished_fields(prefix)]
        if not seen or names != seen[-1]:
            seen.append(names)
    assert seen[0] == []
    assert ["title_zh"] in seen and ["title_zh", "tldr"] in seen
    assert seen[-1] == ["title_zh", "tldr", "highlights"]
    cut = text.index("仅用") + 2  # inside the last highlight
    assert finished_fields(text[:cut])[-1] == ("highlights", GOOD["highlights"][:2], False)
    assert finished_fields(text[: text.index("超过全参数")])[-1][0] == "title_zh"


def test_stream_shows_checked_fields_in_order() -> None:
    paper = sample_paper()
    stream = FieldStream(paper, Mode.CONDENSED, paper.source_text())
    text = json.dumps(GOOD, ensure_ascii=False)
    previews = [p for p in (stream.feed(t) for t in prefixes(text, 2)) if p is not None]
    assert previews[0].fields == {"title_zh": GOOD["title_zh"]}
    assert previews[1].text("tldr") == GOOD["tldr"]
    assert [len(p.items("highlights")) for p in previews[2:]] == [1, 2, 3]
    assert previews[-1].fields == GOOD


def test_a_field_that_fails_the_checks_is_never_shown() -> None:
    paper = sample_paper()
    stream = FieldStream(paper, Mode.CONDENSED, paper.source_text())
    bad = dict(GOOD, tldr="LoRA 在 99.36% 的任务上更好。", highlights=["xxx", "LoRA 更好"])
    text = json.dumps(bad, ensure_ascii=False)
    shown = [p for p in (stream.feed(t) for t in prefixes(text)) if p is not None]
    assert shown and all("tldr" not in p.fields for p in shown)  # invented number
    assert all(not p.items("highlights") for p in shown)  # placeholder, then nothing after it
    assert shown[-1].fields == {"title_zh": GOOD["title_zh"]}


def test_unknown_fields_and_non_strings_are_ignored() -> None:
    paper = sample_paper()
    stream = FieldStream(paper, Mode.CONDENSED, paper.source_text())
    text = json.dumps({"authors": "某人", "score": 3, "title_zh": GOOD["title_zh"]})
    preview = stream.feed(text)
    assert preview is not None and preview.fields == {"title_zh": GOOD["title_zh"]}
    assert stream.feed(text) is None  # nothing new
