"""The managed ArcadeDB server: one per data dir, shared across processes, stoppable."""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.backends.arcadedb_server import ServerError, ensure_server, server_status, stop_server
from kg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]

OPEN_STORE = """
import json, sys
from kg.backends.arcadedb_server import server_status
from kg.connect import open_store
from kg.settings import Settings
s = Settings(data_dir=sys.argv[1], neo4j_uri=None)
store = open_store(s)
docs = store.query("documents")
print(json.dumps({"pid": server_status(s).pid, "docs": len(docs)}))
store.close()
"""


def run_python(code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YINGJI_")}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd, env=env)


def test_second_process_reuses_the_running_server(kg_settings, graph_store, tmp_path) -> None:
    info = server_status(kg_settings)
    assert info is not None
    state = (kg_settings.data_dir / "arcadedb" / "server.json").read_text()
    out = run_python(OPEN_STORE, str(kg_settings.data_dir), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["pid"] == info.pid
    assert (kg_settings.data_dir / "arcadedb" / "server.json").read_text() == state
    assert server_status(kg_settings) == info
    assert not (tmp_path / "log").exists()  # ArcadeDB's ./log never lands in a client's cwd


def test_server_files_are_private_and_in_the_data_dir(kg_settings) -> None:
    d = kg_settings.data_dir / "arcadedb"
    for name in ("server.json", "root_password"):
        assert stat.S_IMODE((d / name).stat().st_mode) == 0o600, name
    assert (d / "server.log").stat().st_size > 0
    assert (d / "databases" / kg_settings.arcadedb_database).is_dir()
    assert not (ROOT / "log").exists()


def test_lifecycle_concurrent_start_status_stop_and_crash_recovery(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path / "data", neo4j_uri=None, arcadedb_heap="512m")
    starters = [subprocess.Popen([sys.executable, "-c", OPEN_STORE, str(settings.data_dir)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 cwd=tmp_path) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in starters]
    assert all(p.returncode == 0 for p in starters), outs
    pids = {json.loads(out)["pid"] for out, _ in outs}
    assert len(pids) == 1  # two processes starting at once got one server
    info = server_status(settings)
    assert info is not None and info.pid in pids
    password = info.password
    try:
        # A crashed server (stale server.json) is replaced, with the same credentials.
        os.kill(info.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while server_status(settings) is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server_status(settings) is None
        restarted = ensure_server(settings)
        assert restarted.pid != info.pid and restarted.password == password
        assert ensure_server(settings) == restarted
    finally:
        assert stop_server(settings) is True
    assert server_status(settings) is None
    assert not (settings.data_dir / "arcadedb" / "server.json").exists()
    assert stop_server(settings) is False


def test_start_failure_reports_the_server_log(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path / "data", neo4j_uri=None, arcadedb_heap="lots")
    with pytest.raises(ServerError) as err:
        ensure_server(settings, timeout=30)
    assert "server.log" in str(err.value)
    assert "Xmxlots" in str(err.value) or "heap" in str(err.value).lower()
    assert server_status(settings) is None
    state = settings.data_dir / "arcadedb" / "server.json"
    assert not state.exists() or json.loads(state.read_text()).get("status") != "ready"
