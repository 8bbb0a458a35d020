"""The graph server dies under a running API (kill -9): requests get a quick Chinese 503, not
a half-minute 500; /healthz stays fast and shows addresses to administrators only; the API
restarts the server in the background, and every store finds it again on its new port."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kg.backends.arcadedb_server import server_status, stop_server
from kg.connect import open_store
from kg.settings import Settings
from kg.store import GraphUnavailable
from ui.api import create_app

ADMIN = {"X-API-Key": "r-admin"}
VIEWER = {"X-API-Key": "r-viewer"}
KEYS = '[keys.a]\nrole = "admin"\nkey = "r-admin"\n[keys.v]\nrole = "viewer"\nkey = "r-viewer"\n'


@pytest.fixture(scope="module")
def settings(tmp_path_factory, embedding_model_dir):
    """A data dir of its own: this module kills its server."""
    tmp = tmp_path_factory.mktemp("restart")
    (tmp / "keys.toml").write_text(KEYS, encoding="utf-8")
    s = Settings(data_dir=tmp / "data", model_dir=embedding_model_dir, arcadedb_heap="512m",
                 api_keys=tmp / "keys.toml", audit_log=tmp / "audit.jsonl",
                 taxonomy_dir=Path(__file__).resolve().parents[2] / "corpus" / "taxonomy")
    yield s
    stop_server(s)


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def test_server_killed_then_found_again(settings) -> None:
    with TestClient(create_app(settings)) as api:
        plain = open_store(settings)  # a CLI-like store: re-reads the address, never restarts
        try:
            health = api.get("/healthz").json()
            assert health["status"] == "ok" and "internals" not in health
            assert "127.0.0.1" not in api.get("/healthz", headers=VIEWER).text
            first = server_status(settings)
            assert api.get("/healthz", headers=ADMIN).json()["internals"]["graph_address"] \
                == first.bolt_uri

            os.kill(first.pid, signal.SIGKILL)
            while server_status(settings) is not None:
                time.sleep(0.05)
            start = time.perf_counter()
            with pytest.raises(GraphUnavailable):
                plain.query("documents")
            assert time.perf_counter() - start < 1
            r, took = _timed(lambda: api.get("/plans", headers=VIEWER))
            assert r.status_code == 503 and took < 3, (r.status_code, took)
            print(f"\n503 after kill -9 in {took * 1000:.0f} ms")
            assert "图数据库" in r.json()["detail"] and "127.0.0.1" not in r.text
            assert r.headers["retry-after"]
            h, took = _timed(lambda: api.get("/healthz"))
            assert took < 0.1 and h.json()["graph"] is False and h.json()["status"] == "degraded"
            print(f"/healthz with the server dead: {took * 1000:.1f} ms")
            revived = time.monotonic()

            # The API restarts the server in the background; it comes up on new ports.
            deadline = time.monotonic() + 120
            while not api.get("/healthz").json()["graph"]:
                assert time.monotonic() < deadline, "the graph server was not restarted"
                time.sleep(0.5)
            print(f"server back after {time.monotonic() - revived:.1f} s")
            second = server_status(settings)
            assert second.pid != first.pid and second.bolt_uri != first.bolt_uri
            assert api.get("/plans", headers=VIEWER).status_code == 200
            assert plain.query("documents") == []  # the plain store followed it too
            assert plain.address == second.bolt_uri
        finally:
            plain.close()


def test_server_killed_mid_ingest_exits_2_without_traceback(settings) -> None:
    import subprocess
    import sys

    from kg.backends.arcadedb_server import ensure_server

    root = Path(__file__).resolve().parents[2]
    info = ensure_server(settings)
    env = {**os.environ, "YINGJI_DATA_DIR": str(settings.data_dir), "PYTHONPATH": str(root),
           "YINGJI_TAXONOMY_DIR": str(settings.taxonomy_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "ingest", "--no-index", "--force",
                             str(root / "corpus" / "plans")], env=env, cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    store = open_store(settings)
    try:
        deadline = time.monotonic() + 300
        while not store.query("documents"):  # the first document is in: kill mid-way
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.05)
    finally:
        store.close()
    os.kill(info.pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, out + err
    assert "Traceback" not in err and "图数据库" in err, err
