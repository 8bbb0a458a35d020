"""Audit log: one JSON line per request (time, key id — never the key —, role, method, path,
status, latency), appended to <data_dir>/logs/audit.jsonl."""
from __future__ import annotations

import json
import logging
import threading
import time
from datetime import datetime, timezone
from pathlib import Path


class AuditLog:
    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, *, key_id: str | None, role: str | None, method: str, path: str,
              status: int, latency_ms: float, client: str | None = None) -> None:
        line = json.dumps({"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
                           "key_id": key_id, "role": role, "method": method, "path": path,
                           "status": status, "latency_ms": round(latency_ms, 1),
                           "client": client}, ensure_ascii=False)
        with self._lock, self.path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")


class AuditMiddleware:
    """A pure ASGI middleware (no per-request task and stream wrapping, unlike
    BaseHTTPMiddleware): the status is taken from the response as it is sent, and the line is
    written when the request ends, whether it was answered, refused or failed."""

    def __init__(self, app, *, log: AuditLog):
        self.app = app
        self.log = log

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def sending(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            state = scope.get("state") or {}
            client = scope.get("client")
            self.log.write(key_id=state.get("key_id"), role=state.get("role"),
                           method=scope["method"], path=scope["path"], status=status,
                           latency_ms=(time.perf_counter() - start) * 1000,
                           client=client[0] if client else None)


class RefusedByServer(logging.Handler):
    """Requests the HTTP server itself refuses before the app sees them (a 900 KB URL, broken
    framing): uvicorn answers 400 and only logs a warning, so that warning becomes an audit line
    too. Installed by `yingji serve` on uvicorn's error logger."""

    MESSAGES = ("Invalid HTTP request received.",)

    def __init__(self, log: AuditLog):
        super().__init__(logging.WARNING)
        self.log = log

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage() in self.MESSAGES:
            self.log.write(key_id=None, role=None, method="", path="（服务器拒绝的无效请求）",
                           status=400, latency_ms=0.0)
