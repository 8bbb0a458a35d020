"""The one way to get a GraphStore: Neo4j when configured, else this data dir's ArcadeDB
server (started on first use, reused by every later process)."""
from __future__ import annotations

from neo4j.exceptions import ServiceUnavailable

from kg.backends import arcadedb
from kg.backends import neo4j as neo4j_backend
from kg.backends.arcadedb_server import ensure_server
from kg.bolt_store import BoltGraphStore
from kg.settings import Settings


def open_store(settings: Settings) -> BoltGraphStore:
    """Connect to the configured graph. Does not create the schema (call ensure_schema)."""
    if settings.neo4j_uri:
        return BoltGraphStore.connect(settings.neo4j_uri, settings.neo4j_user,
                                      settings.neo4j_password, settings.neo4j_database,
                                      backend=neo4j_backend.BACKEND)
    for attempt in range(2):
        info = ensure_server(settings)
        try:
            return BoltGraphStore.connect(info.bolt_uri, info.user, info.password,
                                          info.database, backend=arcadedb.BACKEND)
        except ServiceUnavailable:
            if attempt:  # the server died between the check and the connect: once more
                raise
    raise AssertionError("unreachable")
