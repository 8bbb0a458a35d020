"""member_duty: what a unit does in an incident, from plan member duties and 四类清单 rows.

The unit asked about is a linked organisation or, for sub-units and groups the gazetteer does
not know by the question's wording ("居委会"), the duty holder whose name shares the most with
the question or that the name shortens ("危化科" for 危险化学品安全监督管理科). Its duties are
ranked by: about the asked incident type (or a parent or subtype of it, or written in a plan
that assigns the unit a part in it), what the question asks beyond unit and incident (a duty
written for its condition, a timed action when the first one is asked: duty_focus), the plan
that speaks for the incident (its own special plan, then the general plan, then other plans),
then duty-list rows (责任清单 first), and the words the question shares with the duty. When none
of its duties is about that incident, the answer says so and lists the closest ones.
"""
from __future__ import annotations

import re
from typing import Any

from kg.store import GraphStore
from retrieval.answers import Query
from retrieval.answers._match import bigrams, cite, clean, question_bigrams, source
from retrieval.answers.duty_focus import focus_score
from retrieval.answers.units import source_rank
from retrieval.contract import Answer, Entity, Fact
from retrieval.normalize import in_order
from retrieval.passages import strip_number
from retrieval.scope import district_core

ROUTES: list[tuple[str, str, int]] = [
    ("member_duty",
     r"(?:负责|负|干|做|管|承担)(?:什么|啥|嘛|哪些)|要做什么|要干|做什么|职责|具体管|负什么责"
     r"|清单里(?:是)?怎么|清单里(?:有)?哪些|要管吗|先做什么|负责哪"
     r"|(?:局|委|办|中心|站|所|队|科|公司|单位|指挥部|居委会|村委会)(?:应该|应当|该|要|需要)?"
     r"(?:怎么做|怎么办|如何做|如何应对)",
     15),
]

_SUB_UNIT = re.compile(r"(?:^|[的，,、；后时了])((?:(?!的)[\u4e00-\u9fff]){0,10}?(?:科|中心|站|所|队|办|居委会|村委会|分指挥部))"
                       r"(?=[的在要负干做具先接碰对管该应需怎如第首立马多，,]|$)")
_UNIT_WORD = re.compile(r"(?:分局|局|委员会|委|办公室|办|中心|支队|大队|公司)$")
# Common shorthand for grass-roots units and the names documents use for them.
_LONG_FORMS = {"居委会": ("居民委员会",), "村委会": ("村民委员会",)}
_SENTENCE = re.compile(r"(?<=[。\n])")
# A task given to the unit named before it.
_TASK = re.compile(r"负责|组织|督促|做好|承担|开展|落实|提供|协助|报告|到达|完成|通知|"
                   r"实施|调派|引导|疏散|转移|救治|监测|处置")
_LIST_ORDER = {"责任清单": 0, "任务清单": 1, "监管清单": 2, "权力清单": 3}
_GENERIC_ORG = set("区局委办会所队中心公司街道镇")


def _core(incident: str) -> str:
    return re.sub(r"(?:突发)?(?:事故|事件|灾害)$", "", incident)


def _org_score(q: str, qb: set[str], org: str, heads: list[str], linked: dict[str, str]) -> float:
    best = 0.0
    if org in linked:
        if linked[org]:
            return 1.0
        best = 0.8  # linked by a looser rule (no surface in the question): a named unit wins
    for name in [org, *[h for h in heads if h]]:
        if len(name) >= 2 and name in q:
            return 1.0
        nb = {b for b in bigrams(name) if not set(b) <= _GENERIC_ORG}
        if not nb:
            continue
        hit = len(qb & nb)
        if hit >= 2:
            best = max(best, min(0.9, hit / len(nb) + 0.1 * hit))
    return best


def _sub_units(q: str, known: set[str]) -> list[str]:
    """Units the question names that the gazetteer may not know (危化科, 居委会, 区急救中心,
    园区应急分指挥部): a name ending like a unit, after the start, 的 or a comma."""
    out = []
    for m in _SUB_UNIT.finditer(q):
        name = re.split(r"[后时了]", m.group(1))[-1]  # "泄漏后镇水务站": the unit after the event
        if len(name) >= 2 and name not in known and name not in out and not any(name in k for k in known):
            out.append(name)
    return out


def _by_short_word(q: str, orgs: list[str]) -> list[tuple[float, str]]:
    """"消防" for 区消防救援局, "公安" for 区公安分局: the first two characters of a unit's
    distinctive part, when no other unit's part starts with them."""
    cores: dict[str, list[str]] = {}
    for o in orgs:
        core = _UNIT_WORD.sub("", district_core(o))
        if len(core) >= 2:
            cores.setdefault(core[:2], []).append(o)
    return [(0.8, owners[0]) for w, owners in cores.items() if len(owners) == 1 and w in q]


def _gives_task(tail: str) -> bool:
    """The words after a unit's name give it a task ("配合，负责……"), not to the next unit nor
    name the unit's area ("适用于新华街道辖区内发生的……处置")."""
    tail = re.split(r"[。；;]|，由|，区|、区", tail)[0]
    return not tail.startswith(("的", "和", "辖区", "行政区域", "范围", "境内")) and bool(_TASK.search(tail))


def _abbreviates(short: str, full: str) -> bool:
    """"危化科" for 危险化学品安全监督管理科, "应急局" for 区应急管理局: the short name's characters
    in order within the full one, starting with its first distinctive character and ending with
    the same unit word."""
    core = district_core(full)
    if len(short) < 3 or len(core) <= len(short) or short[0] != core[0] or short[-1] != full[-1]:
        return False
    return in_order(short, core)


def _after_parent(name: str) -> list[str]:
    """"应急管理局危化科" names the 科 after the 局 it belongs to: the name, then what follows
    each parent-unit word in it."""
    return [name] + [name[i + 1:] for i, ch in enumerate(name[:-3]) if ch in "局委办"]


def _subject_of(sentence: str, unit: str) -> bool:
    """The unit opens the sentence or one of its clauses ("……；园区指挥部在10分钟内通知……")."""
    return any(strip_number(part).startswith(unit) for part in re.split(r"[；;：:]", sentence))


def _from_unit(sentence: str, unit: str) -> str:
    """The sentence from the unit's first task-giving mention on ("事故企业报告园区指挥部；园区
    指挥部在10分钟内通知……" → "园区指挥部在10分钟内通知……")."""
    for m in re.finditer(re.escape(unit), sentence):
        if _gives_task(sentence[m.end():]):
            # a condition before it ("……泄漏的，园区指挥部组织……") is part of the duty
            return sentence[m.start():] if re.search(r"[；;]$", sentence[:m.start()]) else sentence
    return sentence


def _unit_clause(sentence: str, unit: str) -> str:
    """The clause that speaks of the unit: from its first task-giving mention to the next "；"
    (what follows may be another unit's task)."""
    return re.split(r"[；;]", _from_unit(sentence, unit))[0]


def _task_cell(row: str, unit: str) -> str:
    """A table row ("| 地铁站 | 区公安分局 | 运营单位负责站内客流组织 |") says the unit's task in
    one cell: that cell is the duty's text; a sentence is its own text."""
    cells = [c.strip() for c in re.split(r"[|｜\t\u3000]", row) if c.strip()]
    if len(cells) < 2:
        return row
    return next((c for c in cells for m in re.finditer(re.escape(unit), c)
                 if _gives_task(c[m.end():])), row)


def duty_sentences(store: GraphStore, unit: str, holder: str) -> list[dict[str, Any]]:
    """Sentences (or table rows) of any document that give `unit` a task ("……区卫生健康委配合，
    负责病人救治", "居委会负责：……"): duties no duty fact holds. Each is a duty row of `holder`;
    its quote is the sentence as written (an item number kept), its text without the number, its
    context the whole section (which may name the incident the sentence is about)."""
    out = []
    for r in store.query("sections_mentioning", unit=unit):
        for s in _SENTENCE.split(r["text"] or ""):
            s = s.strip()
            if not any(_gives_task(s[m.end():]) for m in re.finditer(re.escape(unit), s)):
                continue
            text = _task_cell(strip_number(s), unit)
            out.append({"subject": _subject_of(text, unit), "org": holder,
                        "duty": f"{r['doc_id']}#{r['path']}#{text[:40]}",
                        "kind": "sentence", "list_kind": None, "head": unit, "item": None,
                        "text": text, "content": None, "about": None, "doc_id": r["doc_id"],
                        "title": r["title"], "level": r["level"], "doc_kind": r["doc_kind"],
                        "section": r["path"], "quote": s, "context": r["text"] or "",
                        "clause": _unit_clause(text, unit), "from_unit": _from_unit(text, unit)})
    return out


def _said_in_facts(row: dict[str, Any], facts: list[dict[str, Any]]) -> bool:
    """A sentence a duty fact of the same unit already quotes (the numbered line the fact was
    read from): one citation of it is enough."""
    s = clean(row["quote"])
    return any(f["kind"] != "sentence" and f["org"] == row["org"] and f["doc_id"] == row["doc_id"]
               and (s in clean(f["quote"]) or clean(f["quote"]) in s) for f in facts if f["quote"])


def answer(store: GraphStore, query: Query) -> Answer | None:
    q = query.text
    qb = question_bigrams(q)
    linked = {e.name: e.surface for e in query.all("Organization")}
    holders = store.query("duty_holders")
    scored = [(_org_score(q, qb, h["org"], h.get("heads") or [], linked), h["org"]) for h in holders]
    scored = [(s, o) for s, o in scored if s >= 0.5]
    # Units named in the question that hold no duty fact: their tasks are in sentences.
    holder_names = {h["org"] for h in holders}
    named = [o for o in linked if linked[o] and o not in holder_names]
    subs = _sub_units(q, {*linked, *(s for s in linked.values() if s)})
    extra: list[dict[str, Any]] = []
    specific: list[str] = []  # sub-units the question names ("东湖街道的居委会"): the part, not the whole
    for unit in [*named, *subs]:
        rows = [r for form in (unit, *_LONG_FORMS.get(unit, ())) for r in duty_sentences(store, form, unit)]
        if rows:
            extra += rows
            scored.append((1.05, unit))  # more specific than the unit it belongs to
            specific += [unit] if unit in subs else []
        elif unit in subs:  # "危化科": a holder's name shortened the usual way
            for h in sorted(holder_names):
                if any(_abbreviates(short, h) for short in _after_parent(unit)):
                    scored.append((1.05, h))
                    specific.append(h)
    # "东湖街道的居委会", both known units: the one after 的 is asked about, the other says whose
    specific += [o for o, surf in linked.items() if surf and any(
        p and p != surf and re.search(f"{re.escape(p)}[^，,。？?]{{0,4}}的{re.escape(surf)}", q)
        for p in linked.values())]
    if not scored:
        scored = _by_short_word(q, [h["org"] for h in holders])
    if not scored:
        return None
    org_scores = dict((o, s) for s, o in scored)
    if max(org_scores.values()) >= 1.0:  # a unit named in the question: no look-alikes
        org_scores = {o: s for o, s in org_scores.items() if s >= 0.95}
    if specific:
        org_scores = {o: s for o, s in org_scores.items() if o in specific}
    parents = [s for s in linked.values() if s]
    # A unit whose name is part of a longer holder named in the question ("区市场监管局" in
    # "区市场监管局检验检测中心") yields to that more specific holder.
    literal = [o for o in org_scores if o in q]
    for o in list(org_scores):
        if any(o != longer and o in longer for longer in literal):
            del org_scores[o]
    rows = store.query("duties_of_orgs", orgs=[o for o in org_scores if o in holder_names])
    for o in org_scores:  # the asked unit's tasks written into other sentences
        if o in holder_names and org_scores[o] >= 1.0:
            rows += duty_sentences(store, linked.get(o) or o, o) if (linked.get(o) or o) in q else []
    rows += [r for r in extra if r["org"] in org_scores]
    rows = [r for r in rows if r["kind"] != "sentence" or not _said_in_facts(r, rows)]
    if not rows:
        return None
    incident = query.incident()
    family: set[str] = set()
    if incident is not None:
        family = {incident.name, *query.gazetteer.categories.get(incident.name, [])}
        family |= {n for n, cats in query.gazetteer.categories.items() if incident.name in cats}

    all_aliases = query.gazetteer.aliases("IncidentType") if incident is not None else []
    aliases = [s for s, n in all_aliases if incident is not None and n == incident.name]
    family_aliases = [s for s, n in all_aliases if n in family]
    # Plans that give the unit a part in this very incident ("地铁站大客流的：区建管委牵头，轨道交通
    # 运营单位配合") although their own title is another type (地下空间突发事件): the unit's
    # duties there serve it. A general plan gives every unit a part in everything: not counted.
    assigned = set()
    if incident is not None:
        subtypes = [n for n, cats in query.gazetteer.categories.items() if incident.name in cats]
        assigned = {(u["org"], u["doc_id"]) for u in store.query(
            "units_for_incidents", incidents=[incident.name, *subtypes])
            if u["org"] in org_scores and u["level"] != "总体"}
    duties: dict[str, dict[str, Any]] = {}
    for r in rows:
        d = duties.setdefault(r["duty"], {**r, "abouts": set()})
        if r["about"]:
            d["abouts"].add(r["about"])

    def inc_score(d: dict[str, Any]) -> float:
        if incident is None:
            return 0.0
        if incident.name in d["abouts"]:
            return 1.0
        if d["abouts"] & family:
            return 0.7
        said = [x for x in (incident.surface, incident.name, *aliases) if x and len(x) >= 3]
        if any(x in text_of(d) for x in said):
            return 0.8  # the duty names the incident as the question does
        if any(x in text_of(d) for x in family_aliases if len(x) >= 3):
            return 0.7
        if (d["org"], d["doc_id"]) in assigned:
            return 0.7
        core = _core(incident.name)
        if core and (core in (d["title"] or "") or len(core) >= 3 and core in text_of(d)):
            return 0.6
        if any(x in d.get("context", "") for x in [*said, *family_aliases] if len(x) >= 3):
            return 0.6  # a sentence in a paragraph about the incident
        return 0.0

    def src_bonus(d: dict[str, Any]) -> float:
        # a sub-unit in the document of the unit it belongs to ("东湖街道的居委会")
        own = d["org"] in specific and any(p in (d["title"] or "") for p in parents if p not in d["org"])
        if d["kind"] == "sentence":  # a duty fact, when there is one, says it more directly
            # a sentence whose subject is the unit
            return (0.2 if own else -0.6) + (0.5 if d.get("subject") else 0.0)
        if d["doc_kind"] == "plan":
            rank = source_rank(d, incident.name) if incident else 3
            return 0.3 - 0.05 * rank + (1.0 if own else 0.0)
        return 0.2 - 0.03 * _LIST_ORDER.get(d["list_kind"] or "", 4)

    def text_of(d: dict[str, Any]) -> str:
        return d.get("content") or d.get("text") or d.get("quote") or ""

    ranked = []
    # The unit's own name says who, not what: a sentence naming it gains nothing from it.
    named_bigrams = {o: bigrams(o) | bigrams(linked.get(o) or "") for o in org_scores}
    for d in duties.values():
        qd = qb - named_bigrams.get(d["org"], set())
        words = len(qd & bigrams(text_of(d) + (d.get("item") or "" if d["kind"] != "member_duty" else "")))
        s_inc = inc_score(d)
        focus = focus_score(q, d.get("clause") or text_of(d))
        score = 3 * org_scores[d["org"]] + 2 * s_inc + 0.5 * words + src_bonus(d) + focus
        ranked.append((score, s_inc, d, focus))
    ranked.sort(key=lambda x: -x[0])
    org = ranked[0][2]["org"]
    mine = [x[:3] for x in ranked if x[2]["org"] == org]
    focused = {id(x[2]) for x in ranked if x[3] > 0}
    about = [x for x in mine if x[1] > 0]
    if about:  # a duty that outranks every one about the incident (the question's words) stays
        about = [x for x in mine if x[1] > 0 or x[0] > about[0][0]]
    if incident is not None and not about:
        shown = mine[:3]
        head = (f"{org}的职责中未写明{incident.name}方面的内容，"
                f"最相近的职责有：")
    else:
        pool = about or mine
        top = pool[0][0]
        shown = [x for x in pool if x[0] >= top - 1.5]
        # a sentence written for what is asked (a condition, a timed action) counts as a fact
        facts_shown = [x for x in shown if x[2]["kind"] != "sentence" or id(x[2]) in focused]
        if len(facts_shown) >= 3:  # enough duty facts: sentences only stand in for missing ones
            shown = facts_shown
        elif len(facts_shown) == 2:  # one sentence at most beside two facts
            first = next((x for x in shown if x not in facts_shown), None)
            shown = [x for x in shown if x in facts_shown or x is first]
        shown = shown[:3]
        head = f"{org}" + (f"在{incident.name}中" if incident is not None and shown[0][1] > 0 else "") + "的职责："
    items = []
    for i, (_, _, d) in enumerate(shown, 1):
        said = d.get("from_unit") or text_of(d)  # a sentence: from where the unit's task begins
        items.append(f"{'①②③'[i - 1] if len(shown) > 1 else ''}{clean(said).rstrip('。；;')}"
                     f"（{source(d)}）")
    text = head + "；".join(items) + "。"
    used = [d for _, _, d in shown]
    facts = []
    for d in used:
        for a in sorted(d["abouts"]) or [""]:
            facts.append(Fact(subject=d["org"], relation="HAS_DUTY",
                              object=a or clean(text_of(d))[:40], doc_id=d["doc_id"],
                              section=d["section"] or ""))
    entities = [Entity(type="Organization", name=org)] + ([incident] if incident else [])
    return Answer(question=query.question, intent="member_duty", entities=entities, answer=text,
                  facts=facts, citations=cite(used))
