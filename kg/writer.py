"""Per-document replace and delete, as transaction functions over a neo4j driver transaction.

Ownership rules (what "one document's contribution" means):
- Every relationship carries the `doc_id` of the document it came from.
- Owned nodes (kg.model.OWNED_LABELS) carry `doc_id`; a Document node's key is its doc_id.
- Shared nodes carry no `doc_id`; they live while any relationship touches them.
- A node another document points at but does not own (a plan it refers to, an article it
  cites, before that document is ingested) is a *stub*: key only, `stub: true`, no `doc_id`.
  When an owned node loses its document but other documents still point at it, it becomes a
  stub instead of disappearing, so their facts survive; when its document is written it
  claims the stub back.

Labels and relationship types are interpolated only from the closed sets in kg.model (checked
again here); every value travels as a parameter.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from neo4j import ManagedTransaction

from kg.model import (DOCUMENT_LABELS, NODE_LABELS, OWNED_LABELS, REL_TYPES, GraphBatch, NodeRef)

KIND_LABELS = {"plan": "Plan", "regulation": "Regulation", "duty_list": "DutyList",
               "expert_roster": "ExpertRoster"}
RESERVED_PROPS = frozenset({"key", "doc_id", "stub"})


def _label(name: str) -> str:
    if name not in NODE_LABELS and name not in DOCUMENT_LABELS:
        raise ValueError(f"unknown label {name!r}")
    return name


def _rel_type(name: str) -> str:
    if name not in REL_TYPES:
        raise ValueError(f"unknown relationship type {name!r}")
    return name


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    """Drop reserved names (the writer owns them) and None (absent, as in Neo4j)."""
    return {k: v for k, v in props.items() if k not in RESERVED_PROPS and v is not None}


@dataclass
class WritePlan:
    """A batch resolved into the rows each statement sends; built before any I/O."""
    doc_id: str
    # (label, extra labels) -> rows {"key", "props"}; props hold key and doc_id as well.
    owned: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = field(default_factory=dict)
    shared: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = field(default_factory=dict)
    # label -> keys of relationship endpoints the batch does not define
    refs: dict[str, list[str]] = field(default_factory=dict)
    # (type, start label, end label) -> rows {"s", "e", "props"}
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)


def plan_batch(batch: GraphBatch) -> WritePlan:
    meta = batch.document
    doc_id = meta.doc_id
    if not doc_id:
        raise ValueError("document.doc_id is empty")
    plan = WritePlan(doc_id=doc_id)

    # Later definitions of the same (label, key) add to earlier ones.
    merged: dict[tuple[str, str], tuple[dict[str, Any], set[str]]] = {}
    for node in batch.nodes:
        if node.label == "Document" and node.key != doc_id:
            continue  # another document: only a reference, never written from this batch
        props, extras = merged.setdefault((node.label, node.key), ({}, set()))
        props.update(_clean(node.props))
        extras.update(node.extra_labels)

    doc_props, doc_extras = merged.setdefault(("Document", doc_id), ({}, set()))
    doc_props.update(_clean({"doc_id": None, "title": meta.title, "kind": meta.kind,
                             "source_path": meta.source_path, "version": meta.version,
                             "kind_reason": meta.kind_reason}))
    if meta.kind in KIND_LABELS:
        doc_extras.add(KIND_LABELS[meta.kind])

    owned: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    shared: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    for (label, key), (props, extras) in merged.items():
        group = (_label(label), tuple(sorted(_label(x) for x in extras)))
        if label in OWNED_LABELS:
            owned[group].append({"key": key, "props": {**props, "key": key, "doc_id": doc_id}})
        else:
            shared[group].append({"key": key, "props": props})
    plan.owned, plan.shared = dict(owned), dict(shared)

    defined = set(merged)
    refs: dict[str, set[str]] = defaultdict(set)
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for rel in batch.relationships:
        prov = rel.provenance
        if prov.doc_id != doc_id:
            raise ValueError(f"relationship {rel.type} {rel.start.key} -> {rel.end.key} has "
                             f"provenance doc_id {prov.doc_id!r}, batch is {doc_id!r}")
        for ref in (rel.start, rel.end):
            if (ref.label, ref.key) not in defined:
                refs[_label(ref.label)].add(ref.key)
        props = {**_clean(rel.props), "doc_id": doc_id, "section_id": prov.section_id,
                 "section": prov.section, "quote": prov.quote}
        rels[(_rel_type(rel.type), _label(rel.start.label), _label(rel.end.label))].append(
            {"s": rel.start.key, "e": rel.end.key, "props": props})
    plan.refs = {label: sorted(keys) for label, keys in refs.items()}
    plan.rels = dict(rels)
    return plan


# ---------------------------------------------------------------- transaction functions


def remove_contribution(tx: ManagedTransaction, doc_id: str) -> bool:
    """Remove exactly one document's facts; True if the document was there."""
    existed = tx.run("MATCH (d:Document {key: $doc}) WHERE d.doc_id = $doc RETURN count(d) AS n",
                     doc=doc_id).single()["n"] > 0
    # 1. Its relationships, one indexed lookup per type; remember their endpoints.
    ends: dict[str, set[str]] = defaultdict(set)
    for rel in REL_TYPES:
        rows = tx.run(f"MATCH (a)-[r:{rel}]->(b) WHERE r.doc_id = $doc "
                      "WITH r, a.key AS ak, labels(a) AS al, b.key AS bk, labels(b) AS bl "
                      "DELETE r RETURN ak, al, bk, bl", doc=doc_id)
        for row in rows:
            for key, labels in ((row["ak"], row["al"]), (row["bk"], row["bl"])):
                base = next((x for x in labels if x in NODE_LABELS), None)
                if base is not None and key is not None:
                    ends[base].add(key)
    # 2. Its owned nodes: gone, or stubs while another document still points at them.
    for label in sorted(OWNED_LABELS):
        tx.run(f"MATCH (n:{label}) WHERE n.doc_id = $doc "
               "AND NOT EXISTS { (n)--() } DELETE n", doc=doc_id).consume()
        tx.run(f"MATCH (n:{label}) WHERE n.doc_id = $doc SET n = {{key: n.key, stub: true}}",
               doc=doc_id).consume()
    # 3. Shared nodes and stubs it touched that nothing touches any more.
    for label, keys in sorted(ends.items()):
        tx.run(f"UNWIND $keys AS k MATCH (n:{label} {{key: k}}) "
               "WHERE n.doc_id IS NULL AND NOT EXISTS { (n)--() } DELETE n",
               keys=sorted(keys)).consume()
    return existed


def write_plan(tx: ManagedTransaction, plan: WritePlan) -> tuple[bool, int, int]:
    """Replace the document's facts with the plan's; returns (replaced, nodes, relationships)."""
    replaced = remove_contribution(tx, plan.doc_id)
    nodes = 0
    for (label, extras), rows in plan.owned.items():
        nodes += _write_owned(tx, label, extras, rows, plan.doc_id)
    for (label, extras), rows in plan.shared.items():
        add = "".join(f" SET n:{x}" for x in extras)
        tx.run(f"UNWIND $rows AS row MERGE (n:{label} {{key: row.key}}) "
               f"SET n += row.props{add}", rows=rows).consume()
        nodes += len(rows)
    for label, keys in plan.refs.items():
        stub = " ON CREATE SET n.stub = true" if label in OWNED_LABELS else ""
        tx.run(f"UNWIND $keys AS k MERGE (n:{label} {{key: k}}){stub}", keys=keys).consume()
    rels = 0
    for (rel, start, end), rows in plan.rels.items():
        rels += tx.run(f"UNWIND $rows AS row MATCH (a:{start} {{key: row.s}}) "
                       f"MATCH (b:{end} {{key: row.e}}) CREATE (a)-[r:{rel}]->(b) "
                       "SET r = row.props RETURN count(r) AS n", rows=rows).single()["n"]
    return replaced, nodes, rels


def _write_owned(tx: ManagedTransaction, label: str, extras: tuple[str, ...],
                 rows: list[dict[str, Any]], doc_id: str) -> int:
    """Create missing nodes with all their labels at once; claim stubs; leave nodes that
    another document owns untouched (this batch only points at them)."""
    found = {r["key"]: r for r in tx.run(
        f"UNWIND $keys AS k MATCH (n:{label} {{key: k}}) "
        "RETURN n.key AS key, n.doc_id AS doc_id, labels(n) AS labels",
        keys=[r["key"] for r in rows])}
    new = [r for r in rows if r["key"] not in found]
    claim = [r for r in rows if r["key"] in found and found[r["key"]]["doc_id"] in (None, doc_id)]
    if new:
        labels = ":".join((label, *extras))
        tx.run(f"UNWIND $rows AS row CREATE (n:{labels}) SET n = row.props", rows=new).consume()
    if claim:
        tx.run(f"UNWIND $rows AS row MATCH (n:{label} {{key: row.key}}) SET n = row.props",
               rows=claim).consume()
        for row in claim:  # rare: a stub whose document kind changed
            if set(found[row["key"]]["labels"]) != {label, *extras}:
                _recreate(tx, label, extras, row)
    return len(new) + len(claim)


def _recreate(tx: ManagedTransaction, label: str, extras: tuple[str, ...],
              row: dict[str, Any]) -> None:
    """Give a node a different label set by re-creating it with its relationships.

    ArcadeDB allows one label change per node per transaction (a second one fails with a
    duplicated key on the node's own key), and a kind change needs a REMOVE and a SET.
    """
    rels = tx.run(
        f"MATCH (n:{label} {{key: $key}})-[r]-(m) "
        "RETURN type(r) AS type, startNode(r) = n AS out, labels(m) AS labels, m.key AS other, "
        "properties(r) AS props", key=row["key"]).data()
    tx.run(f"MATCH (n:{label} {{key: $key}}) DETACH DELETE n", key=row["key"]).consume()
    labels = ":".join((label, *extras))
    tx.run(f"CREATE (n:{labels}) SET n = $props", props=row["props"]).consume()
    for r in rels:
        other = next(x for x in r["labels"] if x in NODE_LABELS)
        start, end = (label, other) if r["out"] else (other, label)
        s, e = (row["key"], r["other"]) if r["out"] else (r["other"], row["key"])
        tx.run(f"MATCH (a:{_label(start)} {{key: $s}}) MATCH (b:{_label(end)} {{key: $e}}) "
               f"CREATE (a)-[r:{_rel_type(r['type'])}]->(b) SET r = $props",
               s=s, e=e, props=r["props"]).consume()
