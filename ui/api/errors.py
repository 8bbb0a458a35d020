"""Errors in Chinese: validation failures name the field and the problem; the framework's
own English messages (unknown path, wrong method) are translated."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY

from kg.store import GraphUnavailable
from ui.api.guard import too_large_message

log = logging.getLogger(__name__)

_PLACES = {"body": "请求体", "query": "查询参数", "path": "路径参数", "header": "请求头",
           "cookie": "Cookie"}
_PROBLEMS = {
    "missing": "缺少必填项", "string_too_short": "不能为空", "string_too_long": "过长",
    "json_invalid": "JSON 格式错误", "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象", "string_type": "应为字符串", "int_parsing": "应为整数",
    "int_type": "应为整数", "bool_parsing": "应为 true 或 false", "bool_type": "应为布尔值",
    "float_parsing": "应为数字", "literal_error": "取值无效", "enum": "取值无效",
    "greater_than_equal": "过小", "less_than_equal": "过大", "greater_than": "过小",
    "less_than": "过大", "value_error": "取值无效", "extra_forbidden": "不允许的字段",
    "string_pattern_mismatch": "不能为空，也不能包含控制字符",
}
_STATUS = {404: "未找到该接口或资源。", 405: "不支持该请求方法。", 400: "请求无效。",
           401: "未授权。", 403: "无权访问。", 413: "请求体过大。", 415: "不支持的媒体类型。"}


def _problem(err: dict) -> str:
    kind = err.get("type", "")
    text = _PROBLEMS.get(kind, "取值无效")
    if kind == "value_error":  # our validators' messages are Chinese already; the framework's not
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        if "UploadFile" in msg:
            text = "应为上传的文件"
        elif any("\u4e00" <= c <= "\u9fff" for c in msg):
            text = msg
    limit = (err.get("ctx") or {}).get("max_length")
    if kind == "string_too_long" and limit:
        text = f"过长（最多 {limit} 个字符）"
    return text


def _where(err: dict) -> str:
    """'请求体 question', '查询参数 limit'; a JSON syntax error has no field to name."""
    parts = [str(p) for p in err.get("loc", ())]
    if err.get("type") == "json_invalid":
        parts = parts[:1]
    head = _PLACES.get(parts[0], parts[0]) if parts else "请求"
    return " ".join([head, ".".join(parts[1:])]).strip()


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{"位置": _where(e), "问题": _problem(e)} for e in exc.errors()]
    summary = "；".join(f"{e['位置']}：{e['问题']}" for e in errors[:3])
    return JSONResponse({"detail": f"请求参数无效：{summary}", "errors": errors},
                        status_code=422)


async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail
    if not isinstance(detail, str) or detail.isascii():  # the framework's own English text
        detail = _STATUS.get(exc.status_code, "请求失败。")
        limit = request.scope.get(MAX_BODY_SIZE_SCOPE_KEY)
        if exc.status_code == 413 and limit:  # the body guard stopped a body mid-stream
            detail = too_large_message(limit)
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 413:  # the rest of the body is not wanted: hang up after answering
        headers["Connection"] = "close"
    return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=headers or None)


async def _graph_unavailable(request: Request, exc: GraphUnavailable) -> JSONResponse:
    log.warning("graph unavailable on %s %s (%s)", request.method, request.url.path, exc.address)
    return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "5"})


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse({"detail": "服务器内部错误，请稍后重试或联系管理员。"}, status_code=500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(GraphUnavailable, _graph_unavailable)
    app.add_exception_handler(Exception, _unexpected)
