"""Fifty users at once: closed-loop clients asking the API over loopback, with `/healthz`
probed throughout, optionally while an upload is being ingested.

Usage: python bench/load.py [--data-dir D] [--clients 50] [--seconds 30]
                            [--qa corpus/eval/dev_qa.jsonl] [--distinct N] [--during-ingest FILE]
Starts `yingji serve` on 127.0.0.1 (a free port, a temporary key file) over an ingested data
dir, runs the clients, stops the server and prints requests/s, p50/p95/max of /ask, the
status codes, and p95/max of /healthz. Bounded: at most 200 clients and 300 seconds, loopback
only, every request with a timeout. Exits 2 with a one-line reason when the data dir holds
no ingested corpus.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
MAX_CLIENTS, MAX_SECONDS, TIMEOUT = 200, 300, 60.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


class Server:
    """`yingji serve` in a child process on a loopback port, with an admin key of its own."""

    def __init__(self, data_dir: Path, workers: int = 1):
        self.key = secrets.token_urlsafe(16)
        self._tmp = tempfile.TemporaryDirectory(prefix="yingji-load-")
        keys = Path(self._tmp.name) / "keys.toml"
        keys.write_text(f'[keys.bench]\nrole = "admin"\nkey = "{self.key}"\n', encoding="utf-8")
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "YINGJI_API_KEYS": str(keys), "PYTHONPATH": str(ROOT),
               "YINGJI_AUDIT_LOG": str(Path(self._tmp.name) / "audit.jsonl")}
        cmd = [sys.executable, "-m", "ui.cli", "serve", "--host", "127.0.0.1",
               "--port", str(self.port), "--data-dir", str(data_dir), "--workers", str(workers)]
        self._proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True)

    def wait_ready(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise SystemExit(f"bench: the API exited: {self._proc.stderr.read()[-800:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise SystemExit("bench: the API did not start in time")

    def stop(self) -> None:
        self._proc.terminate()
        try:
            self._proc.wait(30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
        self._tmp.cleanup()


def _probe(url: str, seconds: float, out) -> None:
    """GET /healthz five times a second for `seconds`; put the latencies on `out`."""
    took = []
    end = time.monotonic() + seconds
    with httpx.Client(base_url=url, timeout=TIMEOUT) as c:
        while time.monotonic() < end:
            t = time.perf_counter()
            c.get("/healthz")
            took.append(time.perf_counter() - t)
            time.sleep(0.2)
    out.put(took)


def run(url: str, key: str, questions: list[str], clients: int, seconds: float,
        during_ingest: Path | None) -> dict:
    stop = threading.Event()
    latencies: list[float] = []
    codes: Counter = Counter()
    lock = threading.Lock()

    def client(i: int) -> None:
        with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=TIMEOUT) as c:
            n = i
            while not stop.is_set():
                q = questions[n % len(questions)]
                n += clients
                t = time.perf_counter()
                try:
                    code = c.post("/ask", json={"question": q}).status_code
                except httpx.HTTPError as e:
                    code = type(e).__name__
                took = time.perf_counter() - t
                with lock:
                    codes[code] += 1
                    if code == 200:
                        latencies.append(took)


    def ingester() -> None:
        time.sleep(seconds / 4)
        with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=600) as c:
            r = c.post("/documents", files={"files": (during_ingest.name,
                                                      during_ingest.read_bytes())},
                       data={"force": "true"})
            print(f"ingest during the load: HTTP {r.status_code}", file=sys.stderr)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    if during_ingest:
        threads.append(threading.Thread(target=ingester, daemon=True))
    # The probe runs in a process of its own: among fifty client threads it would measure
    # this process's GIL, not the server.
    probes = multiprocessing.get_context("spawn").Queue()
    probe = multiprocessing.get_context("spawn").Process(target=_probe, args=(url, seconds, probes))
    start = time.perf_counter()
    probe.start()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(TIMEOUT + 5)
    elapsed = time.perf_counter() - start
    health = probes.get(timeout=TIMEOUT + 10)
    probe.join(10)
    return {"clients": clients, "seconds": round(elapsed, 1),
            "requests_per_s": round(len(latencies) / elapsed, 1),
            "ask_p50_s": round(_pct(latencies, 50), 3), "ask_p95_s": round(_pct(latencies, 95), 3),
            "ask_max_s": round(max(latencies, default=float("nan")), 3),
            "status": {str(k): v for k, v in sorted(codes.items(), key=str)},
            "healthz_p95_ms": round(_pct(health, 95) * 1000, 1),
            "healthz_max_ms": round(max(health, default=float("nan")) * 1000, 1)}


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from kg.settings import load_settings

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir")
    ap.add_argument("--qa", default=str(ROOT / "corpus" / "eval" / "dev_qa.jsonl"))
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--workers", type=int, default=1, help="API worker processes (yingji serve)")
    ap.add_argument("--distinct", type=int, default=0,
                    help="cycle over the first N questions only (many desks, one incident); "
                         "0: every question of the QA file")
    ap.add_argument("--during-ingest", type=Path, help="a document to upload half-way")
    args = ap.parse_args()
    if not 1 <= args.clients <= MAX_CLIENTS or not 1 <= args.seconds <= MAX_SECONDS:
        sys.exit(f"bench: --clients 1..{MAX_CLIENTS}, --seconds 1..{MAX_SECONDS}")
    settings = load_settings(args.data_dir)
    if not settings.data_dir.is_dir() or not any(settings.index_dir.glob("*")):
        sys.stderr.write(f"bench: {settings.data_dir} holds no ingested corpus; run `make ingest`\n")
        sys.exit(2)
    questions = [json.loads(ln)["question"] for ln in Path(args.qa).read_text("utf-8").splitlines()
                 if ln.strip()]
    if args.distinct > 0:
        questions = questions[:args.distinct]
    server = Server(settings.data_dir.resolve(), args.workers)
    try:
        server.wait_ready()
        # One warm-up pass (models and indexes loaded) before the clock starts.
        with httpx.Client(base_url=server.url, headers={"X-API-Key": server.key},
                          timeout=300) as c:
            for q in questions[:3]:
                c.post("/ask", json={"question": q})
        result = run(server.url, server.key, questions, args.clients, args.seconds,
                     args.during_ingest)
    finally:
        server.stop()
    print(json.dumps(result, ensure_ascii=False))
    print(f"{result['requests_per_s']} req/s, /ask p50={result['ask_p50_s']}s "
          f"p95={result['ask_p95_s']}s, /healthz p95={result['healthz_p95_ms']}ms")


if __name__ == "__main__":
    main()
