"""Lead-unit conflicts: two plans name different units to lead the same incident type.

A plan's statement ("危险化学品事故由区应急管理局牵头，区公安分局配合") is its LEADS and SUPPORTS
facts sharing one quote; its principal lead is the lead named first ("A会同B牵头" is led by A).
Each incident type has a reference principal: the one stated by the highest plan in the
hierarchy (总体 > 专项 > 部门 > 街镇), the most plans breaking ties. A statement conflicts with a
reference statement when it does not make the reference principal lead at all (demotes it to a
supporting unit or leaves it out); a co-lead arrangement that keeps it ("B会同A牵头") does not.

Not compared: statements that hand the case to another plan ("按照《……预案》由……牵头") and
statements giving several units their own parts ("分别由……牵头", a remit in brackets).
A subtype with its own lead ("医疗机构实验室……由区卫生健康委牵头") is the normal way plans narrow a
parent type, so statements are compared within one incident type; the parent type is consulted
only for a statement that departs from its own type's reference without a same-type partner.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from kg.checks.engine import CheckContext, Rule
from kg.checks.model import Finding
from kg.checks.text import book, norm, plan_rank

_DELEGATES = re.compile(r"《[^》]*(?:预案|方案)》")
_DISTRIBUTIVE = re.compile(r"分别(?:由|牵头|负责)|各自职责")


@dataclass
class Statement:
    doc_id: str
    section: str
    quote: str
    incident: str
    ancestors: list[str]
    leads: dict[str, int] = field(default_factory=dict)  # org -> position named in the quote
    supports: set[str] = field(default_factory=set)
    scoped: bool = False

    @property
    def principal(self) -> str:
        return min(self.leads.items(), key=lambda kv: (kv[1], kv[0]))[0]


def _position(quote: str, org: str, props: dict, fact_props: dict) -> int:
    q = norm(quote)
    names = [org, *(props.get("aliases") or []), fact_props.get("org_surface") or ""]
    hits = [q.find(norm(n)) for n in names if n and norm(n) in q]
    return min(hits) if hits else 10 ** 6


def statements(ctx: CheckContext) -> list[Statement]:
    by_key: dict[tuple, Statement] = {}
    for f in ctx.facts.of_type("LEADS", "SUPPORTS"):
        if f.start_label != "Organization" or f.end_label != "IncidentType":
            continue
        if ctx.facts.doc(f.doc_id).kind != "plan":
            continue
        key = (f.doc_id, f.section, f.quote, f.end)
        st = by_key.get(key)
        if st is None:
            st = by_key[key] = Statement(doc_id=f.doc_id, section=f.section, quote=f.quote,
                                         incident=f.end,
                                         ancestors=list(f.end_props.get("categories") or []))
        if f.type == "LEADS":
            st.leads[f.start] = _position(f.quote, f.start, f.start_props, f.props)
            st.scoped = st.scoped or bool(f.props.get("scope"))
        else:
            st.supports.add(f.start)
    return [s for s in by_key.values() if s.leads and not s.scoped
            and not _DELEGATES.search(s.quote) and not _DISTRIBUTIVE.search(s.quote)]


def _conflict(s: Statement, ref: Statement) -> bool:
    """`s` departs from the reference statement: the reference's principal lead is not among
    the units `s` makes lead (it is demoted to supporter or left out)."""
    return s.principal != ref.principal and ref.principal not in s.leads


def reference_principal(ctx: CheckContext, sts: list[Statement]) -> str:
    """The principal of the highest plans stating it, the most plans breaking ties."""
    best: dict[str, tuple[int, int]] = {}
    docs: dict[str, set[str]] = defaultdict(set)
    for s in sts:
        docs[s.principal].add(s.doc_id)
        rank = plan_rank(ctx.facts.doc(s.doc_id).level)
        best[s.principal] = min(best.get(s.principal, (99, 0)), (rank, 0))
    return min(best, key=lambda p: (best[p][0], -len(docs[p]), p))


def lead_conflicts(ctx: CheckContext) -> Iterator[Finding]:
    by_incident: dict[str, list[Statement]] = defaultdict(list)
    for s in statements(ctx):
        by_incident[s.incident].append(s)
    refs = {inc: reference_principal(ctx, sts) for inc, sts in by_incident.items()}
    for incident, sts in sorted(by_incident.items()):
        ref = refs[incident]
        reference = [s for s in sts if s.principal == ref]
        deviating: dict[str, list[tuple[Statement, list[Statement]]]] = defaultdict(list)
        for s in sts:
            if s.principal == ref:
                continue
            against = [r for r in reference if r.doc_id != s.doc_id and _conflict(s, r)]
            if not against:  # e.g. a plan disagreeing only with itself
                parent = next((a for a in s.ancestors if a in by_incident), None)
                if parent:
                    against = [p for p in by_incident[parent] if p.principal == refs[parent]
                               and p.doc_id != s.doc_id and _conflict(s, p)]
            if against:
                deviating[s.doc_id].append((s, against))
        for doc_id, pairs in deviating.items():
            yield _finding(ctx, incident, doc_id, pairs)


def _finding(ctx: CheckContext, incident: str, doc_id: str,
             pairs: list[tuple[Statement, list[Statement]]]) -> Finding:
    own = list(dict.fromkeys((s.section, s.quote) for s, _ in pairs))
    others: dict[tuple, Statement] = {}
    for _, against in pairs:
        for r in against:
            others.setdefault((r.doc_id, r.section, r.quote), r)
    ranked = sorted(others.values(),
                    key=lambda r: (plan_rank(ctx.facts.doc(r.doc_id).level), r.doc_id, r.section))
    first_per_doc = list({r.doc_id: r for r in reversed(ranked)}.values())[::-1]
    d = ctx.facts.doc(doc_id)
    s0, r0 = pairs[0][0], ranked[0]
    clauses = [ctx.clause(doc_id, sec, q, role="本预案") for sec, q in own[:4]]
    clauses += [ctx.clause(r.doc_id, r.section, r.quote, role="对照预案") for r in first_per_doc[:3]]
    other_titles = "、".join(book(ctx.facts.doc(r.doc_id).title) or r.doc_id
                             for r in first_per_doc[:3])
    demoted = "，并把对方的牵头单位列为配合单位" if r0.principal in s0.supports else ""
    return Finding(
        rule="lead_conflict", severity="error", subject=incident,
        title=f"{incident}：{book(d.title) or doc_id}与{other_titles}牵头单位不一致",
        explanation=(f"对“{incident}”，{book(d.title) or doc_id}规定由{s0.principal}牵头{demoted}；"
                     f"{other_titles}规定由{r0.principal}牵头。同一类事件牵头单位不一致，"
                     "值班时无法确定由谁牵头，应按上级预案统一规定并修改相应条款。"),
        clauses=clauses)


RULES = [Rule(name="lead_conflict", title="牵头单位冲突", severity="error",
              description="两份现行预案对同一事件类型规定了不同的牵头单位（已考虑“（道路）”等职责范围"
                          "和“按照各自职责分别牵头”的写法）。",
              run=lead_conflicts)]
