"""Shared helpers for the expert library (示例数据，虚构内容): read the roster source and the
field taxonomy, and normalise the free-text 专业领域 of a roster row to canonical field names.

Used by builders/experts.py and by eval/check_truth.py (check_experts).
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]
ROSTER = CORPUS / "src" / "experts" / "experts.csv"
FIELDS = CORPUS / "taxonomy" / "fields.csv"
HAZARDS = CORPUS / "taxonomy" / "hazards.csv"

GROUPS = ("综合组", "安全生产组", "自然灾害组", "公共卫生组", "社会安全组")
STATUSES = ("在库", "暂停", "退出")
REGIONS = ("示例区", "示例市", "外省市")

# 专业领域 cells list several fields separated by 、 (sometimes ，or ；as typed by hand)
_FIELD_SEP = re.compile(r"[、，,;；]")
_QUALIFIER = re.compile(r"[（(][^）)]*[）)]$")


def split_list(s: str) -> list[str]:
    return [x.strip() for x in (s or "").split("|") if x.strip()]


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_fields() -> dict[str, dict]:
    out = {}
    for r in read_csv(FIELDS):
        out[r["name"].strip()] = {
            "aliases": split_list(r["aliases"]),
            "incident_types": split_list(r["incident_types"]),
            "hazards": split_list(r["hazards"]),
        }
    return out


def field_lookup(fields: dict[str, dict]) -> dict[str, str]:
    """Surface form (name or alias) -> canonical field name."""
    look = {}
    for name, f in fields.items():
        look[name] = name
        for a in f["aliases"]:
            look.setdefault(a, name)
    return look


def normalise_fields(cell: str, lookup: dict[str, str]) -> tuple[list[str], list[str]]:
    """(canonical fields in order, unknown parts) for a 专业领域 cell such as
    "燃气工程（输配）" or "环境监测，危化品安全"."""
    found, unknown = [], []
    for part in _FIELD_SEP.split(cell or ""):
        part = part.strip()
        if not part:
            continue
        name = lookup.get(part) or lookup.get(_QUALIFIER.sub("", part).strip())
        if name is None:
            unknown.append(part)
        elif name not in found:
            found.append(name)
    return found, unknown


def load_roster() -> list[dict]:
    return read_csv(ROSTER)
