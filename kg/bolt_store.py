"""GraphStore over the official neo4j driver: one code path for ArcadeDB (Bolt plugin) and
Neo4j 5. Backend differences are data in kg.backends, not branches here.

Failures are retried here, not inside the driver (its own retry loop is switched off):
- a transient error (deadlock, ArcadeDB's concurrent-change conflict) is retried with backoff
  for up to `retry_seconds`; a transaction is only ever retried whole, so a document is never
  half-written;
- a lost connection asks `locate` where the server is now: moved (restarted on a new port) →
  a new driver for the new address, and the work runs again; gone (no server running) →
  GraphUnavailable at once, instead of dialling a dead port for half a minute.
"""
from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import neo4j
from neo4j.exceptions import ConstraintError, DriverError, Neo4jError, ServiceUnavailable, \
    SessionExpired

from kg import queries, schema, writer
from kg.backends import Backend, backend_for_agent
from kg.model import GraphBatch
from kg.store import GraphUnavailable, WriteResult

log = logging.getLogger(__name__)
T = TypeVar("T")
WRITE_ATTEMPTS = 8


@dataclass(frozen=True)
class Endpoint:
    """Where the graph server listens now, and how to log in."""
    uri: str
    user: str
    password: str
    database: str


Locate = Callable[[], "Endpoint | None"]  # None: no server is running at the moment


def _is_merge_race(error: Exception) -> bool:
    """Two transactions creating the same new key at once: ArcadeDB fails one of them with
    a duplicated-key error instead of making it wait, so running it again succeeds."""
    return isinstance(error, ConstraintError) and "duplicated key" in str(error).lower()


def _lost_connection(error: Exception) -> bool:
    return isinstance(error, (ServiceUnavailable, SessionExpired, OSError))


class BoltGraphStore:
    """kg.store.GraphStore over Bolt. Thread-safe (the driver is); one per process is enough."""

    def __init__(self, locate: Locate, backend: Backend | None = None, *,
                 retry_seconds: float = 30.0, connect_timeout: float = 5.0,
                 on_gone: Callable[[], None] | None = None, **driver_options: Any):
        """`locate` says where the server is now (re-asked whenever a connection is lost);
        `on_gone` is called (once per loss, from the failing thread) when no server runs."""
        self._locate = locate
        self._retry_seconds = retry_seconds
        self._on_gone = on_gone
        self._driver_options = {"connection_timeout": connect_timeout, **driver_options,
                                "max_transaction_retry_time": 0}  # retried here instead
        self._lock = threading.Lock()
        self._closed = False
        self._driver: neo4j.Driver | None = None
        self._endpoint: Endpoint | None = None
        try:
            agent = self._retrying(lambda driver: driver.get_server_info().agent)
        except BaseException:
            self.close()
            raise
        self.backend = backend or backend_for_agent(agent)

    @classmethod
    def connect(cls, uri: str, user: str, password: str, database: str,
                backend: Backend | None = None, **options: Any) -> BoltGraphStore:
        """A server at a fixed address (Neo4j, a cluster's routing address)."""
        endpoint = Endpoint(uri, user, password, database)
        return cls(lambda: endpoint, backend, **options)

    @property
    def address(self) -> str:
        """The server address in use (for administrators: never shown to other users)."""
        return self._endpoint.uri if self._endpoint else ""

    def reachable(self) -> bool:
        """Whether a server is running where `locate` says (cheap: no query is sent)."""
        try:
            return self._locate() is not None
        except Exception:  # noqa: BLE001 - a health probe never raises
            return False

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
        with self._lock:
            self._closed = True
            driver, self._driver, self._endpoint = self._driver, None, None
        if driver is not None:
            driver.close()

    def __enter__(self) -> BoltGraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- plumbing

    def _run(self, cypher: str, routing: neo4j.RoutingControl = neo4j.RoutingControl.WRITE,
             **params: Any) -> list[dict[str, Any]]:
        """One statement in its own transaction, retried whole."""
        def work(driver: neo4j.Driver) -> list[dict[str, Any]]:
            records, _, _ = driver.execute_query(cypher, params, database_=self._database(),
                                                 routing_=routing)
            return [r.data() for r in records]
        return self._retrying(work)

    def _write(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        def run(driver: neo4j.Driver) -> T:
            for attempt in range(WRITE_ATTEMPTS):
                try:
                    # Same bookmarks as execute_query: a read after a write sees it, even when
                    # a Neo4j cluster routes the read to another member.
                    with driver.session(
                            database=self._database(),
                            bookmark_manager=driver.execute_query_bookmark_manager) as session:
                        return session.execute_write(work)
                except ConstraintError as e:
                    if attempt == WRITE_ATTEMPTS - 1 or not _is_merge_race(e):
                        raise
                    time.sleep(0.05 * (attempt + 1) + random.random() * 0.05)
            raise AssertionError("unreachable")
        return self._retrying(run)

    def _database(self) -> str:
        endpoint = self._endpoint
        return endpoint.database if endpoint else ""

    def _current(self) -> tuple[neo4j.Driver, Endpoint]:
        """The driver for where the server is now; a new one when there is none yet."""
        if self._closed:
            raise GraphUnavailable("图数据库连接已关闭。")
        with self._lock:
            if self._driver is not None and self._endpoint is not None:
                return self._driver, self._endpoint
        return self._reconnect(None)

    def _reconnect(self, failed: neo4j.Driver | None) -> tuple[neo4j.Driver, Endpoint]:
        """Ask where the server is; keep the driver if it has not moved, else replace it.
        `failed` is the driver a connection was just lost on (None: no driver yet)."""
        endpoint = self._locate()
        with self._lock:
            if self._driver is not None and self._driver is not failed:
                return self._driver, self._endpoint  # another thread has reconnected already
            old, old_endpoint = self._driver, self._endpoint
            if endpoint is None:
                self._driver, self._endpoint = None, None
            elif old is None or endpoint != old_endpoint:
                if old is not None:
                    log.warning("graph server moved from %s to %s: reconnecting",
                                old_endpoint.uri if old_endpoint else "?", endpoint.uri)
                self._driver = neo4j.GraphDatabase.driver(
                    endpoint.uri, auth=(endpoint.user, endpoint.password),
                    **self._driver_options)
                self._endpoint = endpoint
            current = self._driver, self._endpoint
        if old is not None and old is not current[0]:
            old.close()  # threads still using it fail with a lost connection and come back here
        if current[0] is None:
            if self._on_gone is not None:
                self._on_gone()
            raise GraphUnavailable(address=old_endpoint.uri if old_endpoint else "")
        return current  # type: ignore[return-value]

    def _retrying(self, work: Callable[[neo4j.Driver], T]) -> T:
        """Run `work` with the current driver, again after a transient error (for up to
        `retry_seconds`) or after the server moved; GraphUnavailable when it is gone."""
        deadline = time.monotonic() + self._retry_seconds
        delay = 0.05
        driver, endpoint = self._current()
        while True:
            try:
                return work(driver)
            except (DriverError, Neo4jError, OSError) as e:
                if self._closed:
                    raise
                current = self._driver
                if current is not None and current is not driver:
                    driver, endpoint = self._current()  # replaced by another thread meanwhile
                    continue
                if isinstance(e, (Neo4jError, DriverError)) and not _lost_connection(e) \
                        and not e.is_retryable():
                    raise
                if _lost_connection(e):
                    moved_to, new_endpoint = self._reconnect(driver)  # GraphUnavailable if gone
                    if moved_to is not driver:
                        driver, endpoint = moved_to, new_endpoint
                        continue  # a fresh driver for a restarted server: run it again now
                if time.monotonic() + delay > deadline:
                    if _lost_connection(e):
                        raise GraphUnavailable(address=endpoint.uri) from e
                    raise
                log.info("graph transaction failed, retrying in %.2f s: %s", delay, e)
                time.sleep(delay * (1 + random.random() * 0.2))
                delay = min(delay * 2, 2.0)
