"""Who is calling: the key from `X-API-Key` or `Authorization: Bearer`, its role, and
dependencies that refuse a missing/unknown key (401) or a role without the right (403)."""
from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from ui.roles import ROLE_NAMES_CN, ApiKey, RoleConfigError

_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="API 密钥")
_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <API 密钥>")


def caller(request: Request, key: str | None = Security(_api_key),
           bearer: HTTPAuthorizationCredentials | None = Security(_bearer)) -> ApiKey:
    """The authenticated key (recorded on the request for the audit log)."""
    presented = key or (bearer.credentials if bearer else None)
    if not presented:
        raise HTTPException(401, "未提供 API 密钥：请在请求头 X-API-Key 或 Authorization: Bearer 中提供。",
                            headers={"WWW-Authenticate": "Bearer"})
    try:
        entry = request.app.state.keys.lookup(presented)
    except RoleConfigError as e:
        raise HTTPException(503, f"密钥配置有误，暂时无法验证：{e}") from None
    if entry is None:
        raise HTTPException(401, "API 密钥无效。", headers={"WWW-Authenticate": "Bearer"})
    request.state.key_id, request.state.role = entry.key_id, entry.role
    return entry


def require(allowed: Callable[[str], bool], action: str) -> Callable[..., ApiKey]:
    """A dependency admitting only roles for which `allowed(role)` holds."""
    def dependency(entry: ApiKey = Depends(caller)) -> ApiKey:
        if not allowed(entry.role):
            raise HTTPException(403, f"当前角色（{ROLE_NAMES_CN.get(entry.role, entry.role)}）"
                                     f"无权{action}。")
        return entry
    return dependency
