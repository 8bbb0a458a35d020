"""The real model on Chinese domain text: shapes, laziness, and whether meaning beats wording."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from retrieval.embedder import Embedder, SentenceTransformerEmbedder

ROOT = Path(__file__).resolve().parents[2]

PASSAGES = {
    "hazchem": "危险化学品泄漏事故发生后，区应急管理局牵头组织现场处置，疏散周边群众，防止次生灾害。",
    "traffic": "道路交通事故造成人员伤亡时，区公安分局交通支队负责现场管控和交通疏导。",
    "flood": "防汛防台期间，区防汛指挥部组织转移低洼地区群众，区水务局负责排涝抢险。",
    "gas": "城镇燃气泄漏或爆炸事故由区城市管理委员会牵头，燃气企业负责切断气源、抢修管道。",
    "quake": "地震灾害发生后，区地震局负责震情监测，各街镇组织群众到应急避难场所避险。",
}


def rank(embedder: Embedder, query: str) -> list[str]:
    keys = list(PASSAGES)
    p = embedder.encode_passages([PASSAGES[k] for k in keys])
    q = embedder.encode_queries([query])[0]
    return [keys[i] for i in np.argsort(-(p @ q))]


def test_importing_retrieval_is_cheap():
    code = ("import sys, retrieval.embedder, retrieval.vector_index, retrieval.lexical_index, "
            "retrieval.fusion, retrieval.model_prep\n"
            "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers', 'faiss', 'jieba')"
            " if m in sys.modules]\n"
            "print(','.join(heavy))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == ""


def test_construction_and_dim_do_not_load(embedding_model_dir):
    e = SentenceTransformerEmbedder(embedding_model_dir)
    assert isinstance(e, Embedder)
    assert e.dim == 384
    assert not e.loaded


def test_missing_folder_fails_without_download(tmp_path):
    e = SentenceTransformerEmbedder(tmp_path / "nowhere")
    try:
        e.encode_queries(["测试"])
    except FileNotFoundError as err:
        assert "model_prep" in str(err)
    else:
        raise AssertionError("expected FileNotFoundError")


def test_vectors_are_normalised_float32(embedder):
    v = embedder.encode_passages(["区应急管理局", "危险化学品", "防汛防台"])
    assert v.dtype == np.float32 and v.shape == (3, 384) and v.flags["C_CONTIGUOUS"]
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert embedder.encode_queries([]).shape == (0, 384)
    assert embedder.loaded


def test_query_and_passage_prompts_differ(embedder):
    q = embedder.encode_queries(["危险化学品泄漏"])[0]
    p = embedder.encode_passages(["危险化学品泄漏"])[0]
    assert 0.8 < float(q @ p) < 0.9999


def test_hazchem_question_finds_hazchem_passage(embedder):
    order = rank(embedder, "危化品泄漏怎么办")
    assert order[0] == "hazchem"
    assert order.index("hazchem") < order.index("traffic")
    assert order.index("hazchem") < order.index("flood")


def test_gas_smell_finds_town_gas_passage(embedder):
    assert rank(embedder, "小区煤气味很重")[0] == "gas"


def test_paraphrases_land_on_the_right_passage(embedder):
    assert rank(embedder, "台风来了低洼地区怎么办")[0] == "flood"
    assert rank(embedder, "发生地震去哪里避难")[0] == "quake"
    assert rank(embedder, "高速上车祸有人受伤")[0] == "traffic"
