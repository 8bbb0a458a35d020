"""The answer modules, in no particular order (routing order comes from ROUTES priorities)."""
from __future__ import annotations

import importlib
import re
from functools import lru_cache
from types import ModuleType

MODULES: list[str] = [
    "retrieval.answers.units",
    "retrieval.answers.duty_card",
    "retrieval.answers.levels", "retrieval.answers.command",
    "retrieval.answers.experts",
    "retrieval.answers.duties", "retrieval.answers.articles",
    "retrieval.answers.consistency",
    "retrieval.answers.resources",
]


@lru_cache(maxsize=1)
def modules() -> tuple[ModuleType, ...]:
    return tuple(importlib.import_module(m) for m in MODULES)


@lru_cache(maxsize=1)
def routes() -> tuple[tuple[str, re.Pattern[str], int, ModuleType], ...]:
    """All (intent, pattern, priority, module), lowest priority first."""
    out = [(intent, re.compile(pattern), prio, m)
           for m in modules() for intent, pattern, prio in m.ROUTES]
    return tuple(sorted(out, key=lambda r: r[2]))
