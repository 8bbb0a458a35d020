"""lead_unit, support_units and plan_for_incident: who leads, who supports, which plan."""
from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from kg.store import GraphStore
from retrieval.answers import Query
from retrieval.contract import Answer, Citation, Entity, Fact

ROUTES: list[tuple[str, str, int]] = [
    ("support_units", r"配合|协助|支援单位|参与单位|哪些单位参与|协同", 20),
    ("plan_for_incident",
     r"(?:哪个|哪一个|什么|哪些|哪份|哪部)(?:应急)?预案|预案吗|适用.{0,6}预案|启动.{0,4}预案|按.{0,4}预案|依据.{0,4}预案",
     30),
    ("lead_unit", r"牵头|谁负责|谁管|哪个单位负责|哪个部门负责|主责|由谁|归谁|谁来处置|谁处置", 40),
]


def answer(store: GraphStore, query: Query) -> Answer | None:
    incident = query.incident()
    if incident is None:
        return None
    if query.intent == "plan_for_incident":
        places = [e.name for e in query.all("Organization")]
        return plan_answer(store, query.question, incident,
                           query.gazetteer.categories.get(incident.name, []), places)
    return unit_answer(store, query.question, query.intent, incident)


def _cite(rows: list[dict[str, Any]]) -> list[Citation]:
    seen: OrderedDict[tuple[str, str, str], Citation] = OrderedDict()
    for r in rows:
        k = (r["doc_id"], r["section"], r["quote"])
        if k not in seen:
            seen[k] = Citation(doc_id=r["doc_id"], title=r["title"] or r["doc_id"],
                               section=r["section"], quote=r["quote"])
    return list(seen.values())


def _join(names: list[str]) -> str:
    return "、".join(names)


def _source(rows: list[dict[str, Any]]) -> str:
    seen: list[str] = []
    for r in rows:
        s = f"《{r['title'] or r['doc_id']}》{r['section']}"
        if s not in seen:
            seen.append(s)
    return "；".join(seen)


def source_rank(row: dict[str, Any], incident: str) -> int:
    """Which plan speaks first for an incident type: its own 专项预案, then the 总体预案, then
    other 专项, 部门 and 街镇 plans (a town plan governs its own area, not the district)."""
    core = re.sub(r"(?:突发)?(?:事故|事件|灾害)$", "", incident)
    level = row.get("level") or ""
    title = row.get("title") or ""
    if level == "专项" and core and core in title:
        return 0
    return {"总体": 1, "专项": 2, "部门": 3, "街镇": 4}.get(level, 5)


def unit_answer(store: GraphStore, question: str, intent: str, incident: Entity) -> Answer | None:
    """lead_unit / support_units: who leads and who supports, from the most specific plan.

    Other plans that name a different lead are reported after the answer (a duty officer must
    know the plans disagree) instead of being silently dropped or drowning the answer.
    """
    rows = store.query("units_for_incidents", incidents=[incident.name])
    if not rows:
        return None
    name = incident.name
    rows.sort(key=lambda r: (source_rank(r, name), r["doc_id"], r["section"]))
    by_doc: OrderedDict[str, dict[str, list[str]]] = OrderedDict()
    for r in rows:
        d = by_doc.setdefault(r["doc_id"], {"LEADS": [], "SUPPORTS": []})
        if r["org"] not in d[r["relation"]]:
            d[r["relation"]].append(r["org"])
    titles = {r["doc_id"]: r["title"] or r["doc_id"] for r in rows}
    primary = next((d for d, v in by_doc.items() if v["LEADS"]), next(iter(by_doc)))
    leads = by_doc[primary]["LEADS"]
    supports = [s for s in by_doc[primary]["SUPPORTS"] if s not in leads]
    used = [r for r in rows if r["doc_id"] == primary]
    if intent == "support_units":
        text = (f"{name}由{_join(leads)}牵头，{_join(supports)}等单位配合。" if supports
                else f"《{titles[primary]}》未写明{name}的配合单位，牵头单位为{_join(leads)}。")
    else:
        text = f"{name}由{_join(leads)}牵头处置" + (
            f"，{_join(supports)}等单位配合。" if supports else "。")
    text += f"（依据：{_source(used)}）"
    others = [(d, v["LEADS"]) for d, v in by_doc.items()
              if d != primary and v["LEADS"] and not set(v["LEADS"]) <= set(leads)]
    if others:
        shown = "；".join(f"《{titles[d]}》写的是{_join(ls)}牵头" for d, ls in others[:3])
        more = f"等{len(others)}份预案" if len(others) > 3 else ""
        text += f"注意：另有预案表述不同——{shown}{more}，请核实适用范围。"
        used += [r for r in rows if r["doc_id"] in {d for d, _ in others[:3]} and r["relation"] == "LEADS"]
    facts, seen = [], set()
    for r in used:
        key = (r["org"], r["relation"], r["doc_id"], r["section"])
        if key not in seen:
            seen.add(key)
            facts.append(Fact(subject=r["org"], relation=r["relation"], object=r["incident"],
                              doc_id=r["doc_id"], section=r["section"]))
    return Answer(question=question, intent=intent, entities=[incident], answer=text,
                  facts=facts, citations=_cite(used))


_LEVEL_NAMES = {"专项": "专项预案", "总体": "总体预案", "部门": "部门预案", "街镇": "街镇预案"}


def plan_answer(store: GraphStore, question: str, incident: Entity, categories: list[str],
                places: list[str]) -> Answer | None:
    """plan_for_incident: the most specific plan first (the place's own plan when the question
    names a street or town, then the incident's own special plan), then the plans above it."""
    name = incident.name
    rows = store.query("plans_for_incidents", incidents=[name, *categories])
    if not rows:
        return None

    def rank(r: dict[str, Any]) -> tuple:
        own = r["incident"] == name
        place = any(p in (r["title"] or "") for p in places)
        return (not place, source_rank(r, name) if own else 10 + source_rank(r, r["incident"]),
                r["doc_id"])

    rows.sort(key=rank)
    best: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for r in rows:
        best.setdefault(r["doc_id"], r)
    plans = list(best.values())
    first = plans[0]
    general = [p for p in plans if p.get("level") == "总体"]
    others = [p for p in plans[1:] if p not in general]
    text = (f"{name}适用《{first['title']}》（{_LEVEL_NAMES.get(first.get('level') or '', '预案')}，"
            f"{first['section']}）")
    if others:
        text += "；相关预案：" + "、".join(f"《{p['title']}》" for p in others[:4])
    if general and first not in general:
        text += f"；上级预案为《{general[0]['title']}》"
    text += "。"
    used = [first, *others[:4], *general[:1]]
    facts = [Fact(subject=p["title"] or p["doc_id"], relation="COVERS", object=p["incident"],
                  doc_id=p["doc_id"], section=p["section"]) for p in used]
    return Answer(question=question, intent="plan_for_incident", entities=[incident],
                  answer=text, facts=facts, citations=_cite(used))
