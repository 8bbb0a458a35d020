"""The one way to get a GraphStore: Neo4j when configured, else this data dir's ArcadeDB
server (started on first use, reused by every later process).

The ArcadeDB store re-reads the server's address (server.json) whenever a connection is lost,
so a server restarted by another process on a new port is found again. A long-lived process
(the API) may also ask for `revive`: when the server is found gone, it is started again in the
background while requests get a quick GraphUnavailable (503) instead of waiting for it.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from kg.backends import arcadedb
from kg.backends import neo4j as neo4j_backend
from kg.backends.arcadedb_server import ensure_server, server_status
from kg.bolt_store import BoltGraphStore, Endpoint
from kg.settings import Settings

log = logging.getLogger(__name__)


def open_store(settings: Settings, *, revive: bool = False) -> BoltGraphStore:
    """Connect to the configured graph. Does not create the schema (call ensure_schema).
    `revive`: restart this data dir's ArcadeDB server in the background when it dies."""
    options = {"retry_seconds": settings.graph_retry_seconds,
               "connect_timeout": settings.graph_connect_timeout}
    if settings.neo4j_uri:
        return BoltGraphStore.connect(settings.neo4j_uri, settings.neo4j_user,
                                      settings.neo4j_password, settings.neo4j_database,
                                      backend=neo4j_backend.BACKEND, **options)
    ensure_server(settings)  # start it if no process has yet
    return BoltGraphStore(_arcadedb_locator(settings), backend=arcadedb.BACKEND,
                          on_gone=_reviver(settings) if revive else None, **options)


def _arcadedb_locator(settings: Settings) -> Callable[[], Endpoint | None]:
    def locate() -> Endpoint | None:
        info = server_status(settings)  # server.json, the pid alive, the Bolt port open
        return Endpoint(info.bolt_uri, info.user, info.password, info.database) if info else None
    return locate


def _reviver(settings: Settings) -> Callable[[], None]:
    """Start the server again in a background thread, one attempt at a time."""
    busy = threading.Lock()

    def start() -> None:
        try:
            ensure_server(settings)
            log.warning("graph server for %s restarted", settings.data_dir)
        except Exception:  # noqa: BLE001 - logged; the next lost request tries again
            log.exception("could not restart the graph server for %s", settings.data_dir)
        finally:
            busy.release()

    def revive() -> None:
        if busy.acquire(blocking=False):
            threading.Thread(target=start, name="yingji-graph-revive", daemon=True).start()
    return revive
