"""The sample corpus (issue 3): kinds and formats present, ground truth verbatim and supported.

Documents are read with yingji's own readers; corpus/eval/check_truth.py (the corpus authors'
checker, with its own independent readers) must pass too.
"""
from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from ingest.classify import classify
from ingest.extract.plan import plan_level
from ingest.readers import read_document
from ingest.structure import parse_sections
from ingest.taxonomy import load_taxonomy

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
QA_TYPES = ["lead_unit", "support_units", "plan_for_incident", "member_duty", "grading",
            "response_level", "expert", "expert_rule", "resource", "regulation_article",
            "command_structure", "consistency"]
ISSUE_KINDS = {"lead_conflict", "grading_conflict", "duty_missing_in_list",
               "list_duty_without_plan", "outdated_name", "superseded_regulation",
               "dangling_plan_reference", "response_level_gap"}


def _n(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


@lru_cache(maxsize=None)
def _doc(rel: str):
    raw = read_document(CORPUS / rel)
    return raw, parse_sections(raw.blocks, raw.title)


def _documents(folder: str) -> list[str]:
    return sorted(str(p.relative_to(CORPUS)) for p in (CORPUS / folder).iterdir() if p.is_file())


def test_checker_of_the_corpus_authors_passes():
    r = subprocess.run([sys.executable, str(CORPUS / "eval" / "check_truth.py")],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:]


def test_generated_files_match_their_sources():
    r = subprocess.run([sys.executable, str(CORPUS / "build.py"), "--check"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, [ln for ln in r.stdout.splitlines() if ln.startswith("DIFF")]


def test_plans_of_every_level():
    levels = Counter()
    for rel in _documents("plans"):
        raw, sections = _doc(rel)
        assert classify(raw, sections)[0] == "plan", rel
        levels[plan_level(raw.title)] += 1
        assert "示例数据" in raw.full_text(), f"{rel} is not marked as sample data"
    print("\nplan levels:", dict(levels))
    assert levels["总体"] == 1
    assert levels["专项"] >= 12 and levels["部门"] >= 4 and levels["街镇"] >= 4
    titles = " ".join(_doc(rel)[0].title for rel in _documents("plans"))
    for topic in ["危险化学品", "建设工程施工", "道路交通", "火灾", "特种设备", "城镇燃气", "防汛防台",
                  "地下空间", "踩踏", "大面积停电", "供排水", "生产安全事故"]:
        assert topic in titles, topic


def test_four_lists_for_departments_and_streets():
    orgs = load_taxonomy(CORPUS / "taxonomy").organizations
    kinds_by_unit: dict[str, set[str]] = {}
    for rel in _documents("lists"):
        raw, _ = _doc(rel)
        hits = orgs.find_all(raw.title)
        assert hits, f"{rel}: title {raw.title!r} names no known unit"
        unit = hits[0][3]
        rows = [b for b in raw.blocks if b.kind == "table_row"]
        for kind in ("责任清单", "权力清单", "监管清单", "任务清单"):
            if kind in raw.full_text():
                kinds_by_unit.setdefault(unit, set()).add(kind)
        assert len(rows) >= 3, f"{rel}: a list needs rows"
    complete = {u for u, k in kinds_by_unit.items() if len(k) == 4}
    streets = {u for u in complete if orgs.entries[u].kind == "街镇"}
    print("\nunits with all four lists:", len(complete), sorted(complete))
    assert len(complete - streets) >= 15 and len(streets) >= 4
    suffixes = Counter(Path(r).suffix for r in _documents("lists"))
    assert suffixes[".xlsx"] and suffixes[".csv"] and suffixes[".docx"]


def test_local_regulations_and_law_catalogue():
    local = []
    for rel in _documents("regulations"):
        if rel.endswith(".csv"):
            continue
        raw, sections = _doc(rel)
        assert classify(raw, sections)[0] == "regulation", rel
        articles = [s for s in sections if re.fullmatch(r"第.+条", s.label)]
        chapters = [s for s in sections if re.fullmatch(r"第.+章", s.label)]
        assert len(articles) >= 10 and chapters, rel
        local.append(raw.title)
    assert len(local) >= 4 and any("专家库管理办法" in t for t in local)
    with (CORPUS / "regulations" / "catalogue.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    statuses = Counter(r["status"] for r in rows)
    assert {"现行有效", "已修订", "已废止"} <= set(statuses)
    assert all(r["superseded_by"] for r in rows if r["status"] == "已修订")
    assert {"title", "issuer", "version_date", "status", "superseded_by"} <= set(rows[0])


def test_expert_library():
    xlsx = [r for r in _documents("experts") if r.endswith(".xlsx")]
    csvs = [r for r in _documents("experts") if r.endswith(".csv")]
    assert xlsx and csvs
    raw, _ = _doc(csvs[0])
    rows = [b.cells for b in raw.blocks if b.kind == "table_row"]
    header, body = rows[0], rows[1:]
    fields_col = next(i for i, h in enumerate(header) if "field" in h.lower())
    fields = {f for r in body for f in re.split(r"[;；、]", r[fields_col]) if f}
    print(f"\nexperts: {len(body)}, fields: {len(fields)}")
    assert len(body) >= 80 and len(fields) >= 15
    assert all(re.search(r"5555", " ".join(r)) or "退出" in " ".join(r) for r in body)


def test_every_format_is_present():
    files = [p for p in CORPUS.rglob("*") if p.is_file()
             and not ({"src", "eval", "builders", "taxonomy"} & set(p.relative_to(CORPUS).parts))]
    by = Counter(p.suffix for p in files)
    for suffix in (".docx", ".pdf", ".xlsx", ".csv", ".md", ".txt", ".html"):
        assert by[suffix], suffix
    encodings = set()
    for p in files:
        if p.suffix == ".txt":
            try:
                p.read_bytes().decode("utf-8")
                encodings.add("utf-8")
            except UnicodeDecodeError:
                p.read_bytes().decode("gb18030")
                encodings.add("gb18030")
    assert encodings == {"utf-8", "gb18030"}
    assert any(_doc(str(p.relative_to(CORPUS)))[0].format == "pdf" for p in files if p.suffix == ".pdf")
    assert any(b.kind == "table_row" for p in files if p.suffix == ".docx"
               for b in _doc(str(p.relative_to(CORPUS)))[0].blocks)


def _qa() -> list[dict]:
    return [json.loads(ln) for ln in (CORPUS / "eval" / "dev_qa.jsonl").read_text("utf-8").splitlines()
            if ln.strip()]


def test_dev_qa_size_and_types():
    by_type = Counter(q["type"] for q in _qa())
    print("\nQA per type:", dict(by_type))
    assert sum(by_type.values()) >= 250
    for t in QA_TYPES:
        assert by_type[t] >= 15, t


def _context(rel: str, evidence: str) -> str:
    """The evidence with what a reader sees around it: the section (with its ancestors' headings
    and numbers), the table row, and the document title."""
    raw, sections = _doc(rel)
    by_path = {s.path: s for s in sections}
    out = [raw.title]
    for s in sections:
        if _n(evidence) in _n(s.text) or any(_n(evidence) in _n(c) for b in s.blocks for c in b.cells):
            out.append(s.text)
            parent = by_path.get(s.parent_path or "")
            while parent is not None:
                out += [parent.label, parent.heading]
                parent = by_path.get(parent.parent_path or "")
    return _n("\n".join(out))


def test_every_qa_evidence_occurs_in_its_source_and_supports_the_answer():
    taxonomy = load_taxonomy(CORPUS / "taxonomy")
    missing, unsupported = [], []
    corpus_text = None
    for q in _qa():
        raw, _ = _doc(q["source_file"])
        if _n(q["evidence"]) not in _n(raw.full_text()) and not any(
                _n(q["evidence"]) in _n(c) for b in raw.blocks for c in b.cells):
            missing.append(q["id"])
            continue
        assert any(_n(a) in _n(q["answer"]) for a in q["accept"]), q["id"]
        ctx = _context(q["source_file"], q["evidence"])
        forms = {a for acc in q["accept"] for a in [acc, *_org_forms(taxonomy, acc)]}
        if any(_n(a) in ctx for a in forms):
            continue
        if q["type"] == "consistency":
            # A consistency answer states what another document says: it must be found there.
            if corpus_text is None:
                corpus_text = _corpus_text()
            if any(_n(a) in corpus_text for a in q["accept"]):
                continue
            if all(re.match(r"^(?:未|没有|缺少|无)", a) for a in q["accept"]):
                continue  # the answer names a gap: what supports it is the clause that lacks it
        unsupported.append((q["id"], q["accept"], q["evidence"][:40]))
    assert not missing, missing
    assert not unsupported, unsupported


def _org_forms(taxonomy, name: str) -> list[str]:
    entry = taxonomy.organizations.entries.get(name)
    return [*entry.aliases, *entry.former_names] if entry else []


def _corpus_text() -> str:
    parts = []
    for folder in ("plans", "lists", "regulations", "experts"):
        parts += [_doc(rel)[0].full_text() for rel in _documents(folder)
                  if not rel.endswith("catalogue.csv")]
    for f in (CORPUS / "taxonomy").glob("*.csv"):
        parts.append(f.read_text("utf-8"))
    parts.append((CORPUS / "regulations" / "catalogue.csv").read_text("utf-8-sig"))
    return _n("\n".join(parts))


def _issues() -> list[dict]:
    return json.loads((CORPUS / "eval" / "planted_issues.json").read_text("utf-8"))


def test_planted_issues_cover_every_kind():
    kinds = Counter(i["kind"] for i in _issues())
    print("\nplanted issues:", dict(kinds))
    assert sum(kinds.values()) >= 12
    assert ISSUE_KINDS <= set(kinds)


@pytest.mark.parametrize("issue", _issues(), ids=lambda i: i["id"])
def test_planted_issue_points_at_real_sections(issue):
    assert issue["explanation"]
    assert len(issue["documents"]) == len(issue["sections"]) == len(issue["quotes"])
    for rel, path, quote in zip(issue["documents"], issue["sections"], issue["quotes"]):
        if rel.endswith(".csv"):  # a data table: the quote is one of its lines
            assert _n(quote) in _n((CORPUS / rel).read_text("utf-8-sig")), (rel, quote)
            continue
        raw, sections = _doc(rel)
        if not path:  # a whole-file finding (a roster, a catalogue row)
            assert _n(quote) in _n(raw.full_text()) or any(
                _n(quote) in _n(c) for b in raw.blocks for c in b.cells), (rel, quote)
            continue
        section = next((s for s in sections if s.path == path), None)
        assert section is not None, f"{rel}: no section {path!r}"
        inside = [section] + [s for s in sections if s.path.startswith(path + "/")]
        assert any(_n(quote) in _n(s.text) or any(_n(quote) in _n(c) for b in s.blocks for c in b.cells)
                   for s in inside), (rel, path, quote)
