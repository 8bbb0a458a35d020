"""Who is calling: the key from `X-API-Key` or `Authorization: Bearer`, its role, and
dependencies that refuse a missing/unknown key (401) or a role without the right (403).

`authenticate` works on headers alone, so the body guard (ui/api/guard.py) can refuse a caller
before a single byte of the body is read; the dependencies reuse what it found."""
from __future__ import annotations

from collections.abc import Callable, Mapping

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from ui.roles import ROLE_NAMES_CN, ApiKey, KeyFile, RoleConfigError

_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="API 密钥")
_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <API 密钥>")
CHALLENGE = {"WWW-Authenticate": "Bearer"}
NO_KEY = "未提供 API 密钥：请在请求头 X-API-Key 或 Authorization: Bearer 中提供。"
BAD_KEY = "API 密钥无效。"
STATE_KEY = "api_key"  # where an authenticated ApiKey is kept in request.state


def presented_key(headers: Mapping[str, str]) -> str | None:
    key = (headers.get("x-api-key") or "").strip()
    if key:
        return key
    scheme, _, credentials = (headers.get("authorization") or "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return None


def authenticate(keys: KeyFile, headers: Mapping[str, str]) -> ApiKey:
    """The caller's key entry, or HTTPException 401 (no or unknown key) / 503 (bad key file)."""
    presented = presented_key(headers)
    if not presented:
        raise HTTPException(401, NO_KEY, headers=CHALLENGE)
    try:
        entry = keys.lookup(presented)
    except RoleConfigError as e:
        raise HTTPException(503, f"密钥配置有误，暂时无法验证：{e}") from None
    if entry is None:
        raise HTTPException(401, BAD_KEY, headers=CHALLENGE)
    return entry


def identify(request: Request) -> ApiKey | None:
    """The caller's key entry when a valid key was presented, else None (never raises)."""
    try:
        return authenticate(request.app.state.keys, request.headers)
    except HTTPException:
        return None


async def caller(request: Request, key: str | None = Security(_api_key),
           bearer: HTTPAuthorizationCredentials | None = Security(_bearer)) -> ApiKey:
    """The authenticated key (recorded on the request for the audit log)."""
    entry = getattr(request.state, STATE_KEY, None)  # the body guard checked it already
    if entry is None:
        entry = authenticate(request.app.state.keys, request.headers)
    remember(request.state, entry)
    return entry


def remember(state, entry: ApiKey) -> None:
    setattr(state, STATE_KEY, entry)
    state.key_id, state.role = entry.key_id, entry.role


def refusal(entry: ApiKey, allowed: Callable[[str], bool], action: str) -> HTTPException | None:
    if allowed(entry.role):
        return None
    return HTTPException(403, f"当前角色（{ROLE_NAMES_CN.get(entry.role, entry.role)}）无权{action}。")


def require(allowed: Callable[[str], bool], action: str) -> Callable[..., ApiKey]:
    """A dependency admitting only roles for which `allowed(role)` holds."""
    async def dependency(entry: ApiKey = Depends(caller)) -> ApiKey:
        refused = refusal(entry, allowed, action)
        if refused is not None:
            raise refused
        return entry
    return dependency
