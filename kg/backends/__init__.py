"""Backend specifics kept out of the common Bolt code path: DDL differences and the ArcadeDB
server that yingji runs itself when no Neo4j URI is configured."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Backend:
    """What the one Bolt code path needs to know about the server on the other end."""
    name: str
    # Extra statements run after the common constraints and indexes (vector, full-text, ...).
    extra_schema: tuple[str, ...] = field(default=())


def backend_for_agent(agent: str) -> Backend:
    """Pick the backend from the Bolt server agent string (ArcadeDB says 'ArcadeDB' in it)."""
    from kg.backends import arcadedb, neo4j

    return arcadedb.BACKEND if "arcadedb" in agent.lower() else neo4j.BACKEND
