"""duty_card: one screen for the duty officer — who leads and supports, which plan, what response
level rule, which experts and resources — for a question that asks several of these at once
("燃气管道泄漏谁牵头？用哪个预案？找哪位专家？") or a bare incident report ("某小区燃气泄漏").

Each line is the answer of the module that owns that question type (units, levels, experts,
resources), asked with the same incident; citations, facts, experts and resources are merged.
Modules written later (levels, experts, resources) are imported lazily: a missing one leaves its
line out. Public API: ROUTES, answer(store, query), card(store, query, parts).
"""
from __future__ import annotations

import importlib
import re
from dataclasses import replace
from typing import Any

from kg.store import GraphStore
from retrieval.answers import Query
from retrieval.answers.units import plan_answer, unit_answer
from retrieval.contract import Answer, Citation, Fact, first_sentence

# What each part of a card is asked with (regexes over the normalised question).
PARTS: dict[str, str] = {
    "units": r"谁(?:来)?(?:牵头|负责|处置)|由谁(?:牵头|负责|处置)|哪个(?:单位|部门)(?:牵头|负责|处置)"
             r"|哪些(?:单位|部门)(?:配合|参与|协助)|谁配合",
    "plan": r"(?:哪个|哪一个|什么|哪些|哪份|哪部)(?:应急)?预案|(?:用|适用|启动|按|执行)(?:哪|什么)",
    "level": r"(?:几|哪一?|什么)级(?:别的?)?(?:应急)?响应|响应(?:级别|等级)(?:是|为)?(?:几|什么|哪)",
    "expert": r"(?:哪|什么|几)(?:位|个|些|类)?(?:方面的?|领域的?)?专家|(?:找|请|叫|联系)(?:哪|谁|什么)?.{0,4}专家"
              r"|专家.{0,3}(?:是谁|有谁|有哪些|找谁)",
    "resource": r"(?:哪些|什么|有没有|调|用)(?:应急)?(?:物资|装备|队伍|救援力量)|(?:物资|装备|队伍)(?:在哪|有哪些|有什么)",
}
# Questions about the documents themselves (do they agree, which article) are never a card.
_NOT_CARD = r"(?!.*(?:一致|一样|对得上|说法|矛盾|冲突|第几条|哪一条|哪条|依据|规定))"
ORDER = ("units", "plan", "level", "expert", "resource")


def _pairs_pattern() -> str:
    keys = list(PARTS)
    alts = [f"(?=.*(?:{PARTS[a]}))(?=.*(?:{PARTS[b]}))"
            for i, a in enumerate(keys) for b in keys[i + 1:]]
    return r"^" + _NOT_CARD + r"(?:" + "|".join(alts) + r")"


# Questions that ask no question at all: short reports of what happened (no 谁/哪/什么/吗…).
_BARE = (r"^(?!.*(?:谁|哪|什么|怎|几|吗|呢|多少|是否|能否|可否|如何|为何|为什么|依据|规定|条|一致|矛盾"
         r"|冲突|列出|介绍|说明|职责|负责|预案|清单|专家|物资|响应|要求|应当|需要|标准))[^？?]{3,30}[。！!]?$")

ROUTES: list[tuple[str, str, int]] = [
    ("duty_card", _pairs_pattern(), 5),  # two or more parts asked at once: before single intents
    ("duty_card", _BARE, 95),  # a bare report: only when no single-intent rule matched
]

_MODULES = {"level": ("retrieval.answers.levels", "response_level"),
            "expert": ("retrieval.answers.experts", "expert"),
            "resource": ("retrieval.answers.resources", "resource")}
_LABELS = {"units": "牵头/配合", "plan": "适用预案", "level": "响应级别", "expert": "专家",
           "resource": "物资队伍"}


def asked_parts(text: str) -> list[str]:
    """The parts a question asks for, in card order; all of them for a bare report."""
    parts = [p for p in ORDER if re.search(PARTS[p], text)]
    return parts if len(parts) >= 2 else list(ORDER)


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _part(store: GraphStore, query: Query, part: str, incident) -> Answer | None:
    try:
        ents = [incident, *[e for e in query.entities if e.type != "IncidentType"]]
        if part == "units":
            return unit_answer(store, replace(query, intent="lead_unit", entities=ents), "lead_unit")
        if part == "plan":
            return plan_answer(store, replace(query, intent="plan_for_incident", entities=ents))
        mod_name, intent = _MODULES[part]
        mod = _module(mod_name)
        if mod is None:
            return None
        sub = replace(query, intent=intent, entities=ents)
        return mod.answer(store, sub)
    except Exception:  # one module's failure must not cost the officer the whole card
        return None


def card(store: GraphStore, query: Query, parts: list[str]) -> Answer | None:
    orphan = uncovered(store, query)
    linked = query.first("IncidentType")
    if orphan is not None and linked is None:
        return with_residual_rule(query, orphan, None)
    base = _card(store, query, parts)
    return with_residual_rule(query, orphan, base) if orphan is not None else base


def uncovered(store: GraphStore, query: Query):
    """The check finding for an incident type the question names that no plan covers."""
    from retrieval.answers.consistency import uncovered_incident

    try:
        return uncovered_incident(store, query)
    except Exception:  # no taxonomy or a failing check: the card as the plans give it
        return None


def with_residual_rule(query: Query, finding, base: Answer | None) -> Answer:
    """No plan names a lead for the type asked about: say so, quote the general plan's rule for
    unlisted incidents first, then the card of the type the wording also names (the fire in
    "储能电站着火") as the immediate response."""
    rule = next((c for c in finding.clauses if c.role == "兜底条款"), None)
    table = [c for c in finding.clauses if c is not rule]
    name = finding.subject
    text = f"【{name}】没有预案规定{name}的牵头单位（事件分类表列有该类型，但没有预案覆盖它）。"
    if rule is not None:
        text += f"按《{rule.title.strip('《》')}》{rule.section}：“{rule.quote}”"
    cites = [Citation(doc_id=c.doc_id, title=c.title or c.doc_id, section=c.section, quote=c.quote)
             for c in ([rule] if rule else []) + table if c.quote]
    facts = [Fact(subject=name, relation="ORPHAN_INCIDENT_TYPE", object=finding.title,
                  doc_id=cites[0].doc_id if cites else "", section=cites[0].section if cites else "")]
    if base is None:
        return Answer(question=query.question, intent="duty_card", entities=query.entities,
                      answer=text, facts=facts, citations=cites)
    head = cites[:1]
    return base.model_copy(update={
        "answer": f"{text}\n先期处置按{_headed(base.answer)}",
        "facts": facts + base.facts,
        "citations": head + [c for c in base.citations if c not in head] + cites[1:]})


def _headed(card_text: str) -> str:
    """"【火灾事故】\n牵头……" → "火灾事故：\n牵头……" (the card continues a sentence)."""
    m = re.match(r"\s*【([^】]+)】\n?", card_text)
    return f"{m.group(1)}：\n{card_text[m.end():]}" if m else card_text.lstrip()


# Citations each part of a card keeps (its first, strongest sources): the card is read in the
# first minute, the numbered list below it resolves every [n].
_CITES_PER_PART = {"units": 3, "plan": 2, "level": 4, "expert": 1, "resource": 2}
MAX_EXPERTS = 5
UNSURE = "（待核实）"  # after a line's label: the part could not be fixed, the line lists evidence
MAX_RESOURCE_TEXT = 90


def _without_basis(text: str) -> str:
    """A part's answer without its own "（依据：…）" list of sources: the card numbers them."""
    start = text.find("（依据：")
    if start < 0:
        return text
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "（":
            depth += 1
        elif text[i] == "）":
            depth -= 1
            if depth == 0:
                return (text[:start] + text[i + 1:]).strip()
    return text[:start].strip()


def _level_rule(store: GraphStore, query: Query, ents) -> Answer | None:
    """The response-level line as a condition: each level with the threshold that starts it,
    and who starts it. A level is asserted (levels.py) only when the description gives the
    figures (deaths, injuries, people evacuated, loss) the thresholds are stated in."""
    from retrieval.answers import levels
    from retrieval.answers.applicable import cite, plan_rows, source

    sub = replace(query, intent="response_level", entities=ents)
    if levels.figures(query.text):
        graded = _module_answer(store, replace(sub, intent="grading"), levels)
        if graded is not None and graded.citations:
            return graded
    plans = plan_rows(store, sub, "response_levels_of_plans")
    if not plans:
        return None
    plan, rows = plans[0]
    first: dict[str, dict[str, Any]] = {}
    for r in sorted(rows, key=lambda r: (r.get("rank") or 9, r.get("section") or "")):
        first.setdefault(r.get("level") or "", r)
    conds = []
    for r in first.values():
        cond = (r.get("condition") or r.get("quote") or "").rstrip("。；;")
        starter = r.get("starter") or ""
        name = r.get("label") or f"{r.get('level')}响应"
        conds.append(f"{name}——{cond}" + (f"（{starter}决定启动）" if starter else ""))
    if not conds:
        return None
    text = (f"视事态按{source(plan, [])}启动：" + "；".join(conds)
            + "。描述未给出伤亡、损失等数字，暂不判定级别。")
    return Answer(question=query.question, intent="response_level", entities=ents, answer=text,
                  citations=cite(plan, [(r["section"], r["quote"]) for r in first.values()],
                                 store))


def _module_answer(store: GraphStore, query: Query, mod) -> Answer | None:
    try:
        return mod.answer(store, query)
    except Exception:  # one module's failure must not cost the officer the whole card
        return None


def _line_text(part: str, a: Answer) -> str:
    text = _without_basis(a.answer.strip()).replace("\n", " ")
    if part == "expert":
        return first_sentence(text)
    if part == "resource":
        names = [str(r.get("name")) for r in a.resources if r.get("name")]
        if names:
            return "、".join(dict.fromkeys(names[:6])) + ("等，详见下表。" if len(names) > 6
                                                          else "，详见下表。")
        if len(text) > MAX_RESOURCE_TEXT:
            return text[:MAX_RESOURCE_TEXT].rstrip("，、；：") + "……（详见引用原文）"
    return text


def _refs(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _number(cites: list[Citation], new: list[Citation]) -> list[int]:
    """The 1-based numbers of `new` in the card's citation list (appended when new)."""
    out = []
    for c in new:
        if c not in cites:
            cites.append(c)
        out.append(cites.index(c) + 1)
    return list(dict.fromkeys(out))


def _expert_refs(experts: list[dict[str, Any]], pool: list[Citation],
                 cites: list[Citation]) -> list[dict[str, Any]]:
    """The experts shown (at most MAX_EXPERTS, in the expert module's ranking), each with the
    number of the roster row it came from."""
    out = []
    for e in experts[:MAX_EXPERTS]:
        name = str(e.get("name") or "")
        rows = [c for c in pool if name and name in c.quote]
        # the expert's own roster row before a summary row listing several names
        rows.sort(key=lambda c: f"{name}、" in c.quote or f"、{name}" in c.quote)
        row = rows[0] if rows else None
        out.append({**e, "refs": _number(cites, [row]) if row else []})
    return out


def _differing(a: Answer) -> int:
    """How many plans the units answer names as saying otherwise ("注意：另有预案表述不同——
    《X》写的是…牵头；…"); units.py cites them last."""
    _, sep, rest = a.answer.partition("另有预案表述不同")
    return rest.count("写的是") if sep else 0


def _leads(a: Answer) -> set[str]:
    return {f.subject for f in a.facts if f.relation == "LEADS"}


def _hazard_lead(store: GraphStore, query: Query, incident, base: Answer):
    """(hazard, its units answer) when a hazard the description names has an incident type of
    its own with another lead ("危险化学品仓库起火": a fire, but 危险化学品事故 are led by
    another unit): the card then gives both, each with the condition it applies under."""
    for e in query.entities:
        if e.type not in ("Hazard", "Field") or e.name in incident.name:
            continue
        alt = query.gazetteer.closest(e.name, "IncidentType")
        if alt is None or alt.name == incident.name:
            continue
        b = _part(store, query, "units", alt)
        if b is None or not b.citations or b.status != "answered" or not _leads(b):
            continue
        named = b.entities[0].name if b.entities else ""
        if named == alt.name and _leads(b) != _leads(base):  # the hazard's own type and lead
            return e.name, b
    return None


def _card(store: GraphStore, query: Query, parts: list[str]) -> Answer | None:
    incident = query.first("IncidentType")
    if incident is None and query.entities == [] and re.search(_BARE, query.text):
        return None  # a bare sentence about nothing we know: leave it to the passages
    incident = incident or query.incident()
    if incident is None:
        return None
    ents = [incident, *[e for e in query.entities if e.type != "IncidentType"]]
    lines: list[str] = []
    facts: list[Fact] = []
    cites: list[Citation] = []
    experts: list[dict[str, Any]] = []
    resources: list[dict[str, Any]] = []
    got = 0
    for part in parts:
        a = (_level_rule(store, query, ents) if part == "level"
             else _part(store, query, part, incident))
        if a is None or not a.citations:
            continue
        got += 1
        own = a.citations[:_CITES_PER_PART.get(part, 2)]
        differ = _differing(a) if part == "units" else 0
        if differ:  # plans that name another lead: cited too, and the line is to be checked
            own += [c for c in a.citations[-differ:] if c not in own]
        text = _line_text(part, a)
        if part == "units":
            hazard = _hazard_lead(store, query, incident, a)
            if hazard is not None:
                hazard_name, b = hazard
                numbers = _number(cites, b.citations[:2])
                text = (f"涉及{hazard_name}时，{_line_text(part, b).rstrip('。')}{_refs(numbers)}；"
                        f"不涉及{hazard_name}时，{text}")
                facts += [f for f in b.facts if f not in facts]
        if part == "expert" and a.experts:
            experts += _expert_refs(a.experts, a.citations, cites)
        numbers = _number(cites, own)
        label = _LABELS[part] + ("" if a.status == "answered" and not differ else UNSURE)
        lines.append(f"{label}：{text}{_refs(numbers)}")
        facts += [f for f in a.facts if f not in facts]
        resources += a.resources
    if not got:
        return None
    others = [e.name for e in ents[1:] if e.type in ("Hazard", "Field")
              and e.name not in incident.name]
    head = f"【{incident.name}】" + (f"涉及：{'、'.join(dict.fromkeys(others))}" if others else "")
    text = head + "\n" + "\n".join(lines)
    return Answer(question=query.question, intent="duty_card", entities=query.entities or [incident],
                  answer=text, facts=facts, citations=cites, experts=experts, resources=resources)


def answer(store: GraphStore, query: Query) -> Answer | None:
    return card(store, query, asked_parts(query.text))
