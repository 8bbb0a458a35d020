"""Merge the evaluation parts written per corpus area into the files tools and tests read.

eval/parts/<area>.lead_units.jsonl  -> eval/lead_units.jsonl
eval/parts/<area>.qa.jsonl          -> eval/dev_qa.jsonl
eval/parts/<area>.issues.json       -> eval/planted_issues.json   (a JSON list per part)
eval/parts/<area>.plan_facts.jsonl  -> eval/plan_facts.jsonl      (roles, member duties, grading,
                                                                    response levels of plans)

Parts are concatenated in file-name order, so every area can be written independently.
"""
from __future__ import annotations

import json
from pathlib import Path

PARTS = Path(__file__).resolve().parents[1] / "eval" / "parts"


def _jsonl(suffix: str) -> bytes:
    lines: list[str] = []
    for part in sorted(PARTS.glob(f"*{suffix}")):
        for line in part.read_text(encoding="utf-8").splitlines():
            if line.strip():
                lines.append(json.dumps(json.loads(line), ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _issues() -> bytes:
    issues: list[dict] = []
    for part in sorted(PARTS.glob("*.issues.json")):
        issues += json.loads(part.read_text(encoding="utf-8"))
    return (json.dumps(issues, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def build() -> dict[str, bytes]:
    return {
        "eval/lead_units.jsonl": _jsonl(".lead_units.jsonl"),
        "eval/dev_qa.jsonl": _jsonl(".qa.jsonl"),
        "eval/planted_issues.json": _issues(),
        "eval/plan_facts.jsonl": _jsonl(".plan_facts.jsonl"),
    }
