"""Vector index with the real model: persistence, the embedding cache, and rebuild detection."""
from __future__ import annotations

import numpy as np
import pytest

from retrieval.vector_index import (IndexItem, VectorIndex, build_vector_index, read_stamp,
                                    text_hash)

ITEMS = [
    IndexItem("hazchem#2.1", "危险化学品泄漏事故由区应急管理局牵头处置，生态环境局负责环境监测。",
              {"doc_id": "hazchem", "section": "2.1", "title": "危险化学品事故专项应急预案"}),
    IndexItem("flood#3.2", "防汛防台期间，区防汛指挥部组织转移低洼地区群众，区水务局负责排涝。",
              {"doc_id": "flood", "section": "3.2"}),
    IndexItem("gas#1.4", "城镇燃气泄漏事故由区城市管理委员会牵头，燃气企业负责切断气源。",
              {"doc_id": "gas", "section": "1.4"}),
    IndexItem("traffic#2.3", "道路交通事故由区公安分局交通支队负责现场管控和交通疏导。",
              {"doc_id": "traffic", "section": "2.3"}),
]


class CountingEmbedder:
    """The real embedder, counting the passages it is asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.passages = 0

    @property
    def dim(self):
        return self.inner.dim

    @property
    def model_id(self):
        return self.inner.model_id

    def encode_queries(self, texts):
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts):
        self.passages += len(texts)
        return self.inner.encode_passages(texts)


@pytest.fixture
def counting(embedder):
    return CountingEmbedder(embedder)


def top_key(index, embedder, query):
    return index.search(embedder.encode_queries([query])[0], k=1)[0][0]


def test_search_persist_and_reload(tmp_path, counting):
    stats = build_vector_index(tmp_path, ITEMS, counting)
    assert (stats.total, stats.embedded, stats.reused) == (4, 4, 0)
    index = VectorIndex.open(tmp_path)
    assert len(index) == 4 and index.dim == 384
    q = counting.encode_queries(["危化品泄漏怎么办"])[0]
    hits = index.search(q, k=3)
    assert hits[0][0] == "hazchem#2.1"
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert index.item("hazchem#2.1").meta["title"] == "危险化学品事故专项应急预案"
    assert top_key(index, counting, "小区煤气味很重") == "gas#1.4"
    # the reloaded vectors are the ones that were saved
    again = VectorIndex.open(tmp_path)
    assert again.search(q, k=4) == index.search(q, k=4)
    assert index.search(q, k=100)[-1][0] in {it.key for it in ITEMS}
    assert index.search(q, k=0) == []


def test_rebuild_embeds_only_new_or_changed_texts(tmp_path, counting):
    build_vector_index(tmp_path, ITEMS, counting)
    assert counting.passages == 4

    stats = build_vector_index(tmp_path, ITEMS, counting)
    assert counting.passages == 4  # nothing new
    assert (stats.embedded, stats.reused) == (0, 4)

    changed = [ITEMS[0], ITEMS[1], IndexItem("gas#1.4", ITEMS[2].text + "燃气企业24小时值守。"),
               IndexItem("quake#4.1", "地震发生后，各街镇组织群众到应急避难场所避险。"),
               IndexItem("copy", ITEMS[0].text)]  # same text under another key: reused
    stats = build_vector_index(tmp_path, changed, counting)
    assert counting.passages == 6
    assert (stats.total, stats.embedded, stats.reused) == (5, 2, 3)
    index = VectorIndex.open(tmp_path)
    assert "traffic#2.3" not in index and "quake#4.1" in index
    assert top_key(index, counting, "地震了去哪避难") == "quake#4.1"


def test_cache_is_not_used_across_models(tmp_path, counting):
    build_vector_index(tmp_path, ITEMS, counting)
    old = VectorIndex.open(tmp_path)
    rebuilt = VectorIndex.build(ITEMS, counting, cache=old, model_id="another-model")
    assert rebuilt.stats.embedded == 4


def test_long_lived_reader_notices_a_rebuild(tmp_path, counting):
    build_vector_index(tmp_path, ITEMS[:2], counting)
    reader = VectorIndex.open(tmp_path)  # e.g. the API server
    assert not reader.is_stale() and not reader.refresh()
    first = reader.stamp

    build_vector_index(tmp_path, ITEMS, counting)  # e.g. `yingji ingest` in another process
    assert read_stamp(tmp_path) != first
    assert reader.is_stale()
    assert reader.refresh()
    assert len(reader) == 4 and not reader.is_stale()
    assert top_key(reader, counting, "小区煤气味很重") == "gas#1.4"


def test_old_generations_are_pruned(tmp_path):
    rng = np.random.default_rng(0)
    for n in range(4):
        vecs = rng.normal(size=(3, 8)).astype(np.float32)
        items = [IndexItem(f"k{i}", f"text {n} {i}") for i in range(3)]
        VectorIndex(items, vecs).save(tmp_path)
    gens = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("gen-"))
    assert len(gens) == 2 and read_stamp(tmp_path) in gens
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_items_are_checked_and_exact_scores(tmp_path):
    with pytest.raises(ValueError, match="duplicate"):
        VectorIndex.build([IndexItem("a", "x"), IndexItem("a", "y")], embedder=None)
    vecs = np.eye(3, dtype=np.float32)
    index = VectorIndex([IndexItem(k, k) for k in "abc"], vecs)
    assert index.search(np.array([0, 1, 0], np.float32), k=2)[0] == ("b", pytest.approx(1.0))
    assert text_hash("危险化学品") == text_hash("危险化学品") != text_hash("危险化学")
    with pytest.raises(FileNotFoundError):
        VectorIndex.open(tmp_path / "missing")
