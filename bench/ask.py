"""Warm `ask` latency over the dev QA questions, in one long-lived process.

Usage: python bench/ask.py [--data-dir D] [--qa corpus/eval/dev_qa.jsonl] [--rounds 3]
Prints p50/p95/max in milliseconds; the first (cold) pass is excluded. Exits with 2 and a
one-line reason when the QA file or the ingested data dir is missing (`make bench` runs it).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

# This checkout's packages first: bench/ingest.py would otherwise shadow the ingest package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.settings import load_settings  # noqa: E402
from ui import services  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir")
    ap.add_argument("--qa", default="corpus/eval/dev_qa.jsonl")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    qa = Path(args.qa)
    if not qa.is_file():
        sys.exit(f"bench: no QA file {qa} (run from the repository root or pass --qa)")
    settings = load_settings(args.data_dir)
    if not settings.data_dir.is_dir() or not any(settings.index_dir.glob("*")):
        sys.stderr.write(f"bench: {settings.data_dir} holds no ingested corpus; run `make ingest`\n")
        sys.exit(2)
    questions = [json.loads(ln)["question"] for ln in qa.read_text("utf-8").splitlines()
                 if ln.strip()]
    by_intent: dict[str, list[float]] = defaultdict(list)
    with services.assistant(settings) as assistant:
        for q in questions:  # warm-up: model, gazetteer, indexes
            assistant.ask(q)
        times = []
        for _ in range(args.rounds):
            for q in questions:
                t = time.perf_counter()
                a = assistant.ask(q)
                ms = (time.perf_counter() - t) * 1000
                times.append(ms)
                by_intent[a.intent].append(ms)
    print(f"questions={len(questions)} runs={len(times)} p50={_pct(times, 0.5):.1f}ms "
          f"p95={_pct(times, 0.95):.1f}ms max={max(times):.1f}ms "
          f"mean={statistics.mean(times):.1f}ms")
    for intent, ts in sorted(by_intent.items(), key=lambda x: -_pct(x[1], 0.95)):
        print(f"  {intent:<20} n={len(ts):<4} p50={_pct(ts, 0.5):.1f}ms p95={_pct(ts, 0.95):.1f}ms")


def _pct(values: list[float], x: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(x * (len(v) - 1))))]


if __name__ == "__main__":
    main()
