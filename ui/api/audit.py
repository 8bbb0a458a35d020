"""Audit log: one JSON line per request (time, key id — never the key —, role, method, path,
status, latency), appended to <data_dir>/logs/audit.jsonl."""
from __future__ import annotations

import json
import threading
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
