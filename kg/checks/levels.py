"""Grading conflicts and response-level gaps.

grading_conflict: a plan's 事件分级 thresholds (deaths, serious injuries, direct loss) differ from
those of the top plan (总体预案) for the same level and a compatible incident type; or a special
plan sends the same casualty figures to a different district response level than the top plan
does. response_level_gap: a response level nobody is named to start or to end (other levels of
the plan do name someone; a level run under a higher government's command is exempt), or
casualty figures of a 一般 event that none of the plan's levels covers.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from kg.checks import conditions as cond
from kg.checks.engine import CheckContext, Rule
from kg.checks.model import Fact, Finding
from kg.checks.text import book, plan_rank

_THRESHOLDS = {"deaths": ("死亡", "人"), "injuries": ("重伤", "人"), "loss": ("直接经济损失", "万元")}
_HIGHER_COMMAND = re.compile(r"(?:市|省|国家|上级)[^，。；]{0,16}统一(?:指挥|领导)|统一(?:指挥|领导)下")
_DISTRICT_RESPONSE_LEVELS = ("专项",)  # plans whose levels are the district's own response levels


def _ancestors(ctx: CheckContext) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for f in ctx.facts.facts:
        for label, key, props in ((f.start_label, f.start, f.start_props),
                                  (f.end_label, f.end, f.end_props)):
            if label == "IncidentType":
                out[key] |= set(props.get("categories") or [])
    return out


def _compatible(types: list[str], ref_types: list[str], anc: dict[str, set[str]]) -> bool:
    if not types or not ref_types:
        return True
    return any(t in ref_types or anc.get(t, set()) & set(ref_types) for t in types)


def _top_plans(ctx: CheckContext) -> list[str]:
    return sorted(d.doc_id for d in ctx.facts.docs.values()
                  if d.kind == "plan" and plan_rank(d.level) == 0)


def _defines(ctx: CheckContext, label: str) -> dict[str, list[Fact]]:
    out: dict[str, list[Fact]] = defaultdict(list)
    for f in ctx.facts.of_type("DEFINES"):
        if f.end_label == label and ctx.facts.doc(f.doc_id).kind == "plan":
            out[f.doc_id].append(f)
    return out


def _range(f: Fact, dim: str) -> tuple | None:
    lo, hi = f.props.get(f"{dim}_min"), f.props.get(f"{dim}_max")
    return None if lo is None and hi is None else (lo, hi)


def _fmt(r: tuple, unit: str) -> str:
    lo, hi = r
    if lo is not None and hi is not None:
        return f"{lo:g}{unit}以上{hi:g}{unit}以下"
    return f"{lo:g}{unit}以上" if lo is not None else f"{hi:g}{unit}以下"


def _severity_diffs(ctx, doc_rows: list[Fact], ref_rows: list[Fact], anc) -> list[tuple]:
    diffs = []
    for f in doc_rows:
        level = f.end_props.get("level")
        types = list(f.end_props.get("incident_types") or [])
        for dim, (word, unit) in _THRESHOLDS.items():
            mine = _range(f, dim)
            if mine is None:
                continue
            for r in ref_rows:
                if r.end_props.get("level") != level or not _compatible(
                        types, list(r.end_props.get("incident_types") or []), anc):
                    continue
                theirs = _range(r, dim)
                if theirs is not None and theirs != mine:
                    diffs.append((f, r, f"{level}：{word}{_fmt(mine, unit)}（对照：{_fmt(theirs, unit)}）"))
    return diffs


def _level_of(rows: list[Fact], s: dict) -> Fact | None:
    """The most severe level whose condition the scenario meets."""
    hits = [f for f in rows if any(a.holds(s) for a in cond.parse(f.props.get("condition") or ""))]
    return min(hits, key=lambda f: f.end_props.get("rank") or 9) if hits else None


def _dims(rows: list[Fact]) -> set[str]:
    out = set()
    for f in rows:
        for a in cond.parse(f.props.get("condition") or ""):
            out |= {t.dim for t in a.restrictions + a.triggers}
    return out


def _scenarios(dims: set[str]) -> list[dict]:
    seen, out = set(), []
    for s in cond.scenarios():
        s = {k: (v if k in dims else 0) for k, v in s.items()}
        key = tuple(sorted(s.items()))
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def _response_diffs(doc_rows: list[Fact], ref_rows: list[Fact]) -> list[tuple]:
    dims = _dims(ref_rows) & _dims(doc_rows)
    if not dims:
        return []
    diffs = []
    for s in _scenarios(_dims(ref_rows)):
        mine, theirs = _level_of(doc_rows, s), _level_of(ref_rows, s)
        if mine is None or theirs is None:
            continue
        if mine.end_props.get("rank") != theirs.end_props.get("rank"):
            diffs.append((mine, theirs, f"{cond.describe(s)}的一般事件：本预案为"
                          f"{mine.end_props.get('label') or mine.end_props.get('level')}，对照预案为"
                          f"{theirs.end_props.get('label') or theirs.end_props.get('level')}"))
    return diffs


def grading_conflicts(ctx: CheckContext) -> Iterator[Finding]:
    tops = _top_plans(ctx)
    if not tops:
        return
    ref_id = tops[0]
    anc = _ancestors(ctx)
    sev, resp = _defines(ctx, "SeverityLevel"), _defines(ctx, "ResponseLevel")
    for doc_id in sorted(set(sev) | set(resp)):
        if doc_id == ref_id:
            continue
        diffs = _severity_diffs(ctx, sev.get(doc_id, []), sev.get(ref_id, []), anc)
        if ctx.facts.doc(doc_id).level in _DISTRICT_RESPONSE_LEVELS:
            diffs += _response_diffs(resp.get(doc_id, []), resp.get(ref_id, []))
        if not diffs:
            continue
        d, ref = ctx.facts.doc(doc_id), ctx.facts.doc(ref_id)
        clauses, seen = [], set()
        for mine, _, _ in diffs:
            if (mine.section, mine.quote) not in seen:
                seen.add((mine.section, mine.quote))
                clauses.append(ctx.clause(doc_id, mine.section, mine.quote, role="本预案"))
        for _, theirs, _ in diffs:
            if (theirs.section, theirs.quote) not in seen:
                seen.add((theirs.section, theirs.quote))
                clauses.append(ctx.clause(ref_id, theirs.section, theirs.quote, role="对照预案"))
        points = list(dict.fromkeys(x for _, _, x in diffs))
        yield Finding(
            rule="grading_conflict", severity="error", subject=d.title or doc_id,
            title=f"{book(d.title) or doc_id}的分级标准与{book(ref.title) or ref_id}不一致",
            explanation=(f"{book(d.title) or doc_id}与{book(ref.title) or ref_id}对同一事件的分级不同："
                         + "；".join(points[:6]) + ("等" if len(points) > 6 else "") +
                         "。同一事件按两份预案会定为不同级别、由不同层级决定启动，应与上级预案统一。"),
            clauses=clauses[:10])


def _named(f: Fact, kind: str) -> bool:
    if kind == "start":
        return bool(f.end_props.get("starters") or f.props.get("starter"))
    return bool(f.end_props.get("ender"))


def response_gaps(ctx: CheckContext) -> Iterator[Finding]:
    for doc_id, rows in sorted(_defines(ctx, "ResponseLevel").items()):
        d = ctx.facts.doc(doc_id)
        name = book(d.title) or doc_id
        missing: list[tuple[Fact, str]] = []
        for kind, word in (("start", "启动"), ("end", "终止")):
            if not any(_named(f, kind) for f in rows):
                continue  # the plan names nobody for any level: nothing to compare with
            for f in rows:
                if not _named(f, kind) and not _HIGHER_COMMAND.search(f.quote):
                    missing.append((f, word))
        if missing:
            labels = list(dict.fromkeys(
                f"{f.end_props.get('label') or f.end_props.get('level')}未写明由谁决定{w}"
                for f, w in missing))
            gaps = list({(f.section, f.quote): f for f, _ in missing}.values())
            named = [f for f in rows if _named(f, "start") and (f.section, f.quote) not in
                     {(g.section, g.quote) for g in gaps}]
            clauses = [ctx.clause(doc_id, f.section, f.quote, role="未写明") for f in gaps][:4]
            enders = {(f.end_props.get("ender_section"), f.end_props.get("ender_quote"))
                      for f in rows if f.end_props.get("ender_quote")}
            clauses += [ctx.clause(doc_id, s or "", q, role="响应终止") for s, q in enders][:1]
            if not enders:
                clauses += [ctx.clause(doc_id, f.section, f.quote, role="其他级别")
                            for f in named[:1]]
            yield Finding(
                rule="response_level_gap", severity="error", subject=d.title or doc_id,
                title=f"{name}：" + "、".join(labels[:3]),
                explanation=(f"{name}的其他响应级别写明了决定启动或终止的主体，但"
                             + "；".join(labels) + "，响应启动或终止时无人可依。"
                             "应补充由哪个单位或职务决定。"),
                clauses=clauses)
        yield from _coverage_gap(ctx, doc_id, rows)


def _coverage_gap(ctx: CheckContext, doc_id: str, rows: list[Fact]) -> Iterator[Finding]:
    low = [f for f in rows if (f.end_props.get("rank") or 0) >= 3]
    if not low or not all(any(a.understood for a in cond.parse(f.props.get("condition") or ""))
                          for f in low):
        return  # levels worded in terms we cannot evaluate (预警信号, 险情类别)
    dims = _dims(rows)
    if not dims:
        return
    uncovered = [s for s in _scenarios(dims) if _level_of(rows, s) is None]
    if not uncovered:
        return
    d = ctx.facts.doc(doc_id)
    name = book(d.title) or doc_id
    ranges = cond.uncovered_ranges(lambda s: _level_of(rows, s) is not None,
                                   [a for f in rows for a in cond.parse(f.props.get("condition") or "")])
    examples = "；".join(ranges or [cond.describe(s) for s in uncovered[:3]])
    numeric = sorted((f for f in rows if cond.numeric(cond.parse(f.props.get("condition") or ""))),
                     key=lambda f: -(f.end_props.get("rank") or 0))
    seen, clauses = set(), []
    for f in numeric:
        if (f.section, f.quote) not in seen:
            seen.add((f.section, f.quote))
            clauses.append(ctx.clause(doc_id, f.section, f.quote, role="响应条件"))
    yield Finding(
        rule="response_level_gap", severity="error", subject=d.title or doc_id,
        title=f"{name}的响应条件有空档",
        explanation=(f"{name}各级响应的启动条件没有覆盖全部一般事件，例如：{examples}。"
                     "这些情形没有对应的响应级别，也就没有决定启动的主体。应调整相邻级别的条件使其衔接。"),
        clauses=clauses[:4])


RULES = [
    Rule(name="grading_conflict", title="分级标准冲突", severity="error",
         description="预案的事件分级标准（死亡、重伤、经济损失）或区级响应分级条件与总体预案不一致。",
         run=grading_conflicts),
    Rule(name="response_level_gap", title="响应级别空档", severity="error",
         description="某一响应级别没有写明由谁决定启动或终止，或各级响应条件之间有未覆盖的情形。",
         run=response_gaps),
]
