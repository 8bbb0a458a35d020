"""One ArcadeDB server per data dir, shared by every yingji process.

ArcadeDB refuses a second embedded opener of the same database, so the CLI, the API and the
chat page cannot each open it: the first one to need the graph starts a detached server
process (`python -m kg.backends.arcadedb_server serve --data-dir D`) and every process,
including that one, talks to it over Bolt. Everything lives in `<data_dir>/arcadedb/`:

- `server.json`  pid, ports, credentials (mode 0600); `status` is "starting" then "ready"
- `root_password` generated once, kept, so the stored root user keeps working across restarts
- `server.lock`  fcntl lock so two processes starting at once spawn one server
- `server.log`   the server's stdout/stderr; ArcadeDB's own `./log` also lands here (cwd)
- `databases/`, `config/`, `log/`  ArcadeDB's server root

Only the stdlib is imported at module level: `ensure_server` must stay cheap for clients.
"""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.settings import Settings

MODULE = "kg.backends.arcadedb_server"
STATE_FILE = "server.json"
PASSWORD_FILE = "root_password"
LOCK_FILE = "server.lock"
LOG_FILE = "server.log"
USER = "root"
BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"
START_TIMEOUT = 60.0
LOG_ROTATE_BYTES = 5 * 1024 * 1024


class ServerError(RuntimeError):
    """The managed ArcadeDB server could not be started, reached or stopped."""


@dataclass(frozen=True)
class ServerInfo:
    bolt_uri: str
    user: str
    password: str
    database: str
    pid: int = 0
    http_port: int = 0


# ---------------------------------------------------------------- client side


def ensure_server(settings: Settings, timeout: float = START_TIMEOUT) -> ServerInfo:
    """Return the running server for this data dir, starting it if needed (race-free)."""
    d = _server_dir(settings)
    d.mkdir(parents=True, exist_ok=True)
    info = _live(d)
    if info:
        return info
    with _locked(d, timeout=timeout + 30):
        info = _live(d)  # someone else may have started it while we waited for the lock
        if info:
            return info
        state = _read_state(d)
        pid = int(state.get("pid") or 0)
        if _is_server_process(pid, d):
            if state.get("status") == "starting":  # its starter died; it may still come up
                with contextlib.suppress(ServerError):
                    return _wait_ready(d, pid, timeout)
            _terminate(pid, timeout=15)  # alive but not answering: replace it
        (d / STATE_FILE).unlink(missing_ok=True)
        _ensure_password(d)
        pid = _spawn(d, settings)
        return _wait_ready(d, pid, timeout)


def server_status(settings: Settings) -> ServerInfo | None:
    """The live server of this data dir (process alive and Bolt accepting), or None."""
    return _live(_server_dir(settings))


def stop_server(settings: Settings, timeout: float = 30.0) -> bool:
    """Stop this data dir's server; True if one was running."""
    d = _server_dir(settings)
    if not (d / STATE_FILE).exists():
        return False
    with _locked(d, timeout=START_TIMEOUT + 30):
        state = _read_state(d)
        pid = int(state.get("pid") or 0)
        stopped = _is_server_process(pid, d)
        if stopped:
            _terminate(pid, timeout=timeout)
        (d / STATE_FILE).unlink(missing_ok=True)
        return stopped


def _server_dir(settings: Settings) -> Path:
    return Path(settings.data_dir).resolve() / "arcadedb"


def _live(d: Path) -> ServerInfo | None:
    state = _read_state(d)
    pid = int(state.get("pid") or 0)
    if state.get("status") != "ready" or not _is_server_process(pid, d):
        return None
    if not _port_open(int(state["bolt_port"])):
        return None
    return _info(state)


def _info(state: dict[str, Any]) -> ServerInfo:
    return ServerInfo(bolt_uri=f"bolt://127.0.0.1:{state['bolt_port']}", user=state["user"],
                      password=state["password"], database=state["database"],
                      pid=int(state["pid"]), http_port=int(state["http_port"]))


def _spawn(d: Path, settings: Settings) -> int:
    """Start the server process fully detached (double fork: never our child, never a zombie)
    and return its pid."""
    log = d / LOG_FILE
    if log.exists() and log.stat().st_size > LOG_ROTATE_BYTES:
        os.replace(log, d / (LOG_FILE + ".1"))
    repo_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (repo_root, env.get("PYTHONPATH")) if p)
    env.setdefault("ARCADEDB_JVM_ERROR_FILE", str(d / "log" / "hs_err_pid%p.log"))
    cmd = [sys.executable, "-m", MODULE, "serve", "--data-dir", str(d.parent),
           "--heap", settings.arcadedb_heap, "--database", settings.arcadedb_database,
           "--detach"]
    with open(log, "ab") as out:
        proc = subprocess.run(cmd, cwd=d, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=out, start_new_session=True, timeout=60, check=False)
    try:
        return int(proc.stdout.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise ServerError(f"could not launch the ArcadeDB server (exit {proc.returncode})"
                          + _log_tail(d)) from None


def _wait_ready(d: Path, pid: int, timeout: float) -> ServerInfo:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = _read_state(d)
        if (state.get("status") == "ready" and int(state.get("pid") or 0) == pid
                and _port_open(int(state["bolt_port"]))):
            return _info(state)
        if not _is_server_process(pid, d):
            raise ServerError(f"the ArcadeDB server for {d.parent} exited during start-up"
                              + _log_tail(d))
        time.sleep(0.1)
    _terminate(pid, timeout=10)
    raise ServerError(f"the ArcadeDB server for {d.parent} did not answer within {timeout:.0f} s"
                      + _log_tail(d))


def _terminate(pid: int, timeout: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    while _pid_alive(pid) and time.monotonic() < deadline + 5:
        time.sleep(0.05)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc: trust kill(0)
    if stat.rsplit(")", 1)[-1].split()[0] == "Z":  # zombie: reap it if it is ours
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        return False
    return True


def _is_server_process(pid: int, d: Path) -> bool:
    """Alive and really our server for this data dir (guards against pid reuse)."""
    if not _pid_alive(pid):
        return False
    if not Path("/proc/self").exists():
        return True  # no procfs (macOS): trust the pid
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False  # exited meanwhile
    return MODULE.encode() in argv and str(d.parent).encode() in argv


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False


def _read_state(d: Path) -> dict[str, Any]:
    try:
        return json.loads((d / STATE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _write_private(path: Path, text: str) -> None:
    """Atomically write a file only the owner can read (it holds the root password)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def _ensure_password(d: Path) -> str:
    path = d / PASSWORD_FILE
    if path.exists():
        return path.read_text("utf-8").strip()
    # ArcadeDB creates root only when config/server-users.jsonl has no root yet; with the
    # password lost, forget that user so the new password takes effect.
    (d / "config" / "server-users.jsonl").unlink(missing_ok=True)
    password = secrets.token_urlsafe(24)
    _write_private(path, password)
    return password


def _log_tail(d: Path, lines: int = 40) -> str:
    try:
        text = (d / LOG_FILE).read_text("utf-8", errors="replace")
    except OSError:
        return f"\n(no log at {d / LOG_FILE})"
    tail = "\n".join(text.splitlines()[-lines:])
    return f"\n--- last lines of {d / LOG_FILE} ---\n{tail}"


@contextlib.contextmanager
def _locked(d: Path, timeout: float) -> Iterator[None]:
    fd = os.open(d / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ServerError(f"timed out waiting for {d / LOCK_FILE}") from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # releases the lock


# ---------------------------------------------------------------- server side


def _free_ports(n: int) -> list[int]:
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _detach() -> None:
    """Second fork: the launcher prints the server's pid and exits, so the server is
    re-parented to init and no client process ever has to reap it."""
    pid = os.fork()
    if pid:
        print(pid, flush=True)
        os._exit(0)
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(2, 1)  # stdout joins stderr, which the launcher's caller pointed at server.log
    os.close(devnull)


def serve(data_dir: Path, heap: str, database: str) -> None:
    """Run the server until SIGTERM/SIGINT, then shut it down cleanly and exit."""
    d = data_dir.resolve() / "arcadedb"
    d.mkdir(parents=True, exist_ok=True)
    _ensure_password(d)  # normally done by ensure_server; here for a server run by hand
    stop = threading.Event()
    me = os.getpid()
    _write_private(d / STATE_FILE, json.dumps({"pid": me, "status": "starting"}))
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())

    from arcadedb_embedded import ArcadeDBError, create_server
    from arcadedb_embedded.jvm import start_jvm

    # -Xrs: the JVM leaves SIGTERM/SIGINT to Python, so shutdown runs through the code below.
    start_jvm(heap_size=heap, jvm_args=["-Xrs"])
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())
    server = None
    code = 0
    try:
        password = _ensure_password(d)
        for attempt in range(5):  # a free port can be taken between probing and binding
            http_port, bolt_port = _free_ports(2)
            server = create_server(root_path=str(d), root_password=password, config={
                "host": "127.0.0.1", "http_port": http_port,
                "server_plugins": BOLT_PLUGIN, "bolt_port": bolt_port})
            try:
                server.start()
                break
            except ArcadeDBError:
                server = None
                if attempt == 4:
                    raise
                time.sleep(0.2)
        server.create_database(database)  # get-or-create
        _write_private(d / STATE_FILE, json.dumps({
            "pid": me, "status": "ready", "bolt_port": bolt_port, "http_port": http_port,
            "user": USER, "password": password, "database": database,
            "started_at": time.time()}))
        print(f"\nyingji: ArcadeDB ready, bolt 127.0.0.1:{bolt_port}, http 127.0.0.1:{http_port}",
              flush=True)
        while not stop.wait(0.5):
            pass
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        if _read_state(d).get("pid") == me:
            (d / STATE_FILE).unlink(missing_ok=True)
        if server is not None:
            with contextlib.suppress(Exception):
                server.stop()
        print("yingji: ArcadeDB stopped", flush=True)
        sys.stdout.flush()
        sys.stderr.flush()
        # JPype's exit hooks can wait on lingering non-daemon JVM threads: the server is
        # stopped and its files closed, so leave without them.
        os._exit(code)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog=f"python -m {MODULE}")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve", help="run the server in the foreground (used by ensure_server)")
    s.add_argument("--data-dir", type=Path, required=True)
    s.add_argument("--heap", default="1g")
    s.add_argument("--database", default="yingji")
    s.add_argument("--detach", action="store_true", help="fork, print the server pid, return")
    args = p.parse_args(argv)
    if args.detach:
        _detach()
    serve(args.data_dir, args.heap, args.database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
