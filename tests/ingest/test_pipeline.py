"""The ingest pipeline on a real graph server: per-document replace, delete, and what the
`yingji ingest` command prints (progress, facts by type, warnings)."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import discover, ingest_file, ingest_paths
from ingest.taxonomy import load_taxonomy
from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]

PLAN_A = """示例区桥梁隧道突发事件应急预案
一、职责分工
（一）桥梁隧道交通事故由区公安分局牵头处置，区建管委、区卫生健康委配合。
（二）隧道内车辆起火时，区消防救援局负责灭火救援。
"""
PLAN_B = """示例区仓储物流安全应急预案
一、分工
仓库火灾事故：区消防救援局牵头，区商务委(物流行业)、示例区市场监督局配合。
"""


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(ROOT / "corpus" / "taxonomy")


def _facts(store, doc_id: str) -> list[tuple]:
    return [(f["subject"], f["relation"], f["object"], f["quote"])
            for f in store.query("document_facts", doc_id=doc_id)]


def test_a_changed_file_replaces_only_its_own_facts(tmp_path, graph_store, taxonomy):
    a, b = tmp_path / "pipeline_test_bridge.txt", tmp_path / "pipeline_test_storage.txt"
    a.write_text(PLAN_A, "utf-8")
    b.write_text(PLAN_B, "utf-8")
    try:
        first = ingest_paths([tmp_path], graph_store, taxonomy)
        assert [f.status for f in first.files] == ["ingested", "ingested"]
        b_facts = _facts(graph_store, b.name)
        assert ("区公安分局", "LEADS", "桥梁隧道交通事故") in {f[:3] for f in _facts(graph_store, a.name)}

        a.write_text(PLAN_A.replace("由区公安分局牵头处置", "由区建管委牵头处置，区公安分局"), "utf-8")
        second = ingest_paths([tmp_path], graph_store, taxonomy)
        assert {Path(f.path).name: f.status for f in second.files} == {
            a.name: "ingested", b.name: "unchanged"}
        a_facts = {f[:3] for f in _facts(graph_store, a.name)}
        assert ("区建管委", "LEADS", "桥梁隧道交通事故") in a_facts
        assert ("区公安分局", "LEADS", "桥梁隧道交通事故") not in a_facts
        assert _facts(graph_store, b.name) == b_facts
    finally:
        for f in (a, b):
            graph_store.delete_document(f.name)
    assert _facts(graph_store, a.name) == [] and graph_store.document_version(b.name) is None


def test_discover_walks_directories_and_honours_the_ignore_file(tmp_path):
    (tmp_path / "keep.txt").write_text("x", "utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "old.txt").write_text("x", "utf-8")
    (tmp_path / "notes.bin").write_bytes(b"\0")
    (tmp_path / ".yingjiignore").write_text("# comment\ndrafts/\n", "utf-8")
    assert [p.name for p in discover([tmp_path])] == ["keep.txt"]


@pytest.fixture()
def plan_dir(tmp_path):
    d = tmp_path / "plans"
    d.mkdir()
    (d / "pipeline_cli_storage.txt").write_text(PLAN_B, "utf-8")
    return d


def _run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_prints_facts_by_type_and_lists_warnings_on_request(plan_dir, kg_settings, graph_store,
                                                               capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    data = ["--data-dir", str(kg_settings.data_dir), "--no-index"]
    try:
        code, out, err = _run(["ingest", str(plan_dir), *data, "--force"], capsys)
        assert code == 0, out + err
        assert "✓ " in err and "pipeline_cli_storage.txt" in err  # one line per file, no TTY
        assert "事实按类型：" in out and "LEADS 1" in out and "SUPPORTS 2" in out
        assert "警告 1 条（加 --verbose 逐条列出）" in out

        code, out, err = _run(["ingest", str(plan_dir), *data, "--force", "--verbose",
                               "--progress"], capsys)
        assert code == 0
        assert "导入" in err and "1/1" in err  # the bar, forced on
        assert "✓ " not in err
        assert ("[pipeline_cli_storage.txt] pipeline_cli_storage.txt：机构名称“示例区市场监督局”"
                "不在别名表中") in out
    finally:
        graph_store.delete_document("pipeline_cli_storage.txt")  # no index rebuild needed


def test_a_file_over_the_size_limit_is_refused_alone(tmp_path, taxonomy):
    big = tmp_path / "huge_plan.txt"
    big.write_text(PLAN_A * 20, "utf-8")  # about 6 KB
    result = ingest_file(big, None, taxonomy, max_file_mb=0.001)  # never reaches the store
    assert result.status == "failed"
    assert "huge_plan.txt" in result.error and "超过单个文件上限 0.001 MB" in result.error


def test_cli_refuses_a_file_over_yingji_max_file_mb_and_ingests_the_others(
        plan_dir, kg_settings, graph_store, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("YINGJI_MAX_FILE_MB", "0.002")  # 2 KB: the plan passes, the big file not
    (plan_dir / "pipeline_cli_huge.txt").write_text(PLAN_A * 20, "utf-8")
    try:
        code, out, err = _run(["ingest", str(plan_dir), "--data-dir", str(kg_settings.data_dir),
                               "--no-index", "--force"], capsys)
        assert code == 2, out + err  # failed files: the existing exit code
        assert "✗ " in err and "✓ " in err  # progress still one line per file
        assert "失败：" in err and "pipeline_cli_huge.txt" in err and "0.002 MB" in err
        assert "入库 1" in out and "失败 1" in out
        assert graph_store.document_version("pipeline_cli_storage.txt") is not None
        assert graph_store.document_version("pipeline_cli_huge.txt") is None
    finally:
        graph_store.delete_document("pipeline_cli_storage.txt")
