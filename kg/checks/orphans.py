"""Orphans: an incident type of the taxonomy that no plan covers, and a hazard (risk source)
that no expert field serves.

An incident type counts as covered when a plan covers it, names a lead for it, or does so for
one of its non-root parent types (a plan for 拥挤踩踏事件 covers its 商圈 subtype). A hazard is
served when a field lists it, or lists one of the incident types the hazard belongs to, in the
field table or in the graph (RELEVANT_TO facts of the expert roster).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from kg.checks.engine import CheckContext, Rule
from kg.checks.model import Clause, Finding, TableRow
from kg.checks.text import book, full_sentences, plan_rank, sentences

_CATCH_ALL = re.compile(r"(?:未列明|未明确|未规定)[^。；]{0,12}(?:突发)?事件")


def _row_clause(row: TableRow, title: str) -> Clause:
    return Clause(doc_id=row.table, title=title, path=row.table, section=f"第{row.line}行",
                  quote=row.raw, role="分类表")


def orphan_incident_types(ctx: CheckContext) -> Iterator[Finding]:
    rows = ctx.reference.incident_types
    if not rows:
        return
    parent = {r.name: r.parent for r in rows}
    catch_all = _catch_all(ctx)
    covered = {f.end for f in ctx.facts.of_type("COVERS", "LEADS")
               if f.end_label == "IncidentType" and ctx.facts.doc(f.doc_id).kind == "plan"}
    for r in rows:
        if not r.parent:
            continue  # a root category (自然灾害 …) is the general plan's business by definition
        chain, name, seen = [], r.name, set()
        while name and name not in seen and parent.get(name):  # the type and non-root parents
            chain.append(name)
            seen.add(name)
            name = parent.get(name)
        if any(n in covered for n in chain):
            continue
        yield Finding(
            rule="orphan_incident_type", severity="warning", subject=r.name,
            title=f"事件类型“{r.name}”没有预案覆盖",
            explanation=(f"事件分类表列有“{r.name}”（上级类别：{r.parent}），但没有任何预案覆盖它或规定"
                         "它的牵头单位，只能适用总体预案的兜底条款"
                         + (f"（“{catch_all.quote}”）" if catch_all else "") +
                         "。应在预案中明确牵头部门和配合单位，或编制专项处置方案。"),
            clauses=[_row_clause(r, "事件分类表")] + ([catch_all] if catch_all else []))


def _catch_all(ctx: CheckContext) -> Clause | None:
    """The top plan's sentence for incidents it does not list (未列明的其他突发事件……)."""
    tops = sorted((s for s in ctx.facts.sections if ctx.facts.doc(s.doc_id).kind == "plan"),
                  key=lambda s: (plan_rank(ctx.facts.doc(s.doc_id).level), s.doc_id, s.ord))
    for sec in tops:
        if plan_rank(ctx.facts.doc(sec.doc_id).level) != 0:
            break
        for q in full_sentences(sec.text):  # the whole rule, with who decides when unclear
            if _CATCH_ALL.search(q):
                return ctx.clause(sec.doc_id, sec.path, q, role="兜底条款")
    return None


def _field_list(ctx: CheckContext) -> Clause | None:
    """The sentence that sets up the expert fields (专家库按照以下专业领域设置：……): the ingested
    sentence naming the most fields of the field table, at least three and a third of them, a
    regulation's before a plan's."""
    names = [f.name for f in ctx.reference.fields if len(f.name) >= 2]
    if len(names) < 3:
        return None
    need = max(3, len(names) // 3)
    best: tuple[tuple[int, int], str, str, str] | None = None
    for sec in ctx.facts.sections:
        kind = ctx.facts.doc(sec.doc_id).kind
        if kind not in ("regulation", "plan"):
            continue
        for _, q in sentences(sec.text):
            hits = sum(n in q for n in names)
            key = (hits, kind == "regulation")
            if hits >= need and (best is None or key > best[0]):
                best = (key, sec.doc_id, sec.path, q)
    return ctx.clause(best[1], best[2], best[3], role="专家领域设置") if best else None


def hazards_without_experts(ctx: CheckContext) -> Iterator[Finding]:
    hazards = ctx.reference.hazards
    if not hazards or not ctx.reference.fields:
        return
    served_h, served_i = set(), set()
    for f in ctx.reference.fields:
        served_h |= set(f.hazards)
        served_i |= set(f.incident_types)
    for f in ctx.facts.of_type("RELEVANT_TO"):
        (served_h if f.end_label == "Hazard" else served_i).add(f.end)
    field_list = None
    for h in hazards:
        if h.name in served_h or set(h.incident_types) & served_i:
            continue
        types = "、".join(h.incident_types) or "无"
        field_list = field_list or _field_list(ctx)
        yield Finding(
            rule="hazard_without_expert", severity="warning", subject=h.name,
            title=f"风险源“{h.name}”没有对口的专家领域",
            explanation=(f"风险源分类表列有“{h.name}”（对应事件类型：{types}），但没有任何专家领域适用于"
                         "该风险源或其事件类型"
                         + (f"（{book(field_list.title)}设置的专业领域中没有对口领域）" if field_list else "")
                         + "，发生事件时无法从专家库检索到对口专家。应补充遴选该领域专家，"
                         "并在专业领域表中登记。"),
            clauses=[_row_clause(h, "风险源分类表")] + ([field_list] if field_list else []))


RULES = [
    Rule(name="orphan_incident_type", title="无预案覆盖的事件类型", severity="warning",
         description="事件分类表中的事件类型（及其非顶层上级类型）没有任何预案覆盖或规定牵头单位。",
         run=orphan_incident_types),
    Rule(name="hazard_without_expert", title="无专家领域的风险源", severity="warning",
         description="风险源分类表中的风险源没有任何专家领域适用于它或它的事件类型。",
         run=hazards_without_experts),
]
