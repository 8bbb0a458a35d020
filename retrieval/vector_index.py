"""Exact inner-product search over passage embeddings (FAISS IndexFlatIP), persisted on disk.

Why flat: exact, no training, and fast enough here up to ~10^5-10^6 passages (notes/embeddings.md).
Why generations: a long-lived process (API, chat) must never read a half-written index while
`yingji ingest` rebuilds it in another process. Every save writes a fresh `gen-*` folder and then
swaps one small pointer file, `CURRENT`, with an atomic rename; readers compare that pointer (one
small read) to notice a rebuild and reload. The same layout serves the lexical index.

Embedding is the slow part (~90 passages/s on CPU), so a rebuild reuses the vectors of the previous
generation for every passage whose text is unchanged (keyed by the sha1 of the text).
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.embedder import Embedder

FORMAT_VERSION = 1
CURRENT = "CURRENT"
_LOCK = ".lock"
_GEN_PREFIX = "gen-"
_INDEX_FILE = "vectors.faiss"
_META_FILE = "items.json"


@dataclass(frozen=True)
class IndexItem:
    """One searchable passage: a caller-chosen unique key, its text, and JSON-able metadata."""

    key: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict, hash=False)


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def check_items(items: Iterable[IndexItem]) -> list[IndexItem]:
    """Keys must be unique and metadata JSON-serialisable: fail at build time, not at save time."""
    items = list(items)
    seen: set[str] = set()
    for it in items:
        if not isinstance(it.key, str) or not isinstance(it.text, str):
            raise TypeError(f"item key and text must be str: {it!r}")
        if it.key in seen:
            raise ValueError(f"duplicate index key {it.key!r}")
        seen.add(it.key)
        json.dumps(it.meta, ensure_ascii=False)
    return items


# ---------------------------------------------------------------------------- generations on disk


def read_stamp(directory: str | os.PathLike[str]) -> str | None:
    """The current generation's name, or None when nothing was saved yet. Cheap: one small read."""
    try:
        return (Path(directory) / CURRENT).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


@contextmanager
def _writer_lock(directory: Path) -> Iterator[None]:
    """Serialise writers of one index directory (readers never lock)."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / _LOCK, "a+") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def write_generation(directory: str | os.PathLike[str], write: Callable[[Path], None]) -> str:
    """Let `write` fill a new generation folder, then make it current atomically; return its stamp.

    The previous generation is kept (a reader may be loading it right now); older ones are removed.
    """
    directory = Path(directory)
    with _writer_lock(directory):
        previous = read_stamp(directory)
        name = f"{_GEN_PREFIX}{time.time_ns():x}-{os.getpid()}"
        gen = directory / name
        gen.mkdir()
        try:
            write(gen)
            _fsync_dir(gen)
            tmp = directory / f".{CURRENT}.{os.getpid()}.tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(name + "\n")
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, directory / CURRENT)
            _fsync_dir(directory)
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)
            raise
        for old in directory.glob(_GEN_PREFIX + "*"):
            if old.name not in (name, previous):
                shutil.rmtree(old, ignore_errors=True)
        return name


def read_generation(directory: str | os.PathLike[str], read: Callable[[Path], Any]) -> tuple[str, Any]:
    """Call `read` on the current generation folder; retry if a writer removed it meanwhile."""
    directory = Path(directory)
    for _ in range(5):
        stamp = read_stamp(directory)
        if stamp is None:
            raise FileNotFoundError(f"no index saved in {directory}")
        try:
            return stamp, read(directory / stamp)
        except FileNotFoundError:
            if read_stamp(directory) == stamp:
                raise
    raise RuntimeError(f"{directory}: index kept changing while loading")


def _fsync_dir(path: Path) -> None:
    for p in [*path.iterdir(), path] if path.is_dir() else [path]:
        if p.is_file():
            with open(p, "rb") as f:
                os.fsync(f.fileno())
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


# ---------------------------------------------------------------------------- vector index


@dataclass(frozen=True)
class BuildStats:
    total: int  # items in the index
    embedded: int  # distinct texts sent to the embedder
    reused: int  # items whose vector came from the cache


@dataclass(frozen=True)
class _State:
    items: list[IndexItem]
    hashes: list[str]
    index: Any  # faiss.IndexFlatIP
    dim: int
    model_id: str | None
    stamp: str | None
    positions: dict[str, int]


class Reloading:
    """Swapping in the generation another process saved: shared by the vector and lexical
    indexes (each says in `_adopt` what a fresh copy hands over)."""
    directory: Path | None
    _state: Any
    _reload_lock: threading.Lock

    @property
    def stamp(self) -> str | None:
        return self._state.stamp

    def is_stale(self) -> bool:
        """True when another process saved a newer generation to this index's directory."""
        return self.directory is not None and read_stamp(self.directory) != self._state.stamp

    def refresh(self) -> bool:
        """Reload if the directory holds a newer generation; return whether it did."""
        if not self.is_stale():
            return False
        with self._reload_lock:
            if not self.is_stale():
                return False
            self._adopt(type(self).open(self.directory))
            return True

    @classmethod
    def open(cls, directory: str | os.PathLike[str]) -> Reloading:
        raise NotImplementedError

    def _adopt(self, fresh: Any) -> None:
        raise NotImplementedError


class VectorIndex(Reloading):
    """Passages and their embeddings. Build in memory, `save` to a directory, `open` it elsewhere.

    Thread-safe for searching while `refresh` swaps in a newer generation.
    """

    def __init__(self, items: list[IndexItem], vectors: np.ndarray, *, model_id: str | None = None,
                 directory: str | os.PathLike[str] | None = None, stamp: str | None = None,
                 hashes: list[str] | None = None) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(items):
            raise ValueError(f"need one vector per item: {vectors.shape} for {len(items)} items")
        self.directory = Path(directory) if directory is not None else None
        self.stats: BuildStats | None = None
        self._state = _make_state(items, vectors, model_id, stamp,
                                  hashes or [text_hash(it.text) for it in items])
        self._reload_lock = threading.Lock()

    # -- building

    @classmethod
    def build(cls, items: Iterable[IndexItem], embedder: Embedder, *,
              cache: VectorIndex | None = None, model_id: str | None = None) -> VectorIndex:
        """Embed `items`, taking vectors from `cache` (e.g. the index being replaced) where the text
        is unchanged and the model is the same. `stats` says how much was embedded."""
        items = check_items(items)
        model_id = model_id if model_id is not None else getattr(embedder, "model_id", None)
        hashes = [text_hash(it.text) for it in items]
        known = cache.vectors_by_hash() if cache is not None and cache.model_id == model_id else {}
        todo: dict[str, str] = {}
        for h, it in zip(hashes, items):
            if h not in known:
                todo.setdefault(h, it.text)
        fresh: dict[str, np.ndarray] = {}
        if todo:
            vecs = embedder.encode_passages(list(todo.values()))
            fresh = dict(zip(todo.keys(), np.asarray(vecs, np.float32)))
        sample = next(iter(fresh.values()), None)
        if sample is None:
            sample = next(iter(known.values()), None)
        dim = len(sample) if sample is not None else embedder.dim
        vectors = np.zeros((len(items), dim), np.float32)
        for row, h in enumerate(hashes):
            vectors[row] = fresh[h] if h in fresh else known[h]
        index = cls(items, vectors, model_id=model_id, hashes=hashes)
        reused = sum(1 for h in hashes if h not in fresh)
        index.stats = BuildStats(total=len(items), embedded=len(todo), reused=reused)
        return index

    # -- persistence

    def save(self, directory: str | os.PathLike[str]) -> str:
        """Write a new generation under `directory` and make it current; return its stamp."""
        s = self._state

        def write(gen: Path) -> None:
            import faiss

            faiss.write_index(s.index, str(gen / _INDEX_FILE))
            _write_json(gen / _META_FILE, {
                "format": FORMAT_VERSION,
                "kind": "vector",
                "dim": s.dim,
                "model_id": s.model_id,
                "items": [{"key": it.key, "text": it.text, "meta": it.meta, "sha1": h}
                          for it, h in zip(s.items, s.hashes)],
            })

        stamp = write_generation(directory, write)
        self.directory = Path(directory)
        self._state = _make_state_from(s, stamp)
        return stamp

    @classmethod
    def open(cls, directory: str | os.PathLike[str]) -> VectorIndex:
        stamp, (items, hashes, vectors, model_id) = read_generation(directory, _read_vector_generation)
        return cls(items, vectors, model_id=model_id, directory=directory, stamp=stamp, hashes=hashes)

    def _adopt(self, fresh: VectorIndex) -> None:
        self._state = fresh._state

    # -- reading

    def search(self, query_vec: np.ndarray, k: int = 10) -> list[tuple[str, float]]:
        """Top-k (key, inner product) for one query vector; cosine when both sides are normalised."""
        s = self._state
        if k <= 0 or s.index.ntotal == 0:
            return []
        q = np.ascontiguousarray(np.asarray(query_vec, np.float32).reshape(1, -1))
        if q.shape[1] != s.dim:
            raise ValueError(f"query has dimension {q.shape[1]}, index has {s.dim}")
        scores, rows = s.index.search(q, min(k, s.index.ntotal))
        return [(s.items[r].key, float(sc)) for r, sc in zip(rows[0], scores[0]) if r >= 0]

    def item(self, key: str) -> IndexItem:
        s = self._state
        return s.items[s.positions[key]]

    def __contains__(self, key: object) -> bool:
        return key in self._state.positions

    def __len__(self) -> int:
        return len(self._state.items)

    @property
    def items(self) -> list[IndexItem]:
        return list(self._state.items)

    @property
    def dim(self) -> int:
        return self._state.dim

    @property
    def model_id(self) -> str | None:
        return self._state.model_id

    def vectors_by_hash(self) -> dict[str, np.ndarray]:
        s = self._state
        if s.index.ntotal == 0:
            return {}
        vecs = s.index.reconstruct_n(0, s.index.ntotal)
        return dict(zip(s.hashes, vecs))


def build_vector_index(directory: str | os.PathLike[str], items: Iterable[IndexItem],
                       embedder: Embedder) -> BuildStats:
    """Rebuild the index saved in `directory`, re-embedding only new or changed texts."""
    try:
        previous: VectorIndex | None = VectorIndex.open(directory)
    except (FileNotFoundError, ValueError):
        previous = None
    index = VectorIndex.build(items, embedder, cache=previous)
    index.save(directory)
    assert index.stats is not None
    return index.stats


def _make_state(items: list[IndexItem], vectors: np.ndarray, model_id: str | None,
                stamp: str | None, hashes: list[str]) -> _State:
    import faiss

    dim = int(vectors.shape[1])
    index = faiss.IndexFlatIP(dim)
    if len(items):
        index.add(vectors)
    return _State(items=list(items), hashes=list(hashes), index=index, dim=dim, model_id=model_id,
                  stamp=stamp, positions={it.key: i for i, it in enumerate(items)})


def _make_state_from(s: _State, stamp: str) -> _State:
    return _State(items=s.items, hashes=s.hashes, index=s.index, dim=s.dim, model_id=s.model_id,
                  stamp=stamp, positions=s.positions)


def _read_vector_generation(gen: Path):
    import faiss

    meta = json.loads((gen / _META_FILE).read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT_VERSION or meta.get("kind") != "vector":
        raise ValueError(f"{gen}: not a vector index of format {FORMAT_VERSION}")
    index = faiss.read_index(str(gen / _INDEX_FILE))
    items = [IndexItem(r["key"], r["text"], r.get("meta") or {}) for r in meta["items"]]
    if index.ntotal != len(items) or index.d != meta["dim"]:
        raise ValueError(f"{gen}: index holds {index.ntotal}x{index.d}, metadata {len(items)}x{meta['dim']}")
    vectors = index.reconstruct_n(0, index.ntotal) if index.ntotal else np.zeros((0, index.d), np.float32)
    return items, [r["sha1"] for r in meta["items"]], vectors, meta.get("model_id")
