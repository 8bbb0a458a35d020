"""grading and response_level: which severity level a situation is, what a level's criteria are,
and who starts or ends which response level on what condition.

Facts come from the SeverityLevel and ResponseLevel nodes the applicable plan DEFINES (its own
专项预案 first, the 总体预案 after; a street's, town's or department's plan when the question
names it). Figures in the question are compared with each clause's thresholds: 以上 includes
the figure, 以下 excludes it.
"""
from __future__ import annotations

import re
from typing import Any

from kg.numerals import cn_number
from kg.store import GraphStore
from retrieval.answers import Query
from retrieval.answers.applicable import clause_match, cite, items, plan_rows, source, within
from retrieval.contract import Answer, Fact

_RN = r"(?:IV|III|II|I|[一二三四1-4])"
ROUTES: list[tuple[str, str, int]] = [
    ("response_level",
     rf"{_RN}级(?:应急)?响应|(?:几|哪一?)级[^，。？?]{{0,4}}响应|(?:启动|终止|结束|解除)[^，。？?]{{0,3}}响应"
     rf"|响应[^，。？?]{{0,8}}(?:启动|终止|结束|解除)",
     9),
    ("grading",
     r"(?:算|属于|定为|评为|构成|是)(?:什么|哪一?个?|几)(?:级|等级|级别)|什么(?:级别|等级)|几级(?:事故|事件)?"
     r"|哪一?级|算(?:特别重大|重大|较大|一般)还是|分级标准|怎么分级|如何分级"
     r"|(?:特别重大|重大|较大|一般|分级|等级|级别)[^，。？?]{0,10}(?:标准|怎么划分|如何划分|怎么界定|如何界定|怎么认定|如何认定|条件是)",
     10),
]

SEVERITIES = ("特别重大", "重大", "较大", "一般")
RESPONSES = ("一级", "二级", "三级", "四级")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "一": 1, "二": 2, "三": 3, "四": 4,
          "1": 1, "2": 2, "3": 3, "4": 4}
_ROMAN_OUT = "ⅠⅡⅢⅣ"


def answer(store: GraphStore, query: Query) -> Answer | None:
    if query.intent == "grading":
        return grading_answer(store, query)
    return response_answer(store, query)


# ------------------------------------------------------------------ figures of an incident

_N = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)(万|亿)?"
_METRIC_RX = {
    "deaths": [rf"(?:死亡|死了|遇难|丧生|罹难|身亡)(?:[（(]?(?:和|或)?失踪[)）]?)?了?{_N}(?:个|名)?人?",
               rf"{_N}(?:个|名)?人(?:以上)?(?:死亡|遇难|丧生|罹难|身亡)"],
    "injuries": [rf"(?:重伤|受重伤|急性中毒|中毒)了?{_N}(?:个|名)?人?",
                 rf"{_N}(?:个|名)?人(?:以上)?(?:重伤|受重伤|急性中毒|中毒)"],
    "evacuated": [rf"(?:疏散|转移|撤离|安置)(?:了|群众|人员)?{_N}(?:个|名)?人",
                  rf"{_N}(?:个|名)?人(?:被)?(?:紧急)?(?:疏散|转移|撤离|安置)"],
    "loss": [rf"损失[^\d零〇一二两三四五六七八九十百千]{{0,4}}{_N}(?:元)?"],
}
_NO_DEATHS = re.compile(r"没(?:有)?死人|没(?:有)?(?:人)?死亡|无人死亡|未造成(?:人员)?死亡|没有人员死亡|没死人")


def figures(text: str) -> dict[str, float]:
    """Deaths, serious injuries, people evacuated (counts) and direct loss (万元) a question
    states, in Arabic or Chinese numerals."""
    out: dict[str, float] = {}
    for metric, patterns in _METRIC_RX.items():
        for rx in patterns:
            m = re.search(rx, text)
            if not m:
                continue
            v = cn_number(m.group(1))
            if v is None:
                continue
            mag = m.group(2) or ""
            if metric == "loss":  # in 万元
                v = v * 10_000 if mag == "亿" else v if mag == "万" else v / 10_000
            else:
                v *= {"万": 10_000, "亿": 100_000_000}.get(mag, 1)
            out[metric] = v
            break
    if "deaths" not in out and _NO_DEATHS.search(text):
        out["deaths"] = 0
    return out


# ------------------------------------------------------------------ grading

_CROSS_PLAN_MIN = 5.0
_STANDARD = re.compile(r"标准|划分|分级|界定|认定|条件|怎么分|如何分")
_SEV_WORD = re.compile(r"特别重大|重大|较大|一般")


def _level_label(row: dict[str, Any], plan: dict[str, Any]) -> str:
    """"较大火灾", "重大道路交通事故" as the clause words it; else the level and the kind of
    event ("较大事故")."""
    lv = row["level"]
    m = re.search(rf"(?<!特别){lv}[\u4e00-\u9fff]{{0,10}}?(?:事故|事件|火灾|灾害|灾情)",
                  row.get("quote") or "")
    if m and m.start() < 4:
        label = m.group(0)
    else:
        kinds = [*(row.get("incident_types") or []), plan.get("title") or ""]
        suffix = next((k for k in ("事故", "事件", "灾害") for name in kinds
                       if re.sub(r"(?:专项|部门)?应急预案$", "", name).endswith(k)), "事件")
        label = lv + suffix
    return f"{label}（{row.get('roman') or ''}）" if row.get("roman") else label


def _describe(fig: dict[str, float]) -> str:
    names = {"deaths": "死亡{}人", "injuries": "重伤{}人", "evacuated": "需转移安置{}人",
             "loss": "直接经济损失{}万元"}
    return "、".join(names[k].format(int(v) if v == int(v) else v) for k, v in fig.items() if v)


def _row_score(q: str, fig: dict[str, float], row: dict[str, Any]) -> tuple[float, str]:
    """How well the question's situation meets one grading clause, and the criterion that
    decided it."""
    best, why = 0.0, ""
    for metric in ("deaths", "injuries", "evacuated", "loss"):
        v = fig.get(metric)
        lo, hi = row.get(f"{metric}_min"), row.get(f"{metric}_max")
        if not v or (lo is None and hi is None):
            continue
        if within(v, lo, hi):
            s = 10.0
            if s > best:
                best, why = s, _criterion_for(row, metric)
    for item in items(row.get("other") or ""):
        s = clause_match(q, item)
        if s > best:
            best, why = s, item
    return best, why


_METRIC_WORDS = {"deaths": "死亡|遇难|失踪", "injuries": "重伤|中毒", "evacuated": "转移|安置|疏散",
                 "loss": "损失"}


def _criterion_for(row: dict[str, Any], metric: str) -> str:
    for item in items(row.get("criteria") or row.get("quote") or ""):
        if re.search(_METRIC_WORDS[metric], item):
            return item
    return row.get("criteria") or ""


def grading_answer(store: GraphStore, query: Query) -> Answer | None:
    plans = plan_rows(store, query, "severity_levels_of_plans")
    if not plans:
        return None
    q = query.text
    fig = figures(q)
    plan, rows = plans[0]
    scored = sorted(((*_row_score(q, fig, r), r) for r in rows),
                    key=lambda x: (-x[0], x[2]["rank"]))
    if not (scored and scored[0][0] > 0):
        # The situation is graded by another plan's clause (e.g. 电梯 under 特种设备).
        for p, rs in plans[1:]:
            sc = sorted(((*_row_score(q, fig, r), r) for r in rs),
                        key=lambda x: (-x[0], x[2]["rank"]))
            if sc and sc[0][0] >= _CROSS_PLAN_MIN and sc[0][0] > (scored[0][0] if scored else 0):
                plan, rows, scored = p, rs, sc
                break
    incident = query.incident()
    entities = [incident] if incident else []
    if scored and scored[0][0] > 0:
        score, why, row = scored[0]
        label = _level_label(row, plan)
        desc = _describe(fig)
        text = (f"按{source(plan, [row['section']])}，"
                f"{desc + '，' if desc else ''}属于{label}；判定依据：“{why}”。")
        same = [r for r in rows if r["level"] == row["level"]]
        return Answer(question=query.question, intent="grading", entities=entities, answer=text,
                      facts=[Fact(subject=plan.get("title") or plan["doc_id"], relation="DEFINES",
                                  object=f"{row['level']}：{why}", doc_id=plan["doc_id"],
                                  section=row["section"])],
                      citations=cite(plan, [(row["section"], row["quote"])] +
                                     [(r["section"], r["quote"]) for r in same if r is not row][:2],
                                     store))
    # No figure decides it: the criteria of the level asked, or of every level.
    asked = [m.group(0) for m in _SEV_WORD.finditer(q)]
    chosen = [r for r in rows if r["level"] in asked] or rows
    if not asked and not fig and not _STANDARD.search(q):
        return None  # a situation no clause grades: the passages may say more
    by_level: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(chosen, key=lambda r: (r["rank"], r["section"])):
        by_level.setdefault(r["level"], []).append(r)
    parts = []
    for lv, rs in by_level.items():
        crit = "；".join(dict.fromkeys((r.get("criteria") or r["quote"]).rstrip("。；;") for r in rs))
        parts.append(f"{_level_label(rs[0], plan)}：{crit}")
    lead = f"按{source(plan, [r['section'] for r in chosen])}，"
    if fig:
        lead += f"所述情况（{_describe(fig) or '未给出可比数字'}）未能按分级条款直接判定；各级标准为："
    text = lead + "；".join(parts) + "。"
    return Answer(question=query.question, intent="grading", entities=entities, answer=text,
                  facts=[Fact(subject=plan.get("title") or plan["doc_id"], relation="DEFINES",
                              object=r["level"], doc_id=plan["doc_id"], section=r["section"])
                         for r in chosen],
                  citations=cite(plan, [(r["section"], r["quote"]) for r in chosen], store))


# ------------------------------------------------------------------ response levels

_LEVEL_ASKED = re.compile(rf"(?P<lv>{_RN})级(?:应急)?响应|(?P<lv2>{_RN})级(?=[^，。？?]{{0,6}}(?:谁|由|启动|终止|结束))")
_ENDING = re.compile(r"终止|结束|解除")


# "Ⅲ级、Ⅳ级事故的应急响应由谁启动": a list of levels, then what is asked of them.
_LEVEL_LIST = re.compile(rf"(?P<list>{_RN}级(?:[、和及与或/]{_RN}级)+)(?P<gap>[^，。？?]{{0,10}}?)"
                         r"(?:响应|谁|由|启动|终止|结束)")


def asked_levels(text: str) -> list[str]:
    out = []
    for m in _LEVEL_ASKED.finditer(text):
        lv = RESPONSES[_ROMAN[m.group("lv") or m.group("lv2")] - 1]
        if lv not in out:
            out.append(lv)
    for m in _LEVEL_LIST.finditer(text):
        if re.search(r"预警|警报", m.group("gap")):
            continue
        for x in re.findall(rf"({_RN})级", m.group("list")):
            lv = RESPONSES[_ROMAN[x] - 1]
            if lv not in out:
                out.append(lv)
    return out


def _name(row: dict[str, Any]) -> str:
    label = row.get("label") or ""
    own = f"{row['level']}响应"
    return own if not label or label in (own, row["level"]) or "响应" not in label \
        else f"{own}（{label}）"


def _special(q: str, row: dict[str, Any]) -> tuple[str, str] | None:
    """A special starter ("工贸企业事故：区应急管理局局长") the question's situation names."""
    best = None
    for s in row.get("special_starts") or []:
        cond, _, who = s.partition("：")
        score = clause_match(q, cond) or (2 if cond[:2] in q else 0)
        if score and (best is None or score > best[0]):
            best = (score, cond, who)
    return (best[1], best[2]) if best else None


def _starter_sentence(q: str, row: dict[str, Any]) -> str:
    special = _special(q, row)
    if special:
        cond, who = special
        return f"{cond}的{_name(row)}由{who}决定启动"
    if row.get("starter"):
        return f"{_name(row)}由{row['starter']}决定启动"
    return f"预案未写明{_name(row)}由谁决定启动"


def _pick(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Of the clauses stating one level (prose and table), the one that names a starter and
    words the condition most fully."""
    return max(rows, key=lambda r: (bool(r.get("starter")), len(r.get("condition") or ""),
                                    len(r.get("quote") or "")))


def _by_level(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["level"], []).append(r)
    return out


def _with_starter(row: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A level's condition from one clause (an annex list) and who starts it from another
    ("Ⅰ级应急响应由……启动"): the row with the starter filled in, its source kept."""
    if row.get("starter"):
        return row
    other = next((r for r in rows if r["level"] == row["level"] and r.get("starter")), None)
    if other is None:
        return row
    return {**row, "starter": other["starter"], "starter_section": other["section"],
            "starter_quote": other["quote"]}


def _graded_response(store: GraphStore, query: Query, plans):
    """(plan, rows, response row, criterion) when the question's figures grade the situation
    by a plan's severity thresholds and the plan ties that severity to a response level
    ("Ⅱ级（重大）……启动Ⅱ级应急响应"); None otherwise."""
    fig = figures(query.text)
    if not fig:
        return None
    severities = store.query("severity_levels_of_plans", doc_ids=[p["doc_id"] for p, _ in plans])
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for r in severities:
        by_doc.setdefault(r["doc_id"], []).append(r)
    for plan, rows in plans:
        scored = sorted(((*_row_score(query.text, fig, r), r) for r in by_doc.get(plan["doc_id"], [])),
                        key=lambda x: (-x[0], x[2]["rank"]))
        if not scored or scored[0][0] < 10:  # a figure within a threshold, not words alike
            continue
        _, why, sev = scored[0]
        tied = [r for r in rows if sev["level"] in (r.get("severities") or [])]
        if tied:
            return plan, rows, _pick(tied), why
    return None


_HOURS = {"分钟": 1 / 60, "小时": 1, "天": 24, "日": 24}
_TIME_ITEM = re.compile(r"(\d+(?:\.\d+)?)\s*个?(分钟|小时|天|日)\s*(以上|及以上|以下|以内|内)?")
_TIME_ASKED = re.compile(r"(超过|不到|不足|少于)?\s*(\d+(?:\.\d+)?|[一二两三四五六七八九十百]+)\s*个?(分钟|小时|天|日)")


def _time_fit(q: str, item: str) -> float | None:
    """A duration in the question against one in the condition ("预计在 24 小时以上"): the
    condition's hours when the question's duration meets it, -1 when it does not, None when
    either states none."""
    m, a = _TIME_ITEM.search(item), _TIME_ASKED.search(q)
    if not m or not a:
        return None
    need = float(m.group(1)) * _HOURS[m.group(2)]
    n = cn_number(a.group(2))
    if n is None:
        return None
    have = float(n) * _HOURS[a.group(3)]
    bound = m.group(3) or ""
    if "上" in bound:
        ok = have >= need and a.group(1) not in ("不到", "不足", "少于")
    elif bound:
        ok = have <= need and a.group(1) != "超过"
    else:
        ok = have == need
    return need if ok else -1


def _situation(q: str, rows: list[dict[str, Any]]):
    """(score, rank, row, criterion) of the response level whose start condition the described
    situation meets best; None when none does."""
    sev = [m.group(0) for m in _SEV_WORD.finditer(q)]
    best = None
    for r in rows:
        score, why = 0.0, ""
        for item in items(r.get("condition") or ""):
            s = clause_match(q, item)
            fit = _time_fit(q, item)
            if fit is not None:
                s = s + 1 + fit / 1000 if s and fit >= 0 else 0  # the highest time met wins
            if s > score:
                score, why = s, item
        if sev and set(sev) & set(r.get("severities") or []) and not score:
            score, why = 4.0, r.get("condition") or ""
        if _special(q, r):
            score += 1
        if score and (best is None or (score, -r["rank"]) > (best[0], -best[1])):
            best = (score, r["rank"], r, why)
    return best


def response_answer(store: GraphStore, query: Query) -> Answer | None:
    plans = plan_rows(store, query, "response_levels_of_plans")
    if not plans:
        return None
    q = query.text
    incident = query.incident()
    entities = [incident] if incident else []
    levels = asked_levels(q)
    ending = bool(_ENDING.search(q))
    plan, rows = plans[0]
    # A plan naming a special starter for exactly the situation asked speaks more specifically.
    for p, rs in plans:
        if any(_special(q, r) for r in rs if not levels or r["level"] in levels):
            plan, rows = p, rs
            break
    chosen: list[dict[str, Any]] = []
    matched_by = ""
    graded = None if levels else _graded_response(store, query, plans)
    if graded is not None:
        plan, rows, row, matched_by = graded
        chosen = [row]
    elif levels:
        by_level = _by_level(rows)
        chosen = [_pick(by_level[lv]) for lv in levels if lv in by_level]
        if not chosen:
            return None
    else:
        best = _situation(q, rows)
        # Another applicable plan whose start condition describes the situation far better
        # ("港口危险货物码头……泄漏……造成较大社会影响的" beside a bare "发生较大事故") speaks of it.
        for p, rs in plans[1:6]:
            other = _situation(q, rs)
            if other and other[0] >= _CROSS_PLAN_MIN and (
                    best is None or other[0] >= 1.5 * best[0]):
                plan, rows, best = p, rs, other
                break
        if best:
            chosen, matched_by = [best[2]], best[3]
        else:
            chosen = [_pick(rs) for _, rs in sorted(_by_level(rows).items(),
                                                   key=lambda kv: kv[1][0]["rank"])]

    parts, cites, facts = [], [], []
    chosen = [_with_starter(r, rows) for r in chosen]
    for r in chosen:
        if ending:
            if r.get("ender"):
                parts.append(f"{_name(r)}由{r['ender']}宣布结束（终止）")
                cites.append((r.get("ender_section") or r["section"], r.get("ender_quote")))
            else:
                parts.append(f"预案未写明{_name(r)}由谁宣布结束；启动该级响应的是"
                             f"{r.get('starter') or '（未写明）'}")
                cites.append((r["section"], r["quote"]))
        else:
            cond = r.get("condition")
            s = _starter_sentence(q, r)
            if matched_by and len(chosen) == 1:
                parts.append(f"所述情况符合“{matched_by}”，应启动{_name(r)}，{s}"
                             + (f"（启动条件：{cond}）" if cond and cond != matched_by else ""))
            else:
                parts.append(s + (f"，启动条件：{cond}" if cond else ""))
            cites.append((r["section"], r["quote"]))
        facts.append(Fact(subject=(r.get("ender") if ending else r.get("starter")) or "（未写明）",
                          relation="ENDS" if ending else "STARTS", object=_name(r),
                          doc_id=plan["doc_id"], section=r["section"]))
    text = f"按{source(plan, [s for s, _ in cites])}，" + "；".join(parts) + "。"
    return Answer(question=query.question, intent="response_level", entities=entities,
                  answer=text, facts=facts, citations=cite(plan, cites, store))
