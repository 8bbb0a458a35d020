"""ArcadeDB through its Bolt plugin: what differs from Neo4j.

Measured with ArcadeDB 26.10.2 and the neo4j 6.4 driver: multiple labels work (a node
`:Document:Plan` becomes the composite type `Document~Plan`, matched by either label, and a
uniqueness constraint on `Document.key` covers it); `CREATE CONSTRAINT ... IF NOT EXISTS`,
`CREATE INDEX ... IF NOT EXISTS` on node and relationship properties, `SHOW INDEXES` and
`SHOW CONSTRAINTS` work as in Neo4j. So the common DDL is shared; the one addition:

- ArcadeDB creates a type the first time a label (combination) is used, and two transactions
  doing that at once fail one of them ("type already exists", surfacing as a SemanticError).
  The single labels get their types from the constraints; the Document kind combinations
  (`Document~Plan`, ...) are created here by writing and deleting a placeholder node.

Quirks the writer works around (see kg/bolt_store.py):
- A node's labels can change once per transaction: `SET n:B` or `REMOVE n:A` alone works
  (the node gets a new elementId, edges are kept), but a second change to the same node in
  the same transaction (`REMOVE n:A SET n:B`, `REMOVE n:A:B`) fails with a duplicated key on
  the node's own key. The writer re-creates a node whose kind changes instead.
- Concurrent MERGEs of the same new key fail one transaction with a duplicated-key
  ConstraintError instead of waiting; the writer retries that.
"""
from __future__ import annotations

from kg.backends import Backend
from kg.model import DOCUMENT_LABELS

_COMPOSITE_TYPES = tuple(
    f"CREATE (n:Document:{kind} {{key: '__yingji_schema__'}}) DELETE n" for kind in DOCUMENT_LABELS)

BACKEND = Backend(name="arcadedb", extra_schema=_COMPOSITE_TYPES)
