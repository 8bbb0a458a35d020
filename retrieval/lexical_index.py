"""Okapi BM25 over jieba tokens: the exact-word half of hybrid search.

Why next to the vectors: mE5 cosines sit in a narrow band and blur near-synonyms that a duty
officer means precisely (department names, 第X条, hazard names); BM25 catches exact terms, and the
two are fused by rank (retrieval.fusion.rrf), never by score.

Tokens come from jieba's search mode (overlapping words: 危险化学品 also yields 危险, 化学品), after
NFKC and lower-casing, with punctuation and whitespace dropped. Domain words (区应急管理局, 危险化学品)
are fed with `add_words` before indexing; an index remembers the words it was built with and
re-adds them when opened, so queries are cut the same way as the documents were.

Persisted like the vector index (generations + CURRENT, see retrieval.vector_index): postings in an
.npz of plain integer arrays (no pickle), terms and items in JSON.
"""
from __future__ import annotations

import json
import logging
import math
import os
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from retrieval.vector_index import (IndexItem, Reloading, check_items, read_generation,
                                   write_generation)

FORMAT_VERSION = 1
_POSTINGS_FILE = "postings.npz"
_META_FILE = "lexical.json"
_segmenter_lock = threading.RLock()


# ---------------------------------------------------------------------------- tokens


_segmenter_box: list = []  # the process's one jieba tokenizer, created on first use


def _segmenter():
    """One jieba tokenizer per process, built on first use (~0.6 s) and kept quiet.

    A private jieba.Tokenizer rather than jieba's global one, so words other parts of the program
    add for their own purposes do not silently change how indexed text is cut.
    """
    if _segmenter_box:
        return _segmenter_box[0]
    with _segmenter_lock:
        if not _segmenter_box:
            import jieba

            jieba.setLogLevel(logging.WARNING)  # "Building prefix dict ..." on every start is noise
            tk = jieba.Tokenizer()
            tk.initialize()
            _segmenter_box.append(tk)
    return _segmenter_box[0]


def add_words(words: Iterable[str]) -> None:
    """Teach the segmenter domain words (cumulative for the process: jieba cannot forget words)."""
    tk = _segmenter()
    with _segmenter_lock:
        for w in words:
            w = _normalise(w).strip()
            if w and not any(ch.isspace() for ch in w):
                tk.add_word(w)


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _is_word(token: str) -> bool:
    """Keep tokens with a letter or digit; drop punctuation, symbols and whitespace."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens of `text`, normalised, punctuation and whitespace removed."""
    return [t for t in _segmenter().cut_for_search(_normalise(text)) if _is_word(t)]


# ---------------------------------------------------------------------------- BM25


@dataclass(frozen=True)
class _Postings:
    terms: dict[str, int]  # term -> row
    indptr: np.ndarray  # int64, len(terms) + 1
    docs: np.ndarray  # int32 document rows, grouped by term
    tfs: np.ndarray  # float32 term frequencies, parallel to docs
    doc_len: np.ndarray  # float32 tokens per document


@dataclass(frozen=True)
class _State:
    items: list[IndexItem]
    postings: _Postings
    user_words: list[str]
    stamp: str | None
    positions: dict[str, int]
    _norms: dict = field(default_factory=dict, compare=False)

    def length_norm(self, k1: float, b: float) -> np.ndarray:
        """k1 * (1 - b + b * |d| / avgdl) per document, computed once per parameter pair."""
        if (k1, b) not in self._norms:
            dl = self.postings.doc_len
            avgdl = float(dl.mean()) if len(dl) else 1.0
            self._norms[(k1, b)] = k1 * (1.0 - b + b * dl / (avgdl or 1.0))
        return self._norms[(k1, b)]


class LexicalIndex(Reloading):
    """BM25 (Okapi, k1=1.5, b=0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5)))."""

    def __init__(self, items: list[IndexItem], postings: _Postings, *, user_words: Iterable[str] = (),
                 k1: float = 1.5, b: float = 0.75, directory: str | os.PathLike[str] | None = None,
                 stamp: str | None = None) -> None:
        self.k1, self.b = k1, b
        self.directory = Path(directory) if directory is not None else None
        self._state = _state(items, postings, user_words, stamp)
        self._reload_lock = threading.Lock()

    @classmethod
    def build(cls, items: Iterable[IndexItem], *, user_words: Iterable[str] = (),
              k1: float = 1.5, b: float = 0.75) -> LexicalIndex:
        items = check_items(items)
        user_words = sorted({w for w in user_words if w and w.strip()})
        add_words(user_words)
        return cls(items, _postings([tokenize(it.text) for it in items]), user_words=user_words,
                   k1=k1, b=b)

    # -- persistence

    def save(self, directory: str | os.PathLike[str]) -> str:
        s = self._state
        p = s.postings

        def write(gen: Path) -> None:
            with open(gen / _POSTINGS_FILE, "wb") as f:
                np.savez(f, indptr=p.indptr, docs=p.docs, tfs=p.tfs, doc_len=p.doc_len)
            terms = sorted(p.terms, key=p.terms.__getitem__)
            (gen / _META_FILE).write_text(json.dumps({
                "format": FORMAT_VERSION,
                "kind": "lexical",
                "params": {"k1": self.k1, "b": self.b},
                "user_words": s.user_words,
                "terms": terms,
                "items": [{"key": it.key, "text": it.text, "meta": it.meta} for it in s.items],
            }, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

        stamp = write_generation(directory, write)
        self.directory = Path(directory)
        self._state = _state(s.items, s.postings, s.user_words, stamp)
        return stamp

    @classmethod
    def open(cls, directory: str | os.PathLike[str]) -> LexicalIndex:
        stamp, (meta, postings) = read_generation(directory, _read_lexical_generation)
        add_words(meta["user_words"])
        items = [IndexItem(r["key"], r["text"], r.get("meta") or {}) for r in meta["items"]]
        return cls(items, postings, user_words=meta["user_words"], k1=meta["params"]["k1"],
                   b=meta["params"]["b"], directory=directory, stamp=stamp)

    def _adopt(self, fresh: LexicalIndex) -> None:
        self.k1, self.b, self._state = fresh.k1, fresh.b, fresh._state

    # -- reading

    def search(self, text: str, k: int = 10) -> list[tuple[str, float]]:
        """Top-k (key, BM25 score) for a free-text query; documents sharing no term are left out."""
        s = self._state
        p = s.postings
        n = len(s.items)
        if k <= 0 or n == 0:
            return []
        rows = [p.terms[t] for t in dict.fromkeys(tokenize(text)) if t in p.terms]
        if not rows:
            return []
        norm = s.length_norm(self.k1, self.b)
        scores = np.zeros(n, np.float64)
        for r in rows:
            docs = p.docs[p.indptr[r]:p.indptr[r + 1]]
            tf = p.tfs[p.indptr[r]:p.indptr[r + 1]]
            df = len(docs)
            idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
            scores[docs] += idf * tf * (self.k1 + 1.0) / (tf + norm[docs])
        hits = np.flatnonzero(scores > 0)
        if len(hits) > k:
            hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
        hits = hits[np.lexsort((hits, -scores[hits]))]  # by score, ties by index order
        return [(s.items[i].key, float(scores[i])) for i in hits]

    def item(self, key: str) -> IndexItem:
        s = self._state
        return s.items[s.positions[key]]

    def __len__(self) -> int:
        return len(self._state.items)

    @property
    def user_words(self) -> list[str]:
        return list(self._state.user_words)


def build_lexical_index(directory: str | os.PathLike[str], items: Iterable[IndexItem], *,
                        user_words: Iterable[str] = ()) -> LexicalIndex:
    """Build and save in one step (tokenising is fast enough that nothing is cached)."""
    index = LexicalIndex.build(items, user_words=user_words)
    index.save(directory)
    return index


def _state(items: Iterable[IndexItem], postings: _Postings, user_words: Iterable[str],
           stamp: str | None) -> _State:
    items = list(items)
    return _State(items, postings, sorted(set(user_words)), stamp,
                  {it.key: i for i, it in enumerate(items)})


def _postings(docs_tokens: list[list[str]]) -> _Postings:
    by_term: dict[str, list[tuple[int, int]]] = {}
    for d, toks in enumerate(docs_tokens):
        for term, tf in Counter(toks).items():
            by_term.setdefault(term, []).append((d, tf))
    terms = {t: i for i, t in enumerate(sorted(by_term))}
    indptr = np.zeros(len(terms) + 1, np.int64)
    docs, tfs = [], []
    for t in terms:
        pairs = by_term[t]
        indptr[terms[t] + 1] = indptr[terms[t]] + len(pairs)
        docs.extend(d for d, _ in pairs)
        tfs.extend(tf for _, tf in pairs)
    return _Postings(terms, indptr, np.asarray(docs, np.int32), np.asarray(tfs, np.float32),
                     np.asarray([len(t) for t in docs_tokens], np.float32))


def _read_lexical_generation(gen: Path):
    meta = json.loads((gen / _META_FILE).read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT_VERSION or meta.get("kind") != "lexical":
        raise ValueError(f"{gen}: not a lexical index of format {FORMAT_VERSION}")
    with np.load(gen / _POSTINGS_FILE, allow_pickle=False) as z:
        arrays = {name: z[name] for name in ("indptr", "docs", "tfs", "doc_len")}
    terms = {t: i for i, t in enumerate(meta["terms"])}
    if len(arrays["indptr"]) != len(terms) + 1 or len(arrays["doc_len"]) != len(meta["items"]):
        raise ValueError(f"{gen}: postings do not match the term and item lists")
    return meta, _Postings(terms, arrays["indptr"], arrays["docs"], arrays["tfs"], arrays["doc_len"])
