"""Graph answers, one module per question type.

Each module exposes ROUTES — (intent, regex over the normalised question, priority; lower runs
first) — and `answer(store, query) -> Answer | None` (None: the graph has nothing; the assistant
then falls back to passages). retrieval/answers/registry.py lists the modules.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from kg.store import GraphStore
from retrieval.contract import Answer, Entity
from retrieval.linker import Gazetteer


@dataclass
class Query:
    question: str  # as asked
    text: str  # normalised (width, whitespace, shorthand)
    intent: str
    entities: list[Entity] = field(default_factory=list)
    gazetteer: Gazetteer = field(default_factory=Gazetteer)
    show_phones: bool = False  # the asker may see experts' full phone numbers (API roles)

    def first(self, type_: str) -> Entity | None:
        return next((e for e in self.entities if e.type == type_), None)

    def all(self, type_: str) -> list[Entity]:
        return [e for e in self.entities if e.type == type_]

    def incident(self) -> Entity | None:
        """The incident type asked about: a linked name, else the closest by wording."""
        return self.first("IncidentType") or self.gazetteer.closest(self.text, "IncidentType")


class AnswerModule(Protocol):
    ROUTES: list[tuple[str, str, int]]

    def answer(self, store: GraphStore, query: Query) -> Answer | None: ...
