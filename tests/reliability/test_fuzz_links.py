"""Fuzzing the arXiv link parser and the `/sub` topic parser: no crash, no hang, sane output."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.subscriptions.topics import TopicError, parse_topic
from summarizer.arxiv.ids import find_arxiv_refs, parse_arxiv_ref
from summarizer.errors import MalformedArxivId
from summarizer.models import ArxivRef

CANONICAL = re.compile(r"\d{4}\.\d{4,5}|[a-z-]+/\d{7}")
FUZZ = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text built from the pieces links are made of, so the fuzzer reaches the parser's corners.
PIECES = st.sampled_from(
    [
        "arXiv:", "arxiv.org/abs/", "https://", "http://export.", "pdf/", ".pdf", "v", "v0",
        "v12", "2401.12215", "0704.0001", "1412.1234", "1501.00001", "hep-th/9901001",
        "math.GT/0309136", "10.48550/arXiv.", "huggingface.co/papers/", "alphaxiv.org/abs/",
        ".", "/", "-", "_", "#", "?", " ", "\n", "\u200b", "\u202e", "（", "）", "２４０１", "．",
        "１２２１５", "論文", "0", "9", "12", "2413.", "@", "+", "'; DROP TABLE chats;--",
    ]
)  # fmt: skip
LINKISH = st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=30).map("".join)


@FUZZ
@given(st.one_of(st.text(max_size=300), LINKISH), st.integers(min_value=-1, max_value=5))
def test_find_arxiv_refs_never_crashes_and_returns_canonical_ids(text: str, limit: int) -> None:
    refs = find_arxiv_refs(text, limit=limit)
    if limit <= 0:
        assert refs == []
    else:
        assert len(refs) <= limit
    for ref in refs:
        assert isinstance(ref, ArxivRef)
        assert CANONICAL.fullmatch(ref.arxiv_id), ref
        assert ref.version is None or ref.version >= 1
    assert len({(r.arxiv_id, r.version) for r in refs}) == len(refs)


@FUZZ
@given(st.one_of(st.text(max_size=200), LINKISH))
def test_parse_arxiv_ref_gives_a_ref_or_malformed(text: str) -> None:
    try:
        ref = parse_arxiv_ref(text)
    except MalformedArxivId as exc:
        message = exc.user_message  # the echo of the input is capped
        assert message.endswith("hep-th/9901001") and len(message) < 120
    else:
        assert CANONICAL.fullmatch(ref.arxiv_id)
        # the canonical form reads back as itself, alone and inside text
        assert parse_arxiv_ref(ref.versioned) == ref
        assert find_arxiv_refs(f"见 {ref.versioned} 。") == [ref]


@FUZZ
@given(
    st.text(alphabet=st.characters(categories=["Lo", "Zs", "Po"]), max_size=20),
    st.sampled_from(["2401.12215", "arXiv:2401.12215", "https://arxiv.org/abs/2401.12215v2"]),
    st.text(alphabet=st.characters(categories=["Lo", "Zs", "Po"]), max_size=20),
)
def test_an_id_in_chinese_or_spaced_text_is_always_found(
    before: str, link: str, after: str
) -> None:
    refs = find_arxiv_refs(f"{before} {link} {after}")
    assert "2401.12215" in {r.arxiv_id for r in refs}


@pytest.mark.parametrize(
    "text",
    [
        "arXiv:" * 35_000,  # ~200 KB
        "arXiv:2401." * 20_000,
        "[" * 100_000 + "2401.12215" + "]" * 100_000,
        "(" * 50_000 + ")" * 50_000,
        "." * 100_000,
        "1" * 100_000,
        "2401." * 40_000,
        "https://arxiv.org/abs/" * 10_000,
        "hep-th/" * 30_000,
        "\u200b" * 100_000 + "2401.12215",
        "２" * 100_000,
        "v" * 100_000,
    ],
    ids=[
        "arxiv-prefix-200k", "prefix-dot", "nested-brackets", "parens", "dots", "digits",
        "yymm-dots", "abs-urls", "legacy-prefix", "zero-width", "fullwidth-digits", "vees",
    ],
)  # fmt: skip
def test_pathological_text_is_parsed_in_bounded_time(text: str) -> None:
    started = time.perf_counter()
    refs = find_arxiv_refs(text, limit=4)
    with pytest.raises(MalformedArxivId):
        parse_arxiv_ref(text + " x y")
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"{elapsed:.2f} s"  # generous: linear parsing takes ~0.05 s
    assert len(refs) <= 4


def test_thousands_of_links_stop_at_the_limit_quickly() -> None:
    text = " ".join(f"https://arxiv.org/abs/2401.{n:05d}" for n in range(5000))
    started = time.perf_counter()
    refs = find_arxiv_refs(text, limit=4)
    assert [r.arxiv_id for r in refs] == ["2401.00000", "2401.00001", "2401.00002", "2401.00003"]
    assert time.perf_counter() - started < 0.5


@FUZZ
@given(
    st.one_of(
        st.text(max_size=250),
        st.lists(
            st.sampled_from(
                [
                    "cs.CL", "cs", "math", "hep-th", "cat:", "au:", "au:\"", "\"", "“", "”", "OR",
                    "|", "-", "-\"", "LLM", "模型", " ", "qbio.NC", "cs.XX", "_", "Hinton_G",
                    "Schölkopf", "«", "」", "(", ")",
                ]
            ),
            max_size=25,
        ).map(" ".join),
    )
)  # fmt: skip
def test_parse_topic_gives_a_topic_or_a_chinese_error(text: str) -> None:
    try:
        topic = parse_topic(text, default_archive="cs")
    except TopicError as exc:
        message = str(exc)
        assert message and re.search(r"[\u4e00-\u9fff]", message)
        assert len(message) < 400
    else:
        assert topic.categories
        assert len(topic.raw) <= 400


def test_parse_topic_pathological_input_is_bounded() -> None:
    for text in ('"' * 100_000, "OR " * 50_000, "-" * 100_000, "au:" * 50_000, "a" * 1_000_000):
        started = time.perf_counter()
        with pytest.raises(TopicError):
            parse_topic(text)
        assert time.perf_counter() - started < 2.0
