"""Constraints and indexes: `key` unique per node label, `doc_id` indexed where the writer
looks documents up (owned nodes, every relationship type).

The relationship indexes matter: removing a document's old facts starts from
`MATCH ()-[r:T]->() WHERE r.doc_id = $doc`, which without them is a scan of every edge
(measured on ArcadeDB, 30k edges: 68 ms scanning vs 3 ms with the index).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kg.backends import Backend
from kg.model import NODE_LABELS, OWNED_LABELS, REL_TYPES


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


def schema_statements(backend: Backend) -> list[tuple[str, str]]:
    """(name, statement) pairs; labels and types only from kg.model's closed sets."""
    out: list[tuple[str, str]] = []
    for label in NODE_LABELS:
        name = f"{_snake(label)}_key"
        out.append((name, f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                          f"FOR (n:{label}) REQUIRE n.key IS UNIQUE"))
    for label in sorted(OWNED_LABELS):
        name = f"{_snake(label)}_doc_id"
        out.append((name, f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{label}) ON (n.doc_id)"))
    for rel in REL_TYPES:
        name = f"rel_{rel.lower()}_doc_id"
        out.append((name, f"CREATE INDEX {name} IF NOT EXISTS "
                          f"FOR ()-[r:{rel}]-() ON (r.doc_id)"))
    out.extend((f"extra_{i}", stmt) for i, stmt in enumerate(backend.extra_schema))
    return out


def ensure_schema(run: Callable[[str], list[dict[str, Any]]], backend: Backend) -> list[str]:
    """Create what is missing; returns the names created. Idempotent: existing names are
    skipped (one SHOW each instead of ~40 DDL round trips) and every statement says
    IF NOT EXISTS anyway."""
    existing = {row.get("name") for row in run("SHOW CONSTRAINTS")}
    existing |= {row.get("name") for row in run("SHOW INDEXES")}
    created = []
    for name, statement in schema_statements(backend):
        if name.startswith("extra_") or name not in existing:
            run(statement)
            created.append(name)
    return created
