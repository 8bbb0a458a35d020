"""The answer contract shared by the CLI (`ask --json`), the API and the chat page."""
from __future__ import annotations

import re
from typing import Any, Literal

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


Status = Literal["answered", "evidence", "not_found"]


class Answer(BaseModel):
    """`status`: `answered` — the first sentence of `answer` states the asked fact and the
    citations hold its source; `evidence` — no direct answer could be fixed, the answer says so
    and lists cited sentences without a claim of its own; `not_found` — nothing relevant."""
    question: str
    intent: str
    status: Status = "answered"
    entities: list[Entity] = Field(default_factory=list)
    answer: str
    facts: list[Fact] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    experts: list[dict[str, Any]] = Field(default_factory=list)
    resources: list[dict[str, Any]] = Field(default_factory=list)
    latency_ms: float = 0.0


_SENTENCE_END = re.compile(r"[。！？!?\n]")


def first_sentence(text: str) -> str:
    """Up to the first 。！？ or line end outside brackets: the part of an answer that must state
    the asked fact (a quoted title's inner punctuation does not end it)."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "《（(“":
            depth += 1
        elif ch in "》）)”":
            depth = max(0, depth - 1)
        elif depth == 0 and _SENTENCE_END.match(ch):
            return text[: i + 1]
    return text
