"""Which document versions the passage indexes hold, recorded after every build and compared
with the graph's on every ingest and at start-up: an ingest killed between its graph commit
and its index build leaves a difference the next ingest (or an API start) finds and repairs,
instead of an index that stays stale behind an "unchanged" document."""
from __future__ import annotations

import json
import os
from pathlib import Path

from kg.store import GraphStore

MANIFEST_FILE = "DOCUMENTS.json"


def graph_versions(store: GraphStore) -> dict[str, str]:
    return {r["doc_id"]: r["version"] or "" for r in store.query("documents")}


def indexed_versions(index_dir: Path) -> dict[str, str] | None:
    """doc id → version the indexes were built from; None when no build recorded one."""
    try:
        return json.loads((index_dir / MANIFEST_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def record(index_dir: Path, versions: dict[str, str]) -> None:
    """Written after the indexes themselves, atomically: a build killed half-way leaves the
    previous manifest, which then differs from the graph."""
    index_dir.mkdir(parents=True, exist_ok=True)
    tmp = index_dir / f".{MANIFEST_FILE}.{os.getpid()}"
    tmp.write_text(json.dumps(versions, ensure_ascii=False, sort_keys=True), "utf-8")
    os.replace(tmp, index_dir / MANIFEST_FILE)


def differences(graph: dict[str, str], index_dir: Path) -> list[str]:
    """Documents whose graph and index versions differ (either side missing counts); every
    document when the indexes recorded nothing."""
    indexed = indexed_versions(index_dir)
    if indexed is None:
        return sorted(graph) or ["（索引未建立）"]
    return sorted(d for d in graph.keys() | indexed.keys() if graph.get(d) != indexed.get(d))
