"""The benchmarks run as scripts (`make bench`): with nothing ingested they stop with a one-line
reason and exit 2, not a traceback (bench/ingest.py must not shadow the ingest package)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ask_bench_without_data_says_why(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "ask.py"), "--data-dir",
                        str(tmp_path / "none")], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 2, r.stderr[-500:]
    assert "bench:" in r.stderr and "Traceback" not in r.stderr


def test_ask_bench_runs_over_an_ingested_corpus(ingested, cli_env, tmp_path):
    qa = tmp_path / "qa.jsonl"
    qa.write_text('{"question": "燃气事故的牵头单位各预案说法一致吗？"}\n'
                  '{"question": "燃气管道泄漏谁牵头？"}\n', encoding="utf-8")
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "ask.py"), "--data-dir",
                        cli_env["YINGJI_DATA_DIR"], "--qa", str(qa), "--rounds", "1"],
                       cwd=ROOT, capture_output=True, text=True, timeout=600, env=cli_env)
    assert r.returncode == 0, r.stderr[-800:]
    assert "p95=" in r.stdout
