"""Request and response bodies of the API that are not library models already (answers,
documents, experts and graphs are returned as the library's own pydantic models)."""
from __future__ import annotations

import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from ingest.pipeline import FileResult


def clean_text(value: str) -> str:
    """Text a person could have typed: no control characters or unpaired surrogates (the
    graph driver cannot encode those), surrounding whitespace removed, not empty."""
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\t\n\r" for c in value):
        raise ValueError("包含无法处理的控制字符")
    value = value.strip()
    if not value:
        raise ValueError("不能为空")
    return value


# The same rule in the schema (clients and schema-driven tests see it): at least one visible
# character and no control characters (tab and line breaks allowed).
_CONTROL = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f"
TEXT_PATTERN = f"^[^{_CONTROL}]*[^\\s{_CONTROL}][^{_CONTROL}]*$"
Text = Annotated[str, StringConstraints(pattern=TEXT_PATTERN), AfterValidator(clean_text)]


class Problem(BaseModel):
    位置: str = Field(description="出错的位置，如“请求体 question”")
    问题: str = Field(description="问题说明")


class ValidationProblem(BaseModel):
    """The 422 body: a one-line summary and each problem (in Chinese)."""
    detail: str
    errors: list[Problem]


class AskRequest(BaseModel):
    question: Text = Field(max_length=500, description="中文问题，如“燃气管道泄漏谁牵头？”",
                           examples=["危险化学品事故由哪个单位牵头？"])


class DutyCardRequest(BaseModel):
    incident: Text = Field(max_length=200, description="事件报告或事件类型，如“某小区燃气泄漏”",
                           examples=["某小区燃气泄漏"])


class UploadResult(BaseModel):
    files: list[FileResult]
    ingested: int
    unchanged: int
    failed: int


class DeleteResult(BaseModel):
    doc_id: str
    deleted: bool
    message: str


class HealthDetail(BaseModel):
    """Internals shown to administrators only."""
    graph_address: str = ""
    error: str = ""
    counted_seconds_ago: float | None = None


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    graph: bool
    documents: int | None = None
    internals: HealthDetail | None = Field(default=None, description="仅管理员可见")


DocumentKind = Literal["plan", "regulation", "duty_list", "expert_roster", "other", "all"]
