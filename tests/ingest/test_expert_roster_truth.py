"""Expert extraction scored against the roster source (corpus/src/experts/experts.csv).

Both corpus forms of the library are ingested — the bureau's xlsx (hand-typed fields, one sheet per
group) and the system's CSV export (English headers, canonical fields) — and each must reproduce
every (code, name, normalised fields) of the source, with 暂停/退出 kept as status.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from ingest.pipeline import build_batch
from ingest.taxonomy import load_taxonomy
from tests.ingest._truth import report

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
FILES = ["experts/示例区应急专家库名册.xlsx", "experts/experts_export.csv"]
FLOOR = 0.95


def _truth(taxonomy) -> dict[str, tuple[str, frozenset[str], str]]:
    """code -> (name, canonical fields, status), fields normalised as the corpus builder does
    (builders/_experts_common.normalise_fields: split on 、，,;；, strip a trailing （…）)."""
    out = {}
    with (CORPUS / "src" / "experts" / "experts.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            fields = set()
            for part in re.split(r"[、，,;；]", r["专业领域"]):
                part = part.strip()
                name = (taxonomy.fields.canonical(part)
                        or taxonomy.fields.canonical(re.sub(r"[（(][^）)]*[）)]$", "", part)))
                if name:
                    fields.add(name)
            out[r["编号"]] = (r["姓名"], frozenset(fields), r["状态"])
    return out


def _found(file: str, taxonomy) -> dict[str, tuple[str, frozenset[str], str]]:
    batch, _ = build_batch(CORPUS / file, taxonomy)
    assert batch.document.kind == "expert_roster", batch.document.kind_reason
    experts = {n.key: n for n in batch.nodes if n.label == "Expert"}
    fields: dict[str, set[str]] = {k: set() for k in experts}
    for r in batch.relationships:
        if r.type == "EXPERT_IN":
            fields[r.start.key].add(r.end.key)
            assert r.provenance.quote in {b.text for b in _blocks(file)}
    return {k: (n.props["name"], frozenset(fields[k]), n.props.get("status", ""))
            for k, n in experts.items()}


def _blocks(file: str, _cache: dict = {}):
    if file not in _cache:
        from ingest.readers import read_document
        _cache[file] = read_document(CORPUS / file).blocks
    return _cache[file]


@pytest.mark.parametrize("file", FILES)
def test_experts_precision_and_recall(file):
    taxonomy = load_taxonomy(CORPUS / "taxonomy")
    truth = _truth(taxonomy)
    found = _found(file, taxonomy)
    t = {(code, name, fields) for code, (name, fields, _) in truth.items()}
    f = {(code, name, fields) for code, (name, fields, _) in found.items()}
    precision, recall = report(f"{file}: experts", t, f, show=20)
    statuses = {code: s for code, (_, _, s) in found.items()}
    wrong_status = {c for c, (_, _, s) in truth.items() if statuses.get(c) != s}
    print(f"  status correct {len(truth) - len(wrong_status)}/{len(truth)}")
    assert precision >= FLOOR and recall >= FLOOR
    assert not wrong_status
    assert {c for c, (_, _, s) in truth.items() if s != "在库"} == \
        {c for c, s in statuses.items() if s != "在库"}


def test_both_forms_merge_into_one_node_per_expert():
    taxonomy = load_taxonomy(CORPUS / "taxonomy")
    keys = [{n.key for n in build_batch(CORPUS / f, taxonomy)[0].nodes if n.label == "Expert"}
            for f in FILES]
    assert keys[0] == keys[1] == set(_truth(taxonomy))


def test_taxonomy_edges_quote_the_row_that_introduced_the_field():
    taxonomy = load_taxonomy(CORPUS / "taxonomy")
    batch, _ = build_batch(CORPUS / FILES[0], taxonomy)
    rows = {b.text for b in _blocks(FILES[0])}
    relevant = {(r.start.key, r.end.label, r.end.key) for r in batch.relationships
                if r.type == "RELEVANT_TO"}
    assert ("燃气", "IncidentType", "城镇燃气事故") in relevant
    assert ("燃气", "Hazard", "燃气管道") in relevant
    assert ("IncidentType", "危险化学品事故", "Hazard", "化工园区") in {
        (r.start.label, r.start.key, r.end.label, r.end.key) for r in batch.relationships
        if r.type == "INVOLVES"}
    for r in batch.relationships:
        if r.type in ("RELEVANT_TO", "INVOLVES", "EXPERT_IN"):
            assert r.provenance.quote in rows
            assert r.provenance.section_id == f"{batch.document.doc_id}#{r.provenance.section}"
    # No field covers the 储能电站 hazard: the roster must not invent one (experts-issue-01).
    assert not any(r.end.key == "锂电池储能电站" for r in batch.relationships)


def test_reingesting_both_rosters_twice_keeps_counts_and_one_node_per_expert(graph_store):
    from ingest.pipeline import ingest_paths

    taxonomy = load_taxonomy(CORPUS / "taxonomy")
    before = graph_store.counts()
    paths = [CORPUS / f for f in FILES]
    try:
        counts = []
        for _ in range(2):
            report = ingest_paths(paths, graph_store, taxonomy, force=True)
            assert not report.failed, [f.error for f in report.failed]
            counts.append(graph_store.counts())
        print(f"\n两次导入后计数：{counts[1]}")
        assert counts[0] == counts[1]
        # The xlsx and the CSV export describe the same 105 people: one Expert node each.
        # (The session store is shared; other tests' rosters use other codes.)
        assert counts[1]["Expert"] == before.get("Expert", 0) + 105
        # Deleting one form keeps every expert (the other form still holds them).
        graph_store.delete_document(paths[1].name)
        assert graph_store.counts()["Expert"] == before.get("Expert", 0) + 105
    finally:
        for p in paths:
            graph_store.delete_document(p.name)
    assert graph_store.counts() == before
