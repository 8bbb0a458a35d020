"""Hybrid passage search over document sections: FAISS (mE5) + BM25 (jieba), fused by rank.

The indexes are rebuilt from the graph's Section nodes after every ingest, so text search and
graph answers always describe the same documents.
"""
from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from kg.store import GraphStore
from retrieval.embedder import Embedder
from retrieval.fusion import rrf
from retrieval.normalize import char_bigrams
from retrieval.lexical_index import LexicalIndex, build_lexical_index
from retrieval.vector_index import IndexItem, VectorIndex, build_vector_index

GENERATION_FILE = "GENERATION"


@dataclass
class Passage:
    doc_id: str
    title: str
    section: str
    text: str  # a verbatim sentence (or line) of the section: the quote
    score: float


def index_generation(index_dir: Path) -> str | None:
    """Changes whenever any process rebuilt the indexes (i.e. after every ingest/delete)."""
    try:
        return (index_dir / GENERATION_FILE).read_text("utf-8").strip() or None
    except FileNotFoundError:
        return None


def build_indexes(store: GraphStore, index_dir: Path, embedder: Embedder) -> int:
    rows = store.query("sections")
    items = [IndexItem(key=r["key"], text=_passage_text(r),
                       meta={"doc_id": r["doc_id"], "title": r["title"] or r["doc_id"],
                             "path": r["path"], "body": r["text"] or ""})
             for r in rows if (r["text"] or "").strip()]
    words = [r["name"] for q in ("incident_type_names", "organization_names")
             for r in store.query(q)]
    index_dir.mkdir(parents=True, exist_ok=True)
    build_vector_index(index_dir / "vector", items, embedder)
    build_lexical_index(index_dir / "lexical", items, user_words=words)
    tmp = index_dir / f".{GENERATION_FILE}.{os.getpid()}"
    tmp.write_text(uuid.uuid4().hex, "utf-8")
    os.replace(tmp, index_dir / GENERATION_FILE)
    return len(items)


def _passage_text(row: dict) -> str:
    """Title and heading give a short section its context for both retrievers."""
    head = " ".join(x for x in (row["title"], row["heading"]) if x)
    return f"{head}\n{row['text']}" if head else row["text"]



_SENT = re.compile(r"(?<=[。！？；;!?\n])")


def best_quote(body: str, question: str) -> str:
    """The sentence of `body` sharing most character bigrams with the question (verbatim)."""
    q = char_bigrams(question)
    parts = [p.strip() for p in _SENT.split(body) if p.strip()]
    if not parts:
        return body.strip()
    return max(parts, key=lambda p: (len(q & char_bigrams(p)), -parts.index(p)))


class HybridPassageSearch:
    def __init__(self, index_dir: Path, embedder: Embedder, depth: int = 20):
        self._vector = VectorIndex.open(index_dir / "vector")
        self._lexical = LexicalIndex.open(index_dir / "lexical")
        self._embedder = embedder
        self._depth = depth

    def search(self, question: str, k: int = 5) -> list[Passage]:
        self._vector.refresh()
        self._lexical.refresh()
        qv = self._embedder.encode_queries([question])[0]
        vec = [key for key, _ in self._vector.search(qv, self._depth)]
        lex = [key for key, _ in self._lexical.search(question, self._depth)]
        out: list[Passage] = []
        for key, score in rrf([vec, lex])[:k]:
            item = self._vector.item(key) if key in self._vector else self._lexical.item(key)
            m = item.meta
            out.append(Passage(doc_id=m["doc_id"], title=m["title"], section=m["path"],
                               text=best_quote(m["body"], question), score=score))
        return out
