"""Rank one chat's matched papers: topic match + BM25 + meaning + learned preference, a little
exploration, ties by novelty; and a short "why this paper" line for each chosen entry."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from handlers.digest.types import Match, Topic, TopicKind
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
INTEREST_MIN_Z = 1.0  # a paper matched only by `~` interests must be this close (z-score)
REASON_Z = 0.75  # a clause is said when its part stands out this much (z-score)


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
        newest = sorted(range(len(self.papers)), key=lambda i: self.papers[i].arxiv_id)[::-1]
        self.age = np.empty(len(self.papers), dtype=np.int64)  # 0 = the newest arXiv id
        self.age[newest] = np.arange(len(self.papers))


def _z(values: Scores) -> Scores:
    if len(values) < 2:
        return np.zeros(len(values))
    spread = float(values.std())
    return (values - values.mean()) / spread if spread > 1e-12 else np.zeros(len(values))


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
    if not matches or limit <= 0:
        return []
    docs = [day.position[m.paper.arxiv_id] for m in matches]
    vectors = day.vectors[docs] if day.vectors is not None else None
    lexical = day.bm25.scores(topic_terms(topics), docs)
    sims = profile.cross(vectors) if vectors is not None and len(profile.values) else None
    known = profile.known_similarity(vectors, sims) if vectors is not None else np.zeros(len(docs))
    novelty = 1.0 - known
    z: dict[str, Scores] = {}
    if vectors is not None and len(profile.interests):
        z["interest"] = _z(profile.interest_similarity(vectors)[0])
    if mode == "keyword":
        top = lexical.max()
        score = np.array([m.score for m in matches]) + (0.5 * lexical / top if top > 0 else 0.0)
        score = score + 0.5 * z.get("interest", 0.0)
    else:
        if vectors is not None and len(profile.values):
            z["preference"] = _z(profile.preference(vectors, sims))
        count = np.array([len(m.topics) for m in matches], dtype=np.float64)
        score = W_TOPICS * (count - count.min()) + W_BM25 * _z(lexical)
        score = (
            score + W_PREFERENCE * z.get("preference", 0.0) + W_INTEREST * z.get("interest", 0.0)
        )
    keep = np.array(_interest_filter(matches, topics, z.get("interest")))
    # Best score, then the most novel, then the newest id (np.lexsort: last key first).
    ranked = np.lexsort((day.age[docs], -novelty, -np.round(score, 9)))
    order = [int(i) for i in ranked if keep[i]]
    chosen = order[:limit]
    explored: set[int] = set()
    if mode != "keyword" and explore and len(profile.values) and len(order) > limit >= 4:
        explored = _explore(order, limit, novelty, seed)
        chosen = chosen[: limit - len(explored)] + sorted(explored, key=order.index)
    z["novelty"] = _z(novelty) if len(profile.values) else np.zeros(len(docs))
    return [
        Ranked(
            match=matches[i],
            score=float(score[i]),
            reason=_reason(i, matches[i], z, profile, vectors, i in explored),
            explored=i in explored,
        )
        for i in chosen
    ]


def _interest_filter(
    matches: Sequence[Match], topics: Sequence[Topic], interest_z: Scores | None
) -> list[bool]:
    """Papers matched only through `~` interests stay when close in meaning."""
    interest_raws = {t.raw for t in topics if t.kind is TopicKind.INTEREST}
    if not interest_raws:
        return [True] * len(matches)
    keep = []
    for i, match in enumerate(matches):
        only_interest = bool(match.topics) and set(match.topics) <= interest_raws
        close = interest_z is not None and interest_z[i] >= INTEREST_MIN_Z
        keep.append(not only_interest or close)
    return keep


def _explore(order: list[int], limit: int, novelty: Scores, seed: int) -> set[int]:
    """One slot per EXPLORE_EVERY: a paper from just below the cut, new directions likelier."""
    slots = max(1, limit // EXPLORE_EVERY)
    pool = order[limit : limit + EXPLORE_POOL * limit]
    weights = [max(1e-6, float(novelty[i])) ** 2 for i in pool]
    rng = random.Random(seed)
    picks: set[int] = set()
    while pool and len(picks) < slots:
        pick = rng.choices(range(len(pool)), weights=weights)[0]
        picks.add(pool.pop(pick))
        weights.pop(pick)
    return picks


def _reason(
    i: int,
    match: Match,
    z: dict[str, Scores],
    profile: Profile,
    vectors: Vectors | None,
    explored: bool,
) -> str:
    """`匹配 cs.CL · 与你赞过的 2401.12187 相似 · 新方向`: at most three short clauses."""
    bits: list[str] = []
    plain = [t for t in match.topics if not t.startswith("~") and " ~" not in t]
    if plain:
        bits.append("匹配 " + "、".join(plain[:2]))
    if vectors is not None and "interest" in z and z["interest"][i] >= REASON_Z:
        _, which = profile.interest_similarity(vectors[i : i + 1])
        bits.append(f"贴近兴趣「{profile.interest_names[which[0]][:20]}」")
    if vectors is not None and "preference" in z and z["preference"][i] >= REASON_Z:
        nearest, _ = profile.nearest_liked(vectors[i : i + 1])
        if nearest[0] is not None:
            bits.append(f"与你赞过的 {nearest[0]} 相似")
    if explored or z["novelty"][i] >= 2 * REASON_Z:
        bits.append("新方向")
    return " · ".join(bits[:3])
