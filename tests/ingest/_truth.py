"""Precision and recall of extracted facts against a ground-truth set, printed and guarded.

Every *_truth test compares two sets of hashable keys the same way; the report lists what
was missed and what was spurious so a failing floor says why.
"""
from __future__ import annotations

from collections.abc import Hashable, Set


def precision_recall(truth: Set[Hashable], found: Set[Hashable]) -> tuple[float, float]:
    correct = len(truth & found)
    return (correct / len(found) if found else 0.0,
            correct / len(truth) if truth else 0.0)


def report(name: str, truth: Set[Hashable], found: Set[Hashable],
           show: int = 30) -> tuple[float, float]:
    """Print the figures and up to `show` misses and spurious keys; return (P, R)."""
    precision, recall = precision_recall(truth, found)
    print(f"\n{name}: precision={precision:.3f} recall={recall:.3f} "
          f"(truth {len(truth)}, found {len(found)}, correct {len(truth & found)})")
    for x in sorted(truth - found, key=str)[:show]:
        print("  missed:", x)
    for x in sorted(found - truth, key=str)[:show]:
        print("  spurious:", x)
    return precision, recall


def assert_floor(name: str, truth: Set[Hashable], found: Set[Hashable], floor: float,
                 show: int = 30) -> tuple[float, float]:
    precision, recall = report(name, truth, found, show)
    assert precision >= floor and recall >= floor, (
        f"{name}: precision {precision:.3f} / recall {recall:.3f} below {floor}")
    return precision, recall
