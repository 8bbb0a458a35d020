"""The facts the rules read, from the store or from a draft batch, in one shape.

Rules never see where a fact came from: the store's facts are read by two named queries, a
draft's facts come straight from its GraphBatch, and `with_draft` swaps the draft in for any
stored version of the same document without writing anything.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.checks.model import DocInfo, Fact, SectionText
from kg.model import NODE_LABELS, REL_TYPES, GraphBatch
from kg.store import GraphStore

# Relationship types the rules compare (HAS_SECTION is read as sections instead).
FACT_TYPES: tuple[str, ...] = tuple(t for t in REL_TYPES if t != "HAS_SECTION")


@dataclass
class FactBase:
    docs: dict[str, DocInfo] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    sections: list[SectionText] = field(default_factory=list)

    def of_type(self, *types: str) -> list[Fact]:
        return [f for f in self.facts if f.type in types]

    def doc(self, doc_id: str) -> DocInfo:
        return self.docs.get(doc_id) or DocInfo(doc_id=doc_id)

    def with_draft(self, draft: FactBase) -> FactBase:
        """This base with the draft's documents replacing any stored versions of them."""
        ids = set(draft.docs)
        return FactBase(
            docs={**{k: v for k, v in self.docs.items() if k not in ids}, **draft.docs},
            facts=[f for f in self.facts if f.doc_id not in ids] + draft.facts,
            sections=[s for s in self.sections if s.doc_id not in ids] + draft.sections)


def _label(labels: Iterable[str]) -> str:
    labels = list(labels or [])
    return next((x for x in labels if x in NODE_LABELS), labels[0] if labels else "")


def load_facts(store: GraphStore) -> FactBase:
    """Everything the rules compare, read from the store by named queries."""
    docs = {r["doc_id"]: DocInfo(doc_id=r["doc_id"], title=r["title"] or "", kind=r["kind"] or "",
                                 level=r["level"] or "", path=r["source_path"] or "")
            for r in store.query("check_documents")}
    facts = [Fact(type=r["type"], start_label=_label(r["start_labels"]), start=r["start"] or "",
                  start_props=r["start_props"] or {}, end_label=_label(r["end_labels"]),
                  end=r["end"] or "", end_props=r["end_props"] or {}, props=r["props"] or {})
             for r in store.query("check_facts", types=list(FACT_TYPES))]
    sections = [SectionText(doc_id=r["doc_id"], path=r["path"] or "", heading=r["heading"] or "",
                            text=r["text"] or "", ord=r["ord"] or 0)
                for r in store.query("sections")]
    return FactBase(docs=docs, facts=facts, sections=sections)


def batch_facts(batch: GraphBatch) -> FactBase:
    """A draft's facts in the shape `load_facts` returns, without touching any store."""
    meta = batch.document
    nodes = {(n.label, n.key): n for n in batch.nodes}
    doc_node = nodes.get(("Document", meta.doc_id))
    level = (doc_node.props.get("level") if doc_node else "") or ""
    docs = {meta.doc_id: DocInfo(doc_id=meta.doc_id, title=meta.title, kind=meta.kind,
                                 level=level, path=meta.source_path)}

    def props(label: str, key: str) -> dict:
        n = nodes.get((label, key))
        return {"key": key, **(n.props if n else {})}

    facts = [Fact(type=r.type, start_label=r.start.label, start=r.start.key,
                  start_props=props(r.start.label, r.start.key), end_label=r.end.label,
                  end=r.end.key, end_props=props(r.end.label, r.end.key),
                  props={**r.props, **r.provenance.model_dump()})
             for r in batch.relationships if r.type in FACT_TYPES]
    sections = [SectionText(doc_id=meta.doc_id, path=n.props.get("path", ""),
                            heading=n.props.get("heading") or "", text=n.props.get("text") or "",
                            ord=n.props.get("ord") or 0)
                for n in batch.nodes if n.label == "Section"]
    return FactBase(docs=docs, facts=facts, sections=sections)
