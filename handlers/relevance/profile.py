"""A chat's learned taste: the vectors of papers it liked and disliked, and a per-chat
logistic regression once there are enough ratings (else similarity to liked minus disliked)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
Scores = npt.NDArray[np.float64]

# A linear model needs both kinds of rating; below this, liked-minus-disliked similarity.
MIN_POSITIVE = 3
MIN_NEGATIVE = 3
MIN_RATINGS = 12
L2 = 3.0  # tuned on both dev months (bench ranking): 0.3 / 1 / 3 / 10 / 30 tried
NEWTON_STEPS = 8
NEAREST = 3  # similarity to the liked papers = mean of the NEAREST best
BLEND = 0.0  # with a model: logit z-score + BLEND x similarity z-score


def _z(values: Scores) -> Scores:
    spread = float(values.std()) if len(values) > 1 else 0.0
    if spread <= 1e-12:
        return np.zeros(len(values))
    standard: Scores = (values - values.mean()) / spread
    return standard


@dataclass(frozen=True, slots=True)
class Signal:
    """One rating of a paper by a chat: +1 👍 / seed, -1 👎, +0.5 asked for on demand."""

    arxiv_id: str
    value: float


@dataclass
class Profile:
    """Built once per chat and announcement from its signals and the papers' vectors."""

    ids: list[str] = field(default_factory=list)
    vectors: Vectors = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    values: Scores = field(default_factory=lambda: np.zeros(0))
    interests: Vectors = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    interest_names: list[str] = field(default_factory=list)
    _alpha: Scores | None = None
    _direction: Vectors | None = None
    _fitted: bool = False

    @classmethod
    def build(
        cls,
        signals: Sequence[Signal],
        vectors: dict[str, Vectors],
        *,
        interests: Vectors | None = None,
        interest_names: Sequence[str] = (),
    ) -> Profile:
        known = [s for s in signals if s.arxiv_id in vectors and s.value != 0]
        dim = next(iter(vectors.values())).shape[-1] if vectors else 0
        rows = (
            np.stack([vectors[s.arxiv_id].reshape(-1) for s in known]).astype(np.float32)
            if known
            else np.zeros((0, dim), dtype=np.float32)
        )
        return cls(
            ids=[s.arxiv_id for s in known],
            vectors=rows,
            values=np.array([s.value for s in known], dtype=np.float64),
            interests=interests if interests is not None else np.zeros((0, dim), dtype=np.float32),
            interest_names=list(interest_names),
        )

    @property
    def positives(self) -> int:
        return int((self.values > 0).sum())

    @property
    def negatives(self) -> int:
        return int((self.values < 0).sum())

    @property
    def uses_model(self) -> bool:
        return (
            self.positives >= MIN_POSITIVE
            and self.negatives >= MIN_NEGATIVE
            and len(self.values) >= MIN_RATINGS
        )

    def cross(self, candidates: Vectors) -> Scores:
        """Cosine of each candidate (rows) to each rated paper (columns): computed once per
        chat and shared by preference() and known_similarity(). float32 products: a joined
        vector has 8,576 columns, and copying the day's rows to float64 cost more than the
        product itself (bench ranking_scale)."""
        product = candidates @ self.vectors.T
        return product.astype(np.float64)

    def preference(self, candidates: Vectors, sims: Scores | None = None) -> Scores:
        """How much the chat should like each candidate (higher is better; 0 without votes)."""
        if not len(self.values) or not len(candidates):
            return np.zeros(len(candidates))
        if self.uses_model and not BLEND:
            return self._logit(candidates)
        sims = self.cross(candidates) if sims is None else sims
        if self.uses_model:
            return _z(self._logit(candidates)) + BLEND * _z(self._similarity(sims))
        return self._similarity(sims)

    def _similarity(self, sims: Scores) -> Scores:
        liked = self.values > 0
        score = np.zeros(len(sims))
        if liked.any():
            top = np.sort(sims[:, liked] * self.values[liked], axis=1)[:, -NEAREST:]
            score += top.mean(axis=1)
        if (~liked).any():
            worst = np.sort(sims[:, ~liked], axis=1)[:, -NEAREST:]
            score -= 0.5 * worst.mean(axis=1)
        return score

    def _fit(self) -> None:
        """L2 logistic regression in its dual (linear kernel, bias as a constant feature):
        Newton steps on n x n systems, n = ratings, so thousands of chats train in seconds.
        Classes are weighted to balance (a chat dislikes far more than it likes)."""
        y = (self.values > 0).astype(np.float64)
        strength = np.abs(self.values)
        pos, neg = max(1.0, y.sum()), max(1.0, (1 - y).sum())
        weight = strength * np.where(y > 0, len(y) / (2 * pos), len(y) / (2 * neg))
        gram = (self.vectors @ self.vectors.T).astype(np.float64) + 1.0  # + the bias feature
        alpha = np.zeros(len(y))
        for _ in range(NEWTON_STEPS):
            p = 1.0 / (1.0 + np.exp(-(gram @ alpha)))
            grad = weight * (p - y) + L2 * alpha
            curvature = weight * p * (1 - p)
            step = np.linalg.solve(curvature[:, None] * gram + L2 * np.eye(len(y)), grad)
            alpha -= step
            if np.abs(step).max() < 1e-6:
                break
        self._alpha = alpha
        self._fitted = True

    def _logit(self, candidates: Vectors) -> Scores:
        if not self._fitted:
            self._fit()
        assert self._alpha is not None
        if self._direction is None:  # primal weights: alpha . [vectors | 1]
            self._direction = self._alpha.astype(np.float32) @ self.vectors
        bias = float(self._alpha.sum())
        logits: Scores = (candidates @ self._direction).astype(np.float64) + bias
        return logits

    def nearest_liked(self, candidates: Vectors) -> tuple[list[str | None], Scores]:
        """For each candidate, the most similar liked paper (id, cosine), for "why" lines."""
        liked = np.flatnonzero(self.values > 0)
        if not len(liked) or not len(candidates):
            return [None] * len(candidates), np.zeros(len(candidates))
        sims = candidates @ self.vectors[liked].T
        best = sims.argmax(axis=1)
        return [self.ids[liked[i]] for i in best], sims[np.arange(len(candidates)), best]

    def known_similarity(self, candidates: Vectors, sims: Scores | None = None) -> Scores:
        """Highest cosine to any paper the chat has rated: low means a new direction."""
        if not len(self.values) or not len(candidates):
            return np.zeros(len(candidates))
        best: Scores = (self.cross(candidates) if sims is None else sims).max(axis=1)
        return best

    def interest_similarity(self, candidates: Vectors) -> tuple[Scores, list[int]]:
        """Best cosine to the chat's `~` interests, and which interest it was."""
        if not len(self.interests) or not len(candidates):
            return np.zeros(len(candidates)), [0] * len(candidates)
        sims = candidates @ self.interests.T
        best = sims.argmax(axis=1)
        return sims.max(axis=1).astype(np.float64), [int(i) for i in best]
