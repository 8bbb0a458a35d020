"""consistency: "is X consistent with Y", answered from the consistency checks (kg/checks).

The checks run over the store (graph-only, no embeddings) once per stored state; the question
is matched to the finding whose documents, subject and wording it shares most, and the answer
states the finding with both clauses cited. A lead question whose incident type has no lead
conflict is answered "一致" with the plans that agree, cited (two named plans at the level both
write). A question on one cited article is answered on that article only (article_check); "A说……，
和B一致吗" without a finding on both quotes the two documents (statements). `uncovered_incident`
gives the duty card the finding for a type no plan covers.
"""
from __future__ import annotations

import re
import threading
from typing import Any

from kg.checks import CheckReport, Finding, run_checks
from kg.store import GraphStore
from retrieval.answers import Query, article_check, statements
from retrieval.answers._match import GENERIC, bigrams, question_bigrams
from retrieval.contract import Answer, Citation, Entity, Fact, first_sentence
from retrieval.scope import quoted_place_grams

ROUTES: list[tuple[str, str, int]] = [
    ("consistency",
     r"一致吗|一致不|是否一致|一样吗|对得上|对不上|说法一致|还对吗|对吗|还能用吗|还适用|现行版本"
     r"|是哪个版本|哪个版本|名称还|覆盖不到|有没有空档|有空档|有没有(?:这一条|这条|这项)|有这一条吗"
     r"|有这个分工|有没有.{0,12}(?:清单|预案)里|清单里有没有|对口专家|找不到对口|还写着|讲什么的|都规定了.{0,16}吗|预案有吗",
     3),
]

# Words in a question that point at one rule (what kind of inconsistency is asked about).
_RULE_CUES: dict[str, str] = {
    "lead_conflict": r"牵头|谁负责|负责单位",
    "grading_conflict": r"标准|分级|较大|重大|一般事故|损失",
    "response_level_gap": r"响应|启动|终止|覆盖不到|空档",
    "outdated_name": r"名称|叫法|现在是哪个单位|还写着|旧称|“区",
    "dangling_plan_reference": r"还能用吗|预案有吗|这个预案|存在吗|引用的《",
    "superseded_regulation": r"版本|现行|修正|修订|还适用",
    "nonexistent_article": r"第[一二三四五六七八九十百零]+条",
    "duty_missing_in_list": r"清单里有|清单里有没有|清单里有这|有没有这一条|有这一条吗|有没有",
    "list_duty_without_plan": r"清单(?:里)?(?:说|写)|预案里有这个分工|对得上吗|有这个分工",
    "hazard_without_expert": r"风险源|对口专家|(?:找不到|没有|缺)[^，。？]{0,6}专家",
    "orphan_incident_type": r"没有预案|哪个预案|用哪个预案",
}
_STOP = {"预案", "一致", "清单", "里的", "吗？", "单位", "说的", "总体", "体预"}
_CACHE: dict[Any, tuple[tuple, CheckReport]] = {}
_LOCK = threading.Lock()
_REFERENCES: dict[tuple, Any] = {}


def _reference():
    """The taxonomy tables the checks compare with (renamed units, incident types, hazards,
    fields), from the configured taxonomy directory; empty when there is none."""
    from ingest.check_reference import check_reference
    from ingest.taxonomy import load_taxonomy
    from kg.checks.model import Reference
    from kg.settings import load_settings

    directory = load_settings().taxonomy_dir
    if not directory.is_dir():
        return Reference()
    # Read once per state of the tables: the duty card asks on every question.
    state = (str(directory), tuple(sorted((p.name, p.stat().st_mtime_ns)
                                          for p in directory.iterdir() if p.is_file())))
    with _LOCK:
        cached = _REFERENCES.get(state)
    if cached is None:
        cached = check_reference(load_taxonomy(directory))
        with _LOCK:
            _REFERENCES.clear()
            _REFERENCES[state] = cached
    return cached


def _report(store: GraphStore) -> CheckReport:
    """The whole-store report, recomputed when any document's version changes."""
    state = tuple((r["doc_id"], r["version"]) for r in store.query("documents"))
    key = id(store)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached and cached[0] == state:
            return cached[1]
    report = run_checks(store, reference=_reference())
    with _LOCK:
        _CACHE[key] = (state, report)
    return report


def taxonomy_surfaces(reference) -> list[tuple[str, str]]:
    """(surface, incident type) from the taxonomy tables: each non-root incident type's name and
    aliases, and each hazard's name and aliases for the one incident type it belongs to."""
    out: list[tuple[str, str]] = []
    for r in reference.incident_types:
        if r.parent:
            out += [(s, r.name) for s in [r.name, *r.aliases]]
    for h in reference.hazards:
        if len(h.incident_types) == 1:
            out += [(s, h.incident_types[0]) for s in [h.name, *h.aliases]]
    return out


def named_unlinked_type(text: str, surfaces: list[tuple[str, str]], known: set[str]) -> str | None:
    """The incident type of the longest taxonomy surface in `text` whose type the graph does not
    know (no plan mentions it, so the linker cannot name it)."""
    hits = [(len(s), t) for s, t in surfaces if len(s) >= 3 and s in text and t not in known]
    return max(hits)[1] if hits else None


def uncovered_incident(store: GraphStore, query: Query) -> Finding | None:
    """The "no plan covers this incident type" finding for a type the question names, if any."""
    known = query.gazetteer.names("IncidentType") if query.gazetteer else set()
    name = named_unlinked_type(query.text, taxonomy_surfaces(_reference()), known)
    if name is None:
        return None
    return next((f for f in _report(store).findings
                 if f.rule == "orphan_incident_type" and f.subject == name), None)


def _blob(f: Finding) -> str:
    parts = [f.subject, f.title, f.explanation]
    parts += [f"{c.title} {c.quote}" for c in f.clauses]
    return " ".join(parts)


_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,30})[”\"」』]")


def _score(f: Finding, q: Query, qgrams: set[str]) -> float:
    head_text = f"{f.subject} {f.title} " + " ".join(c.title for c in f.clauses[:2])
    head = bigrams(head_text)
    body = bigrams(_blob(f))
    s = 2.0 * len(qgrams & head) + 0.5 * len(qgrams & body)
    for e in q.entities:
        if e.name and e.name in head_text:
            s += 6.0
        elif e.name and e.name in _blob(f):
            s += 2.0
    for quoted in _QUOTED.findall(q.question):  # "…里的“区安监局”…": the very thing asked
        if quoted == f.subject or quoted in f.title:
            s += 12.0
    s += _cue(f.rule, q)
    first = f.clauses[0].title if f.clauses else ""
    if "清单" in q.text and "预案" not in q.text.split("清单")[0][-6:]:
        s += 4.0 if "清单" in first else 0.0
    return s


def _cue(rule: str, q: Query) -> float:
    cue = _RULE_CUES.get(rule)
    return 6.0 if cue and re.search(cue, q.text) else 0.0


def _question_grams(text: str) -> set[str]:
    """The question's bigrams that pick a finding or a plan: not its frame words, nor the place
    of a title it quotes (every plan of that place shares it)."""
    return {b for b in question_bigrams(text) if b not in _STOP} - quoted_place_grams(text)


def answer(store: GraphStore, query: Query) -> Answer | None:
    report = _report(store)
    qgrams = _question_grams(query.text)
    ranked = sorted(report.findings, key=lambda f: -_score(f, query, qgrams))
    asked = article_check.asked_article(query.text)
    if asked is not None:  # "引用的《X》第N条对吗": only a finding on that article answers it
        about = [f for f in ranked if article_check.is_about(f, asked)]
        checked = (_finding_answer(query, about[:1]) if about
                   else article_check.answer(store, query, asked))
        if checked is not None:
            return checked
    incident = query.first("IncidentType")
    best = ranked[0] if ranked else None
    best_score = _score(best, query, qgrams) if best else 0.0
    lead_q = re.search(_RULE_CUES["lead_conflict"], query.text)
    if lead_q and incident is None and len(_named_plans(store, query)) >= 2:
        incident = query.incident()  # two plans' leads compared on a type said in other words
    if lead_q and incident and not (best and best.rule == "lead_conflict" and
                                    _about(best, incident.name, query)):
        agreed = _agreement(store, query, incident)
        if agreed is not None:
            return agreed
    if best is not None and not _cue(best.rule, query):
        # "A说……，和B一致吗": a finding of no asked-for kind that is not about both documents
        # does not answer it; the two documents' own sentences do.
        pair = statements.named_pair(store, query)
        if pair and (not {pair[0].doc_id, pair[1].doc_id} <= set(best.doc_ids)
                     or not _on_statement(best, statements.statement_grams(query.text, *pair))):
            stated = statements.answer(store, query, pair)
            if stated is not None:
                return stated
    cued = any(re.search(c, query.text) for c in _RULE_CUES.values())
    if (best is None or best_score < 10 or best_score - _cue(best.rule, query) < 6
            or (cued and not _cue(best.rule, query))):
        # nothing the question names, or a finding of another kind than the one asked about
        agreed = _agreement(store, query, incident) if incident else None
        return agreed or statements.answer(store, query)
    same = [f for f in ranked if f.rule == best.rule and f.clauses and best.clauses
            and f.clauses[0].doc_id == best.clauses[0].doc_id and f is not best
            and _score(f, query, qgrams) >= best_score * 0.6]
    return _finding_answer(query, [best, *same[:3]])


def _on_statement(f: Finding, grams: set[str]) -> bool:
    """The finding's clauses say something of the statement (two of its words, not generic)."""
    quotes = bigrams(" ".join(c.quote for c in f.clauses))
    return len({g for g in grams if g not in GENERIC} & quotes) >= 2


def _about(f: Finding, incident: str, query: Query) -> bool:
    cats = query.gazetteer.categories.get(incident, []) if query.gazetteer else []
    return f.subject == incident or incident in f.explanation or f.subject in cats


_VERDICT = {"lead_conflict": "不一致", "grading_conflict": "不一致",
            "response_level_gap": "有问题", "outdated_name": "名称已过时",
            "dangling_plan_reference": "引用的预案不存在", "superseded_regulation": "不是现行版本",
            "nonexistent_article": "该条不存在", "duty_missing_in_list": "没有",
            "list_duty_without_plan": "没有预案依据", "hazard_without_expert": "有",
            "orphan_incident_type": "没有预案覆盖"}


def _sentences(text: str) -> list[str]:
    out = []
    while text:
        head = first_sentence(text)
        out.append(head)
        text = text[len(head):]
    return [p for p in out if p.strip()]


def _finding_answer(query: Query, findings: list[Finding]) -> Answer:
    first = findings[0]
    verdict = _VERDICT.get(first.rule, "有问题")
    if first.rule == "response_level_gap":
        verdict = "有空档" if "空档" in first.title else "未写明决定主体"
    # The first sentence states the findings: the first one whole (what is wrong, what it means,
    # what the rule says), the others by their first sentence; the rest follows.
    heads, rests = [], []
    for i, f in enumerate(findings):
        parts = _sentences(f.explanation)
        take = len(parts) if i == 0 else 1
        heads.append("；".join(p.rstrip("。") for p in parts[:take]))
        rests.append("".join(parts[take:]))
    text = f"{verdict}：" + "；".join(heads) + "。" + "".join(rests)
    citations, facts = [], []
    seen = set()
    for f in findings:
        for c in f.clauses:
            k = (c.doc_id, c.section, c.quote)
            if k in seen or not c.quote:
                continue
            seen.add(k)
            citations.append(Citation(doc_id=c.doc_id, title=c.title or c.doc_id,
                                      section=c.section, quote=c.quote))
        facts.append(Fact(subject=f.subject, relation=f.rule.upper(), object=f.title,
                          doc_id=f.clauses[0].doc_id if f.clauses else "",
                          section=f.clauses[0].section if f.clauses else ""))
    quotes = "；".join(f"《{c.title.strip('《》')}》{c.section}：{c.quote}" for c in citations[:4])
    return Answer(question=query.question, intent="consistency", entities=query.entities,
                  answer=f"{text}（依据：{quotes}）" if quotes else text,
                  facts=facts, citations=citations)


def _position(row: dict) -> int:
    i = (row.get("quote") or "").find(row["org"])
    return i if i >= 0 else 10 ** 6


def _named_plans(store: GraphStore, query: Query) -> list[str]:
    """Doc ids of the plans the question names, best named first."""
    docs = [d for d in store.query("documents") if d.get("kind") == "plan"]
    return [n.doc_id for n in statements.named_documents(query.text, docs)
            if statements.is_named(n, len(docs))]


def _common_level(store: GraphStore, query: Query, rows: list[dict], names: list[str]
                  ) -> list[dict]:
    """When the question names two or more plans: their lead statements at the most specific
    incident level all of them write one for (总体预案 on 特种设备事故 is compared with the
    special plan's 特种设备事故 sentence, not its 电梯 row), statements naming that level first."""
    named = _named_plans(store, query)
    if len(named) < 2:
        return []
    for level in names:
        if all(any(r["doc_id"] == d and r["incident"] == level for r in rows) for d in named):
            hit = [r for r in rows if r["incident"] == level and r["doc_id"] in named]
            saying = {r["doc_id"] for r in hit if level in (r.get("quote") or "")}
            hit = [r for r in hit if r["doc_id"] not in saying or level in (r.get("quote") or "")]
            return sorted(hit, key=lambda r: named.index(r["doc_id"]))
    return []


def _agreement(store: GraphStore, query: Query, incident: Entity) -> Answer | None:
    """No conflict for the incident type: the plans' lead units, cited, when they agree."""
    cats = query.gazetteer.categories.get(incident.name, []) if query.gazetteer else []
    names = [incident.name, *cats]
    rows = [r for r in store.query("units_for_incidents", incidents=names)
            if r["relation"] == "LEADS"]
    if not rows:
        return None
    common = _common_level(store, query, rows, names)
    if common:
        rows = common
    else:
        best = min(names.index(r["incident"]) for r in rows)
        rows = [r for r in rows if names.index(r["incident"]) == best] or rows
    # One principal lead per statement: the lead named first in its quote ("A会同B牵头" → A).
    by_quote: dict[tuple, list[dict]] = {}
    for r in rows:
        by_quote.setdefault((r["doc_id"], r["quote"]), []).append(r)
    rows = [min(rs, key=lambda r: _position(r)) for rs in by_quote.values()]
    # Plans the question names (by shared wording of titles) come first.
    qgrams = _question_grams(query.text)
    ranked = sorted(rows, key=lambda r: -len(qgrams & bigrams(r.get("title") or "")))
    main = ranked[0]["org"]
    agree = [r for r in ranked if r["org"] == main]
    plans = list(dict.fromkeys(f"《{r['title']}》" for r in agree))[:3]
    others = sorted({r["org"] for r in rows} - {main})
    if others and any(len(qgrams & bigrams(r.get("title") or "")) >= 2 for r in rows
                      if r["org"] in others):
        return None  # a plan the question names says otherwise: not ours to call consistent
    verdict = "一致" if len(plans) > 1 else "按现有预案"
    level = agree[0]["incident"]
    text = (f"{verdict}：{'、'.join(plans)}都规定{level}由{main}牵头。" if len(plans) > 1
            else f"{verdict}，{level}由{main}牵头（{plans[0]}）。")
    cits = []
    for r in agree[:4]:
        cits.append(Citation(doc_id=r["doc_id"], title=r["title"] or r["doc_id"],
                             section=r["section"] or "", quote=r["quote"] or ""))
    facts = [Fact(subject=r["org"], relation="LEADS", object=r["incident"], doc_id=r["doc_id"],
                  section=r["section"] or "") for r in agree[:4]]
    return Answer(question=query.question, intent="consistency", entities=query.entities,
                  answer=text, facts=facts, citations=cits)
