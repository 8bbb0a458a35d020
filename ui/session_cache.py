"""Sessions that survive a browser reload: a random token in the page address (`?s=…`) names a
server-side record holding the signed-in key and the conversation.

Streamlit forgets everything of a browser tab when it reloads (a new websocket session). The
record is kept in this process only, for SESSION_HOURS after its last use, so a reload, a second
tab of the same address or a switch between pages keeps the login and the answers; a restart of
the server, 退出登录 or the end of the lifetime ends it. The token is 128 random bits and
never the key itself.
"""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

SESSION_HOURS = 12.0  # one duty shift and some
MAX_SESSIONS = 500  # the oldest are forgotten first


@dataclass
class Session:
    key: str | None = None  # the signed-in API key (None: viewer)
    history: list[Any] = field(default_factory=list)  # (question, answer) pairs, shared list
    used: float = field(default_factory=time.monotonic)


class SessionCache:
    def __init__(self, hours: float = SESSION_HOURS, clock=time.monotonic):
        self._ttl = hours * 3600
        self._clock = clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def new(self, key: str | None = None, history: list | None = None) -> str:
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._expire()
            self._sessions[token] = Session(key=key, history=history if history is not None
                                            else [], used=self._clock())
        return token

    def get(self, token: str | None) -> Session | None:
        """The live session of a token (its lifetime starts again), or None."""
        if not token:
            return None
        with self._lock:
            self._expire()
            session = self._sessions.get(token)
            if session is not None:
                session.used = self._clock()
            return session

    def end(self, token: str | None) -> None:
        with self._lock:
            self._sessions.pop(token or "", None)

    def _expire(self) -> None:
        now = self._clock()
        for token in [t for t, s in self._sessions.items() if now - s.used > self._ttl]:
            del self._sessions[token]
        while len(self._sessions) > MAX_SESSIONS:
            oldest = min(self._sessions, key=lambda t: self._sessions[t].used)
            del self._sessions[oldest]
