"""The conformance suite against the ArcadeDB server yingji manages (always available)."""
from __future__ import annotations

import pytest

from kg.bolt_store import BoltGraphStore
from tests.kg.conformance import GraphStoreConformance


class TestArcadeDBStore(GraphStoreConformance):
    @pytest.fixture(scope="class")
    @classmethod
    def store(cls, graph_store: BoltGraphStore) -> BoltGraphStore:
        return graph_store

    def test_backend_detected_from_agent(self, store: BoltGraphStore) -> None:
        assert store.backend.name == "arcadedb"
