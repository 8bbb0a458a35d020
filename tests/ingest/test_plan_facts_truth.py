"""Command roles and member-unit duties scored against the corpus ground truth
(corpus/eval/plan_facts.jsonl, merged from corpus/eval/parts/*.plan_facts.jsonl).

A role fact is (file, role, holder): for command posts the holder as written ("区建管委主任"),
for working groups the set of lead units (canonical). A member duty is (file, org) whose
extracted text contains the annotated duty text (or is contained in it), whitespace ignored.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from ingest.pipeline import build_batch
from ingest.taxonomy import load_taxonomy
from tests.ingest._truth import assert_floor

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _n(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _truth() -> list[dict]:
    merged = CORPUS / "eval" / "plan_facts.jsonl"
    files = [merged] if merged.is_file() and merged.read_text("utf-8").strip() else sorted(
        (CORPUS / "eval" / "parts").glob("*.plan_facts.jsonl"))
    rows = [json.loads(ln) for f in files for ln in f.read_text("utf-8").splitlines() if ln.strip()]
    return [r for r in rows if r["kind"] in ("role", "member_duty")]


def _group_key(orgs) -> frozenset:
    if orgs is None:
        return frozenset()
    return frozenset([orgs] if isinstance(orgs, str) else orgs)


def _truth_role_key(r: dict) -> tuple:
    if r["role"].endswith("组"):
        orgs = r.get("holder_org") or ([r["holder"]] if r.get("holder") else None)
        return (r["file"], r["role"], _group_key(orgs))
    return (r["file"], r["role"], _n(r.get("holder") or ""))


@lru_cache(maxsize=1)
def _extracted() -> tuple[set, dict]:
    taxonomy = load_taxonomy(CORPUS / "taxonomy")
    roles: set = set()
    duties: dict[tuple[str, str], list[str]] = {}
    for file in sorted({t["file"] for t in _truth()}):
        batch, _ = build_batch(CORPUS / file, taxonomy)
        held: dict[str, list] = {}
        for r in batch.relationships:
            if r.type == "HELD_BY":
                held.setdefault(r.start.key, []).append(r)
        for node in batch.nodes:
            if node.label == "Role" and node.props.get("kind") in ("指挥机构", "工作组"):
                role = node.props["role"]
                if node.props["kind"] == "工作组":
                    roles.add((file, role, _group_key(node.props["holders"] or None)))
                else:
                    for h in node.props["holders"]:
                        roles.add((file, role, _n(h)))
            elif node.label == "Responsibility" and node.props.get("kind") == "member_duty":
                duties.setdefault((file, node.props["org"]), []).append(_n(node.props["text"]))
    return roles, duties


def test_roles_against_ground_truth():
    truth = {_truth_role_key(r) for r in _truth() if r["kind"] == "role"}
    if not truth:
        pytest.skip("no role annotations yet")
    found, _ = _extracted()
    files = {t[0] for t in truth}
    assert_floor("roles", truth, {f for f in found if f[0] in files}, 0.95)


def test_member_duties_against_ground_truth():
    rows = [r for r in _truth() if r["kind"] == "member_duty"]
    if not rows:
        pytest.skip("no member-duty annotations yet")
    _, duties = _extracted()
    truth = {(r["file"], r["org"], _n(r["duty"])) for r in rows}
    found_keys = set()
    for (file, org), texts in duties.items():
        for text in texts:
            match = next((t for t in truth if t[0] == file and t[1] == org
                          and (t[2] in text or text in t[2])), None)
            found_keys.add(match or (file, org, text))
    files = {t[0] for t in truth}
    assert_floor("member duties", truth, {f for f in found_keys if f[0] in files}, 0.95)


def test_deadlines_say_who_does_what_within_what_limit():
    from ingest.extract.deadlines import deadline_facts
    assert deadline_facts("项目负责人力争15 分钟内向行业主管部门报告，并于 1 小时内向事发地县级以上人民政府报告。") == [
        ("项目负责人向行业主管部门报告", "15分钟内"), ("向事发地县级以上人民政府报告", "1小时内")]
    assert deadline_facts("事发地应急指挥机构按照有关规定，50分钟内报送书面材料") == [
        ("事发地应急指挥机构报送书面材料", "50分钟内")]
    assert deadline_facts("对辖区燃气报警设备实行24小时监测") == []  # a duration, not a limit
