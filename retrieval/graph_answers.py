"""Answers read from graph facts, each sentence cited to the clause it came from."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

from kg.store import GraphStore
from retrieval.contract import Answer, Citation, Entity, Fact


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


def unit_answer(store: GraphStore, question: str, intent: str, incident: Entity) -> Answer | None:
    """lead_unit / support_units: who leads and who supports, per source document.

    When documents disagree on the lead, the answer says so and names each document's lead
    instead of silently picking one.
    """
    rows = store.query("units_for_incidents", incidents=[incident.name])
    if not rows:
        return None
    by_doc: OrderedDict[str, dict[str, list[str]]] = OrderedDict()
    for r in rows:
        d = by_doc.setdefault(r["doc_id"], {"LEADS": [], "SUPPORTS": []})
        if r["org"] not in d[r["relation"]]:
            d[r["relation"]].append(r["org"])
    titles = {r["doc_id"]: r["title"] or r["doc_id"] for r in rows}
    name = incident.name
    lead_sets = {tuple(v["LEADS"]) for v in by_doc.values() if v["LEADS"]}
    supports: list[str] = []
    for v in by_doc.values():
        supports += [s for s in v["SUPPORTS"] if s not in supports]
    if len(lead_sets) <= 1:
        leads = list(next(iter(lead_sets), ()))
        supports = [s for s in supports if s not in leads]
        if intent == "support_units":
            text = (f"{name}由{_join(leads)}牵头，配合单位为{_join(supports)}。" if supports
                    else f"预案中未写明{name}的配合单位，牵头单位为{_join(leads)}。")
        else:
            text = f"{name}由{_join(leads)}牵头处置" + (
                f"，{_join(supports)}等单位配合。" if supports else "。")
    else:
        parts = [f"《{titles[d]}》规定由{_join(v['LEADS'])}牵头" for d, v in by_doc.items()
                 if v["LEADS"]]
        text = f"各预案对{name}的牵头单位表述不一致：" + "；".join(parts) + "。请以现行有效预案为准并核实。"
        if supports:
            text += f"配合单位包括{_join(supports)}。"
    text += f"（依据：{_source(rows)}）"
    wanted = ("LEADS", "SUPPORTS")
    facts = [Fact(subject=r["org"], relation=r["relation"], object=r["incident"],
                  doc_id=r["doc_id"], section=r["section"]) for r in rows if r["relation"] in wanted]
    return Answer(question=question, intent=intent, entities=[incident], answer=text,
                  facts=facts, citations=_cite(rows))
