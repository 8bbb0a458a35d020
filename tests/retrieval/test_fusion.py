from __future__ import annotations

import pytest

from retrieval.fusion import rrf


def test_scores_are_sums_of_reciprocal_ranks():
    fused = dict(rrf([["a", "b", "c"], ["b", "a"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["c"] == pytest.approx(1 / 63)


def test_agreement_beats_a_single_first_place():
    fused = rrf([["x", "shared"], ["y", "shared"], ["z", "shared"]])
    assert fused[0][0] == "shared"


def test_ties_keep_first_seen_order_and_sort_descending():
    fused = rrf([["a", "b"], ["b", "a"]])
    assert [key for key, _ in fused] == ["a", "b"]
    scores = [s for _, s in rrf([["a", "b", "c", "d"], ["d"]])]
    assert scores == sorted(scores, reverse=True)


def test_duplicates_within_a_ranking_count_once():
    assert dict(rrf([["a", "a", "b"]]))["a"] == pytest.approx(1 / 61)


def test_weights_and_edge_cases():
    fused = dict(rrf([["a"], ["b"]], weights=[2.0, 1.0]))
    assert fused["a"] == pytest.approx(2 / 61)
    assert rrf([]) == []
    assert rrf([[], []]) == []
    with pytest.raises(ValueError):
        rrf([["a"]], weights=[1.0, 2.0])
