"""Browsing the graph: the document (plan) library, one document's sections and facts, and the
neighbourhood of an entity for drawing. Read-only; all Cypher is in kg/queries.py.

`redact` (text → text) is applied to every section text and quote leaving this module, so a
caller not allowed to see personal data (phone numbers in an expert roster) passes a masking
function; kg itself knows nothing of who asks.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from kg.store import GraphStore

Redact = Callable[[str], str]

MAX_EDGES = 200  # the most edges a neighbourhood returns, whatever the caller asks
_FETCH_CAP = 1000  # rows read before balancing across relationship types


def _same(text: str) -> str:
    return text


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    kind: str
    level: str | None = None  # 总体/专项/部门/街镇 for plans
    issuer: str | None = None
    issued_date: str | None = None
    effective_date: str | None = None
    sections: int = 0
    facts: int = 0
    facts_by_type: dict[str, int] = Field(default_factory=dict)


class SectionView(BaseModel):
    path: str
    heading: str = ""
    text: str = ""
    ord: int = 0


class FactView(BaseModel):
    subject: str  # node keys (stable identifiers)
    relation: str
    object: str
    section: str = ""
    quote: str = ""
    subject_name: str = ""  # what a reader is shown (a duty's text, a role's title)
    object_name: str = ""


class DocumentDetail(DocumentSummary):
    scope: str | None = None
    version: str | None = None
    section_list: list[SectionView] = Field(default_factory=list)
    fact_list: list[FactView] = Field(default_factory=list)


class GraphNode(BaseModel):
    id: str  # the node key
    label: str
    name: str
    centre: bool = False


class GraphEdge(BaseModel):
    source: str
    target: str
    relation: str
    sources: int = 1  # how many facts (documents, sections) state this edge
    doc_id: str | None = None  # provenance of the first of them
    section: str | None = None
    quote: str | None = None


class Neighbourhood(BaseModel):
    entity: str
    nodes: list[GraphNode] = Field(default_factory=list)
    edges: list[GraphEdge] = Field(default_factory=list)
    total_edges: int = 0
    truncated: bool = False


def _fact_counts(store: GraphStore) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for r in store.query("document_fact_counts"):
        out[r["doc_id"]][r["relation"]] = r["n"]
    return out


def _summary(row: dict[str, Any], counts: dict[str, int]) -> dict[str, Any]:
    return {"doc_id": row["doc_id"], "title": row.get("title") or row["doc_id"],
            "kind": row.get("kind") or "other", "level": row.get("level"),
            "issuer": row.get("issuer"), "issued_date": _text(row.get("issued_date")),
            "effective_date": _text(row.get("effective_date")),
            "sections": row.get("sections") or 0, "facts": sum(counts.values()),
            "facts_by_type": dict(sorted(counts.items()))}


def _text(v: Any) -> str | None:
    return None if v is None else str(v)


def list_documents(store: GraphStore, kind: str | None = "plan") -> list[DocumentSummary]:
    """Ingested documents of one kind (None: all) with section and fact counts."""
    counts = _fact_counts(store)
    return [DocumentSummary(**_summary(r, counts.get(r["doc_id"], {})))
            for r in store.query("document_list", kind=kind, doc_id=None)]


def document_detail(store: GraphStore, doc_id: str, redact: Redact = _same
                    ) -> DocumentDetail | None:
    """One document: its sections in reading order and every fact it contributed, each with
    section and verbatim quote. None when no such document was ingested."""
    rows = store.query("document_list", kind=None, doc_id=doc_id)
    if not rows:
        return None
    facts = [f for f in store.query("document_facts", doc_id=doc_id)
             if f["relation"] != "HAS_SECTION"]
    counts: dict[str, int] = defaultdict(int)
    for f in facts:
        counts[f["relation"]] += 1
    sections = [SectionView(path=s.get("path") or "", heading=s.get("heading") or "",
                            text=redact(s.get("text") or ""), ord=s.get("ord") or 0)
                for s in store.query("document_sections", doc_id=doc_id)]
    names = {n["key"]: redact(readable_name(_label(n.get("labels") or []), n["key"],
                                            n.get("props") or {}))
             for n in store.query("document_fact_nodes", doc_id=doc_id)}
    return DocumentDetail(
        **_summary(rows[0], counts), scope=rows[0].get("scope"), version=rows[0].get("version"),
        section_list=sections,
        fact_list=[FactView(subject=f["subject"], relation=f["relation"], object=f["object"],
                            section=f.get("section") or "", quote=redact(f.get("quote") or ""),
                            subject_name=names.get(f["subject"]) or key_name(f["subject"]),
                            object_name=names.get(f["object"]) or key_name(f["object"]))
                   for f in facts])


_TITLE_STUB = "title:"
MAX_NAME = 40  # a duty's text is cut to this in a name; the quote has it in full


def key_name(key: str) -> str:
    """A node key as a reader may see it: "title:X" (a document known by its title) → 《X》,
    "法规#第三条" (an article) → 《法规》第三条, "doc#…#区公安分局" → 区公安分局."""
    if key.startswith(_TITLE_STUB):
        return f"《{key[len(_TITLE_STUB):].strip('《》')}》"
    head, sep, last = key.rpartition("#")
    if sep and last.startswith("第") and "#" not in head:
        return f"《{head.strip('《》')}》{last}"
    if sep and not last.isdigit():
        return last
    return key


def _short_text(text: str) -> str:
    return text if len(text) <= MAX_NAME else text[: MAX_NAME - 1] + "…"


def readable_name(label: str, key: str, props: dict[str, Any]) -> str:
    """A node's name for reading (tables of facts): the role's title, the level's label, the
    duty's unit and text, the deadline's event and time limit; else name, title or key_name."""
    name = props.get("name") if props.get("name") != key else None
    title, text = props.get("title"), props.get("text")
    if label == "Responsibility" and text:
        org = props.get("org") or props.get("head")
        return _short_text(f"{org}：{text}" if org else text)
    if label == "Deadline" and name:
        return f"{name}（{props['deadline']}）" if props.get("deadline") else name
    if label in ("ResponseLevel", "SeverityLevel") and props.get("label"):
        return str(props["label"])
    if label in ("Role", "Plan", "Regulation", "DutyList", "ExpertRoster", "Document") and title:
        return f"《{title.strip('《》')}》" if label != "Role" else title
    first = name or title or (_short_text(text) if text else None)
    return str(first) if first else key_name(key)


_PREFERRED_LABELS = ("Plan", "Regulation", "DutyList", "ExpertRoster")


def _label(labels: list[str]) -> str:
    """The most specific label: Plan over Document."""
    return next((lb for lb in _PREFERRED_LABELS if lb in labels), labels[0] if labels else "")


def _display(label: str, key: str, name: str | None, title: str | None, text: str | None) -> str:
    """What a drawing shows on a node: an expert's name (title is the job title), a role's or
    document's title, else the name, else the start of a duty's text, else the key."""
    if name == key:  # owned nodes often carry their key as name
        name = None
    if label in ("Role", "Plan", "Regulation", "DutyList", "ExpertRoster", "Document"):
        first = title or name
    else:
        first = name or title
    if not first and text:
        first = text if len(text) <= 30 else text[:29] + "…"
    return first or key_name(key)


def neighbourhood(store: GraphStore, entity: str, limit: int = 60,
                  redact: Redact = _same) -> Neighbourhood:
    """Nodes one step from the entity (key, name, title or alias) and the edges between them,
    at most `limit` edges (≤ MAX_EDGES) shared fairly across relationship types so a node with
    hundreds of duties still shows what it leads. A matching node without edges is returned
    alone; no nodes at all means nothing matched."""
    limit = max(1, min(limit, MAX_EDGES))
    rows = store.query("graph_neighbourhood", entity=entity, cap=_FETCH_CAP)
    nodes: dict[str, GraphNode] = {}
    for r in rows:
        label = _label(r["centre_labels"])
        nodes.setdefault(r["centre"], GraphNode(
            id=r["centre"], label=label, centre=True,
            name=_display(label, r["centre"], r.get("centre_name"), r.get("centre_name"), None)))
    rows = [r for r in rows if r.get("other") is not None]
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_type[r["relation"]].append(r)
    picked: list[dict[str, Any]] = []
    queues = [list(v) for _, v in sorted(by_type.items())]
    while len(picked) < limit and any(queues):
        for q in queues:
            if q and len(picked) < limit:
                picked.append(q.pop(0))
    edges: list[GraphEdge] = []
    for r in picked:
        o_label = _label(r["other_labels"])
        nodes.setdefault(r["other"], GraphNode(
            id=r["other"], label=o_label,
            name=_display(o_label, r["other"], r.get("other_name"), r.get("other_title"),
                          r.get("other_text"))))
        src = r.get("source") or {}
        a, b = (r["centre"], r["other"]) if r["outgoing"] else (r["other"], r["centre"])
        quote = src.get("quote")
        edges.append(GraphEdge(source=a, target=b, relation=r["relation"],
                               sources=r.get("n_sources") or 1, doc_id=src.get("doc_id"),
                               section=src.get("section"),
                               quote=redact(quote) if quote else quote))
    return Neighbourhood(entity=entity, nodes=list(nodes.values()), edges=edges,
                         total_edges=len(rows), truncated=len(rows) > len(picked))
