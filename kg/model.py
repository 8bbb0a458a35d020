"""Data that crosses from ingest/ into kg/: one document's facts as typed nodes and relationships.

Every relationship carries its provenance (doc_id, section_id, quote) so that any answer built
from it can cite the verbatim sentence it came from.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

# Labels and relationship types the writer accepts. Labels cannot be Cypher parameters, so the
# writer only ever interpolates names from these closed sets, never from document text.
NodeLabel = Literal[
    "Document", "Section", "Organization", "Role", "IncidentType", "Hazard", "SeverityLevel",
    "ResponseLevel", "Responsibility", "Resource", "Article", "Expert", "Field", "Deadline",
]
DocumentLabel = Literal["Plan", "Regulation", "DutyList", "ExpertRoster"]
RelType = Literal[
    "LEADS", "SUPPORTS", "COVERS", "PART_OF", "REFERS_TO", "CITES", "DEFINES", "HELD_BY",
    "HAS_DUTY", "ABOUT", "BASED_ON", "MANAGES", "FOR", "EXPERT_IN", "RELEVANT_TO",
    "SUBTYPE_OF", "INVOLVES", "HAS_SECTION", "HAS_ARTICLE", "SUPERSEDES", "RENAMED_TO",
]

NODE_LABELS: tuple[str, ...] = NodeLabel.__args__  # type: ignore[attr-defined]
DOCUMENT_LABELS: tuple[str, ...] = DocumentLabel.__args__  # type: ignore[attr-defined]
REL_TYPES: tuple[str, ...] = RelType.__args__  # type: ignore[attr-defined]

# Shared nodes are merged across documents by `key`; owned nodes belong to one document and are
# removed with it. Document, Section, Responsibility, Article, levels, roles and deadlines are
# owned; the rest are shared.
OWNED_LABELS: frozenset[str] = frozenset({"Document", "Section", "Responsibility", "Article",
                                          "SeverityLevel", "ResponseLevel", "Role", "Deadline"})


class NodeRef(BaseModel):
    label: NodeLabel
    key: str


class Node(BaseModel):
    """A node identified by (label, key). `key` is a stable id: a canonical name for shared
    nodes, `doc_id#path` for owned ones."""
    label: NodeLabel
    key: str
    props: dict[str, Any] = Field(default_factory=dict)
    extra_labels: list[DocumentLabel] = Field(default_factory=list)

    @property
    def ref(self) -> NodeRef:
        return NodeRef(label=self.label, key=self.key)


class Provenance(BaseModel):
    doc_id: str
    section_id: str  # key of the Section node
    section: str  # human path, e.g. "四/（一）/（3）"
    quote: str  # verbatim sentence from the source


class Relationship(BaseModel):
    type: RelType
    start: NodeRef
    end: NodeRef
    provenance: Provenance
    props: dict[str, Any] = Field(default_factory=dict)


class DocumentMeta(BaseModel):
    doc_id: str
    title: str
    kind: Literal["plan", "regulation", "duty_list", "expert_roster", "other"]
    source_path: str
    version: str  # content hash of the source file
    kind_reason: str = ""


class GraphBatch(BaseModel):
    """Everything one document contributes to the graph. Written in one transaction, replacing
    exactly that document's previous contribution."""
    document: DocumentMeta
    nodes: list[Node] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.relationships:
            out[r.type] = out.get(r.type, 0) + 1
        return out
