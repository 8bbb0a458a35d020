"""Shared by the grading, response_level and command_structure answers: which plan speaks for a
question, and the figures a question states.

A plan is chosen from what the graph knows of it (its title, level and covered incident
types) against what the question names: a place or department whose own plan it is, the
incident type (its own 专项预案 first, the 总体预案 after), or words of the plan's title
("道路交通预案", "踩踏指挥部").
"""
from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from kg.numerals import cn_number
from kg.store import GraphStore
from retrieval.answers import Query
from retrieval.answers.clauses import core, longest_common, title_core
from retrieval.contract import Citation
from retrieval.normalize import char_bigrams

_PLACE_LEVELS = {"街镇", "部门"}
_GENERIC_GRAMS = {"应急", "管理", "理局", "指挥", "挥部"}
_LEVEL_BONUS = {"专项": 5, "部门": 3, "街镇": 1, "总体": 0}


def rank_plans(store: GraphStore, query: Query) -> list[dict[str, Any]]:
    """Plans, the one that most plausibly governs the question first."""
    plans = store.query("plan_profiles")
    q = query.text
    incident = query.incident()
    chain = [incident.name, *query.gazetteer.categories.get(incident.name, [])] if incident else []
    places = [(e.name, e.surface) for e in query.all("Organization")]
    qgrams = char_bigrams(q)
    # A word of the question only one plan's title has ("港口") names that plan's field.
    df: dict[str, int] = {}
    for p in plans:
        for g in char_bigrams(title_core(p.get("title") or "")):
            df[g] = df.get(g, 0) + 1

    def score(p: dict[str, Any]) -> float:
        title, level = p.get("title") or "", p.get("level") or ""
        s = 0.0
        tcore = title_core(title)
        place = re.sub(r"(?:街道|镇|乡)$", "", tcore) if level == "街镇" else ""
        if level in _PLACE_LEVELS and (any(n in title or (sf and sf in title)
                                           for n, sf in places) or (len(place) >= 2 and place in q)):
            s += 400
        common = longest_common(q, tcore) if tcore else 0
        if common >= 4:
            s += 150
        shared = (qgrams & char_bigrams(tcore)) - _GENERIC_GRAMS
        s += 60 * len(shared) + 60 * sum(1 for g in shared if df.get(g) == 1)
        for j, name in enumerate(chain):
            c = core(name)
            if c and c in title:
                s += 100 - 10 * j
                break
        else:
            if level == "总体":
                s += 50
            elif level == "专项" and incident and incident.name in (p.get("incidents") or []):
                s += 60  # no plan of its own: the special plan that covers it, then the general
        s += _LEVEL_BONUS.get(level, 0)
        return s

    scored = sorted(plans, key=lambda p: (-score(p), p["doc_id"]))
    return scored


def first_plan_with(rows: list[dict[str, Any]], ranked: list[dict[str, Any]]
                    ) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The best-ranked plan that has rows, and its rows."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_doc.setdefault(r["doc_id"], []).append(r)
    for p in ranked:
        if p["doc_id"] in by_doc:
            return p, by_doc[p["doc_id"]]
    return None


def plan_rows(store: GraphStore, query: Query, name: str, top: int = 8
              ) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """[(plan, its rows of query `name`)] for the `top` most applicable plans, the most
    applicable first, plans without such rows left out."""
    ranked = rank_plans(store, query)[:top]
    if not ranked:
        return []
    rows = store.query(name, doc_ids=[p["doc_id"] for p in ranked])
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_doc.setdefault(r["doc_id"], []).append(r)
    return [(p, by_doc[p["doc_id"]]) for p in ranked if p["doc_id"] in by_doc]


def cite(plan: dict[str, Any], items: list[tuple[str, str]],
         store: GraphStore | None = None) -> list[Citation]:
    """Citations of a plan's clauses. With a store, each quote is widened to the whole line of
    its section that holds it (the clause with its own number, "第七条　……", "（二）……")."""
    lines: dict[str, str] = {}
    if store is not None:
        for sec in store.query("document_sections", doc_id=plan["doc_id"]):
            lines.setdefault(sec["path"], sec.get("text") or "")
    seen: OrderedDict[tuple[str, str], Citation] = OrderedDict()
    for section, quote in items:
        if not quote:
            continue
        text = lines.get(section or "", "")
        i = text.find(quote)
        if i >= 0:
            a = text.rfind("\n", 0, i) + 1
            b = text.find("\n", i + len(quote))
            quote = text[a:b if b >= 0 else len(text)].strip() or quote
        if (section, quote) not in seen:
            seen[(section, quote)] = Citation(doc_id=plan["doc_id"],
                                              title=plan.get("title") or plan["doc_id"],
                                              section=section or "", quote=quote)
    return list(seen.values())


def source(plan: dict[str, Any], sections: list[str]) -> str:
    secs = list(OrderedDict.fromkeys(s for s in sections if s))
    return f"《{plan.get('title') or plan['doc_id']}》" + ("、".join(secs) if secs else "")


# ------------------------------------------------------------------ figures in a question

_NUM = r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+"
_UNIT = {"人": "人", "名": "人", "个人": "人", "例": "人", "位": "人", "个": "人", "户": "户",
         "%": "%", "％": "%", "小时": "小时", "个小时": "小时", "个多小时": "小时", "多小时": "小时",
         "天": "天", "日": "天", "厘米": "厘米", "公分": "厘米", "米": "米", "元": "元", "万元": "元",
         "家": "家", "站": "站", "个站": "站"}
_QTY = re.compile(
    rf"(?P<pre>超过|不少于|不低于|不足|少于|低于|达到|多于)?(?P<num>{_NUM})(?P<mag>万|亿)?"
    r"(?P<more>多)?(?P<unit>个多小时|个小时|多小时|小时|个人|万元|厘米|公分|[人名例位个户%％天日米元家])"
    r"(?P<bound>及以上|以上|及以下|以下|以内|左右)?")


@dataclass
class Qty:
    value: float
    unit: str  # 人, 户, %, 小时, 厘米, 米, 元 (in 万元), 家, 站
    bound: str  # "min" (以上, 超过), "max" (以下), "" (a stated figure)
    start: int = 0
    end: int = 0


def quantities(text: str) -> list[Qty]:
    """Figures with units; 天 becomes 24 小时, money is in 万元."""
    out = []
    for m in _QTY.finditer(text):
        v = cn_number(m.group("num"))
        if v is None:
            continue
        v *= {"万": 10_000, "亿": 100_000_000}.get(m.group("mag") or "", 1)
        unit = _UNIT[m.group("unit")]
        if m.group("unit") == "万元":
            v *= 10_000
        if unit == "元":
            v /= 10_000
        if unit == "天":
            unit, v = "小时", v * 24
        pre, bound = m.group("pre") or "", m.group("bound") or ""
        side = ("min" if pre in ("超过", "不少于", "不低于", "达到", "多于") or "以上" in bound else
                "max" if pre in ("不足", "少于", "低于") or bound in ("以下", "及以下", "以内") else "")
        out.append(Qty(v, unit, side, m.start(), m.end()))
    return out


def constraints(text: str) -> list[tuple[str, float | None, float | None]]:
    """(unit, low, high) ranges a criterion states: "10人以上50人以下" is one range, "2小时以上"
    and "3人以下" are open ones, and "造成2人死亡" is at least that figure."""
    qs = quantities(text)
    out, i = [], 0
    while i < len(qs):
        q = qs[i]
        nxt = qs[i + 1] if i + 1 < len(qs) else None
        if q.bound == "min" and nxt and nxt.bound == "max" and nxt.unit == q.unit \
                and nxt.value > q.value:
            out.append((q.unit, q.value, nxt.value))
            i += 2
            continue
        if q.bound == "max":
            out.append((q.unit, None, q.value))
        else:
            out.append((q.unit, q.value, None))
        i += 1
    return out


def within(value: float, low: float | None, high: float | None) -> bool:
    """以上 includes the figure, 以下 excludes it (the official reading of graded ranges)."""
    return (low is None or value >= low) and (high is None or value < high)


# Characters that say nothing about what happened.
_STOP = set("的了是在有和或者以上下及其人个名例等与并且被为发生造成因需要一次时间后前这那吗呢啊"
            "什么几级算属于哪多少谁决定启动响应事故事件突发情况区里我们还没出来")


def content_chars(text: str) -> set[str]:
    return {c for c in re.sub(r"[^\u4e00-\u9fff]", "", text) if c not in _STOP}


def clause_match(question: str, clause: str) -> float:
    """How well a described situation meets one criterion item: 0 when a figure contradicts
    it or nothing is shared; otherwise the shared words, plus a bonus for each figure met."""
    shared = len(content_chars(question) & content_chars(clause))
    cons = constraints(clause)
    if cons:
        qs = [q for q in quantities(question)]
        met = 0
        for unit, low, high in cons:
            vals = [q.value for q in qs if q.unit == unit]
            if not vals:
                continue
            if not any(within(v, low, high) for v in vals):
                return 0.0
            met += 1
        if met == 0:
            return 0.0
        if shared == 0:
            return 0.0
        return shared + 3 * met
    return float(shared) if shared >= 3 else 0.0


def items(text: str) -> list[str]:
    """A criterion split into the alternatives it lists (；, 或者, ，或)."""
    parts = re.split(r"[；;]|，?或者|，或(?!者)", text or "")
    return [p.strip(" ，,。；;") for p in parts if p and p.strip(" ，,。；;")]
