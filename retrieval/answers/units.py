"""lead_unit, support_units and plan_for_incident: who leads, who supports, which plan.

The clause that answers is chosen by retrieval.answers.clauses (the incident's most specific
clause, a named plan's or named town's first); the clauses of other plans stating the same
lead are cited after it, most specific plan first, and plans naming a different lead for the
same incident are reported, not hidden.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from kg.store import GraphStore
from retrieval.answers import Query
from retrieval.answers import clauses as cl
from retrieval.contract import Answer, Citation, Entity, Fact

# A question that asks for units is never a plan question, even when it names the plan
# ("按道路交通预案谁牵头").
_ASKS_UNITS = r"谁|哪个单位|哪个部门|哪些单位|哪些部门|哪家|配合|协助|支援单位|参与单位"
ROUTES: list[tuple[str, str, int]] = [
    ("support_units", r"配合|协助|支援单位|参与单位|哪些单位参与|协同", 20),
    ("plan_for_incident",
     rf"^(?!.*(?:{_ASKS_UNITS}))(?:.*(?:(?:哪个|哪一个|什么|哪些|哪份|哪部)(?:应急)?(?:专项)?预案|预案吗"
     r"|适用.{0,6}预案|启动.{0,4}预案|按.{0,4}预案|依据.{0,4}预案|执行.{0,4}预案|预案还是|还是.{0,8}预案))",
     30),
    ("lead_unit", r"牵头|谁负责|谁管|哪个单位负责|哪个部门负责|主责|由谁|归谁|谁来处置|谁处置", 40),
]

_LEVEL_NAMES = {"专项": "专项预案", "总体": "总体预案", "部门": "部门预案", "街镇": "街镇预案"}


def answer(store: GraphStore, query: Query) -> Answer | None:
    if query.intent == "plan_for_incident":
        return plan_answer(store, query)
    return unit_answer(store, query, query.intent)


def source_rank(row: dict[str, Any], incident: str) -> int:
    """Which plan speaks first for an incident type: its own 专项预案, then the 总体预案, then
    other 专项, 部门 and 街镇 plans (a town plan governs its own area, not the district)."""
    c = cl.core(incident)
    level = row.get("level") or ""
    if level == "专项" and c and c in (row.get("title") or ""):
        return 0
    return {"总体": 1, "专项": 2, "部门": 3, "街镇": 4}.get(level, 5)


def _join(names: list[str]) -> str:
    return "、".join(names)


def _cite(c: cl.Clause) -> Citation:
    return Citation(doc_id=c.doc_id, title=c.title, section=c.section, quote=c.quote)


def _facts(items: list[cl.Clause]) -> list[Fact]:
    out: list[Fact] = []
    for c in items:
        for rel, orgs in (("LEADS", c.leads), ("SUPPORTS", c.supports)):
            for o in orgs:
                for i in c.incidents:
                    f = Fact(subject=o, relation=rel, object=i, doc_id=c.doc_id, section=c.section)
                    if f not in out:
                        out.append(f)
    return out


def unit_answer(store: GraphStore, query: Query, intent: str) -> Answer | None:
    """lead_unit / support_units from the clause that fits the question best, with the other
    plans' agreeing clauses as further sources and disagreeing ones named."""
    ctx = cl.context(store, query)
    if not (ctx.related or ctx.named or ctx.places):
        return None
    found = cl.gather(store, ctx)
    primary = cl.best(found, ctx, ctx.orgs if intent == "support_units" else None)
    if primary is None or (ctx.guessed and primary.words < 2):
        return None  # no incident named and no clause that speaks of the question's words
    name = cl.main_incident(primary, ctx)
    leads, supports = primary.leads, primary.supports
    if intent == "support_units":
        text = (f"{name}由{_join(leads)}牵头，{_join(supports)}等单位配合。" if supports
                else f"《{primary.title}》未写明{name}的配合单位，牵头单位为{_join(leads)}。")
    else:
        text = f"{name}由{_join(leads)}牵头处置" + (f"，{_join(supports)}等单位配合。" if supports else "。")
    also = cl.agreeing(primary, found, ctx)
    text += f"（依据：《{primary.title}》{primary.section}"
    if also:
        text += "；另见" + "、".join(f"《{c.title}》{c.section}" for c in also)
    text += "）"
    differ = cl.disagreeing(primary, found, ctx)
    if differ:
        shown = "；".join(f"《{c.title}》写的是{_join(c.leads)}牵头" for c in differ)
        text += f"注意：另有预案表述不同——{shown}，请核实适用范围。"
    used = [primary, *also, *differ]
    cl.widen(store, used)
    entities = [Entity(type="IncidentType", name=name)] + [
        e for e in query.entities if not (e.type == "IncidentType" and e.name == name)]
    return Answer(question=query.question, intent=intent, entities=entities, answer=text,
                  facts=_facts(used), citations=[_cite(c) for c in used])


# ------------------------------------------------------------------ plan_for_incident

@dataclass
class _Plan:
    """A plan the answer names: ingested (doc_id) or only referred to by title."""
    title: str
    doc_id: str | None = None
    level: str = ""
    section: str = ""
    cites: list[Citation] = field(default_factory=list)
    relation: str = "COVERS"


def _distinct(cites: list[Citation]) -> list[Citation]:
    """Citations in order, without one whose quote another of the same document contains."""
    out: list[Citation] = []
    for c in cites:
        if any(o.doc_id == c.doc_id and c.quote in o.quote for o in out):
            continue
        out = [o for o in out if not (o.doc_id == c.doc_id and o.quote in c.quote)] + [c]
    return out


def _strip_titles(text: str) -> str:
    return re.sub(r"《[^》]*》", "", text or "")


def _referral(refs: list[dict[str, Any]], ctx: cl.Context, known: set[str]
              ) -> tuple[float, int, dict[str, Any]] | None:
    """The "…执行/按照《X》处置" sentence that fits the question best (lists of bases are no
    referral): (its weight, question words it covers, the reference row). The weight counts
    only words beyond `known` (those the incident's own names account for): a referral
    decides when it speaks of the situation's particulars, not merely of the incident. On a
    tie, a sentence that only sends the case to a plan ("…，执行《X》") beats one that assigns a
    lead and names the plan as its basis ("按照《X》由A牵头"): that one is a unit clause."""
    best: tuple[float, int, dict[str, Any]] | None = None
    best_key: tuple[float, int, int] | None = None
    for r in refs:
        if r["relation"] != "REFERS_TO" or r.get("kind") != "refers":
            continue
        quote = r.get("quote") or ""
        if quote.count("《") >= 3 or not re.search(r"执行|按照|按|适用|依照", quote):
            continue
        hit = ctx.q & cl.grams(_strip_titles(quote))
        words: float = len(hit - known)
        if r["doc_id"] in ctx.named:
            words += 2  # the plan the question names sends this situation elsewhere
        target = r.get("resolved_doc_id")
        if target and target != r["doc_id"] and target in ctx.own:
            words += 2  # …to the linked incident's own plan
        key = (words, len(hit), 0 if "牵头" in quote else 1)
        if best_key is None or key > best_key:
            best, best_key = (words, len(hit), r), key
    return best


def _scope_lines(store: GraphStore, doc_id: str) -> list[tuple[str, str]]:
    """(section, line) of a plan's 适用范围 / 预案衔接 sections and their sub-sections."""
    secs = store.query("document_sections", doc_id=doc_id)
    roots = [s["path"] for s in secs if re.search(r"适用范围|预案衔接", s.get("heading") or "")
             or re.search(r"【适用范围】|^第[一二三四五六七八九十]+条\s*本预案适用", s.get("text") or "")]
    out = []
    for s in secs:
        path = s["path"] or ""
        if not any(path == r or path.startswith(r + "/") for r in roots):
            continue
        for line in (s.get("text") or "").split("\n"):
            line = line.strip()
            if len(line) >= 8 and line != (s.get("heading") or "") and not re.fullmatch(
                    r"[（(]?[一二三四五六七八九十\d.]+[）)、.]?\s*\S{0,6}", line):
                out.append((path, line))
    return out


def _scope_cite(store: GraphStore, p: _Plan, incident: str | None, ctx: cl.Context,
                position: bool = False) -> list[Citation]:
    """The line of the plan's scope that fits the question, else its first "本预案…" line; with
    `position`, also the line saying which plans it supports ("本预案是《…》的部门预案")."""
    lines = _scope_lines(store, p.doc_id) if p.doc_id else []
    if not lines:
        return []
    inc = ctx.surface_grams(incident) if incident else set()

    def fit(item: tuple[str, str]) -> float:
        g = cl.grams(_strip_titles(item[1]))
        return len(ctx.q & g) + 0.5 * len(inc & g)

    ranked = sorted(lines, key=lambda x: -fit(x))
    best = ranked[0]
    if fit(best) <= 0:
        best = next((x for x in lines if x[1].startswith("本预案")), lines[0])
    out = [Citation(doc_id=p.doc_id, title=p.title, section=best[0], quote=best[1])]
    if len(ranked) > 1 and fit(ranked[1]) >= 2 and ranked[1][0] != best[0]:  # e.g. the item (一)
        out.append(Citation(doc_id=p.doc_id, title=p.title, section=ranked[1][0],
                            quote=ranked[1][1]))
    where = next((x for x in lines if x[1].startswith("本预案是")), None) if position else None
    if where and where != best:
        out.append(Citation(doc_id=p.doc_id, title=p.title, section=where[0], quote=where[1]))
    return out


def plan_answer(store: GraphStore, query: Query) -> Answer | None:
    """plan_for_incident: the most specific plan first — the named place's own plan, a plan
    another plan's clause sends this situation to, the named unit's department plan, the
    incident's own special plan (named even when only referred to) — then related plans and
    the general plan above them."""
    ctx = cl.context(store, query)
    if not (ctx.related or ctx.named or ctx.places or cl.org_plans(query, list(ctx.plans.values()))):
        return None
    found = cl.gather(store, ctx) if (ctx.related or ctx.named or ctx.places) else []
    primary = cl.best(found, ctx) if found else None
    incident = cl.main_incident(primary, ctx) if primary else (ctx.linked[0] if ctx.linked else None)
    by_title = {pl.get("title"): d for d, pl in ctx.plans.items()}
    refs = [{**r, "relation": "REFERS_TO",
             "resolved_doc_id": r.get("target_doc_id") or by_title.get(r["referenced_title"])}
            for r in store.query("plan_referrals")]
    repealed = {r["referenced_title"] for r in refs if r.get("kind") == "repeals"}
    plans: OrderedDict[str, _Plan] = OrderedDict()

    def add(doc_id: str | None = None, title: str | None = None, cite: Citation | None = None,
            section: str = "", relation: str = "COVERS") -> None:
        if doc_id is None and title:
            doc_id = next((d for d, p in ctx.plans.items() if p.get("title") == title), None)
        if doc_id is not None:
            prof = ctx.plans.get(doc_id, {})
            title = prof.get("title") or title or doc_id
        if not title or title in repealed:
            return
        key = doc_id or f"title:{title}"
        p = plans.get(key)
        if p is None:
            p = plans[key] = _Plan(title=title, doc_id=doc_id,
                                   level=(ctx.plans.get(doc_id, {}).get("level") or "") if doc_id else "",
                                   section=section, relation=relation)
        if cite is not None and cite not in p.cites:
            p.cites.append(cite)
            p.section = p.section or cite.section

    if primary is not None:
        cl.widen(store, [primary, *[c for c in found if c.level == "总体"]])
    for d in ctx.places:
        add(d, cite=_cite(primary) if primary and primary.doc_id == d else None,
            section=primary.section if primary and primary.doc_id == d else "")
    if primary is not None:
        for r in refs:
            if (r["doc_id"], r["section"], r["quote"]) == (primary.doc_id, primary.section,
                                                            primary.quote) \
                    and r["relation"] == "REFERS_TO" and r.get("kind") in ("refers", "lists"):
                add(r.get("resolved_doc_id"), r["referenced_title"], cite=_cite(primary),
                    relation="REFERS_TO")
    known = set().union(*(ctx.named_grams(i) for i in primary.incidents)) if primary else set()
    ref = _referral(refs, ctx, known)
    ref_cite = None
    if ref:
        r = ref[2]
        ref_cite = Citation(doc_id=r["doc_id"], title=r["title"] or r["doc_id"],
                            section=r["section"] or "", quote=r["quote"])
        if ref[0] >= 2:
            add(r.get("resolved_doc_id"), r["referenced_title"], relation="REFERS_TO",
                cite=ref_cite)
            ref_cite = None
    for d in cl.org_plans(query, list(ctx.plans.values())):
        add(d)
    if incident:
        own = sorted((cl.own_plan(p.get("title") or "", incident, ctx), d)
                     for d, p in ctx.plans.items() if p.get("level") == "专项"
                     and cl.own_plan(p.get("title") or "", incident, ctx) >= 0)
        for _, d in own:
            add(d)
        if not own:  # the incident's own special plan, known only from other plans' references
            cores = [cl.core(n) for n in [incident, *ctx.lineage.get(incident, [])] if cl.core(n)]
            for r in refs:
                t = r["referenced_title"] or ""
                if not r.get("resolved_doc_id") and "专项" in t and any(c in t for c in cores):
                    add(None, t, relation="REFERS_TO",
                        cite=Citation(doc_id=r["doc_id"], title=r["title"] or r["doc_id"],
                                      section=r["section"] or "", quote=r["quote"]))
                    break
        lineage = [incident, *ctx.lineage.get(incident, [])]
        covering = [r for r in store.query("plans_for_incidents", incidents=lineage)
                    if r.get("level") == "专项"]
        for r in sorted(covering, key=lambda r: (lineage.index(r["incident"]), r["doc_id"])):
            add(r["doc_id"], section=r["section"] or "")
    if primary is not None:
        add(primary.doc_id, cite=_cite(primary), section=primary.section)
    if ref_cite is not None and ref[1] >= 3:  # a referral to a plan already named: a source
        r = ref[2]
        target = plans.get(r.get("resolved_doc_id") or "") or plans.get(f"title:{r['referenced_title']}")
        if target is not None and ref_cite not in target.cites:
            target.cites.insert(0, ref_cite)
    general = next((d for d, p in ctx.plans.items() if p.get("level") == "总体"), None)
    ordered = [p for k, p in plans.items() if k != general]
    if not ordered and general is None:
        return None
    if not ordered:
        ordered = [plans.get(general) or _Plan(title=ctx.plans[general]["title"], doc_id=general,
                                               level="总体")]
    first, related = ordered[0], ordered[1:5]

    for p in [first, *related[:1]]:
        if p.doc_id and (p is first or not p.cites):
            for c in _scope_cite(store, p, incident, ctx, position=p is first and p.level == "部门"):
                if c not in p.cites:
                    p.cites.append(c)
                    p.section = p.section or c.section
    if ordered and first.doc_id:  # the other plans' sentence sending this case to it
        head = first
        sends = [(len(ctx.q & cl.grams(_strip_titles(r["quote"] or ""))), r) for r in refs
                 if r.get("kind") == "refers" and r.get("resolved_doc_id") == head.doc_id
                 and r["doc_id"] != head.doc_id and (r["quote"] or "").count("《") < 3]
        if sends:
            hits, r = max(sends, key=lambda x: x[0])
            c = Citation(doc_id=r["doc_id"], title=r["title"] or r["doc_id"],
                         section=r["section"] or "", quote=r["quote"])
            if hits >= 3 and c not in head.cites:
                head.cites.append(c)
    name = incident or "该情形"
    kind = _LEVEL_NAMES.get(first.level, "预案") if first.doc_id else "未导入本系统"
    text = f"{name}适用《{first.title}》（{kind}" + (f"，{first.section}" if first.section else "") + "）"
    if related:
        text += "；相关预案：" + "、".join(
            f"《{p.title}》" + ("" if p.doc_id else "（未导入）") for p in related)
    cites = [c for p in [first, *related] for c in p.cites[:4 if p is first else 1]]
    if general and first.doc_id != general:
        text += f"；上级预案为《{ctx.plans[general]['title']}》"
        agree = [c for c in found if c.doc_id == general and primary is not None
                 and set(c.incidents) & cl.lineage_of(primary, ctx)]
        if agree:
            cites.append(_cite(sorted(agree, key=lambda c: -c.score)[0]))
    text += "。"
    citations = _distinct(cites)[:6]
    facts = [Fact(subject=p.title, relation=p.relation, object=name, doc_id=p.doc_id or p.title,
                  section=p.section) for p in [first, *related] if p.doc_id or p.cites]
    entities = [Entity(type="IncidentType", name=incident)] if incident else []
    entities += [e for e in query.entities if not (e.type == "IncidentType" and e.name == incident)]
    return Answer(question=query.question, intent="plan_for_incident", entities=entities,
                  answer=text, facts=facts, citations=citations)
