"""Which extractors run for which document kind.

Each entry is "module:Class"; the class has `extract(doc: ParsedDocument, taxonomy) ->
Extraction`. Extractors of one kind run in order and their outputs are merged, so a plan's
lead units, roles, grading rules and citations can each live in a module of their own.
"""
from __future__ import annotations

import importlib
from functools import lru_cache

from ingest.extract import Extractor

EXTRACTORS: dict[str, list[str]] = {
    "plan": [
        "ingest.extract.plan:PlanExtractor",
        "ingest.extract.plan_roles:PlanRolesExtractor",
        "ingest.extract.plan_resources:PlanResourcesExtractor",
        "ingest.extract.plan_levels:PlanLevelsExtractor",
        "ingest.extract.plan_refs:PlanRefsExtractor",
        "ingest.extract.deadlines:DeadlineExtractor",
    ],
    "regulation": [
        "ingest.extract.regulation:RegulationExtractor",
    ],
    "duty_list": ["ingest.extract.duty_list:DutyListExtractor"],
    "expert_roster": ["ingest.extract.expert_roster:ExpertRosterExtractor"],
    "other": [],
}


@lru_cache(maxsize=None)
def extractors_for(kind: str) -> tuple[Extractor, ...]:
    out = []
    for spec in EXTRACTORS.get(kind, []):
        module, _, cls = spec.partition(":")
        out.append(getattr(importlib.import_module(module), cls)())
    return tuple(out)
