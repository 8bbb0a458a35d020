"""The conformance suite against a Neo4j 5 server, only where YINGJI_NEO4J_URI names one
(user, password and database from YINGJI_NEO4J_USER / _PASSWORD / _DATABASE)."""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from kg.bolt_store import BoltGraphStore
from kg.connect import open_store
from kg.settings import load_settings
from tests.kg.conformance import GraphStoreConformance

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(not os.environ.get("YINGJI_NEO4J_URI"),
                       reason="YINGJI_NEO4J_URI not set: no Neo4j server to test against"),
]


@pytest.fixture(scope="module")
def neo4j_store() -> Iterator[BoltGraphStore]:
    store = open_store(load_settings())
    store.ensure_schema()
    try:
        yield store
    finally:
        store.close()


class TestNeo4jStore(GraphStoreConformance):
    @pytest.fixture(scope="class")
    @classmethod
    def store(cls, neo4j_store: BoltGraphStore) -> BoltGraphStore:
        return neo4j_store

    def test_backend_is_neo4j(self, store: BoltGraphStore) -> None:
        assert store.backend.name == "neo4j"
