"""Neo4j 5 (server, cluster, Aura): the reference dialect, so the common DDL is all it needs.

Vector and full-text indexes, when the graph holds them, would be Neo4j's own
`CREATE VECTOR INDEX` / `CREATE FULLTEXT INDEX` statements added to `extra_schema`.
"""
from __future__ import annotations

from kg.backends import Backend

BACKEND = Backend(name="neo4j")
