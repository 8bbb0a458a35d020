"""Consistency checks on the ingested sample corpus: every planted issue found, few others;
a draft plan checked against the store without being written."""
from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from tests.fixtures_e2e import CORPUS, REGULATIONS, yingji

PLANTED = json.loads((CORPUS / "eval" / "planted_issues.json").read_text(encoding="utf-8"))
# A new special plan (not in the corpus) that contradicts the general plan: 区公安分局 made lead
# for 危险化学品事故, a pre-reform unit name, and a response level gap for one death.
DRAFT_TEXT = """\
示例区危险化学品仓储事故专项应急预案（征求意见稿）

一、总则

（一）适用范围

本预案适用于本区行政区域内危险化学品仓库、堆场发生的泄漏、火灾、爆炸事故的应对工作。

二、组织指挥体系

（一）牵头部门

危险化学品事故由区公安分局牵头处置，区应急管理局、区消防救援局、区生态环境局配合。

（二）成员单位职责

区安监局：负责仓储企业安全生产监督检查。

三、应急响应

四级响应：发生一般事故且未造成人员死亡的，由区公安分局局长决定启动。

三级响应：发生造成2人死亡或者5人以上重伤的一般事故，由总指挥决定启动。
"""


@pytest.fixture
def draft(tmp_path) -> Path:
    path = tmp_path / "draft_hazchem_storage_plan.txt"
    path.write_text(DRAFT_TEXT, encoding="utf-8")
    return path


def _norm(text: str) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text or "").split())


def quotes_overlap(a: str, b: str) -> bool:
    """One quote holds the other, or they share a run of 15 characters (a table row quoted
    whole on one side and cell by cell on the other)."""
    a, b = _norm(a), _norm(b)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    m = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= 15


def matches(finding, issue: dict) -> bool:
    """Same kind, and one clause of the finding is in a planted document at the planted section
    or with an overlapping quote."""
    if finding.rule != issue["kind"]:
        return False
    planted = [(Path(d).name, s, q) for d, s, q in
               zip(issue["documents"], issue["sections"] + [""] * 9, issue["quotes"] + [""] * 9)]
    for c in finding.clauses:
        for doc, section, quote in planted:
            if Path(c.doc_id).name == doc and (c.section == section or
                                               quotes_overlap(c.quote, quote)):
                return True
    return False


def _settings(cli_env):
    from kg.settings import Settings

    return Settings(data_dir=Path(cli_env["YINGJI_DATA_DIR"]),
                    model_dir=Path(cli_env["YINGJI_MODEL_DIR"]),
                    taxonomy_dir=CORPUS / "taxonomy")


@pytest.fixture(scope="module")
def corpus_report(ingested, cli_env):
    """The sample corpus with the law texts its catalogue names as full texts (the articles a
    citation is checked against), as test_end_to_end also ingests them."""
    from ui import services

    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    laws = yingji("ingest", str(REGULATIONS), env=cli_env)
    assert laws.returncode == 0, laws.stdout + laws.stderr
    return services.run_checks(_settings(cli_env))


def test_every_planted_issue_found_and_few_others(corpus_report) -> None:
    findings = corpus_report.findings
    found = {i["id"]: [f for f in findings if matches(f, i)] for i in PLANTED}
    true = [f for f in findings if any(matches(f, i) for i in PLANTED)]
    recall = sum(bool(v) for v in found.values()) / len(PLANTED)
    precision = len(true) / len(findings) if findings else 0.0
    print(f"\nplanted issues {len(PLANTED)}, findings {len(findings)}: "
          f"recall {recall:.3f}, precision {precision:.3f}")
    for i in PLANTED:
        if not found[i["id"]]:
            print(f"  missed {i['id']} {i['kind']} {i['documents']} {i['sections']}")
    for f in findings:
        if f not in true:
            print(f"  not planted: {f.rule} {f.title}")
    assert recall == 1.0
    assert precision >= 0.9


def test_report_has_both_clauses_and_exit_code(corpus_report, cli_env, tmp_path) -> None:
    from ui.check_report import to_markdown, to_xlsx

    lead = [f for f in corpus_report.findings if f.rule == "lead_conflict"]
    assert lead and all(len({c.doc_id for c in f.clauses}) >= 2 for f in lead)
    assert all(c.quote and c.section and c.title for f in lead for c in f.clauses)
    md = to_markdown(corpus_report)
    assert "| 条款 | 文档 | 章节 | 原文 |" in md and lead[0].clauses[1].quote.replace("|", "\\|") in md
    from openpyxl import load_workbook

    ws = load_workbook(to_xlsx(corpus_report, tmp_path / "r.xlsx"))["一致性检查"]
    assert ws.max_row - 1 == sum(len(f.clauses) for f in corpus_report.findings)
    r = yingji("check", "--rule", "dangling_plan_reference", "--format", "json",
               "--no-semantic", env=cli_env)
    assert r.returncode == 1, r.stderr  # error findings: a review pipeline stops here
    data = json.loads(r.stdout)
    assert data["findings"] and {f["rule"] for f in data["findings"]} == {"dangling_plan_reference"}
    r = yingji("check", "--rule", "outdated_name", "--no-semantic", env=cli_env)
    assert r.returncode == 0 and "机构旧称" in r.stdout  # warnings only
    r = yingji("check", "--rule", "不存在的规则", env=cli_env)
    assert r.returncode == 2 and "未知的检查规则" in r.stderr


def test_draft_contradicting_the_general_plan_is_reported_without_ingesting(
        ingested, cli_env, draft) -> None:
    from ui import services

    settings = _settings(cli_env)
    store = services.open_store(settings)
    try:
        before = store.counts()
    finally:
        store.close()
    report = services.run_checks(settings, draft, semantic=False)
    assert report.draft == draft.name and report.scope == draft.name
    assert all(draft.name in f.doc_ids for f in report.findings)
    [lead] = [f for f in report.findings if f.rule == "lead_conflict"]
    quotes = {c.doc_id: c.quote for c in lead.clauses}
    assert quotes[draft.name] == "危险化学品事故由区公安分局牵头处置，区应急管理局、区消防救援局、区生态环境局配合。"
    assert "区应急管理局牵头" in quotes["general_plan.docx"]
    assert {"outdated_name", "response_level_gap"} <= {f.rule for f in report.findings}
    r = yingji("check", "--draft", str(draft), "--no-semantic", env=cli_env)
    assert r.returncode == 1 and "草案未入库" in r.stdout and "区公安分局牵头处置" in r.stdout
    store = services.open_store(settings)
    try:
        assert store.counts() == before
        assert store.document_version(draft.name) is None
    finally:
        store.close()
