"""Duty gaps between plans and the four-class lists (四类清单) of the same unit.

duty_missing_in_list: a plan makes a unit lead an incident type, or the unit's own department
plan gives it a duty, and the unit's 责任清单 has no matching row. list_duty_without_plan: a
责任清单 row of a unit is about an incident type for which no plan gives that unit any role.

Matching goes through the graph (ABOUT facts, incident types with their non-root parents and
subtypes, incident names and aliases found in the text). Embeddings give the closest text on
the other side and its cosine similarity, shown in the finding; they decide alone only for a
department-plan duty that names no incident type (a duty naming one is missing when the list
never mentions that type). Without an embedder only the graph is used.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from kg.checks.engine import CheckContext, Rule
from kg.checks.model import Fact, Finding
from kg.checks.text import book, norm, plan_rank

# Cosine similarity (multilingual-e5-small, passage prompts) at or above which two duty texts
# are taken as the same duty. e5 similarities are compressed (unrelated Chinese duty sentences
# of one unit score 0.85–0.91), so the threshold is high; each finding shows its value.
SAME_DUTY_MIN = 0.915
_RESPONSE_WORDS = re.compile(r"牵头|处置|应急|应对|救援|先期")
_TYPE_SUFFIX = re.compile(r"(?:突发)?(?:事故|事件|灾害)$")


@dataclass
class _Vocab:
    names: dict[str, str] = field(default_factory=dict)  # surface -> incident type
    relatives: dict[str, set[str]] = field(default_factory=dict)
    pattern: re.Pattern | None = None

    def find(self, text: str) -> set[str]:
        if self.pattern is None:
            return set()
        return {self.names[m.group(0)] for m in self.pattern.finditer(norm(text))}

    def related(self, a: str, b: str) -> bool:
        return b in self.relatives.get(a, {a})


def _vocab(ctx: CheckContext) -> _Vocab:
    v = _Vocab()
    ancestors: dict[str, set[str]] = {}
    aliases: dict[str, set[str]] = defaultdict(set)
    for f in ctx.facts.facts:
        for label, key, props in ((f.start_label, f.start, f.start_props),
                                  (f.end_label, f.end, f.end_props)):
            if label == "IncidentType":
                ancestors.setdefault(key, set()).update(props.get("categories") or [])
                aliases[key].update(props.get("aliases") or [])
    parent = {r.name: r.parent for r in ctx.reference.incident_types}
    for r in ctx.reference.incident_types:
        aliases[r.name].update(r.aliases)
        chain, p = set(), r.parent
        while p and p not in chain:
            chain.add(p)
            p = parent.get(p)
        ancestors.setdefault(r.name, set()).update(chain)
    roots = {k for k, a in ancestors.items() if not a}
    for k, a in ancestors.items():
        if k in roots:
            continue
        rel = {k} | (a - roots) | {c for c, ca in ancestors.items() if k in ca and c not in roots}
        v.relatives[k] = rel
        for s in {k, _TYPE_SUFFIX.sub("", k), *aliases[k]}:
            if len(norm(s)) >= 2:
                v.names.setdefault(norm(s), k)
    if v.names:
        keys = sorted(v.names, key=len, reverse=True)
        v.pattern = re.compile("|".join(map(re.escape, keys)))
    return v


def _text(f: Fact) -> str:
    p = f.end_props
    body = p.get("content") or p.get("text") or f.quote
    return f"{p['name']}：{body}" if p.get("name") and p.get("content") else body


def _incidents(f: Fact, about: dict[str, set[str]], vocab: _Vocab, text: str) -> set[str]:
    return {i for i in about.get(f.end, set()) | vocab.find(text) if i in vocab.relatives}


def _about(ctx: CheckContext) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for f in ctx.facts.of_type("ABOUT"):
        if f.end_label == "IncidentType":
            out[f.start].add(f.end)
    return out


def _names(f: Fact) -> list[str]:
    return [f.start, *(f.start_props.get("aliases") or [])]


class _Similarity:
    """Best cosine similarity of a text to a set of texts, embedded once each (in batches)."""

    def __init__(self, embedder, texts: list[str] = ()):
        self.embedder = embedder
        self.cache: dict[str, np.ndarray] = {}
        if texts:
            self._vectors(list(texts))

    def _vectors(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            for t, v in zip(todo, self.embedder.encode_passages(todo)):
                self.cache[t] = np.asarray(v, dtype=np.float32)
        return np.stack([self.cache[t] for t in texts])

    def best(self, text: str, others: list[str]) -> tuple[float, int]:
        if not others:
            return 0.0, -1
        sims = self._vectors(others) @ self._vectors([text])[0]
        j = int(np.argmax(sims))
        return float(sims[j]), j


def _list_rows(ctx: CheckContext) -> dict[str, list[Fact]]:
    rows: dict[str, list[Fact]] = defaultdict(list)
    for f in ctx.facts.of_type("HAS_DUTY"):
        if ctx.facts.doc(f.doc_id).kind == "duty_list" and f.start_label == "Organization":
            rows[f.start].append(f)
    return rows


def missing_in_lists(ctx: CheckContext) -> Iterator[Finding]:
    rows = _list_rows(ctx)
    if not rows:
        return
    vocab, about = _vocab(ctx), _about(ctx)
    covered: dict[str, set[str]] = defaultdict(set)  # unit -> incident types its list mentions
    for org, fs in rows.items():
        for f in fs:
            covered[org] |= _incidents(f, about, vocab, _text(f))
    candidates: dict[tuple[str, str], list[tuple[Fact, str]]] = defaultdict(list)
    disputed = _disputed_leads(ctx)
    for f in ctx.facts.of_type("LEADS"):
        if (f.doc_id, f.quote, f.end) in disputed:
            continue  # a lead another plan contradicts: reported as lead_conflict, not here
        if f.start in rows and ctx.facts.doc(f.doc_id).kind == "plan" and f.end in vocab.relatives:
            if not any(vocab.related(f.end, c) for c in covered[f.start]):
                candidates[(f.start, f.end)].append((f, f.quote))
    for f in ctx.facts.of_type("HAS_DUTY"):
        d = ctx.facts.doc(f.doc_id)
        if (f.start in rows and d.kind == "plan" and plan_rank(d.level) == 2
                and any(n and n in d.title for n in _names(f))):  # the unit's own plan
            named = vocab.find(_text(f)) & set(vocab.relatives)
            if named and any(vocab.related(i, c) for i in named for c in covered[f.start]):
                continue  # the list has the incident type this duty names
            if named or ctx.embedder is not None:
                candidates[(f.start, f"{f.doc_id}#{f.section}")].append((f, _text(f)))
    sim = None
    if ctx.embedder is not None and candidates:
        needed = [t for org, _ in candidates for t in map(_text, rows[org])]
        sim = _Similarity(ctx.embedder, needed + [t for fs in candidates.values() for _, t in fs])
    for (org, subject), facts in candidates.items():
        facts.sort(key=lambda x: (plan_rank(ctx.facts.doc(x[0].doc_id).level), x[0].doc_id))
        f, text = facts[0]
        score, match = None, None
        if sim is not None:
            texts = [_text(r) for r in rows[org]]
            score, j = sim.best(text, texts)
            if f.type == "HAS_DUTY" and not vocab.find(text) and score >= SAME_DUTY_MIN:
                continue  # no incident type to go by: the closest list row is the same duty
            match = rows[org][j]
        yield _missing_finding(ctx, org, subject if f.type == "LEADS" else "", facts, rows[org],
                               score, match)


def _disputed_leads(ctx: CheckContext) -> set[tuple[str, str, str]]:
    """(doc, quote, incident) of lead statements departing from their incident's reference."""
    from kg.checks.leads import reference_principal, statements

    by_incident: dict[str, list] = defaultdict(list)
    for st in statements(ctx):
        by_incident[st.incident].append(st)
    out = set()
    for incident, sts in by_incident.items():
        ref = reference_principal(ctx, sts)
        out |= {(st.doc_id, st.quote, incident) for st in sts if st.principal != ref}
    return out


def _missing_finding(ctx, org, incident, facts, list_rows, score, match) -> Finding:
    f = facts[0][0]
    lists = list(dict.fromkeys(r.doc_id for r in list_rows))
    list_title = book(ctx.facts.doc(lists[0]).title) if lists else ""
    what = f"牵头处置“{incident}”" if incident else f"“{facts[0][1]}”"
    clauses = [ctx.clause(x.doc_id, x.section, x.quote, role="预案职责") for x, _ in facts[:3]]
    if match is not None:
        clauses.append(ctx.clause(match.doc_id, match.section, match.quote, role="清单中最接近的事项"))
    sim_note = f"清单中语义最接近的事项相似度仅 {score:.2f}。" if score is not None else ""
    return Finding(
        rule="duty_missing_in_list", severity="warning", subject=f"{org}：{incident or f.section}",
        title=f"{org}的预案职责在责任清单中没有对应事项",
        explanation=(f"{book(ctx.facts.doc(f.doc_id).title)}规定{org}{what}，但{org}的责任清单"
                     f"{list_title}中没有对应事项。{sim_note}应在责任清单中补充该职责，使清单与预案衔接。"),
        clauses=clauses, similarity=score)


def list_without_plan(ctx: CheckContext) -> Iterator[Finding]:
    rows = _list_rows(ctx)
    if not rows:
        return
    vocab, about = _vocab(ctx), _about(ctx)
    roles: dict[str, set[str]] = defaultdict(set)  # unit -> incident types plans give it
    plan_texts: dict[str, list[Fact]] = defaultdict(list)
    for f in ctx.facts.of_type("LEADS", "SUPPORTS", "HAS_DUTY"):
        if ctx.facts.doc(f.doc_id).kind != "plan" or f.start_label != "Organization":
            continue
        plan_texts[f.start].append(f)
        if f.type == "HAS_DUTY":
            roles[f.start] |= _incidents(f, about, vocab, _text(f))
        elif f.end in vocab.relatives:
            roles[f.start].add(f.end)
    candidates = []
    for org, fs in sorted(rows.items()):
        for f in fs:
            text = _text(f)
            if f.end_props.get("list_kind") not in (None, "责任清单") or \
                    not _RESPONSE_WORDS.search(text):
                continue
            incidents = _incidents(f, about, vocab, text)
            if not incidents or any(vocab.related(i, r) for i in incidents for r in roles[org]):
                continue
            candidates.append((org, f, text, incidents))
    sim = None
    if ctx.embedder is not None and candidates:
        needed = [p.quote for org, *_ in candidates for p in plan_texts[org]]
        sim = _Similarity(ctx.embedder, needed + [t for _, _, t, _ in candidates])
    for org, f, text, incidents in candidates:
        score, match = None, None
        if sim is not None and plan_texts[org]:  # shown, not decisive: the graph decided
            score, j = sim.best(text, [p.quote for p in plan_texts[org]])
            match = plan_texts[org][j]
        yield _without_plan_finding(ctx, org, sorted(incidents), f, score, match)


def _without_plan_finding(ctx, org, incidents, row, score, match) -> Finding:
    names = "、".join(incidents)
    leads = [x for x in ctx.facts.of_type("LEADS") if x.end in incidents
             and ctx.facts.doc(x.doc_id).kind == "plan"]
    leads.sort(key=lambda x: (plan_rank(ctx.facts.doc(x.doc_id).level), x.doc_id))
    clauses = [ctx.clause(row.doc_id, row.section, row.quote, role="清单事项")]
    if leads:
        clauses.append(ctx.clause(leads[0].doc_id, leads[0].section, leads[0].quote,
                                  role="预案规定"))
    elif match is not None:
        clauses.append(ctx.clause(match.doc_id, match.section, match.quote, role="预案中最接近的职责"))
    lead_note = f"预案规定“{names}”由{leads[0].start}牵头，" if leads else ""
    sim_note = f"预案中与该事项语义最接近的{org}职责相似度仅 {score:.2f}。" if score is not None else ""
    return Finding(
        rule="list_duty_without_plan", severity="warning", subject=f"{org}：{names}",
        title=f"{org}责任清单中关于“{names}”的事项没有预案依据",
        explanation=(f"{org}的责任清单写有关于“{names}”的职责，但{lead_note}没有任何预案给{org}"
                     f"分配这类事件的牵头或配合职责。{sim_note}应在相关预案中补充{org}的职责，或从清单中删除。"),
        clauses=clauses, similarity=score)


RULES = [
    Rule(name="duty_missing_in_list", title="预案职责未列入清单", severity="warning",
         description="预案规定某单位牵头的事件类型或该单位部门预案中的职责，在其责任清单中没有对应事项"
                     "（图谱中的事件类型关联加语义相似度）。",
         run=missing_in_lists),
    Rule(name="list_duty_without_plan", title="清单职责无预案依据", severity="warning",
         description="责任清单中关于某类事件的事项，没有任何预案给该单位分配这类事件的职责。",
         run=list_without_plan),
]
