"""Extraction measured against the hand-annotated facts of the five real plans (issue 13,
deliverable 4).

The gold file corpus/eval/real_facts.jsonl holds facts read by hand from
../shared/data/real/docs/*.txt (lead units, command roles, office seats, working-group leads
and members, member duties, grading thresholds, response-level starters and enders, report
deadlines, cited / abolished documents and whom a plan is filed with), each with an evidence
string that is an exact substring of its document.

Each real plan is run through ingest.pipeline.build_batch with the sample taxonomy; the
graph it gives is mapped back to the same (relation, subject, object) form:
  lead          (Organization)-[:LEADS]->(IncidentType)          subject = type, object = unit
  role          Role (kind not 工作组): title → each of holders; members as "<body>成员"
  office        Role titled "…办公室" → each holder (the seat); FILED_WITH-like edges none yet
  group_lead    Role of kind 工作组 → holders; "<group>组长" Role (body a working group) → holders
  group_member  members of a working-group Role (or of a Role whose body is one)
  duty          (X)-[:HAS_DUTY]->(Responsibility).text; a Role's duty split at "；"
  threshold     SeverityLevel deaths_/injuries_/loss_/evacuated_ min and max, per level
  starter       ResponseLevel starters (+ starter, special_starts)  subject = level rank
  ender         ResponseLevel ender                                  subject = level rank
  deadline      any node or relationship prop "deadline" (Deadline nodes: name, deadline)
  cites         CITES (document level, not article) and REFERS_TO except repeals → title
  abolishes     REFERS_TO relation "repeals", SUPERSEDES → title
  filed_with    FILED_WITH relationships (none is produced today)
Matching is lenient on form and strict on meaning: both sides are NFKC-normalised and lose
whitespace and punctuation; two strings match when equal or when one contains the other
(at least two characters). Subjects of starter/ender match by level rank when both have one;
cites/abolishes/filed_with compare the object only (the subject is the plan itself).
Thresholds match on (level, metric, min, max); inclusivity is not compared because the graph
does not store it (the gold does). Each gold fact matches at most one extracted fact and
vice versa (greedy, per document and relation).

The issue's target is precision and recall >= 0.90 for every relation. It is NOT reached
except for cites, group_lead and group_member: role, duty, threshold, starter and ender are
below it (deadline at 0.60), abolishes is at 1.00 (one fact), and lead, office and filed_with are at recall 0 because the
extractor produces nothing (or nothing right) for them on these layouts. The floors below are
today's measured values rounded down to 0.05, so that they can
only rise; raise them when the extractor improves.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "corpus" / "eval" / "real_facts.jsonl"
REAL_DOCS = ROOT.parent / "shared" / "data" / "real" / "docs"

RELATIONS = ("lead", "role", "office", "group_lead", "group_member", "duty", "threshold",
             "starter", "ender", "deadline", "cites", "abolishes", "filed_with")
DOC_LEVEL = {"cites", "abolishes", "filed_with"}

# Today's measured figures, rounded down to 0.05: (precision floor, recall floor). Measured
# on branch issue13-gold (gold 497 facts): role P 0.96 R 0.75, group_lead P 1.00 R 0.93,
# threshold P 1.00 R 0.75, starter P 0.83 R 0.50, cites P 0.96 R 1.00, ender P 0.00 R 0.00
# (one extracted ender, "（5）", is wrong); every other relation: nothing extracted, R 0.
# Then group members ("X、Y相关人员担任成员" under the group's heading: P 1.00 R 0.91) and the
# duties listed under a group's or body's heading ("主要职责：……", items: P 1.00 R 0.64);
# enders "由X负责调整或终止" and a body's "（5）决定终止Ⅱ级应急响应" (P 1.00 R 0.50);
# deadlines ("力争15分钟内向……报告": P 0.60 R 0.60; the misses are mostly subjects worded
# otherwise than the gold's paraphrase, e.g. "……发生生产安全事故后向……报告").
# A precision floor applies only when the relation has extracted facts.
FLOORS: dict[str, tuple[float, float]] = {
    "lead": (0.0, 0.0),
    "role": (0.95, 0.75),
    "office": (0.0, 0.0),
    "group_lead": (1.0, 0.90),
    "group_member": (0.95, 0.90),
    "duty": (0.95, 0.60),
    "threshold": (1.0, 0.75),
    "starter": (0.80, 0.50),
    "ender": (0.95, 0.50),
    "deadline": (0.60, 0.60),
    "cites": (0.95, 1.0),
    "abolishes": (0.95, 1.0),
    "filed_with": (0.0, 0.0),
}

pytestmark = pytest.mark.skipif(not REAL_DOCS.is_dir(), reason="../shared/data/real not present")


def gold() -> list[dict]:
    return [json.loads(ln) for ln in GOLD.read_text("utf-8").splitlines() if ln.strip()]


_PUNCT = re.compile(r"[\s\u3000、，,。．.；;：:（）()《》〈〉“”\"'‘’「」【】\[\]｜|/·—\-]+")


def norm(s: object) -> str:
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(s or "")))


def same(a: object, b: object) -> bool:
    x, y = norm(a), norm(b)
    if not x or not y:
        return False
    if x == y:
        return True
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    return len(short) >= 2 and short in long_


_RANK = {"I": 1, "II": 2, "III": 3, "IV": 4, "一": 1, "二": 2, "三": 3, "四": 4}


def rank_of(s: str) -> int | None:
    m = re.search(r"(IV|III|II|I|[一二三四])级", norm(s))
    return _RANK[m.group(1)] if m else None


# ---------------------------------------------------------------- extracted facts

_METRIC = {"deaths": "deaths", "injuries": "serious_injuries", "loss": "loss_wan",
           "evacuated": "evacuated"}


def _is_group(name: str | None) -> bool:
    return bool(name) and name.endswith("组") and not name.endswith("领导小组")


@lru_cache(maxsize=None)
def extracted(file: str) -> tuple[dict, ...]:
    from ingest.pipeline import build_batch
    from ingest.taxonomy import load_taxonomy

    batch, _ = build_batch(REAL_DOCS / file, load_taxonomy(ROOT / "corpus" / "taxonomy"))
    nodes = {(n.label, n.key): n for n in batch.nodes}
    out: list[dict] = []

    def add(relation: str, subject, obj, **extra) -> None:
        if obj:
            out.append({"relation": relation, "subject": subject or "", "object": obj, **extra})

    for n in batch.nodes:
        p = n.props
        if n.label == "Role":
            title = p.get("title") or p.get("name") or ""
            body = p.get("body")
            holders = [h for h in p.get("holders") or [] if h]
            members = [m for m in p.get("members") or [] if m]
            if p.get("kind") == "工作组":
                for h in holders:
                    add("group_lead", title, h)
                for m in members:
                    add("group_member", title, m)
            elif title.endswith("办公室"):
                for h in holders:
                    add("office", title, h)
            else:
                for h in holders:
                    add("role", title, h)
                    if p.get("role") == "组长" and _is_group(body):
                        add("group_lead", body, h)
                for m in members:
                    if _is_group(body):
                        add("group_member", body, m)
                    else:
                        add("role", f"{body or title}成员", m)
            for item in re.split(r"[；;]", p.get("duty") or ""):
                add("duty", title, item.strip().rstrip("。"))
        elif n.label == "SeverityLevel":
            for metric, name in _METRIC.items():
                lo, hi = p.get(f"{metric}_min"), p.get(f"{metric}_max")
                if lo is not None or hi is not None:
                    add("threshold", p.get("level"), f"{name}:{lo}-{hi}", level=p.get("level"),
                        metric=name, min=lo, max=hi)
        elif n.label == "ResponseLevel":
            level = p.get("label") or p.get("level")
            whos = list(p.get("starters") or [])
            if p.get("starter") and p["starter"] not in whos:
                whos.append(p["starter"])
            whos += [s.split("：", 1)[-1] for s in p.get("special_starts") or []]
            for who in whos:
                add("starter", level, who, rank=p.get("rank"))
            add("ender", level, p.get("ender"), rank=p.get("rank"))
        if p.get("deadline"):
            add("deadline", p.get("name") or p.get("text") or n.key, p["deadline"])
    for r in batch.relationships:
        p = r.props or {}
        end = nodes.get((r.end.label, r.end.key))
        if r.type == "LEADS":
            add("lead", r.end.key, r.start.key)
        elif r.type == "HAS_DUTY" and end is not None:
            add("duty", r.start.key, end.props.get("text"))
        elif r.type == "CITES" and not p.get("article"):
            add("cites", None, p.get("title") or r.end.key.removeprefix("title:"))
        elif r.type == "REFERS_TO":
            title = p.get("title") or r.end.key.removeprefix("title:")
            add("abolishes" if p.get("relation") == "repeals" else "cites", None, title)
        elif r.type == "SUPERSEDES":
            add("abolishes", None, r.end.key.removeprefix("title:"))
        elif r.type == "FILED_WITH":
            add("filed_with", None, r.end.key)
        if p.get("deadline"):
            add("deadline", r.start.key, p["deadline"])
    # one fact once (the same edge may be written from two sentences)
    seen, unique = set(), []
    for f in out:
        k = json.dumps(f, ensure_ascii=False, sort_keys=True, default=str)
        if k not in seen:
            seen.add(k)
            unique.append(f)
    return tuple(unique)


# ---------------------------------------------------------------- matching

_POST = re.compile(r"(副?(?:组长|主任|指挥长|总指挥)|成员|组员)$")


def same_post(a: str, b: str) -> bool:
    """"组长" is contained in "副组长": a post named at the end must be the same post."""
    x, y = _POST.search(norm(a)), _POST.search(norm(b))
    return not (x and y) or x.group(1) == y.group(1)


def matches(g: dict, e: dict) -> bool:
    rel = g["relation"]
    if rel == "threshold":
        return (g["level"] == e["level"] and g["metric"] == e["metric"]
                and g["min"] == e["min"] and g["max"] == e["max"])
    if rel not in DOC_LEVEL:
        gr, er = rank_of(g["subject"]), e.get("rank")
        if rel in ("starter", "ender") and gr and er:
            if gr != er:
                return False
        elif not (same(g["subject"], e["subject"]) and same_post(g["subject"], e["subject"])):
            return False
    return same(g["object"], e["object"])


def score() -> dict[str, dict]:
    by_doc: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for g in gold():
        by_doc[(g["doc"], g["relation"])].append(g)
    files = sorted({g["doc"] for g in gold()})
    table = {r: {"gold": 0, "found": 0, "hit_gold": 0, "hit_found": 0, "missed": [],
                 "spurious": [], "pairs": []} for r in RELATIONS}
    for file in files:
        ext = extracted(file)
        for rel in RELATIONS:
            gs = by_doc.get((file, rel), [])
            es = [e for e in ext if e["relation"] == rel]
            used: set[int] = set()
            for g in gs:
                hit = next((i for i, e in enumerate(es) if i not in used and matches(g, e)), None)
                if hit is not None:
                    used.add(hit)
                    table[rel]["hit_gold"] += 1
                    table[rel]["pairs"].append((file, g["subject"], g["object"],
                                                es[hit]["subject"], es[hit]["object"]))
                else:
                    table[rel]["missed"].append((file, g["subject"], g["object"]))
            for i, e in enumerate(es):
                if i not in used:
                    table[rel]["spurious"].append((file, e["subject"], e["object"]))
            table[rel]["gold"] += len(gs)
            table[rel]["found"] += len(es)
            table[rel]["hit_found"] += len(used)
    for row in table.values():
        row["precision"] = row["hit_found"] / row["found"] if row["found"] else None
        row["recall"] = row["hit_gold"] / row["gold"] if row["gold"] else None
    return table


def print_table(table: dict[str, dict]) -> None:
    fmt = lambda x: "  n/a" if x is None else f"{x:5.2f}"  # noqa: E731
    print(f"\n{'relation':<13}{'gold':>5}{'found':>6}{'hit':>5}{'P':>7}{'R':>7}")
    for rel, row in table.items():
        print(f"{rel:<13}{row['gold']:>5}{row['found']:>6}{row['hit_gold']:>5}"
              f"{fmt(row['precision']):>7}{fmt(row['recall']):>7}")
    g = sum(r["gold"] for r in table.values())
    f = sum(r["found"] for r in table.values())
    hg = sum(r["hit_gold"] for r in table.values())
    hf = sum(r["hit_found"] for r in table.values())
    print(f"{'all':<13}{g:>5}{f:>6}{hg:>5}{fmt(hf / f if f else None):>7}{fmt(hg / g):>7}")


# ---------------------------------------------------------------- tests

def test_gold_file_is_well_formed_and_its_evidence_is_verbatim():
    rows = gold()
    assert len(rows) >= 250
    assert len({r["id"] for r in rows}) == len(rows)
    texts = {p.name: p.read_text("utf-8") for p in REAL_DOCS.glob("*.txt")}
    for r in rows:
        assert r["relation"] in RELATIONS, r
        assert r["doc"] in texts, r
        assert r["subject"] and r["object"], r
        assert r["evidence"] in texts[r["doc"]], r["id"]
        if r["relation"] == "threshold":
            assert r["metric"] and r["level"] and (r["min"] is not None or r["max"] is not None), r
    assert {r["doc"] for r in rows} == set(texts)


def test_precision_and_recall_per_relation_do_not_drop():
    table = score()
    print_table(table)
    for rel, row in table.items():
        for x in row["missed"][:8]:
            print(f"  {rel} missed:", *x)
        for x in row["spurious"][:8]:
            print(f"  {rel} spurious:", *x)
    low = []
    for rel, (p_floor, r_floor) in FLOORS.items():
        p, r = table[rel]["precision"], table[rel]["recall"]
        if (p is not None and p < p_floor) or (r or 0.0) < r_floor:
            low.append(f"{rel}: P {p} < {p_floor} or R {r} < {r_floor}")
    assert not low, low
