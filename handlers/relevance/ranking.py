"""Rank one chat's matched papers: topic match + BM25 + meaning + learned preference, a little
exploration, ties by novelty; and a short "why this paper" line for each chosen entry."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from handlers.digest_types import Match, Topic
from handlers.relevance.bm25 import BM25Index, topic_terms
from handlers.relevance.profile import Profile, Scores, Vectors

RANK_MODES = ("learned", "keyword")
# Weights of the standardised parts of the learned score (tuned on bench/data/readers-dev.json).
W_PREFERENCE = 1.0
W_INTEREST = 0.8
W_BM25 = 0.35
W_TOPICS = 0.5  # per extra topic matched
EXPLORE_EVERY = 10  # one exploration slot per this many entries
EXPLORE_POOL = 3  # ... drawn from the next EXPLORE_POOL x limit candidates
REASON_Z = 1.0


@dataclass(frozen=True, slots=True)
class Ranked:
    match: Match
    score: float
    reason: str
    explored: bool = False


class DayIndex:
    """One announcement's papers, their vectors (rows aligned, or None: lexical only) and
    BM25 statistics: built once, shared by every chat ranked that day."""

    def __init__(self, matches_or_papers: Sequence[Match], vectors: Vectors | None) -> None:
        self.papers = [m.paper for m in matches_or_papers]
        self.position = {p.arxiv_id: i for i, p in enumerate(self.papers)}
        self.vectors = vectors
        self.bm25 = BM25Index(self.papers)


def _z(values: Scores) -> Scores:
    if len(values) < 2:
        return np.zeros(len(values))
    spread = float(values.std())
    return (values - values.mean()) / spread if spread > 1e-12 else np.zeros(len(values))


def _newest_first(match: Match) -> str:
    return match.paper.arxiv_id


def rank(
    day: DayIndex,
    matches: Sequence[Match],
    topics: Sequence[Topic],
    profile: Profile,
    *,
    limit: int,
    mode: str = "learned",
    explore: bool = True,
    seed: int = 0,
) -> list[Ranked]:
    """The best `limit` of `matches` (papers of `day`) for this chat, best first."""
    if not matches:
        return []
    docs = [day.position[m.paper.arxiv_id] for m in matches]
    vectors = day.vectors[docs] if day.vectors is not None else None
    lexical = day.bm25.scores(topic_terms(topics), docs)
    topic_count = np.array([len(m.topics) for m in matches], dtype=np.float64)
    known = profile.known_similarity(vectors) if vectors is not None else np.zeros(len(docs))
    novelty = 1.0 - known
    if mode == "keyword":
        top = lexical.max()
        score = np.array([m.score for m in matches]) + (0.5 * lexical / top if top > 0 else 0.0)
        parts: dict[str, Scores] = {}
    else:
        parts = _learned_parts(vectors, profile, len(docs))
        score = W_TOPICS * (topic_count - topic_count.min()) + W_BM25 * _z(lexical)
        for name, weight in (("preference", W_PREFERENCE), ("interest", W_INTEREST)):
            if name in parts:
                score = score + weight * _z(parts[name])
    # Best score, then the most novel, then the newest id.
    order = sorted(
        range(len(matches)),
        key=lambda i: (-round(float(score[i]), 9), -novelty[i], _rev(matches[i].paper.arxiv_id)),
    )
    chosen = order[:limit]
    explored: set[int] = set()
    if mode != "keyword" and explore and len(profile.values) and len(order) > limit:
        slots = max(1, limit // EXPLORE_EVERY) if limit >= 4 else 0
        pool = order[limit : limit + EXPLORE_POOL * limit]
        rng = random.Random(seed)
        # New directions first: the least similar to anything the chat has rated.
        weights = [max(1e-6, float(novelty[i])) ** 2 for i in pool]
        picks: list[int] = []
        while pool and len(picks) < slots:
            pick = rng.choices(range(len(pool)), weights=weights)[0]
            picks.append(pool.pop(pick))
            weights.pop(pick)
        if picks:
            chosen = chosen[: limit - len(picks)] + picks
            explored = set(picks)
    return [
        Ranked(
            match=matches[i],
            score=float(score[i]),
            reason=_reason(i, matches[i], parts, profile, vectors, novelty, i in explored),
            explored=i in explored,
        )
        for i in chosen
    ]


def _rev(arxiv_id: str) -> tuple[int, ...]:
    """Sort key putting newer ids first."""
    return tuple(-ord(c) for c in arxiv_id)


def _learned_parts(vectors: Vectors | None, profile: Profile, n: int) -> dict[str, Scores]:
    parts: dict[str, Scores] = {}
    if vectors is None:
        return parts
    if len(profile.values):
        parts["preference"] = profile.preference(vectors)
    if len(profile.interests):
        parts["interest"], _ = profile.interest_similarity(vectors)
    return parts


def _reason(
    i: int,
    match: Match,
    parts: dict[str, Scores],
    profile: Profile,
    vectors: Vectors | None,
    novelty: Scores,
    explored: bool,
) -> str:
    """`匹配 cs.CL · 与你赞过的 2401.12187 相似 · 新方向`: at most three short clauses."""
    bits: list[str] = []
    if match.topics:
        bits.append("匹配 " + "、".join(match.topics[:2]))
    if vectors is not None and "interest" in parts and _z(parts["interest"])[i] >= REASON_Z:
        _, which = profile.interest_similarity(vectors[i : i + 1])
        bits.append(f"贴近兴趣「{profile.interest_names[which[0]][:20]}」")
    if vectors is not None and "preference" in parts and _z(parts["preference"])[i] >= REASON_Z:
        nearest, _ = profile.nearest_liked(vectors[i : i + 1])
        if nearest[0] is not None:
            bits.append(f"与你赞过的 {nearest[0]} 相似")
    if explored or (len(profile.values) and _z(novelty)[i] >= 2 * REASON_Z):
        bits.append("新方向")
    return " · ".join(bits[:3])
