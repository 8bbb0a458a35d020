"""Lead/support extraction scored against the corpus ground truth (corpus/eval/lead_units.jsonl)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.pipeline import build_batch
from ingest.taxonomy import load_taxonomy
from tests.ingest._truth import assert_floor

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


# Floors guard the measured level on the whole corpus: leads 0.995/1.000, supports 0.990/1.000
# (issue 4 asked for 0.95).
@pytest.mark.parametrize("relation,floor", [("LEADS", 0.95), ("SUPPORTS", 0.99)])
def test_precision_and_recall_against_ground_truth(relation, floor):
    truth, found = _triples()
    assert_floor(relation, {x for x in truth if x[3] == relation},
                 {x for x in found if x[3] == relation}, floor, show=40)
