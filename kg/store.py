"""The GraphStore seam: what ingest/, retrieval/ and ui/ may ask of the graph.

One implementation speaks Bolt through the official neo4j driver to any server (the ArcadeDB
server yingji manages, or Neo4j 5); backend differences stay in kg/backends/.
"""
from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel

from kg.model import GraphBatch


class GraphUnavailable(RuntimeError):
    """The graph server cannot be reached now (stopped, killed, restarting). The message is
    for users (Chinese, no internal addresses); `address` is for administrators and logs."""

    def __init__(self, message: str = "图数据库暂时不可用（服务未运行或正在重启），请稍后重试。",
                 address: str = ""):
        super().__init__(message)
        self.address = address


class WriteResult(BaseModel):
    doc_id: str
    nodes: int  # nodes written (created or merged) for this document
    relationships: int
    replaced: bool  # the document existed before and its old facts were removed


@runtime_checkable
class GraphStore(Protocol):
    def ensure_schema(self) -> None:
        """Create constraints and indexes if missing (idempotent)."""

    def write_document(self, batch: GraphBatch) -> WriteResult:
        """Upsert one document's facts in one transaction, replacing exactly its old facts."""

    def delete_document(self, doc_id: str) -> bool:
        """Remove one document's contribution; shared nodes left without any fact go too."""

    def document_version(self, doc_id: str) -> str | None:
        """Content hash of the stored version, to skip unchanged files."""

    def query(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run a named read query from kg.queries with parameters; rows as dicts."""

    def counts(self) -> dict[str, int]:
        """Node count per label and relationship count per type (for tests and summaries)."""

    def close(self) -> None: ...
