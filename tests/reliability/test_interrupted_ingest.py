"""An ingest killed (SIGKILL) at any moment — in particular after its graph commit and before
its index build — leaves graph and passage index consistent again after the next ingest, even
when that ingest finds the document 未变化: the index records the document versions it holds,
and what differs from the graph is rebuilt."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from retrieval.index_manifest import graph_versions, indexed_versions
from retrieval.vector_index import VectorIndex

ROOT = Path(__file__).resolve().parents[2]
TEXT = "示例县{mark}事故专项应急预案\n\n1 总则\n{mark}事故由示例县应急管理局牵头处置，标记{mark}。\n"


def _yingji(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ui.cli", *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _indexed_texts(settings) -> str:
    return "\n".join(it.meta.get("body", "") for it in
                     VectorIndex.open(settings.index_dir / "vector").items)


@pytest.fixture(scope="module")
def env(kg_settings, embedding_model_dir) -> dict:
    return {**os.environ, "YINGJI_DATA_DIR": str(kg_settings.data_dir),
            "YINGJI_MODEL_DIR": str(embedding_model_dir), "PYTHONPATH": str(ROOT)}


# "commit": killed the moment the graph holds the new version (before the index build);
# the numbers: killed that many seconds after the ingest started, wherever it is then.
KILL_POINTS = ["commit", 1.0, 6.0]


def test_killed_ingest_is_repaired_by_the_next(env, kg_settings, graph_store, tmp_path) -> None:
    doc = tmp_path / "kill-test.txt"
    doc.write_text(TEXT.format(mark="甲零"), encoding="utf-8")
    first = _yingji(env, "ingest", str(doc))
    assert first.wait(600) == 0, first.communicate()
    old_mark = "甲零"
    for n, kill_at in enumerate(KILL_POINTS, start=1):
        before = graph_store.document_version(doc.name)
        new_mark = f"乙{n}"
        doc.write_text(TEXT.format(mark=new_mark), encoding="utf-8")
        proc = _yingji(env, "ingest", str(doc))
        deadline = time.monotonic() + 300
        if kill_at == "commit":
            while graph_store.document_version(doc.name) == before and proc.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.02)
        else:
            time.sleep(kill_at)
        proc.send_signal(signal.SIGKILL)
        proc.wait(60)
        if kill_at == "commit":  # the state the issue found: new graph, old index
            assert graph_store.document_version(doc.name) != before
            assert graph_versions(graph_store) != indexed_versions(kg_settings.index_dir)

        again = _yingji(env, "ingest", str(doc))
        out, err = again.communicate(timeout=600)
        assert again.returncode == 0, (kill_at, out + err)
        assert graph_versions(graph_store) == indexed_versions(kg_settings.index_dir), kill_at
        texts = _indexed_texts(kg_settings)
        assert f"标记{new_mark}" in texts and f"标记{old_mark}" not in texts, kill_at
        if kill_at == "commit":
            assert "未变化" in out and "已重建索引" in out
        old_mark = new_mark
