"""What a consistency check reports: findings with the clauses they compare, side by side.

Also the plain data the rules read: facts (one per relationship, store or draft alike), the
documents they come from, and the reference tables (renamed units, taxonomy rows) that the
caller passes in, because kg/ reads no files.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
SEVERITY_CN: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}


class Clause(BaseModel):
    """One side of a finding: where a statement is and what it says, verbatim."""
    doc_id: str
    title: str = ""
    path: str = ""  # the source file (or table) the document was read from
    section: str = ""  # human section path, e.g. "三/（二）/1"
    quote: str = ""  # verbatim sentence (or table row) from the source
    role: str = ""  # what this clause is in the finding, e.g. "本预案" / "总体预案" (Chinese)


class Finding(BaseModel):
    rule: str  # rule name, e.g. "lead_conflict"
    severity: Severity
    title: str  # one line, Chinese
    explanation: str  # what is wrong and what to change, Chinese
    clauses: list[Clause] = Field(default_factory=list)
    similarity: float | None = None  # semantic match score where the rule used embeddings
    subject: str = ""  # what the finding is about (an incident type, a unit, a title)

    @property
    def doc_ids(self) -> list[str]:
        return list(dict.fromkeys(c.doc_id for c in self.clauses))


class RuleInfo(BaseModel):
    name: str
    title: str  # Chinese
    severity: Severity
    description: str  # Chinese


class CheckReport(BaseModel):
    scope: str  # "全库" or the checked document's id
    draft: str | None = None  # doc id of a draft checked without ingesting it
    rules: list[RuleInfo] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    documents: int = 0  # documents looked at (store plus draft)

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)

    @property
    def has_errors(self) -> bool:
        return self.count("error") > 0

    def summary(self) -> str:
        """One Chinese line, e.g. "共 12 条：错误 5，警告 6，提示 1"."""
        return (f"共 {len(self.findings)} 条：错误 {self.count('error')}，"
                f"警告 {self.count('warning')}，提示 {self.count('info')}")


# ---- what the rules read --------------------------------------------------------------------

class DocInfo(BaseModel):
    doc_id: str
    title: str = ""
    kind: str = ""  # plan | regulation | duty_list | expert_roster | other
    level: str = ""  # plans: 总体 | 专项 | 部门 | 街镇 …
    path: str = ""


class Fact(BaseModel):
    """One relationship with both end nodes, as the store or a draft batch holds it."""
    type: str
    start_label: str
    start: str
    start_props: dict[str, Any] = Field(default_factory=dict)
    end_label: str
    end: str
    end_props: dict[str, Any] = Field(default_factory=dict)
    props: dict[str, Any] = Field(default_factory=dict)  # doc_id, section, quote, …

    @property
    def doc_id(self) -> str:
        return self.props.get("doc_id") or ""

    @property
    def section(self) -> str:
        return self.props.get("section") or ""

    @property
    def quote(self) -> str:
        return self.props.get("quote") or ""


class SectionText(BaseModel):
    doc_id: str
    path: str
    heading: str = ""
    text: str = ""
    ord: int = 0


class OrgName(BaseModel):
    """A unit with the names it has been known by (the alias table)."""
    name: str
    aliases: list[str] = Field(default_factory=list)
    former_names: list[str] = Field(default_factory=list)


class TableRow(BaseModel):
    """One row of a reference table (taxonomy), quoted verbatim as provenance."""
    table: str  # e.g. "taxonomy/incident_types.csv"
    line: int
    raw: str
    name: str
    parent: str = ""
    aliases: list[str] = Field(default_factory=list)
    incident_types: list[str] = Field(default_factory=list)
    hazards: list[str] = Field(default_factory=list)


class Reference(BaseModel):
    """Tables the checks compare documents with; empty tables switch their rules off."""
    organizations: list[OrgName] = Field(default_factory=list)
    incident_types: list[TableRow] = Field(default_factory=list)
    hazards: list[TableRow] = Field(default_factory=list)
    fields: list[TableRow] = Field(default_factory=list)
