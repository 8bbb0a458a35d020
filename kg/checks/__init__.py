"""Cross-plan consistency checks: named rules over the graph, each finding with its clauses."""
from kg.checks.engine import CheckContext, Rule, check_facts, run_checks
from kg.checks.model import CheckReport, Clause, Finding, Reference

__all__ = ["CheckContext", "CheckReport", "Clause", "Finding", "Reference", "Rule",
           "check_facts", "run_checks"]
