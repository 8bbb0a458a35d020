"""Wiring shared by the CLI, the chat page and the API: open the store, ingest, ask.

No domain logic here — only which library pieces are put together with which settings.
"""
from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.settings import Settings


class ServiceError(Exception):
    """A failure to report to the user in one line (already in Chinese)."""


@dataclass
class DataStatus:
    """What the data dir holds: documents, facts, when the search index was last rebuilt (after
    every ingest or delete that changed something) and whether it covers every stored section."""
    documents: int
    plans: int
    facts: int
    sections: int  # sections with text: what the index should hold
    indexed: int  # passages in the text index
    last_update: str | None  # local time of the last index rebuild

    @property
    def fresh(self) -> bool:
        return self.indexed == self.sections and self.last_update is not None


def data_status(settings: Settings, store) -> DataStatus:
    import datetime

    import numpy as np

    from kg import browse
    from retrieval import lexical_index
    from retrieval.passages import GENERATION_FILE
    from retrieval.vector_index import read_generation

    docs = browse.list_documents(store, kind=None)
    sections = sum(1 for r in store.query("sections") if (r.get("text") or "").strip())
    try:
        _, indexed = read_generation(
            settings.index_dir / "lexical",
            lambda gen: len(np.load(gen / lexical_index._POSTINGS_FILE)["doc_len"]))
    except (FileNotFoundError, ValueError, OSError):
        indexed = 0
    stamp = settings.index_dir / GENERATION_FILE
    last = (datetime.datetime.fromtimestamp(stamp.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
            if stamp.is_file() else None)
    return DataStatus(documents=len(docs), plans=sum(d.kind == "plan" for d in docs),
                      facts=sum(d.facts for d in docs), sections=sections, indexed=indexed,
                      last_update=last)


def open_store(settings: Settings, *, revive: bool = False):
    """`revive`: a long-lived process (the API) restarts a dead graph server in the background."""
    from kg.connect import open_store as _open

    try:
        store = _open(settings, revive=revive)
    except Exception as e:  # server failed to start, wrong credentials, unreachable Neo4j
        raise ServiceError(f"无法连接图数据库：{e}") from e
    store.ensure_schema()
    return store


def source_file(store, doc_id: str) -> Path | None:
    """The file a document was ingested from, when it is still on this machine."""
    row = next((r for r in store.query("check_documents") if r.get("doc_id") == doc_id), None)
    raw = (row or {}).get("source_path")
    if not raw:
        return None
    path = Path(raw)
    return path if path.is_file() else None


def taxonomy(settings: Settings):
    from ingest.taxonomy import load_taxonomy

    directory = settings.taxonomy_dir
    return load_taxonomy(directory if directory.is_dir() else None)


def prepare(settings: Settings) -> Path:
    from retrieval.model_prep import prepare_model

    return prepare_model(settings.embedding_model_dir)


def embedder(settings: Settings):
    from retrieval.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(prepare(settings))


def ingest(settings: Settings, paths: list[Path], *, force: bool = False, kind: str | None = None,
           progress: Callable | None = None, build_index: bool = True):
    from ingest.catalogue import ingest_catalogue, split_catalogues
    from ingest.pipeline import ingest_paths

    catalogues, paths = split_catalogues(paths)
    store = open_store(settings)
    try:
        report = ingest_paths(paths, store, taxonomy(settings), force=force, kind=kind,
                              progress=progress, max_file_mb=settings.max_file_mb,
                              max_unzipped_mb=settings.max_unzipped_mb)
        for path in catalogues:  # the law catalogue is a data table with its own loader
            result = ingest_catalogue(path, store, force=force)
            report.files.append(result)
            if progress:
                progress(result)
        if build_index:
            # Not only when something changed: an earlier ingest may have been killed after
            # its graph commit and before its index build. What differs is rebuilt now.
            stale = index_differences(settings, store)
            if report.changed or stale:
                _build_index(settings, store)
                report.index_repaired = [d for d in stale if d not in report.changed_ids]
        return report
    finally:
        store.close()


def delete(settings: Settings, doc_id: str) -> bool:
    store = open_store(settings)
    try:
        removed = store.delete_document(doc_id)
        if removed:
            _build_index(settings, store)
        return removed
    finally:
        store.close()


def rebuild_index(settings: Settings) -> int:
    store = open_store(settings)
    try:
        return _build_index(settings, store)
    finally:
        store.close()


def index_differences(settings: Settings, store) -> list[str]:
    """Documents the passage indexes hold in another version than the graph (or not at all)."""
    from retrieval.index_manifest import differences, graph_versions
    from retrieval.passages import index_generation

    graph = graph_versions(store)
    if index_generation(settings.index_dir) is None:
        return sorted(graph) or ["（索引未建立）"]
    return differences(graph, settings.index_dir)


def repair_index(settings: Settings, store) -> list[str]:
    """Rebuild the indexes when they differ from the graph (a start-up check); what differed."""
    stale = index_differences(settings, store)
    if stale:
        _build_index(settings, store)
    return stale


def _build_index(settings: Settings, store) -> int:
    from retrieval.index_manifest import graph_versions, record
    from retrieval.passages import build_indexes

    versions = graph_versions(store)  # read first: the indexes are at least this new
    n = build_indexes(store, settings.index_dir, embedder(settings))
    record(settings.index_dir, versions)
    return n


def run_checks(settings: Settings, draft: Path | None = None, *, rules: list[str] | None = None,
               severity: str | None = None, doc_id: str | None = None, semantic: bool = True):
    """Consistency checks over the store, or of one document against it: a draft file (parsed
    in memory, never written) or a stored doc id. Returns a kg.checks.CheckReport."""
    from ingest.check_reference import check_reference
    from ingest.document import ReadError
    from ingest.pipeline import build_batch
    from kg.checks import run_checks as _run

    tax = taxonomy(settings)
    batch = None
    if draft is not None:
        if not Path(draft).is_file():
            raise ServiceError(f"草案文件不存在：{draft}")
        try:
            batch, _ = build_batch(Path(draft), tax, max_unzipped_mb=settings.max_unzipped_mb)
        except ReadError as e:
            raise ServiceError(f"无法读取草案：{e}") from e
    store = open_store(settings)
    try:
        try:
            return _run(store, draft=batch, embedder=embedder(settings) if semantic else None,
                        rules=rules, reference=check_reference(tax), doc_id=doc_id,
                        severity=severity)
        except ValueError as e:  # an unknown rule name, already in Chinese
            raise ServiceError(str(e)) from e
    finally:
        store.close()


def data_generation(settings: Settings) -> Callable[[], str | None]:
    """A token that changes whenever any process changed the data (every ingest and delete
    rebuilds the indexes), for caches of answers."""
    from retrieval.passages import index_generation

    return lambda: index_generation(settings.index_dir)


@contextlib.contextmanager
def assistant(settings: Settings, *, revive: bool = False, warm: bool = False) -> Iterator:
    """`warm`: a long-lived process (the chat page, the API) loads the model and indexes in the
    background at once (Settings.warm_up), instead of on its first question."""
    import threading

    from retrieval.assistant import Assistant
    from retrieval.passages import HybridPassageSearch, index_generation

    store = open_store(settings, revive=revive)
    shared: list = []  # one embedder (loaded on first use) for passages and entity linking
    loading = threading.Lock()  # the warm-up and a first question must not load it twice

    def emb():
        with loading:
            if not shared:
                shared.append(embedder(settings))
        return shared[0]

    try:
        a = Assistant(store,
                      passages=lambda: HybridPassageSearch(settings.index_dir, emb()),
                      generation=lambda: index_generation(settings.index_dir),
                      embedder=emb)
        if warm and settings.warm_up:
            threading.Thread(target=a.warm, name="yingji-warm-up", daemon=True).start()
        yield a
    finally:
        store.close()


def run_chat(settings: Settings, *, port: int, address: str) -> int:
    """Start the Streamlit chat; the graph server is started first so errors show here."""
    open_store(settings).close()
    app = Path(__file__).with_name("app.py")
    env = {**os.environ, "YINGJI_DATA_DIR": str(settings.data_dir.resolve())}
    print(f"应急知识图谱助手已启动：http://{address}:{port}  （按 Ctrl+C 退出）", flush=True)
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
           "--server.address", address, "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
           "--server.maxUploadSize", str(max(1, int(settings.upload_max_mb)))]
    # exec, not a child: signals (Ctrl+C, a supervisor's SIGTERM) reach Streamlit directly.
    os.execve(sys.executable, cmd, env)
    return 0  # not reached
