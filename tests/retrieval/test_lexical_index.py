"""BM25 over jieba tokens on Chinese plan text."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from retrieval.lexical_index import LexicalIndex, add_words, build_lexical_index, tokenize
from retrieval.vector_index import IndexItem, read_stamp

ROOT = Path(__file__).resolve().parents[2]

ITEMS = [
    IndexItem("hazchem", "危险化学品泄漏事故由区应急管理局牵头处置，区生态环境局负责环境监测。",
              {"doc_id": "hazchem"}),
    IndexItem("flood", "防汛防台期间，区防汛指挥部组织转移低洼地区群众，区水务局负责排涝抢险。"),
    IndexItem("gas", "城镇燃气泄漏事故由区城市管理委员会牵头，燃气企业负责切断气源、抢修管道。"),
    IndexItem("traffic", "道路交通事故由区公安分局交通支队负责现场管控和交通疏导。"),
    IndexItem("law", "《中华人民共和国突发事件应对法》第二十条规定，县级人民政府应当建立应急救援物资储备保障制度。"),
]
WORDS = ["危险化学品", "区应急管理局", "区水务局", "区城市管理委员会", "突发事件应对法"]


def test_tokens_drop_punctuation_and_keep_domain_words():
    add_words(["区应急管理局"])
    toks = tokenize("区应急管理局：危险化学品，ＰＭ２.５！ 第二十条")
    assert "区应急管理局" in toks
    assert "pm2.5" in toks
    assert not [t for t in toks if not t.strip() or t in "：，！。"]


def test_bm25_ranks_chinese_text():
    index = LexicalIndex.build(ITEMS, user_words=WORDS)
    hits = index.search("危险化学品泄漏谁牵头", k=3)
    assert hits[0][0] == "hazchem"
    assert hits[0][1] > hits[1][1] > 0
    assert index.search("区水务局排涝", k=1)[0][0] == "flood"
    assert index.search("燃气泄漏 切断气源", k=1)[0][0] == "gas"
    assert index.search("突发事件应对法第二十条", k=1)[0][0] == "law"
    assert index.search("完全无关的词语比如量子计算", k=5) == []
    assert index.search("，。！", k=5) == []
    assert len(index.search("事故", k=2)) == 2


def test_rarer_terms_weigh_more():
    index = LexicalIndex.build(ITEMS, user_words=WORDS)
    # "事故" occurs in three passages, "排涝" in one: the rare word decides.
    hits = dict(index.search("事故 排涝", k=5))
    assert max(hits, key=hits.get) == "flood"


def test_persist_reload_and_user_words(tmp_path):
    built = build_lexical_index(tmp_path, ITEMS, user_words=WORDS)
    loaded = LexicalIndex.open(tmp_path)
    assert loaded.user_words == sorted(WORDS)
    for q in ("危险化学品泄漏", "交通疏导", "应急救援物资储备"):
        assert loaded.search(q, k=5) == built.search(q, k=5)
    assert loaded.item("hazchem").meta == {"doc_id": "hazchem"}
    assert not list(tmp_path.glob("*/*.pkl"))


def test_reader_notices_a_rebuild_by_another_process(tmp_path):
    build_lexical_index(tmp_path, ITEMS[:2])
    reader = LexicalIndex.open(tmp_path)
    assert reader.search("燃气", k=1) == []
    code = (
        "import sys\n"
        "from retrieval.lexical_index import build_lexical_index\n"
        "from retrieval.vector_index import IndexItem\n"
        "build_lexical_index(sys.argv[1], [IndexItem('gas', '城镇燃气泄漏事故由区城市管理委员会牵头')])\n"
    )
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Building prefix dict" not in run.stderr  # jieba stays quiet
    assert reader.is_stale() and reader.stamp != read_stamp(tmp_path)
    assert reader.refresh() and not reader.refresh()
    assert reader.search("燃气", k=1)[0][0] == "gas"


def test_duplicate_keys_rejected():
    with pytest.raises(ValueError):
        LexicalIndex.build([IndexItem("a", "甲"), IndexItem("a", "乙")])
