"""Reciprocal rank fusion: merge rankings from different retrievers by rank, not by score.

Why rank: BM25 scores are unbounded and mE5 cosines sit in a narrow band (0.82-0.98), so their
scores cannot be compared or thresholded together; ranks can (Cormack et al., SIGIR 2009).
"""
from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def rrf(rankings: Sequence[Sequence[K]], k: int = 60,
        weights: Sequence[float] | None = None) -> list[tuple[K, float]]:
    """Fuse best-first rankings: score(key) = sum over rankings of weight / (k + rank), rank from 1.

    A key repeated within one ranking counts at its best rank only. Ties keep the order in which
    keys were first seen (earlier rankings first), so the result is deterministic.
    """
    if k < 0:
        raise ValueError("k must be >= 0")
    if weights is not None and len(weights) != len(rankings):
        raise ValueError("need one weight per ranking")
    scores: dict[K, float] = {}
    for i, ranking in enumerate(rankings):
        w = 1.0 if weights is None else float(weights[i])
        seen: set[K] = set()
        for rank, key in enumerate(ranking, start=1):
            if key in seen:
                continue
            seen.add(key)
            scores[key] = scores.get(key, 0.0) + w / (k + rank)
    order = {key: n for n, key in enumerate(scores)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))
