"""Which Resource nodes a question asks for, when it asks for a kind of them by what it serves.

"化学中毒的伤员送哪家医院" asks for the hospital whose speciality covers chemical poisoning;
"危化品事故有没有企业的救援队可以调" asks for the teams serving that incident, run by a company.
A resource is read from its graph rows (one per MANAGES / FOR / DEFINES fact, each with the
sentence or table row stating it); the same team written in two plans stays one entry per
plan, since each plan's own words are its source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from retrieval.answers import clauses as cl

# The question asks which hospital / which team — not about one it names.
_ASKS_HOSPITAL = re.compile(r"(?:哪家|哪个|哪些|什么|哪所|哪里的)(?:医院|医疗机构)|送(?:哪|到哪|往哪|去哪)"
                            r"|定点医院|收治医院|救治医院")
_ASKS_TEAM = re.compile(r"(?:哪支|哪些|什么|有没有|哪个|几支|可以调的?|能调的?)[^，。？?]{0,8}?"
                        r"(?:救援队|队伍|抢险队|抢修队|消防队|救援力量|专业队)")
_COMPANY = re.compile(r"企业|公司|集团|厂")
_COMPANY_NAME = re.compile(r"公司|集团|厂|企业")
_MAX = 4


@dataclass
class Pick:
    """One resource as one plan states it."""
    name: str
    kind: str
    doc_id: str
    title: str
    section: str
    quote: str
    props: dict[str, Any] = field(default_factory=dict)
    managed_by: str | None = None
    serves: list[str] = field(default_factory=list)


def asked_kind(question: str) -> str | None:
    if _ASKS_HOSPITAL.search(question):
        return "医院"
    if _ASKS_TEAM.search(question):
        return "队伍"
    return None


def group(rows: list[dict[str, Any]]) -> list[Pick]:
    """One Pick per (resource, document): its facts there, its first quote there."""
    out: dict[tuple[str, str], Pick] = {}
    for r in rows:
        if not r.get("quote"):
            continue
        p = out.setdefault((r["resource"], r["doc_id"]), Pick(
            name=r["resource"], kind=r.get("kind") or "", doc_id=r["doc_id"],
            title=r.get("title") or r["doc_id"], section=r.get("section") or "", quote=r["quote"],
            props={k: r.get(k) for k in ("location", "capacity", "quantity", "speciality")
                   if r.get(k)}))
        if r["relation"] == "MANAGES":
            p.managed_by = r["other"]
        elif r["relation"] == "FOR" and r["other"] not in p.serves:
            p.serves.append(r["other"])
    return list(out.values())


def _clause(p: Pick) -> str:
    """What the source says of this resource: its speciality, else its own clause."""
    if p.props.get("speciality"):
        return p.props["speciality"]
    at = p.quote.find(p.name[-4:])
    if at < 0:
        return ""
    end = re.search(r"[；;。]", p.quote[at:])
    return p.quote[at + 4:at + end.start() if end else len(p.quote)]


def need(p: Pick, question: str) -> str:
    """The longest run of the question's words the resource's speciality (or clause) states:
    "化学中毒" for a hospital treating 批量创伤、化学中毒 asked about 化学中毒的伤员."""
    return cl.common_run(re.sub(_ASKS_HOSPITAL.pattern, "", question), _clause(p))


def hospitals(picks: list[Pick], question: str, asked: set[str]) -> list[Pick]:
    """The hospitals whose speciality shares the longest run of the question's words (two
    characters at least); the question's own asking words do not count."""
    cands = [p for p in picks if p.kind == "医院"]
    scored = [(len(need(p, question)), len(asked & cl.grams(_clause(p))), p) for p in cands]
    best = max(((s, w) for s, w, _ in scored), default=(0, 0))
    if best[0] < 2:
        return []
    return [p for s, w, p in scored if (s, w) == best][:_MAX]


def teams(picks: list[Pick], question: str, incidents: set[str]) -> list[Pick]:
    """The teams serving the asked incident types, in every plan; a question asking for a
    company's team (企业的、公司的) keeps the teams a company runs."""
    cands = [p for p in picks if p.kind == "队伍" and set(p.serves) & incidents]
    if _COMPANY.search(question):
        cands = [p for p in cands if _COMPANY_NAME.search(p.name + (p.managed_by or ""))]
    return cands[:_MAX]


def describe(p: Pick) -> str:
    """"name（location，speciality，capacity）" from what the graph holds."""
    bits = [p.props[k] for k in ("location", "speciality", "capacity") if p.props.get(k)]
    return p.name + (f"（{'，'.join(bits)}）" if bits else "")
