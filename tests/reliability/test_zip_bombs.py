"""Zip bombs (generated here, never committed) are refused unread: by the CLI with the file
named, exit 2 and the good file beside it ingested, peak memory flat; by `/check` for a viewer
with a Chinese 400 that names the file but not the server's directories."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ingest.document import ReadError
from ingest.readers import read_document
from tests.reliability.bombs import bomb, lying_bomb
from ui.api import create_app

ROOT = Path(__file__).resolve().parents[2]
PLAN = "某区燃气事故专项应急预案\n\n1 总则\n燃气事故由区住房和城乡建设管理委员会牵头处置。\n"


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bombs")
    return {"docx": bomb(d / "炸弹.docx"), "xlsx": bomb(d / "炸弹.xlsx"),
            "lying": lying_bomb(d / "谎报.docx")}


@pytest.mark.parametrize("kind, words", [("docx", ["解压后过大", "炸弹.docx"]),
                                         ("xlsx", ["解压后过大", "炸弹.xlsx"]),
                                         ("lying", ["损坏", "谎报.docx"])])
def test_reader_refuses_without_inflating(bombs, kind, words) -> None:
    with pytest.raises(ReadError) as e:
        read_document(bombs[kind])
    assert all(w in str(e.value) for w in words)


def test_bound_is_a_setting(bombs, tmp_path) -> None:
    with pytest.raises(ReadError, match="上限 10.0 MB"):
        read_document(bombs["docx"], max_unzipped_mb=10)


def _peak_rss_mb(args: list[str], env: dict) -> tuple[subprocess.CompletedProcess, float]:
    """Run the CLI in a child and return its peak RSS (a fresh child each time: the children
    figure of getrusage is the largest child so far, so the bomb runs last)."""
    r = subprocess.run([sys.executable, "-m", "ui.cli", *args], env=env, cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    return r, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def test_cli_refuses_bombs_with_flat_memory(bombs, kg_settings, tmp_path) -> None:
    env = {**os.environ, "YINGJI_DATA_DIR": str(kg_settings.data_dir), "PYTHONPATH": str(ROOT)}
    good = tmp_path / "燃气预案.txt"
    good.write_text(PLAN, encoding="utf-8")
    idle, idle_mb = _peak_rss_mb(["ingest", str(good), "--no-index", "--force"], env)
    assert idle.returncode == 0, idle.stdout + idle.stderr
    r, bomb_mb = _peak_rss_mb(["ingest", str(good), *map(str, bombs.values()), "--no-index",
                               "--force"], env)
    print(f"\npeak RSS: good file alone {idle_mb:.0f} MB, with three bombs {bomb_mb:.0f} MB")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "炸弹.docx" in r.stderr and "炸弹.xlsx" in r.stderr and "谎报.docx" in r.stderr
    assert "Traceback" not in r.stderr
    assert bomb_mb - idle_mb < 500


def test_check_refuses_a_draft_bomb(bombs, kg_settings, embedding_model_dir, tmp_path) -> None:
    keys = tmp_path / "keys.toml"
    keys.write_text('[keys.v]\nrole = "viewer"\nkey = "b-viewer"\n', encoding="utf-8")
    settings = kg_settings.model_copy(update={
        "model_dir": embedding_model_dir, "api_keys": keys, "audit_log": tmp_path / "a.jsonl",
        "taxonomy_dir": ROOT / "corpus" / "taxonomy"})
    with TestClient(create_app(settings)) as api:
        for name in ("docx", "xlsx"):
            r = api.post("/check", headers={"X-API-Key": "b-viewer"},
                         files={"draft": (bombs[name].name, bombs[name].read_bytes())},
                         data={"semantic": "false"})
            assert r.status_code == 400 and "解压后过大" in r.json()["detail"], r.text
            assert bombs[name].name in r.json()["detail"] and "yingji-draft" not in r.text
