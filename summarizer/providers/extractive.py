"""The no-model fallback: key sentences of the English abstract, never invented Chinese prose."""

from __future__ import annotations

import re

from summarizer.models import Mode, Paper, SummaryKey, SummaryRecord

NAME = "extractive"
MODEL = "none"
MIN_SENTENCES = 3
MAX_SENTENCES = 5

_ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "etc.", "vs.", "Fig.", "Eq.", "cf.", "approx.")
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'])")
_RESULT = re.compile(
    r"outperform|achiev|improv|state-of-the-art|surpass|results? (?:show|demonstrat)|"
    r"we (?:show|find|demonstrate|observe)|experiment",
    re.IGNORECASE,
)
_CONTRIBUTION = re.compile(
    r"\bwe\b[^.]*?\b(?:propose|present|introduce|develop|design|show|demonstrate)"
    r"|\b(?:this|our) (?:paper|work)",
    re.IGNORECASE,
)
_AVAILABILITY = re.compile(r"https?://|available at|github\.com", re.IGNORECASE)


def split_sentences(text: str) -> list[str]:
    """English sentences of an abstract, not broken after common abbreviations."""
    flat = re.sub(r"\s+", " ", text).strip()
    if not flat:
        return []
    protected = flat
    for i, abbr in enumerate(_ABBREVIATIONS):
        protected = protected.replace(abbr, f"\x00{i}\x00")
    sentences = _SPLIT.split(protected)
    restored = []
    for sentence in sentences:
        for i, abbr in enumerate(_ABBREVIATIONS):
            sentence = sentence.replace(f"\x00{i}\x00", abbr)
        restored.append(sentence.strip())
    return [s for s in restored if s]


def key_sentences(abstract: str, limit: int = MAX_SENTENCES) -> list[str]:
    """3-5 sentences in original order: the first, the contribution, results with numbers."""
    sentences = split_sentences(abstract)
    if len(sentences) <= MIN_SENTENCES:
        return sentences
    chosen = {0}
    contributions = [i for i, s in enumerate(sentences) if _CONTRIBUTION.search(s)]
    if contributions:
        chosen.add(contributions[-1])
    with_numbers = [i for i, s in enumerate(sentences) if re.search(r"\d", s)]
    with_results = [i for i, s in enumerate(sentences) if _RESULT.search(s)]
    for i in with_numbers + with_results:
        if len(chosen) >= limit:
            break
        if not _AVAILABILITY.search(sentences[i]):
            chosen.add(i)
    for i, sentence in enumerate(sentences):  # too few signals: fill in reading order
        if len(chosen) >= MIN_SENTENCES:
            break
        if not _AVAILABILITY.search(sentence):
            chosen.add(i)
    return [sentences[i] for i in sorted(chosen)[:limit]]


def extractive_record(paper: Paper, mode: Mode, key: SummaryKey) -> SummaryRecord:
    """A record that shows the abstract's key sentences as they are (status `extractive`)."""
    del mode  # the same sentences serve both modes; the renderer labels them as original text
    return SummaryRecord(key=key, status="extractive", extract=key_sentences(paper.abstract))
