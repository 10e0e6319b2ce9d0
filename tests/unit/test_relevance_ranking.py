"""Ranking and per-chat learning (handlers.relevance) on hand-made vectors and real text."""

from __future__ import annotations

import numpy as np
import pytest

from handlers.digest.types import Match, Topic, TopicKind
from handlers.relevance.profile import MIN_RATINGS, Profile, Signal
from handlers.relevance.ranking import DayIndex, rank
from handlers.subscriptions.topics import parse_topic
from summarizer.embeddings.hashing import HashingEmbedder
from tests.fakes.services import sample_paper

CL = parse_topic("cs.CL")


def unit(*rows: list[float]) -> np.ndarray:
    array = np.array(rows, dtype=np.float32)
    return array / np.linalg.norm(array, axis=1, keepdims=True)


def day_of(
    texts: list[tuple[str, str]], vectors: np.ndarray | None
) -> tuple[DayIndex, list[Match]]:
    matches = [
        Match(
            paper=sample_paper(f"2603.{i:05d}", title=t, abstract=a), score=1.3, topics=("cs.CL",)
        )
        for i, (t, a) in enumerate(texts)
    ]
    return DayIndex(matches, vectors), matches


def test_logistic_regression_learns_a_direction_from_votes() -> None:
    rng = np.random.default_rng(3)
    liked_axis = np.zeros(16, dtype=np.float32)
    liked_axis[0] = 1.0
    points = rng.normal(size=(40, 16)).astype(np.float32)
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    vectors = {f"p{i}": v for i, v in enumerate(points)}
    signals = [Signal(f"p{i}", 1.0 if v[0] > 0.2 else -1.0) for i, v in enumerate(points)]
    profile = Profile.build(signals, vectors)
    assert len(signals) >= MIN_RATINGS and profile.uses_model
    probe = unit([1.0] + [0.0] * 15, [-1.0] + [0.0] * 15)
    liked, disliked = profile.preference(probe)
    assert liked > 0 > disliked


def test_few_votes_rank_by_similarity_to_liked_minus_disliked() -> None:
    vectors = {"a": unit([1, 0, 0])[0], "b": unit([0, 1, 0])[0]}
    profile = Profile.build([Signal("a", 1.0), Signal("b", -1.0)], vectors)
    assert not profile.uses_model
    near_a, near_b = profile.preference(unit([0.9, 0.1, 0], [0.1, 0.9, 0]))
    assert near_a > near_b


def test_learned_order_follows_votes_keyword_order_does_not() -> None:
    vectors = unit([0, 1, 0], [0.05, 1, 0], [1, 0, 0], [0.95, 0.1, 0])
    day, matches = day_of([(f"T{i}", "text") for i in range(4)], vectors)
    liked = {"2601.00001": unit([1, 0.05, 0])[0]}
    profile = Profile.build([Signal("2601.00001", 1.0)], liked)
    learned = rank(day, matches, [CL], profile, limit=2, explore=False)
    assert {r.match.paper.arxiv_id for r in learned} == {"2603.00002", "2603.00003"}
    assert "与你赞过的 2601.00001 相似" in learned[0].reason
    assert learned[0].reason.startswith("匹配 cs.CL")
    keyword = rank(day, matches, [CL], profile, limit=2, mode="keyword")
    # Equal match scores: the most novel papers (far from what the chat rated) first.
    assert {r.match.paper.arxiv_id for r in keyword} == {"2603.00000", "2603.00001"}


def test_bm25_puts_papers_with_the_topic_terms_first() -> None:
    topic = parse_topic('"hallucination" OR benchmark')
    texts = [
        ("Faster tokenizers", "We speed up tokenization."),
        ("Hallucination in LLMs", "A benchmark of hallucination and hallucination detection."),
        ("Parsing", "A benchmark for parsing."),
    ]
    vectors = HashingEmbedder().embed([t + " " + a for t, a in texts])
    day, matches = day_of(texts, vectors)
    for mode in ("learned", "keyword"):
        ranked = rank(day, matches, [topic], Profile(), limit=3, mode=mode)
        assert [r.match.paper.arxiv_id for r in ranked][:2] == ["2603.00001", "2603.00002"]


def test_exploration_takes_one_slot_in_ten_and_says_so() -> None:
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(40, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    day, matches = day_of([(f"T{i}", "x") for i in range(40)], vectors)
    profile = Profile.build([Signal("seed", 1.0)], {"seed": vectors[0]})
    with_explore = rank(day, matches, [CL], profile, limit=10, seed=7)
    without = rank(day, matches, [CL], profile, limit=10, explore=False)
    explored = [r for r in with_explore if r.explored]
    assert len(explored) == 1 and "新方向" in explored[0].reason
    assert explored[0].match not in [r.match for r in without]
    assert [r.match for r in with_explore[:9]] == [r.match for r in without[:9]]


def test_interest_topic_keeps_only_papers_close_in_meaning() -> None:
    topic = parse_topic("~hallucination evaluation of multimodal models")
    assert topic.kind is TopicKind.INTEREST and topic.categories == ("cs",)
    texts = [(f"Unrelated topic {i}", f"graph coloring number {i}") for i in range(8)]
    texts.append(("Evaluating hallucination of multimodal models", "hallucination evaluation"))
    embedder = HashingEmbedder()
    vectors = embedder.embed([t + " " + a for t, a in texts])
    matches = [
        Match(
            paper=sample_paper(f"2603.{i:05d}", title=t, abstract=a), score=1.0, topics=(topic.raw,)
        )
        for i, (t, a) in enumerate(texts)
    ]
    day = DayIndex(matches, vectors)
    interests = embedder.embed([topic.interest or ""])
    profile = Profile.build([], {}, interests=interests, interest_names=[topic.interest or ""])
    ranked = rank(day, matches, [topic], profile, limit=5)
    assert [r.match.paper.arxiv_id for r in ranked] == ["2603.00008"]
    assert "贴近兴趣" in ranked[0].reason


def test_interest_topic_parsing_and_errors() -> None:
    topic = parse_topic("cs.CL ~多模态大模型的幻觉评测")
    assert (topic.kind, topic.categories, topic.interest) == (
        TopicKind.INTEREST,
        ("cs.CL",),
        "多模态大模型的幻觉评测",
    )
    assert topic.raw == "cs.CL ~多模态大模型的幻觉评测"
    for bad, said in (("~", "~ 后写下"), ("~ a", "~ 后写下"), ("nosuch.XX ~text", "nosuch.XX")):
        with pytest.raises(ValueError, match=said):
            parse_topic(bad)


def test_keyword_topic_is_unchanged_by_interest_support() -> None:
    topic = parse_topic('"language model" -survey')
    assert topic.kind is TopicKind.KEYWORDS and topic.interest is None
    assert isinstance(topic, Topic)
