"""A real ArcadeDB server for the whole test session (one start, ~3 s), in a temporary data
dir, stopped at the end. Loaded as a plugin by tests/conftest.py."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg.backends.arcadedb_server import ensure_server, stop_server
from kg.bolt_store import BoltGraphStore
from kg.connect import open_store
from kg.settings import Settings


@pytest.fixture(scope="session")
def kg_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings for a private data dir with its ArcadeDB server running (never Neo4j)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("kg-data"), neo4j_uri=None,
                        arcadedb_heap="512m")
    ensure_server(settings)
    try:
        yield settings
    finally:
        stop_server(settings)


@pytest.fixture(scope="session")
def graph_store(kg_settings: Settings) -> Iterator[BoltGraphStore]:
    store = open_store(kg_settings)
    store.ensure_schema()
    try:
        yield store
    finally:
        store.close()
