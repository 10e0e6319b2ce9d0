"""parse_topic: categories, keyword queries, authors, and the Chinese errors for bad input."""

from __future__ import annotations

import contextlib
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.digest.types import TopicKind
from handlers.subscriptions import topics
from handlers.subscriptions.topics import MAX_TOPIC_CHARS, TopicError, parse_topic, word_tokens
from summarizer.arxiv.taxonomy import ARCHIVES, CATEGORIES, canonical_code, suggest

C, K, A = TopicKind.CATEGORY, TopicKind.KEYWORDS, TopicKind.AUTHOR

# (input, kind, raw, categories, any_of, exclude, author)
# fmt: off
VALID = [
    ("cs.CL", C, "cs.CL", ("cs.CL",), (), (), None),
    ("CS.cl", C, "cs.CL", ("cs.CL",), (), (), None),
    ("cs", C, "cs", ("cs",), (), (), None),
    ("math.AG", C, "math.AG", ("math.AG",), (), (), None),
    ("hep-th", C, "hep-th", ("hep-th",), (), (), None),
    ("q-bio.NC", C, "q-bio.NC", ("q-bio.NC",), (), (), None),
    ("astro-ph.GA", C, "astro-ph.GA", ("astro-ph.GA",), (), (), None),
    ("cond-mat.str-el", C, "cond-mat.str-el", ("cond-mat.str-el",), (), (), None),
    ("cs.LG  stat.ML", C, "cs.LG stat.ML", ("cs.LG", "stat.ML"), (), (), None),
    ("cat:math", C, "math", ("math",), (), (), None),
    ("hep-th -string", C, "hep-th -string", ("hep-th",), (), ("string",), None),
    ("LLM", K, "LLM", ("cs",), (("llm",),), (), None),
    ("math reasoning", K, "math reasoning", ("cs",), (("math", "reasoning"),), (), None),
    (
        '"language model" OR LLM -survey',
        K,
        '"language model" OR LLM -survey',
        ("cs",),
        (("language model",), ("llm",)),
        ("survey",),
        None,
    ),
    (
        "“large language model” agents",
        K,
        '"large language model" agents',
        ("cs",),
        (("large language model", "agents"),),
        (),
        None,
    ),
    ("cs.CL “大模型” 对齐", K, 'cs.CL "大模型" 对齐', ("cs.CL",), (("大模型", "对齐"),), (), None),
    ("「强化学习」", K, '"强化学习"', ("cs",), (("强化学习",),), (), None),
    ('diffusion -"image generation"', K, 'diffusion -"image generation"', ("cs",),
     (("diffusion",),), ("image generation",), None),
    ("LLM, agents.", K, "LLM agents", ("cs",), (("llm", "agents"),), (), None),
    ("GPT-4 | Claude", K, "GPT-4 OR Claude", ("cs",), (("gpt-4",), ("claude",)), (), None),
    ("node.js", K, "node.js", ("cs",), (("node.js",),), (), None),
    ("ＬＬＭ　ａｇｅｎｔ", K, "LLM agent", ("cs",), (("llm", "agent"),), (), None),
    ("au:Hinton", A, "au:Hinton", ("cs",), (), (), "hinton"),
    ('au:"Geoffrey Hinton" cs.LG', A, 'au:"Geoffrey Hinton" cs.LG', ("cs.LG",), (), (), "geoffrey hinton"),
    ("AU:Schölkopf", A, "au:Schölkopf", ("cs",), (), (), "scholkopf"),
    ("au:Hinton_G", A, "au:Hinton_G", ("cs",), (), (), "g hinton"),
    ("au:Hinton -survey", A, "au:Hinton -survey", ("cs",), (), ("survey",), "hinton"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "kind", "raw", "categories", "any_of", "exclude", "author"), VALID
)
def test_valid_topics(
    text: str,
    kind: TopicKind,
    raw: str,
    categories: tuple[str, ...],
    any_of: tuple[tuple[str, ...], ...],
    exclude: tuple[str, ...],
    author: str | None,
) -> None:
    topic = parse_topic(text)
    assert (topic.kind, topic.raw, topic.categories) == (kind, raw, categories)
    assert (topic.any_of, topic.exclude, topic.author) == (any_of, exclude, author)


INVALID = [
    ("", "请给出要订阅的主题"),
    ("   ", "请给出要订阅的主题"),
    ("cs.CX", "未知的 arXiv 分类「cs.CX」。你是不是想订阅 cs.CL？"),
    ("math.AGG", "你是不是想订阅 math.AG？"),
    ("qbio.NC agents", "未知的 arXiv 分类"),
    ("cs.XYZ transformers", "未知的 arXiv 分类「cs.XYZ」"),
    ("cat:foo", "未知的 arXiv 分类「foo」"),
    ('"language model', "引号不成对"),
    ("OR llm", "OR 两边都需要关键词"),
    ("llm OR", "OR 两边都需要关键词"),
    ("llm OR OR agents", "OR 两边都需要关键词"),
    ("-survey", "至少需要一个要匹配的关键词"),
    ("+++ ---", "至少需要一个要匹配的关键词"),
    ("au:Hinton au:LeCun", "作者订阅每次只能写一位作者"),
    ("au:Hinton transformers", "作者订阅每次只能写一位作者"),
    ("au:...", "作者名为空"),
    ("x" * (MAX_TOPIC_CHARS + 1), "主题太长了"),
    (" OR ".join(f"w{i}" for i in range(11)), "OR 分支太多了"),
]


@pytest.mark.parametrize(("text", "message"), INVALID)
def test_invalid_topics_explain_in_chinese(text: str, message: str) -> None:
    with pytest.raises(TopicError) as info:
        parse_topic(text)
    assert message in str(info.value)


def test_default_archive_scopes_keyword_and_author_topics() -> None:
    assert parse_topic("qubit", default_archive="quant-ph").categories == ("quant-ph",)
    assert parse_topic("au:Preskill", default_archive="quant-ph").categories == ("quant-ph",)
    assert parse_topic("cs.CL", default_archive="math").categories == ("cs.CL",)


def test_taxonomy_is_the_real_one() -> None:
    assert len(CATEGORIES) > 150
    assert {"cs.CL", "math.AG", "hep-th", "q-bio.NC", "physics.optics", "eess.SP"} <= set(
        CATEGORIES
    )
    assert {"cs", "math", "physics", "astro-ph", "cond-mat", "quant-ph"} <= set(ARCHIVES)
    assert canonical_code("COND-MAT.STR-EL") == "cond-mat.str-el"
    assert canonical_code("cs.ZZ") is None
    assert suggest("hepth") == "hep-th"
    assert suggest("xyzzy") is None


def test_word_tokens_fold_case_diacritics_plurals_and_cjk() -> None:
    assert word_tokens("LLMs and Models") == ["llm", "and", "model"]
    assert word_tokens("Schölkopf's self-supervised") == ["scholkopf", "s", "self", "supervised"]
    assert word_tokens("大模型 alignment") == ["大", "模", "型", "alignment"]
    assert word_tokens("studies of class") == ["study", "of", "class"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_parse_topic_never_crashes(text: str) -> None:
    try:
        topic = parse_topic(text)
    except TopicError as exc:
        message = str(exc)
        assert message and message.isprintable()
    else:
        assert topic.raw and len(topic.raw) <= MAX_TOPIC_CHARS + 10
        assert topic.categories


ALPHABET = st.sampled_from(list('ab "-:OR|“”au cs.CL  中文x'))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=200))
def test_parse_topic_grammar_fuzz(text: str) -> None:
    try:
        topic = parse_topic(text)
    except TopicError:
        return
    if topic.kind is TopicKind.KEYWORDS:
        assert topic.any_of and all(group for group in topic.any_of)


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=64))
def test_parse_topic_is_bounded_on_10kb_input(chunk: str) -> None:
    text = (chunk * (10_240 // len(chunk) + 1))[:10_240]
    with pytest.raises(TopicError):
        parse_topic(text)  # refused by length before any work
    # The parser itself stays linear when the limit is lifted.
    original = topics.MAX_TOPIC_CHARS
    topics.MAX_TOPIC_CHARS = 20_000
    try:
        started = time.perf_counter()
        with contextlib.suppress(TopicError):
            parse_topic(text)
        assert time.perf_counter() - started < 2.0  # generous; typically a few ms
    finally:
        topics.MAX_TOPIC_CHARS = original
