"""Lead/support extraction scored against the corpus ground truth (corpus/eval/lead_units.jsonl)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.pipeline import build_batch
from ingest.taxonomy import load_taxonomy

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _truth() -> list[dict]:
    lines = (CORPUS / "eval" / "lead_units.jsonl").read_text("utf-8").splitlines()
    return [json.loads(ln) for ln in lines if ln.strip()]


def _triples() -> tuple[set, set]:
    taxonomy = load_taxonomy(CORPUS / "taxonomy")
    truth = {(t["file"], t["incident_type"], org, rel)
             for t in _truth() for rel, key in (("LEADS", "lead"), ("SUPPORTS", "support"))
             for org in t[key]}
    found = set()
    for file in sorted({t["file"] for t in _truth()}):
        batch, _ = build_batch(CORPUS / file, taxonomy)
        found |= {(file, r.end.key, r.start.key, r.type) for r in batch.relationships
                  if r.type in ("LEADS", "SUPPORTS")}
    return truth, found


# Floors are regression guards at the measured level on the whole corpus (most plans were written
# after the extractor, by other hands); issue 4 raises both to 0.95.
@pytest.mark.parametrize("relation,floor", [("LEADS", 0.88), ("SUPPORTS", 0.84)])
def test_precision_and_recall_against_ground_truth(relation, floor):
    truth, found = _triples()
    t = {x for x in truth if x[3] == relation}
    f = {x for x in found if x[3] == relation}
    precision = len(t & f) / len(f) if f else 0.0
    recall = len(t & f) / len(t)
    print(f"\n{relation}: precision={precision:.3f} recall={recall:.3f} "
          f"(truth {len(t)}, found {len(f)}, correct {len(t & f)})")
    for x in sorted(t - f)[:40]:
        print("  missed:", x)
    for x in sorted(f - t)[:40]:
        print("  spurious:", x)
    assert precision >= floor and recall >= floor
