"""No global ask lock: questions asked by many clients at once over real HTTP get the same
answers as asked one by one, and /healthz stays quick meanwhile."""
from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from kg.settings import Settings
from tests.fixtures_e2e import CORPUS
from tests.reliability.live_api import serving
from ui.api import create_app

KEYS = '[keys.o]\nrole = "duty_officer"\nkey = "c-officer"\n'


def test_concurrent_answers_equal_sequential_ones(ingested, cli_env, corpus_assistant,
                                                  tmp_path) -> None:
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    qa = [json.loads(ln) for ln in (CORPUS / "eval" / "dev_qa.jsonl").read_text("utf-8")
          .splitlines() if ln.strip()]
    questions = [q["question"] for q in qa[::70]][:6]  # kinds of question, spread out
    (tmp_path / "keys.toml").write_text(KEYS, encoding="utf-8")
    settings = Settings(data_dir=Path(cli_env["YINGJI_DATA_DIR"]),
                        model_dir=Path(cli_env["YINGJI_MODEL_DIR"]), taxonomy_dir=CORPUS / "taxonomy",
                        api_keys=tmp_path / "keys.toml", audit_log=tmp_path / "audit.jsonl")
    expected = {q: corpus_assistant.ask(q, show_phones=True).answer for q in questions}
    with serving(create_app(settings)) as base:
        def ask(q: str) -> tuple[str, int, str]:
            r = httpx.post(f"{base}/ask", json={"question": q},
                           headers={"X-API-Key": "c-officer"}, timeout=300)
            return q, r.status_code, r.json().get("answer", r.text)

        health: list[float] = []
        with ThreadPoolExecutor(len(questions) * 2) as pool:
            futures = [pool.submit(ask, q) for q in questions * 2]
            while not all(f.done() for f in futures):
                t = time.perf_counter()
                assert httpx.get(f"{base}/healthz", timeout=30).status_code == 200
                health.append(time.perf_counter() - t)
                time.sleep(0.1)
            got = [f.result() for f in futures]
    assert all(code == 200 for _, code, _ in got), [g for g in got if g[1] != 200]
    assert {q: a for q, _, a in got} == expected
    assert all(expected[q] == a for q, _, a in got)
    health.sort()
    print(f"\n/healthz during {len(got)} concurrent asks: median {health[len(health) // 2] * 1000:.0f} ms, "
          f"max {health[-1] * 1000:.0f} ms")
