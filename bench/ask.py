"""Warm `ask` latency over the dev QA questions, in one long-lived process.

Usage: python bench/ask.py [--data-dir D] [--qa corpus/eval/dev_qa.jsonl] [--rounds 3]
Prints p50/p95/max in milliseconds; the first (cold) pass is excluded.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from kg.settings import load_settings
from ui import services


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir")
    ap.add_argument("--qa", default="corpus/eval/dev_qa.jsonl")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    questions = [json.loads(ln)["question"] for ln in Path(args.qa).read_text("utf-8").splitlines()
                 if ln.strip()]
    with services.assistant(load_settings(args.data_dir)) as assistant:
        for q in questions:  # warm-up: model, gazetteer, indexes
            assistant.ask(q)
        times = []
        for _ in range(args.rounds):
            for q in questions:
                t = time.perf_counter()
                assistant.ask(q)
                times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p = lambda x: times[min(len(times) - 1, int(round(x * (len(times) - 1))))]  # noqa: E731
    print(f"questions={len(questions)} runs={len(times)} p50={p(0.5):.1f}ms "
          f"p95={p(0.95):.1f}ms max={times[-1]:.1f}ms mean={statistics.mean(times):.1f}ms")


if __name__ == "__main__":
    main()
