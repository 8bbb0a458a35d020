"""Rules, the context they run in, and `run_checks`: the store (plus an optional draft) in,
a CheckReport out. The store is only read."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.checks.facts import FactBase, batch_facts, load_facts
from kg.checks.model import (SEVERITY_ORDER, CheckReport, Clause, Finding, Reference, RuleInfo,
                             Severity)
from kg.model import GraphBatch
from kg.store import GraphStore


@dataclass
class CheckContext:
    facts: FactBase
    reference: Reference = field(default_factory=Reference)
    embedder: Any = None  # retrieval.embedder.Embedder; None switches semantic matching off
    focus: str | None = None  # a doc id: only findings that involve it are kept

    def clause(self, doc_id: str, section: str = "", quote: str = "", role: str = "") -> Clause:
        d = self.facts.doc(doc_id)
        return Clause(doc_id=doc_id, title=d.title, path=d.path, section=section, quote=quote,
                      role=role)


@dataclass(frozen=True)
class Rule:
    name: str
    title: str  # Chinese
    severity: Severity
    description: str  # Chinese
    run: Callable[[CheckContext], Iterable[Finding]]

    @property
    def info(self) -> RuleInfo:
        return RuleInfo(name=self.name, title=self.title, severity=self.severity,
                        description=self.description)


def run_checks(store: GraphStore, *, draft: GraphBatch | None = None, embedder: Any = None,
               rules: Iterable[str] | None = None, reference: Reference | None = None,
               doc_id: str | None = None, severity: str | None = None) -> CheckReport:
    """Run the rules over the whole store, or only report what involves one document: the
    draft (checked against the store without being written) or a stored `doc_id`."""
    base = load_facts(store)
    if draft is not None:
        base = base.with_draft(batch_facts(draft))
    focus = draft.document.doc_id if draft is not None else doc_id
    ctx = CheckContext(facts=base, reference=reference or Reference(), embedder=embedder,
                       focus=focus)
    return check_facts(ctx, rules=rules, severity=severity,
                       draft=draft.document.doc_id if draft is not None else None)


def check_facts(ctx: CheckContext, *, rules: Iterable[str] | None = None,
                severity: str | None = None, draft: str | None = None) -> CheckReport:
    from kg.checks.registry import select

    chosen = select(rules)
    findings: list[Finding] = []
    for rule in chosen:
        for f in rule.run(ctx):
            if ctx.focus and ctx.focus not in f.doc_ids:
                continue
            if severity and SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[severity]:
                continue
            findings.append(f)
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.rule,
                                 f.clauses[0].doc_id if f.clauses else "", f.subject))
    return CheckReport(scope=ctx.focus or "全库", draft=draft, rules=[r.info for r in chosen],
                       findings=findings, documents=len(ctx.facts.docs))
