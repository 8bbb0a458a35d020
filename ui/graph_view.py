"""The small graph of the facts behind an answer, as Graphviz DOT (rendered by st.graphviz_chart).

Pure text building, so it is unit-tested without a browser; Streamlit renders DOT client-side,
so no Graphviz binary and no extra package are needed.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# Chinese edge labels for the relationship types of the graph model; unknown types show as-is.
RELATION_LABELS: dict[str, str] = {
    "LEADS": "牵头", "SUPPORTS": "配合", "COVERS": "适用于", "PART_OF": "隶属", "REFERS_TO": "引用",
    "CITES": "依据", "DEFINES": "规定", "HELD_BY": "由…担任", "HAS_DUTY": "职责",
    "ABOUT": "涉及", "BASED_ON": "依据", "MANAGES": "管理", "FOR": "用于", "EXPERT_IN": "专长",
    "RELEVANT_TO": "相关", "SUBTYPE_OF": "属于", "INVOLVES": "涉及", "HAS_SECTION": "章节",
    "HAS_ARTICLE": "条文", "SUPERSEDES": "替代", "RENAMED_TO": "更名为", "STARTS": "启动",
    "ENDS": "终止", "ORPHAN_INCIDENT_TYPE": "无预案覆盖", "LEAD_CONFLICT": "牵头冲突",
    "DANGLING_PLAN_REFERENCE": "引用不存在的预案", "SUPERSEDED_REGULATION": "已被替代",
    "ABOLISHES": "废止",
}


def relation_label(relation: str) -> str:
    """A relationship type in Chinese; a type this table does not know is shown as 关联, never
    by its internal name."""
    return RELATION_LABELS.get(relation, "关联")
MAX_LABEL = 24  # node labels longer than this are cut: the graph is a sketch, the card has the text


def _field(fact: Any, name: str) -> str:
    value = fact.get(name, "") if isinstance(fact, Mapping) else getattr(fact, name, "")
    return str(value or "")


def _quote(text: str) -> str:
    """A DOT double-quoted string; user documents may hold quotes, backslashes or newlines."""
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{text}"'


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _dot(names: dict[str, str], edges: list[tuple[str, str, str]], centres: set[str] = frozenset()
         ) -> str:
    """names: node id → display name; edges: (source id, label, target id)."""
    lines = ["digraph facts {", "  rankdir=LR;",
             '  node [shape=box, style="rounded,filled", fillcolor="#eef4fb", fontsize=11];',
             "  edge [fontsize=10];"]
    for nid, name in names.items():
        extra = ', fillcolor="#fde2c8", penwidth=2' if nid in centres else ""
        lines.append(f"  {nid} [label={_quote(_short(name))}, tooltip={_quote(name)}{extra}];")
    lines += [f"  {a} -> {b} [label={_quote(label)}];" for a, label, b in edges]
    lines.append("}")
    return "\n".join(lines)


def facts_dot(facts: Iterable[Any], max_edges: int = 40) -> str:
    """DOT for (subject)-[relation]->(object) facts; duplicates drawn once, at most max_edges."""
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str, str]] = set()
    for fact in facts:
        s, r, o = _field(fact, "subject"), _field(fact, "relation"), _field(fact, "object")
        if not s or not o or (s, r, o) in seen:
            continue
        seen.add((s, r, o))
        for name in (s, o):
            nodes.setdefault(name, f"n{len(nodes)}")
        edges.append((nodes[s], relation_label(r), nodes[o]))
        if len(edges) >= max_edges:
            break
    return _dot({nid: name for name, nid in nodes.items()}, edges)


def neighbourhood_dot(nb: Any) -> str:
    """DOT for a kg.browse.Neighbourhood: the centre highlighted, edges labelled, with the
    number of sources when several facts state the same edge."""
    ids = {node.id: f"n{i}" for i, node in enumerate(nb.nodes)}
    names = {ids[node.id]: node.name for node in nb.nodes}
    centres = {ids[node.id] for node in nb.nodes if node.centre}
    edges = []
    for e in nb.edges:
        if e.source in ids and e.target in ids:
            label = relation_label(e.relation)
            edges.append((ids[e.source], label + (f" ×{e.sources}" if e.sources > 1 else ""),
                          ids[e.target]))
    return _dot(names, edges, centres)
