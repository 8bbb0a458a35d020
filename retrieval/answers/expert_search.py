"""Structured expert search (API `GET /experts`, the 专家查询 page): experts for a field and/or
an incident, filtered by availability, region and status, each with why it matched and the
roster rows it came from. Ranking is the expert answer's (retrieval/answers/experts.py):
field fit to the incident's hazards and types, research overlap, availability, region.
Phones are masked unless the caller may see them.
"""
from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

from kg.store import GraphStore
from retrieval.answers import Query
from retrieval.answers.experts import (FieldScores, _cite_row, _group_rows, _key, _link,
                                       _loose_fields, _rank_avail, _rank_region, _vocab,
                                       char_bigrams, mask_phone, rank_experts,
                                       score_related_fields)
from retrieval.contract import Citation, Entity
from retrieval.linker import Gazetteer

ACTIVE = "在库"
_ALL_DAY = re.compile(r"7\s*[x×*]\s*24|24\s*(?:小时|h)|全天|随时|夜间|夜里|节假日", re.I)
_LOCAL = re.compile(r"^(?:本区|区内|本地|辖区|local)$", re.I)


class ExpertHit(BaseModel):
    key: str
    name: str
    title: str = ""
    organisation: str = ""
    fields: list[str] = Field(default_factory=list)  # all the expert's fields
    matched_fields: list[str] = Field(default_factory=list)  # those that matched the search
    research: str = ""
    availability: str = ""
    region: str = ""
    status: str = ""
    remark: str = ""
    phones: list[str] = Field(default_factory=list)  # masked unless the caller may see them
    why: list[str] = Field(default_factory=list)
    score: float = 0.0
    sources: list[Citation] = Field(default_factory=list)


class ExpertSearchResult(BaseModel):
    field: str | None = None
    incident: str | None = None
    linked: list[Entity] = Field(default_factory=list)  # what the search terms were read as
    experts: list[ExpertHit] = Field(default_factory=list)
    total: int = 0  # matches before the limit
    note: str = ""  # in Chinese: why the list is empty, or what a term was read as


def _fields_for(v, text: str) -> list[str]:
    """Expert fields a search term names: exact name/alias, a field named inside it, or
    fields sharing a word with it ('环境方面' → 生态环境)."""
    k = _key(text)
    if not k:
        return []
    exact = [f for f, names in v.fields.items() if k in {_key(n) for n in names}]
    if exact:
        return exact
    linked = [n for lb, n, _ in _link(v, k) if lb == "Field"]
    return linked or _loose_fields(v, k + "专家")


def _incident_terms(v, gazetteer: Gazetteer, text: str) -> tuple[list[str], list[str]]:
    """(incident types, hazards) a search term names; the closest incident type by wording
    when it names none."""
    k = _key(text)
    incidents = [e.name for e in gazetteer.link(k) if e.type == "IncidentType"]
    hazards = [n for lb, n, _ in _link(v, k) if lb == "Hazard"]
    if not incidents and not hazards:
        closest = gazetteer.closest(k, "IncidentType")
        if closest is not None:
            incidents = [closest.name]
    return list(dict.fromkeys(incidents)), list(dict.fromkeys(hazards))


def _available(e: dict[str, Any], wanted: str) -> bool:
    if _ALL_DAY.search(wanted):
        return _rank_avail(e.get("availability")) < 2
    return _key(wanted) in _key(e.get("availability") or "")


def _in_region(e: dict[str, Any], wanted: str) -> bool:
    if _LOCAL.match(wanted.strip()):
        return _rank_region(e.get("region")) == 0
    w = _key(wanted)
    return w in _key(e.get("region") or "") or w in _key(e.get("organisation") or "")


def search_experts(store: GraphStore, gazetteer: Gazetteer, *, field: str | None = None,
                   incident: str | None = None, availability: str | None = None,
                   region: str | None = None, include_inactive: bool = False,
                   show_phones: bool = False, limit: int = 20) -> ExpertSearchResult:
    """Experts matching a field and/or an incident (either may be a colloquial term), best
    first; with neither, every expert. Only 在库 experts unless `include_inactive`."""
    field = (field or "").strip() or None
    incident = (incident or "").strip() or None
    result = ExpertSearchResult(field=field, incident=incident)
    probe = Query(question=f"{incident or ''}{field or ''}专家", text="", intent="expert",
                  gazetteer=gazetteer, show_phones=show_phones)
    v = _vocab(store, probe)
    fs = FieldScores()
    hz_words: list[str] = []
    field_names: list[str] = []
    if field:
        field_names = _fields_for(v, field)
        if not field_names:
            result.note = f"专家库中没有与“{field}”对应的专业领域。"
            return result
        for f in field_names:
            fs.add(f, 3.0, f"所查领域“{field}”")
        result.linked += [Entity(type="Field", name=f, surface=field) for f in field_names]
    if incident:
        incidents, hazards = _incident_terms(v, gazetteer, incident)
        if not incidents and not hazards:
            result.note = f"未能识别事件类型或风险源“{incident}”。"
            return result
        related = FieldScores()
        score_related_fields(related, v, hazards, incidents, gazetteer.categories)
        if field_names:  # both given: the asked fields, ranked by how they fit the incident
            for f in field_names:
                if f in related.scores:
                    fs.add(f, related.scores[f], related.why[f][1])
        else:
            fs = related
        hz_words = [_key(x) for x in (*incidents, *hazards, incident)]
        result.linked += [*(Entity(type="IncidentType", name=n, surface=incident)
                            for n in incidents),
                          *(Entity(type="Hazard", name=n, surface=incident) for n in hazards)]
    if not field and not incident:
        for f in v.fields:
            fs.add(f, 1.0, f"{f}领域")
    if not fs.scores:
        result.note = f"专家库中没有与“{incident}”相关的专业领域。"
        return result
    rows = store.query("experts_in_fields", fields=sorted(fs.scores))
    experts = list(_group_rows(rows).values())
    if not include_inactive:
        experts = [e for e in experts if e.get("status") == ACTIVE]
    if availability and availability.strip():
        experts = [e for e in experts if _available(e, availability)]
    if region and region.strip():
        experts = [e for e in experts if _in_region(e, region)]
    qgrams = char_bigrams(_key(f"{incident or ''}{field or ''}"))
    ranked = rank_experts(experts, fs.scores, qgrams, hz_words)
    result.total = len(ranked)
    for e in ranked[:max(0, limit)]:
        matched = sorted(e["matched"], key=lambda f: -fs.scores[f])
        why = [fs.why[f][1] for f in matched]
        if e.get("research"):
            why.append(f"研究方向：{e['research']}")
        sources = [_cite_row([r], set(), show_phones) for r in e["rows"]]
        result.experts.append(ExpertHit(
            key=e["key"], name=e["name"] or e["key"], title=e.get("title") or "",
            organisation=e.get("organisation") or "", fields=list(e.get("fields") or matched),
            matched_fields=matched, research=e.get("research") or "",
            availability=e.get("availability") or "", region=e.get("region") or "",
            status=e.get("status") or "", remark=e.get("remark") or "",
            phones=[p if show_phones else mask_phone(p) for p in (e.get("phones") or [])],
            why=why, score=round(sum(fs.scores[f] for f in matched), 2),
            sources=list({(c.doc_id, c.quote): c for c in sources}.values())))
    if not result.experts and not result.note:
        result.note = "没有符合条件的在库专家。" if not include_inactive else "没有符合条件的专家。"
    return result
