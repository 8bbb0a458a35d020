"""Every rule, in report order. A rule module exposes RULES: list[Rule]."""
from __future__ import annotations

import importlib
from collections.abc import Iterable

from kg.checks.engine import Rule

MODULES: list[str] = ["kg.checks.leads", "kg.checks.levels", "kg.checks.duties", "kg.checks.citations", "kg.checks.names", "kg.checks.references", "kg.checks.orphans"]


def all_rules() -> list[Rule]:
    out: list[Rule] = []
    for m in MODULES:
        out.extend(importlib.import_module(m).RULES)
    return out


def select(names: Iterable[str] | None = None) -> list[Rule]:
    rules = all_rules()
    if not names:
        return rules
    wanted = list(names)
    known = {r.name for r in rules}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise ValueError(f"未知的检查规则：{'、'.join(unknown)}（可选：{'、'.join(sorted(known))}）")
    return [r for r in rules if r.name in wanted]
