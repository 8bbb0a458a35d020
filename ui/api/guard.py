"""The body guard, a pure ASGI middleware in front of every route:

1. a request that may carry a body is authenticated from its headers (and, for uploads, its
   role checked) before a single byte of the body is read: a client without a key cannot make
   us spool its upload;
2. a body announced larger than the limit (Content-Length) is refused at once (413);
3. every body is counted while it streams in — chunked or not — and refused as soon as it
   passes the limit (Starlette's RequestBodyLimitMiddleware), so nothing larger is ever read.

Uploads (`/documents`, `/check`) may carry YINGJI_UPLOAD_MAX_MB plus the multipart framing;
every other body is a small JSON question.
"""
from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException
from starlette.datastructures import Headers, State
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from ui.api.auth import authenticate, refusal, remember
from ui.roles import KeyFile, can_manage_documents

PUBLIC = frozenset({"/healthz", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"})
UPLOAD_PATHS = frozenset({"/documents", "/check"})
ENVELOPE_BYTES = 64 * 1024  # multipart framing allowed on top of the upload limit
JSON_LIMIT = 256 * 1024
# Requests whose role is checked before their body: (method, path) → (allowed, action).
ROLE_BEFORE_BODY: dict[tuple[str, str], tuple[Callable[[str], bool], str]] = {
    ("POST", "/documents"): (can_manage_documents, "上传或删除文档"),
}


def too_large_message(limit_bytes: int) -> str:
    return f"请求体过大：上限为 {limit_bytes / 1024 / 1024:.2g} MB。"


class BodyGuard:
    def __init__(self, app: ASGIApp, *, keys: KeyFile, upload_limit: int):
        self.app = app
        self.keys = keys
        self.limits = {True: upload_limit + ENVELOPE_BYTES, False: JSON_LIMIT}
        self.counted = {upload: RequestBodyLimitMiddleware(app, max_body_size=limit)
                        for upload, limit in self.limits.items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope["path"], scope["method"]
        headers = Headers(scope=scope)
        if path not in PUBLIC and _may_carry_body(method, headers):
            try:
                entry = authenticate(self.keys, headers)
                remember(State(scope.setdefault("state", {})), entry)
                rule = ROLE_BEFORE_BODY.get((method, path))
                refused = refusal(entry, *rule) if rule else None
                if refused is not None:
                    raise refused
            except HTTPException as e:
                await _refuse(e.status_code, e.detail, e.headers)(scope, receive, send)
                return
        upload = path in UPLOAD_PATHS
        limit = self.limits[upload]
        length = headers.get("content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                await _refuse(400, "请求头 Content-Length 无效。")(scope, receive, send)
                return
            if declared > limit:
                await _refuse(413, too_large_message(limit))(scope, receive, send)
                return
        await self.counted[upload](scope, receive, send)


def _may_carry_body(method: str, headers: Headers) -> bool:
    """Requests the guard authenticates itself; the others (a plain GET) are authenticated by
    their route's dependency, so an unknown path stays a 404."""
    return (method not in ("GET", "HEAD", "OPTIONS") or "transfer-encoding" in headers
            or headers.get("content-length", "0") not in ("", "0"))


def _refuse(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """The body is left unread, and `Connection: close` has the server hang up after the
    answer instead of draining whatever the client still sends."""
    return JSONResponse({"detail": detail}, status_code=status,
                        headers={**(headers or {}), "Connection": "close"})
