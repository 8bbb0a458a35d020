"""resource: which team, material store, equipment or shelter, where it is and how much of it
(物资、队伍、装备、避难场所…), from the plans' 保障 chapters and the Resource facts in them.

Every line (a sentence or a table row) of a plan's 保障 chapter is a candidate; the one sharing
most of the question's own words answers, quoted verbatim. A line of the plan of the place the
question names, or of the incident's own plan, is preferred. The Resource nodes that line
states (name, kind, location, capacity, the unit that manages it) come with the answer. When
no line shares enough words the graph has no answer and the passages answer instead.

A regulation whose title names the resource asked about (避难场所管理规定 for a shelter) is the
document given over to it: its articles are candidates too, and preferred. A question asking
which hospital is answered by the Resource whose speciality states the need (the table row),
with the plan sentences designating it for that need; one asking which teams can be called
gets, after the best line, the teams every plan assigns to the incident (`resource_pick`).
"""
from __future__ import annotations

import re
from typing import Any

from kg.store import GraphStore
from retrieval.answers import Query
from retrieval.answers import clauses as cl
from retrieval.answers import resource_pick as rp
from retrieval.contract import Answer, Citation, Entity, Fact
from retrieval.passages import is_heading

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
# Resources a regulation of its own may govern (避难场所管理规定, 物资储备管理办法).
_SUBJECTS = r"避难场所|安置点|储备库|储备点"
_ASKS_CAPACITY = re.compile(r"能装|容纳|能住|能安置|安置多少|多少人|几个人|几人|床位")
_STATES_CAPACITY = re.compile(r"容纳|可安置|床位|可供[^，。；]{0,6}人|[0-9０-９.]+万?人")


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
    known = [f for f in store.query("resources") if f.get("quote")]
    kind = rp.asked_kind(query.text)
    picks = rp.group(known) if kind else []
    rows = store.query("plan_sections_under_headings", words=["保障"])
    dedicated = _dedicated(store, query.text) if not (ctx.places or ctx.named) else []
    lines = _lines(rows) + _lines(dedicated)
    if kind == "医院":
        chosen = rp.hospitals(picks, query.text, q)
        if chosen:
            mentioning = [r for n in {rp.need(p, query.text) for p in chosen}
                          for r in store.query("sections_mentioning", unit=n)]
            return _hospital_answer(query, chosen, lines + _lines(mentioning), q)
    used = _best_lines(query, ctx, q, lines, known, {r["doc_id"] for r in dedicated})
    incidents = set(ctx.related) if ctx.linked and not ctx.guessed else set()
    extra = [p for p in (rp.teams(picks, query.text, incidents) if kind == "队伍" else [])
             if not any(p.doc_id == r["doc_id"] and p.quote in line for r, line in used)]
    if not used and not extra:
        return None
    parts = [f"据《{r['title']}》{r['path']}：{_flat(line)}" for r, line in used]
    if extra:
        parts.append(("可调用的队伍还有：" if used else "可调用的队伍：") + "；".join(
            f"{rp.describe(p)}（《{p.title}》{p.section}）" for p in extra))
    text = "；".join(parts) + "。"
    citations = [Citation(doc_id=r["doc_id"], title=r["title"] or r["doc_id"], section=r["path"],
                          quote=line) for r, line in used]
    citations += [Citation(doc_id=p.doc_id, title=p.title, section=p.section, quote=p.quote)
                  for p in extra]
    resources, facts = _resources(known, used + [({"doc_id": p.doc_id}, p.quote) for p in extra])
    entities = [e for e in query.entities]
    if not entities and ctx.linked and not ctx.guessed:
        entities = [Entity(type="IncidentType", name=ctx.linked[0])]
    return Answer(question=query.question, intent="resource", entities=entities, answer=text,
                  facts=facts, citations=citations, resources=resources)


def _dedicated(store: GraphStore, question: str) -> list[dict[str, Any]]:
    """Articles of the regulations whose title names the resource asked about (a shelter
    question and the shelter provisions): the document given over to the subject."""
    out: list[dict[str, Any]] = []
    for noun in dict.fromkeys(m.group(0) for m in re.finditer(_SUBJECTS, question)):
        for a in store.query("articles_of_regulations_titled", word=noun):
            out.append({"doc_id": a["doc_id"], "title": a["title"], "path": a["section"] or "",
                        "heading": a["label"] or "", "text": a["text"] or ""})
    return out


def _best_lines(query: Query, ctx: cl.Context, q: set[str],
                lines: list[tuple[dict[str, Any], str]], known: list[dict[str, Any]],
                dedicated: set[str]) -> list[tuple[dict[str, Any], str]]:
    """The line sharing most of the question's words (and a close second from elsewhere)."""
    preferred = set(ctx.places) | set(ctx.named) | set(ctx.own) | set(
        cl.org_plans(query, list(ctx.plans.values()))) | dedicated

    def score(item: tuple[dict[str, Any], str]) -> float:
        r, line = item
        words = len(q & cl.grams(line))
        return words + (1.5 if words and r["doc_id"] in preferred else 0.0)

    if _HOW_MANY.search(query.text):  # a figure is asked: only lines stating one answer
        lines = [x for x in lines if _FIGURE.search(x[1])]
    if _ASKS_CAPACITY.search(query.text):  # how many it holds: lines stating that, if any fit
        lines = [x for x in lines if _STATES_CAPACITY.search(x[1])
                 and len(q & cl.grams(x[1])) >= _MIN_WORDS] or lines
    ranked = sorted(lines, key=lambda x: (-score(x), x[0]["doc_id"], x[0]["path"]))
    if not ranked or len(q & cl.grams(ranked[0][1])) < _MIN_WORDS:
        return []
    incident_words = set().union(*(ctx.named_grams(i) for i in ctx.linked)) if ctx.linked else set()
    if not (q - incident_words) & cl.grams(ranked[0][1]):
        return []  # the line shares only the incident's name, nothing of what is asked for
    top_row, top_line = ranked[0]
    if top_row["doc_id"] not in preferred and not any(
            f["doc_id"] == top_row["doc_id"] and f["quote"] in top_line for f in known) \
            and cl.longest_common(query.text, top_line) < 5:
        return []  # not the situation's plan, no resource the graph knows, none named as asked
    used = [(top_row, _row_named(query.text, top_line))]
    for r, line in ranked[1:3]:  # a close second from another section (two stores, two teams)
        if score((r, line)) >= score(ranked[0]) - 1 and len(q & cl.grams(line)) >= _MIN_WORDS \
                and (r["doc_id"], r["path"]) != (top_row["doc_id"], top_row["path"]):
            used.append((r, line))
            break
    return used


def _row_named(question: str, block: str) -> str:
    """A table's one row when the question names what only that row holds ("东湖公园…能住多少
    人" in a table of five shelters); else the table as a whole."""
    rows = block.split("\n")[1:]
    if len(rows) < 2:
        return block
    named = [(row, cl.common_run(question, row)) for row in rows]
    own = [row for row, run in named if len(run) >= 4
           and not any(run in other for other in rows if other is not row)]
    return own[0] if len(own) == 1 else block


def _hospital_answer(query: Query, chosen: list[rp.Pick], lines: list[tuple[dict[str, Any], str]],
                     q: set[str]) -> Answer:
    """The hospitals (their table rows first), then the sentences designating them for the same
    need, wherever they stand (a 分流 rule in the response chapter, a 保障 clause)."""
    names = {p.name: [p.name[i:] for i in range(len(p.name) - 3)] for p in chosen}
    needs = {rp.need(p, query.text) for p in chosen}
    support = [(r, line) for r, line in lines if any(n in line for n in needs)
               and any(s in line for forms in names.values() for s in forms)
               and not any(p.quote in line for p in chosen)]  # names it for the same need
    support.sort(key=lambda x: (-len(q & cl.grams(x[1])), x[0]["doc_id"], x[0]["path"]))
    support = list({(r["doc_id"], line): (r, line) for r, line in support}.values())[:2]
    text = "；".join([f"据《{p.title}》{p.section}：{rp.describe(p)}" for p in chosen]
                    + [f"据《{r['title']}》{r['path']}：{_flat(line)}" for r, line in support]) + "。"
    citations = [Citation(doc_id=p.doc_id, title=p.title, section=p.section, quote=p.quote)
                 for p in chosen]
    citations += [Citation(doc_id=r["doc_id"], title=r["title"] or r["doc_id"], section=r["path"],
                           quote=line) for r, line in support]
    resources = [{"name": p.name, "kind": p.kind, "location": p.props.get("location"),
                  "capacity": p.props.get("capacity"), "quantity": p.props.get("quantity"),
                  "speciality": p.props.get("speciality"), "managed_by": p.managed_by,
                  "for": p.serves, "doc_id": p.doc_id, "section": p.section, "quote": p.quote}
                 for p in chosen]
    return Answer(question=query.question, intent="resource", entities=list(query.entities),
                  answer=text, facts=[], citations=citations, resources=resources)


def _flat(line: str) -> str:
    """One run of text, without a title sentence it starts with ("8.2 物资保障。", "第二十三条　队伍
    保障。"): the answer's first sentence is the provision itself."""
    text = re.sub(r"\s*\n\s*", "；", line).rstrip("；;。")
    head, sep, rest = text.partition("。")
    if sep and rest.strip() and is_heading(head + "。"):
        text = rest.strip()
    return text


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
