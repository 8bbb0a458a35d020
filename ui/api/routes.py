"""Endpoints: each one checks the role, calls one library function and returns its model.
No domain logic here."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from kg import browse
from kg.checks.model import CheckReport
from retrieval.answers.expert_search import ExpertSearchResult, search_experts
from retrieval.contract import Answer
from ui import services
from ui.api import uploads
from ui.api.auth import caller, identify, require
from ui.api.models import (AskRequest, DeleteResult, DocumentKind, DutyCardRequest, Health,
                           Text, UploadResult, ValidationProblem)
from ui.roles import ApiKey, can_manage_documents, can_see_phones, phone_redactor

router = APIRouter(responses={422: {"model": ValidationProblem, "description": "请求参数无效"}})
Caller = Annotated[ApiKey, Depends(caller)]
Admin = Annotated[ApiKey, Depends(require(can_manage_documents, "上传或删除文档"))]
SearchText = Annotated[Text | None, Query(max_length=100)]

_NOT_FOUND = {404: {"description": "未找到"}}
_AUTH = {401: {"description": "未提供或无效的 API 密钥"}}


async def _ask(request: Request, question: str, who: ApiKey, intent: str | None = None
               ) -> Answer:
    # No global lock: the Assistant is thread-safe; ui.api.asking bounds how many compute at
    # once and answers a repeated question from memory until the data changes.
    return await request.app.state.asking.ask(question, show_phones=can_see_phones(who.role),
                                              intent=intent)


@router.get("/healthz", response_model=Health, response_model_exclude_none=True, tags=["系统"],
            summary="健康检查（无需密钥；管理员密钥另见内部信息）")
async def healthz(request: Request) -> Health:
    """Answers on the event loop within ~50 ms whatever the load (never queued behind asks)."""
    who = identify(request)
    return await request.app.state.health.check(admin=who is not None and
                                                can_manage_documents(who.role))


@router.post("/ask", response_model=Answer, tags=["问答"], responses=_AUTH,
             summary="提问：答案、事实、引用（专家电话按角色打码）")
async def ask(body: AskRequest, request: Request, who: Caller) -> Answer:
    return await _ask(request, body.question, who)


@router.post("/duty-card", response_model=Answer, tags=["问答"], responses=_AUTH,
             summary="值班卡：牵头/配合单位、适用预案、响应级别、专家、物资")
async def duty_card(body: DutyCardRequest, request: Request, who: Caller) -> Answer:
    return await _ask(request, body.incident, who, intent="duty_card")


@router.get("/experts", response_model=ExpertSearchResult, tags=["专家"], responses=_AUTH,
            summary="按领域、事件、可联系时段、地区查询专家，附匹配理由")
def experts(request: Request, who: Caller,
            field: Annotated[SearchText, Query(description="专业领域，如“燃气”“环境方面”")] = None,
            incident: Annotated[SearchText, Query(description="事件或风险源，如“燃气泄漏”")] = None,
            availability: Annotated[SearchText, Query(description="如“7×24”“工作日”")] = None,
            region: Annotated[SearchText, Query(description="如“某区”“本区”")] = None,
            include_inactive: Annotated[bool, Query(description="包含暂停、退出的专家")] = False,
            limit: Annotated[int, Query(ge=1, le=100)] = 20) -> ExpertSearchResult:
    gazetteer = request.app.state.assistant.gazetteer()
    return search_experts(request.app.state.store, gazetteer, field=field, incident=incident,
                          availability=availability, region=region,
                          include_inactive=include_inactive,
                          show_phones=can_see_phones(who.role), limit=limit)


@router.get("/plans", response_model=list[browse.DocumentSummary], tags=["预案库"],
            responses=_AUTH, summary="预案列表（kind=all 列出全部文档）")
def plans(request: Request, who: Caller, kind: DocumentKind = "plan"
          ) -> list[browse.DocumentSummary]:
    return browse.list_documents(request.app.state.store, None if kind == "all" else kind)


@router.get("/plans/{doc_id}", response_model=browse.DocumentDetail, tags=["预案库"],
            responses={**_AUTH, **_NOT_FOUND}, summary="一个文档的章节与事实（含原文出处）")
def plan(doc_id: str, request: Request, who: Caller) -> browse.DocumentDetail:
    detail = browse.document_detail(request.app.state.store, doc_id,
                                    redact=phone_redactor(who.role))
    if detail is None:
        raise HTTPException(404, f"未找到文档“{doc_id}”。")
    return detail


@router.get("/graph/neighbourhood", response_model=browse.Neighbourhood, tags=["图谱"],
            responses={**_AUTH, **_NOT_FOUND}, summary="实体的一跳邻域（用于绘图）")
def neighbourhood(request: Request, who: Caller,
                  entity: Annotated[Text, Query(max_length=200, description="实体名称、别名或标题")],
                  limit: Annotated[int, Query(ge=1, le=browse.MAX_EDGES)] = 60
                  ) -> browse.Neighbourhood:
    graph = browse.neighbourhood(request.app.state.store, entity, limit,
                                 redact=phone_redactor(who.role))
    if not graph.nodes:
        raise HTTPException(404, f"图谱中没有名为“{entity}”的实体。")
    return graph


@router.post("/documents", response_model=UploadResult, tags=["文档管理"],
             responses={**_AUTH, 403: {"description": "仅管理员"}, 413: {"description": "文件过大"}},
             summary="上传并导入文档（仅管理员），返回每个文件的导入结果")
async def upload(request: Request, who: Admin,
                 files: Annotated[list[UploadFile], File(description="一个或多个文档")],
                 kind: Annotated[str | None, Form(
                     pattern="^(plan|regulation|duty_list|expert_roster|other)$",
                     description="指定文档类型，不自动识别")] = None,
                 force: Annotated[bool, Form(description="内容未变化也重新导入")] = False
                 ) -> UploadResult:
    state = request.app.state
    saved = await uploads.save_all(files, state.settings.data_dir / "uploads",
                                   state.max_upload_bytes)
    return await run_in_threadpool(uploads.ingest_saved, state, saved, kind, force)


@router.delete("/documents/{doc_id}", response_model=DeleteResult, tags=["文档管理"],
               responses={**_AUTH, 403: {"description": "仅管理员"}, **_NOT_FOUND},
               summary="删除一个文档及其全部事实（仅管理员）")
def delete(doc_id: str, request: Request, who: Admin) -> DeleteResult:
    state = request.app.state
    with uploads.managing(state):
        removed = services.delete(state.settings, doc_id)
    if not removed:
        raise HTTPException(404, f"未找到文档“{doc_id}”。")
    uploads.forget(state.settings.data_dir / "uploads", doc_id)
    return DeleteResult(doc_id=doc_id, deleted=True, message=f"已删除文档“{doc_id}”及其全部事实。")


@router.post("/check", response_model=CheckReport, tags=["一致性检查"],
             responses={**_AUTH, 400: {"description": "草案无法读取或规则无效"},
                        413: {"description": "文件过大"}},
             summary="一致性检查：全库，或上传的草案（不入库）对照全库，或库中一个文档")
async def check(request: Request, who: Caller,
                draft: Annotated[UploadFile | None, File(description="待检查的草案文件（可选）")] = None,
                doc_id: Annotated[str | None, Form(max_length=300,
                                                   description="只报告涉及该文档的问题")] = None,
                rules: Annotated[str | None, Form(max_length=500,
                                                  description="规则名，逗号分隔；不填为全部")] = None,
                severity: Annotated[str | None, Form(pattern="^(error|warning|info)$",
                                                     description="只报告该级别及更严重的问题")] = None,
                semantic: Annotated[bool, Form(description="使用语义相似度比对条文")] = True
                ) -> CheckReport:
    state = request.app.state
    names = [r.strip() for r in (rules or "").replace("，", ",").split(",") if r.strip()] or None
    async with uploads.draft_file(draft, state.max_upload_bytes) as path:
        report = await run_in_threadpool(_run_checks, state.settings, path, names, severity,
                                         doc_id or None, semantic)
    return uploads.redact_report(report, phone_redactor(who.role))


def _run_checks(settings, path, rules, severity, doc_id, semantic) -> CheckReport:
    try:
        return services.run_checks(settings, path, rules=rules, severity=severity, doc_id=doc_id,
                                   semantic=semantic)
    except services.ServiceError as e:  # unreadable draft, unknown rule: the caller's input
        raise HTTPException(400, uploads.without_dirs(str(e), [path] if path else [])) from None
