"""The reference tables handed to the checks, and the `check` command's own argument handling."""
from __future__ import annotations

from ingest.check_reference import check_reference
from ingest.taxonomy import load_taxonomy
from kg.checks.engine import CheckContext, check_facts
from kg.checks.facts import FactBase
from kg.checks.model import DocInfo, SectionText


def test_reference_keeps_verbatim_rows_and_former_names(tmp_path) -> None:
    tax = tmp_path / "tables"
    tax.mkdir()
    (tax / "organizations.csv").write_text(
        "name,aliases,former_names,kind\n县应急局,应急局,县安监局|安监局,部门\n", encoding="utf-8")
    (tax / "incident_types.csv").write_text(
        "name,parent,aliases\n事故灾难,,\n# 注释行,,\n氢能站事故,事故灾难,加氢站爆炸|加氢站泄漏\n",
        encoding="utf-8")
    (tax / "hazards.csv").write_text("name,aliases,incident_types\n加氢站,氢站,氢能站事故\n",
                                     encoding="utf-8")
    ref = check_reference(load_taxonomy(tax))
    [org] = ref.organizations
    assert (org.name, org.former_names) == ("县应急局", ["县安监局", "安监局"])
    row = ref.incident_types[-1]
    assert (row.table, row.line, row.raw, row.parent, row.aliases) == (
        "tables/incident_types.csv", 4, "氢能站事故,事故灾难,加氢站爆炸|加氢站泄漏", "事故灾难",
        ["加氢站爆炸", "加氢站泄漏"])
    assert ref.hazards[0].incident_types == ["氢能站事故"] and ref.fields == []
    base = FactBase(docs={"p": DocInfo(doc_id="p", title="某县预案", kind="plan", level="专项")},
                    sections=[SectionText(doc_id="p", path="2", text="由安监局负责检查。")])
    [f] = check_facts(CheckContext(facts=base, reference=ref), rules=["outdated_name"]).findings
    assert f.subject == "安监局" and "县应急局" in f.explanation


def test_check_command_needs_an_output_file_for_xlsx(capsys) -> None:
    from ui.cli import EXIT_USAGE, main

    assert main(["check", "--format", "xlsx", "--data-dir", "/nonexistent"]) == EXIT_USAGE
    assert "--output" in capsys.readouterr().err


def test_check_command_options_parse() -> None:
    from ui.cli import build_parser

    args = build_parser().parse_args(["check", "--draft", "a.docx", "--rule", "lead_conflict",
                                      "--rule", "outdated_name", "--severity", "error",
                                      "--format", "md", "--output", "r.md"])
    assert (args.draft, args.rule, args.severity, args.format, args.output) == (
        "a.docx", ["lead_conflict", "outdated_name"], "error", "md", "r.md")
