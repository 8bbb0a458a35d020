"""The answer contract shared by the CLI (`ask --json`), the API and the chat page."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Entity(BaseModel):
    type: str
    name: str
    surface: str = ""


class Fact(BaseModel):
    subject: str
    relation: str
    object: str
    doc_id: str
    section: str


class Citation(BaseModel):
    doc_id: str
    title: str
    section: str
    quote: str  # verbatim from the source document


class Answer(BaseModel):
    question: str
    intent: str
    entities: list[Entity] = Field(default_factory=list)
    answer: str
    facts: list[Fact] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    experts: list[dict[str, Any]] = Field(default_factory=list)
    resources: list[dict[str, Any]] = Field(default_factory=list)
    latency_ms: float = 0.0
