"""GraphStore over the official neo4j driver: one code path for ArcadeDB (Bolt plugin) and
Neo4j 5. Backend differences are data in kg.backends, not branches here.

Transient failures (deadlocks, ArcadeDB's concurrent-change conflicts, a dropped connection)
are retried by the driver's managed transactions; a transaction is only ever retried whole,
so a document is never half-written.
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

import neo4j
from neo4j.exceptions import ConstraintError

from kg import queries, schema, writer
from kg.backends import Backend, backend_for_agent
from kg.model import GraphBatch
from kg.store import WriteResult

T = TypeVar("T")
WRITE_ATTEMPTS = 8


def _is_merge_race(error: Exception) -> bool:
    """Two transactions creating the same new key at once: ArcadeDB fails one of them with
    a duplicated-key error instead of making it wait, so running it again succeeds."""
    return isinstance(error, ConstraintError) and "duplicated key" in str(error).lower()


class BoltGraphStore:
    """kg.store.GraphStore over Bolt. Thread-safe (the driver is); one per process is enough."""

    def __init__(self, driver: neo4j.Driver, database: str, backend: Backend | None = None):
        self._driver = driver
        self._database = database
        self.backend = backend or backend_for_agent(driver.get_server_info().agent)

    @classmethod
    def connect(cls, uri: str, user: str, password: str, database: str,
                backend: Backend | None = None, **driver_options: Any) -> BoltGraphStore:
        driver = neo4j.GraphDatabase.driver(uri, auth=(user, password), **driver_options)
        try:
            driver.verify_connectivity()
            return cls(driver, database, backend)
        except BaseException:
            driver.close()
            raise

    # ---------------------------------------------------------------- GraphStore

    def ensure_schema(self) -> None:
        schema.ensure_schema(self._run, self.backend)

    def write_document(self, batch: GraphBatch) -> WriteResult:
        plan = writer.plan_batch(batch)  # validation errors before any I/O
        replaced, nodes, rels = self._write(lambda tx: writer.write_plan(tx, plan))
        return WriteResult(doc_id=plan.doc_id, nodes=nodes, relationships=rels,
                           replaced=replaced)

    def delete_document(self, doc_id: str) -> bool:
        return self._write(lambda tx: writer.remove_contribution(tx, doc_id))

    def document_version(self, doc_id: str) -> str | None:
        rows = self._run("MATCH (d:Document {key: $doc}) WHERE d.doc_id = $doc "
                         "RETURN d.version AS version", doc=doc_id)
        return rows[0]["version"] if rows else None

    def query(self, name: str, **params: Any) -> list[dict[str, Any]]:
        return self._run(queries.get(name), routing=neo4j.RoutingControl.READ, **params)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in self._run("MATCH (n) UNWIND labels(n) AS label "
                             "RETURN label, count(*) AS n"):
            out[row["label"]] = row["n"]
        for row in self._run("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n"):
            out[row["type"]] = row["n"]
        return out

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> BoltGraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- plumbing

    def _run(self, cypher: str, routing: neo4j.RoutingControl = neo4j.RoutingControl.WRITE,
             **params: Any) -> list[dict[str, Any]]:
        """One statement in its own managed (retried) transaction."""
        records, _, _ = self._driver.execute_query(cypher, params, database_=self._database,
                                                   routing_=routing)
        return [r.data() for r in records]

    def _write(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        for attempt in range(WRITE_ATTEMPTS):
            try:
                # Same bookmarks as execute_query: a read after a write sees it, even when a
                # Neo4j cluster routes the read to another member.
                with self._driver.session(
                        database=self._database,
                        bookmark_manager=self._driver.execute_query_bookmark_manager) as session:
                    return session.execute_write(work)
            except ConstraintError as e:
                if attempt == WRITE_ATTEMPTS - 1 or not _is_merge_race(e):
                    raise
                time.sleep(0.05 * (attempt + 1) + random.random() * 0.05)
        raise AssertionError("unreachable")
