"""resource: which team, material store, equipment or shelter, where it is and how much of it
(物资、队伍、装备、避难场所…), from the plans' 保障 chapters and the Resource facts in them.

Every line (a sentence or a table row) of a plan's 保障 chapter is a candidate; the one sharing
most of the question's own words answers, quoted verbatim. A line of the plan of the place the
question names, or of the incident's own plan, is preferred. The Resource nodes that line
states (name, kind, location, capacity, the unit that manages it) come with the answer. When
no line shares enough words the graph has no answer and the passages answer instead.
"""
from __future__ import annotations

import re
from typing import Any

from kg.store import GraphStore
from retrieval.answers import Query
from retrieval.answers import clauses as cl
from retrieval.contract import Answer, Citation, Entity, Fact

_NOUNS = (r"物资|装备|器材|储备|队伍|救援队|抢险队|抢修队|消防队|消防站|救援站|救援力量|避难场所|安置点|"
          r"安置|避难|供水车|发电车|清障|登高|呼吸器|防化服|沙袋|挡水板|移动泵|排水泵|三脚架|快检车|"
          r"热线|值班电话|定点医院|医院|设备|车辆?")
_ASKS = (r"在哪|哪里|哪儿|多少|几[台辆个支套人顶张处吨]|有没有|可以调|能调|调用|去哪|找谁|找哪|哪个站|"
         r"哪家|哪支|放在|能装|容纳|能安置|有哪些|有什么|电话")
# Time limits, procedures and rules about resources are regulation questions, not resources.
_RULES = r"多长时间|多久|几个小时|小时内|什么时候|手续|规定|要求|依据|第几条|条款"
ROUTES: list[tuple[str, str, int]] = [
    ("resource", rf"^(?!.*(?:{_RULES}))(?=.*(?:{_NOUNS}))(?=.*(?:{_ASKS}))", 85),
]
_HOW_MANY = re.compile(r"多少|几[台辆个支套人顶张处吨]?")
_FIGURE = re.compile(r"[0-9０-９]|[一二两三四五六七八九十百千万]+[台辆个支套人顶张处吨米名]")
_CAPTION = re.compile(r"^表\s*[0-9０-９一二三四五六七八九十]+")

# Words that ask about a resource rather than name one.
_ASK_WORDS = ("在哪里哪儿多少几台几辆几个几支几套几人有没有可以调能调调用去哪找谁找哪哪个站哪家哪支放在"
              "能装容纳能安置有哪些有什么应急物资储备需要要用现场组织")
_MIN_WORDS = 2


def _stop() -> set[str]:
    return cl.STOP | cl.grams(_ASK_WORDS)


def _lines(rows: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str]]:
    """(section, line) candidates; a table's caption carries the table's rows with it."""
    out = []
    for r in rows:
        lines = [ln.strip() for ln in (r.get("text") or "").split("\n") if ln.strip()]
        for k, line in enumerate(lines):
            if _CAPTION.match(line):
                out.append((r, "\n".join(lines[k:k + 8])))
            elif len(line) >= 6 and line != (r.get("heading") or ""):
                out.append((r, line))
    return out


def answer(store: GraphStore, query: Query) -> Answer | None:
    ctx = cl.context(store, query, guess=False)
    q = ctx.q - _stop()
    if len(q) < _MIN_WORDS:
        return None
    rows = store.query("plan_sections_under_headings", words=["保障"])
    preferred = set(ctx.places) | set(ctx.named) | set(ctx.own) | set(
        cl.org_plans(query, list(ctx.plans.values())))

    def score(item: tuple[dict[str, Any], str]) -> float:
        r, line = item
        words = len(q & cl.grams(line))
        return words + (1.5 if words and r["doc_id"] in preferred else 0.0)

    lines = _lines(rows)
    if _HOW_MANY.search(query.text):  # a figure is asked: only lines stating one answer
        lines = [x for x in lines if _FIGURE.search(x[1])]
    known = [f for f in store.query("resources") if f.get("quote")]
    ranked = sorted(lines, key=lambda x: (-score(x), x[0]["doc_id"], x[0]["path"]))
    if not ranked or len(q & cl.grams(ranked[0][1])) < _MIN_WORDS:
        return None
    incident_words = set().union(*(ctx.named_grams(i) for i in ctx.linked)) if ctx.linked else set()
    if not (q - incident_words) & cl.grams(ranked[0][1]):
        return None  # the line shares only the incident's name, nothing of what is asked for
    top_row, top_line = ranked[0]
    if top_row["doc_id"] not in preferred and not any(
            f["doc_id"] == top_row["doc_id"] and f["quote"] in top_line for f in known) \
            and cl.longest_common(query.text, top_line) < 5:
        return None  # not the situation's plan, no resource the graph knows, none named as asked
    best_row, best_line = ranked[0]
    used = [(best_row, best_line)]
    for r, line in ranked[1:3]:  # a close second from another section (two stores, two teams)
        if score((r, line)) >= score(ranked[0]) - 1 and len(q & cl.grams(line)) >= _MIN_WORDS \
                and (r["doc_id"], r["path"]) != (best_row["doc_id"], best_row["path"]):
            used.append((r, line))
            break
    text = "；".join(f"据《{r['title']}》{r['path']}：{_flat(line)}" for r, line in used) + "。"
    citations = [Citation(doc_id=r["doc_id"], title=r["title"] or r["doc_id"], section=r["path"],
                          quote=line) for r, line in used]
    resources, facts = _resources(known, used)
    entities = [e for e in query.entities]
    if not entities and ctx.linked and not ctx.guessed:
        entities = [Entity(type="IncidentType", name=ctx.linked[0])]
    return Answer(question=query.question, intent="resource", entities=entities, answer=text,
                  facts=facts, citations=citations, resources=resources)


def _flat(line: str) -> str:
    return re.sub(r"\s*\n\s*", "；", line).rstrip("；;。")


def _resources(known: list[dict[str, Any]], used: list[tuple[dict[str, Any], str]]
               ) -> tuple[list[dict[str, Any]], list[Fact]]:
    """The Resource facts stated by the quoted lines: structured, with their provenance."""
    out: dict[str, dict[str, Any]] = {}
    facts: list[Fact] = []
    for f in known:
        for r, line in used:
            if f["doc_id"] != r["doc_id"] or not f.get("quote") or f["quote"] not in line:
                continue
            item = out.setdefault(f["resource"], {
                "name": f["resource"], "kind": f.get("kind"), "location": f.get("location"),
                "capacity": f.get("capacity"), "quantity": f.get("quantity"), "managed_by": None,
                "for": [], "doc_id": f["doc_id"], "section": f["section"], "quote": line})
            if f["relation"] == "MANAGES":
                item["managed_by"] = f["other"]
            elif f["relation"] == "FOR" and f["other"] not in item["for"]:
                item["for"].append(f["other"])
            fact = Fact(subject=f["other"] if f["relation"] == "MANAGES" else f["resource"],
                        relation=f["relation"],
                        object=f["resource"] if f["relation"] == "MANAGES" else f["other"],
                        doc_id=f["doc_id"], section=f["section"] or "")
            if fact not in facts:
                facts.append(fact)
    return list(out.values()), facts
