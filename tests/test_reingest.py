"""Re-ingesting is idempotent and per-document: the whole corpus twice gives identical counts,
and deleting one plan then loading it again restores them exactly.

Runs on its own data dir and ArcadeDB server, so facts other tests write elsewhere in the
session cannot change the counts compared here.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths
from ingest.taxonomy import load_taxonomy
from kg.backends.arcadedb_server import ensure_server, stop_server
from kg.connect import open_store
from kg.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
PLAN = CORPUS / "plans" / "gas_plan.docx"


@pytest.fixture(scope="module")
def fresh_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    settings = Settings(data_dir=tmp_path_factory.mktemp("reingest-data"), neo4j_uri=None,
                        arcadedb_heap="512m")
    ensure_server(settings)
    store = open_store(settings)
    store.ensure_schema()
    try:
        yield store
    finally:
        store.close()
        stop_server(settings)


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(CORPUS / "taxonomy")


def test_corpus_twice_then_delete_and_reload_one_plan(fresh_store, taxonomy):
    first = ingest_paths([CORPUS], fresh_store, taxonomy)
    assert not first.failed, [f.error for f in first.failed]
    assert len(first.files) > 40 and all(f.status == "ingested" for f in first.files)
    counts = fresh_store.counts()
    assert counts.get("LEADS", 0) > 100 and counts.get("Document", 0) >= len(first.files)

    unchanged = ingest_paths([CORPUS], fresh_store, taxonomy)
    assert {f.status for f in unchanged.files} == {"unchanged"}
    assert fresh_store.counts() == counts

    forced = ingest_paths([CORPUS], fresh_store, taxonomy, force=True)
    assert {f.status for f in forced.files} == {"ingested"}
    assert fresh_store.counts() == counts

    facts = fresh_store.query("document_facts", doc_id=PLAN.name)
    assert facts
    assert fresh_store.delete_document(PLAN.name)
    after_delete = fresh_store.counts()
    assert fresh_store.query("document_facts", doc_id=PLAN.name) == []
    for rel in ("LEADS", "HAS_SECTION", "COVERS"):
        assert after_delete.get(rel, 0) < counts[rel], rel
    assert after_delete.get("Document", 0) < counts["Document"]

    again = ingest_paths([PLAN], fresh_store, taxonomy)
    assert [f.status for f in again.files] == ["ingested"]
    assert fresh_store.counts() == counts
    assert fresh_store.query("document_facts", doc_id=PLAN.name) == facts
