"""The walking skeleton end to end, through the real CLI, graph server and embedding model."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ingest.readers import read_document

from tests.fixtures_e2e import CORPUS, REGULATIONS, ROOT, yingji


def _lead_truth() -> list[dict]:
    return [json.loads(ln) for ln in (CORPUS / "eval" / "lead_units.jsonl").read_text("utf-8").splitlines()
            if ln.strip()]


def _source_text(doc_id: str) -> str:
    path = next(p for p in CORPUS.rglob(doc_id) if "src" not in p.relative_to(CORPUS).parts)
    return read_document(path).full_text()


def test_ingest_corpus_succeeds(ingested):
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    assert "失败 0" in ingested.stdout


def test_lead_unit_answer_names_the_lead_and_quotes_verbatim(ingested, cli_env):
    r = yingji("ask", "--json", "危险化学品事故由哪个单位牵头？", env=cli_env)
    assert r.returncode == 0, r.stderr
    answer = json.loads(r.stdout)
    assert answer["intent"] == "lead_unit"
    leads = {o for t in _lead_truth() if t["incident_type"] == "危险化学品事故" for o in t["lead"]}
    assert leads and any(o in answer["answer"] for o in leads), answer["answer"]
    assert answer["citations"]
    for c in answer["citations"]:
        assert c["quote"] in _source_text(c["doc_id"]), c


def test_ask_reads_questions_from_stdin_one_json_per_line(ingested, cli_env):
    questions = ["危化品事故谁牵头？", "燃气泄漏由哪个部门牵头处置？", "今天天气怎么样"]
    r = yingji("ask", "-", env=cli_env, stdin="\n".join(questions) + "\n")
    assert r.returncode == 0, r.stderr
    lines = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert [a["question"] for a in lines] == questions
    assert all(a["answer"] for a in lines)


def test_regulations_are_stored_as_sections(cli_env):
    r = yingji("ingest", str(REGULATIONS), env=cli_env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "law_safety_production_2021.txt" in r.stdout
    again = yingji("ingest", str(REGULATIONS), env=cli_env)
    assert again.returncode == 0 and "未变化 3" in again.stdout


def test_a_broken_file_fails_alone_and_is_named(tmp_path, cli_env):
    good = tmp_path / "示例区测试专项应急预案.txt"
    good.write_text("示例区测试专项应急预案\n一、组织体系\n危险化学品事故由区应急管理局牵头处置。\n", "utf-8")
    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(b"PK\x03\x04broken")
    r = yingji("ingest", str(tmp_path), "--no-index", env=cli_env)
    assert r.returncode == 2
    assert "坏文件.docx" in r.stderr and "不是有效的 Word" in r.stderr
    assert "已入库" in r.stdout
    yingji("delete", good.name, env=cli_env)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_answers_while_the_chat_ui_is_running(ingested, cli_env):
    port = _free_port()
    ui = subprocess.Popen([sys.executable, "-m", "ui.cli", "ui", "--port", str(port)], env=cli_env,
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as h:
                    if h.status == 200:
                        break
            except OSError:
                if time.time() > deadline or ui.poll() is not None:
                    pytest.fail("chat UI did not start")
                time.sleep(0.5)
        r = yingji("ask", "--json", "燃气泄漏谁牵头？", env=cli_env)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["intent"] == "lead_unit"
        assert json.loads(r.stdout)["citations"]
    finally:
        ui.terminate()
        ui.wait(timeout=20)


def test_eval_prints_per_type_accuracy_and_writes_failures(ingested, cli_env, tmp_path):
    qa = tmp_path / "qa.jsonl"
    qa.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"id": "a", "question": "危化品事故谁牵头？", "type": "lead_unit", "answer": "区应急管理局牵头",
         "accept": ["区应急管理局"], "source_file": "plans/hazchem_plan.txt",
         "evidence": "危险化学品事故由区应急管理局牵头处置，区生态环境局、区卫生健康委等单位配合。"},
        {"id": "b", "question": "今天几号", "type": "free_text", "answer": "-", "accept": ["不可能出现的答案"],
         "source_file": "", "evidence": ""},
    ]) + "\n", "utf-8")
    failures = tmp_path / "fail.jsonl"
    r = yingji("eval", str(qa), "--failures", str(failures), env=cli_env)
    assert r.returncode == 0, r.stderr
    assert "lead_unit" in r.stdout and "100.0%" in r.stdout and "50.0%" in r.stdout
    assert "引用准确率" in r.stdout and "p95" in r.stdout
    assert [json.loads(ln)["id"] for ln in failures.read_text("utf-8").splitlines()] == ["b"]


def test_a_warm_up_in_the_background_loads_what_a_first_question_needs(ingested, cli_env):
    """The chat page and the API start with `warm=True`: the model, the text indexes and the
    gazetteer are loaded by a background thread before anyone asks."""
    import threading
    import time

    from kg.settings import Settings
    from ui import services

    settings = Settings(data_dir=Path(cli_env["YINGJI_DATA_DIR"]),
                        model_dir=Path(cli_env["YINGJI_MODEL_DIR"]),
                        taxonomy_dir=CORPUS / "taxonomy", warm_up=True)
    with services.assistant(settings, warm=True) as assistant:
        deadline = time.monotonic() + 120
        while any(t.name == "yingji-warm-up" for t in threading.enumerate()):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert assistant._passages is not None and assistant._gazetteer is not None
        assert assistant.ask("燃气管道泄漏谁牵头？").status in ("answered", "evidence")
