"""The no-model fallback: 3-5 verbatim sentences of the English abstract."""

from __future__ import annotations

from summarizer.models import Mode, SummaryKey
from summarizer.prompt import PROMPT_VERSION
from summarizer.providers import extractive
from summarizer.providers.extractive import extractive_record, key_sentences, split_sentences
from tests.fakes.llm_servers import FINSQL_PAPER, LORA_PAPER


def test_split_keeps_abbreviations_together() -> None:
    text = "We compare methods, e.g. LoRA and FFT. Results follow (Fig. 2). Done!"
    assert split_sentences(text) == [
        "We compare methods, e.g. LoRA and FFT.",
        "Results follow (Fig. 2).",
        "Done!",
    ]


def test_lora_key_sentences() -> None:
    picked = key_sentences(LORA_PAPER.abstract)
    assert 3 <= len(picked) <= 5
    assert picked[0].startswith("Parameter-efficient fine-tuning (PEFT)")
    assert any("13 out of 18" in s for s in picked)
    assert any("80.6%" in s for s in picked)
    assert not any("https://" in s for s in picked)
    flat = " ".join(LORA_PAPER.abstract.split())
    assert all(s in flat for s in picked)  # verbatim, nothing invented
    order = [flat.index(s) for s in picked]
    assert order == sorted(order)


def test_finsql_key_sentences_include_the_contribution_and_result() -> None:
    picked = key_sentences(FINSQL_PAPER.abstract)
    assert any("we collect a practical Text-to-SQL" in s for s in picked)
    assert any("36.64%" in s for s in picked)
    assert len(picked) <= 5


def test_short_abstract_is_kept_whole() -> None:
    assert key_sentences("One idea. Two results.") == ["One idea.", "Two results."]
    assert key_sentences("   ") == []


def test_extractive_record() -> None:
    key = SummaryKey(
        arxiv_id=LORA_PAPER.arxiv_id,
        version=LORA_PAPER.version,
        mode=Mode.CONDENSED,
        provider=extractive.NAME,
        model=extractive.MODEL,
        prompt_version=PROMPT_VERSION,
    )
    record = extractive_record(LORA_PAPER, Mode.CONDENSED, key)
    assert record.status == "extractive"
    assert record.key == key
    assert (key.provider, key.model) == ("extractive", "none")
    assert record.extract == key_sentences(LORA_PAPER.abstract)
    assert record.condensed is None and record.full is None  # no Chinese prose invented
