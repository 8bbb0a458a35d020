"""Grading criteria and response-level starters scored against the corpus ground truth
(corpus/eval/plan_facts.jsonl, kinds "grading" and "response_level")."""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from ingest.extract import ParsedDocument
from ingest.extract.plan_levels import PlanLevelsExtractor
from ingest.readers import read_document
from ingest.structure import parse_sections
from ingest.taxonomy import load_taxonomy
from kg.model import DocumentMeta
from tests.ingest._truth import assert_floor

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
FIELDS = ("deaths_min", "deaths_max", "injuries_min", "injuries_max", "evacuated_min",
          "evacuated_max", "loss_min", "loss_max")


def _truth(kind: str) -> list[dict]:
    lines = (CORPUS / "eval" / "plan_facts.jsonl").read_text("utf-8").splitlines()
    return [r for r in (json.loads(ln) for ln in lines if ln.strip()) if r["kind"] == kind]


@lru_cache(maxsize=None)
def _extracted(file: str) -> tuple[dict, dict]:
    """({level: SeverityLevel props}, {level: ResponseLevel props}) of one corpus plan."""
    path = CORPUS / file
    raw = read_document(path)
    meta = DocumentMeta(doc_id=path.name, title=raw.title, kind="plan", source_path=str(path),
                        version="test")
    doc = ParsedDocument(meta=meta, raw=raw, sections=parse_sections(raw.blocks, raw.title))
    out = PlanLevelsExtractor().extract(doc, load_taxonomy(CORPUS / "taxonomy"))
    sev = {n.props["level"]: n.props for n in out.nodes if n.label == "SeverityLevel"}
    resp = {n.props["level"]: n.props for n in out.nodes if n.label == "ResponseLevel"}
    return sev, resp


def _num(v):
    return None if v is None else float(v)


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _parts(other: str | None) -> set[str]:
    """Separate conditions of one level, compared without the 或者 that joins them."""
    return {re.sub(r"^或者?", "", x) for x in re.split(r"[;；]", _norm(other)) if x}


def test_grading_thresholds_against_ground_truth():
    rows = _truth("grading")
    if not rows:
        pytest.skip("no grading ground truth yet")
    truth = {(r["file"], r["level"], tuple(_num(r.get(f if "loss" not in f else f + "_wan"))
                                            for f in FIELDS)) for r in rows}
    found = set()
    for file in sorted({r["file"] for r in rows}):
        sev, _ = _extracted(file)
        found |= {(file, level, tuple(_num(p.get(f)) for f in FIELDS))
                  for level, p in sev.items()}
    assert_floor("grading (file, level, thresholds)", truth, found, 0.95)


def test_grading_other_conditions_against_ground_truth():
    """Conditions without a figure ("锅炉、压力容器、压力管道爆炸的") are kept as written."""
    rows = _truth("grading")
    if not rows:
        pytest.skip("no grading ground truth yet")
    truth = {(r["file"], r["level"], part) for r in rows
             for part in _parts(r.get("other"))}
    found = set()
    for file in sorted({r["file"] for r in rows}):
        sev, _ = _extracted(file)
        found |= {(file, level, part) for level, p in sev.items()
                  for part in _parts(p.get("other"))}
    assert_floor("grading other conditions", truth, found, 0.9)


def _same_person(a: str | None, b: str | None) -> bool:
    a, b = _norm(a), _norm(b)
    if not a or not b:
        return a == b
    return a in b or b in a


@pytest.mark.parametrize("role", ["starter", "ender"])
def test_response_levels_against_ground_truth(role):
    rows = _truth("response_level")
    if not rows:
        pytest.skip("no response-level ground truth yet")
    truth = {(r["file"], r["level"], _norm(r[role])) for r in rows}
    found = set()
    for file in sorted({r["file"] for r in rows}):
        _, resp = _extracted(file)
        for level, p in resp.items():
            truths = [r[role] for r in rows if r["file"] == file and r["level"] == level]
            # A level may have several starters ("工贸企业事故由区应急管理局局长决定启动").
            names = (p.get("starters") or [None]) if role == "starter" else [p.get(role)]
            for name in names:
                # Containment: "区燃气指挥部副总指挥（区建管委主任）" and "副总指挥（区建管委
                # 主任）" name the same person; the truth's spelling is used when they agree.
                mine = next((_norm(t) for t in truths if _same_person(t, name)), _norm(name))
                found.add((file, level, mine))
    assert_floor(f"response levels (file, level, {role})", truth, found, 0.95)
