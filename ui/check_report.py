"""A consistency report as a terminal table, Markdown, JSON or an .xlsx workbook.

Every finding shows all its clauses side by side: document, section and the verbatim quote.
"""
from __future__ import annotations

import json
from pathlib import Path

from kg.checks.model import SEVERITY_CN, CheckReport, Clause, Finding
from ui.table import render

FORMATS = ("table", "md", "json", "xlsx")


def _where(c: Clause) -> str:
    title = f"《{c.title.strip('《》')}》" if c.title else c.doc_id
    return f"{title}{(' ' + c.section) if c.section else ''}"


def _similarity(f: Finding) -> str:
    return f"{f.similarity:.2f}" if f.similarity is not None else ""


def _rule_titles(report: CheckReport) -> dict[str, str]:
    return {r.name: r.title for r in report.rules}


def to_table(report: CheckReport) -> str:
    titles = _rule_titles(report)
    lines = [f"一致性检查（范围：{report.scope}{'，草案未入库' if report.draft else ''}；"
             f"文档 {report.documents} 份）"]
    if not report.findings:
        return "\n".join(lines + ["未发现问题。"])
    rows = [[str(i), SEVERITY_CN[f.severity], titles.get(f.rule, f.rule), f.title,
             _similarity(f)] for i, f in enumerate(report.findings, 1)]
    lines.append(render(["#", "级别", "规则", "问题", "相似度"], rows, max_width=60))
    lines.append("")
    for i, f in enumerate(report.findings, 1):
        lines.append(f"[{i}] {SEVERITY_CN[f.severity]}｜{titles.get(f.rule, f.rule)}｜{f.title}")
        lines.append(f"    说明：{f.explanation}")
        for c in f.clauses:
            role = f"（{c.role}）" if c.role else ""
            lines.append(f"    · {_where(c)}{role}：{c.quote}")
    lines.append("")
    lines.append(report.summary())
    return "\n".join(lines)


def _md(text: str) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def to_markdown(report: CheckReport) -> str:
    titles = _rule_titles(report)
    out = [f"# 一致性检查报告", "",
           f"- 范围：{report.scope}{'（草案，未入库）' if report.draft else ''}",
           f"- 文档：{report.documents} 份", f"- 结果：{report.summary()}", ""]
    if not report.findings:
        return "\n".join(out + ["未发现问题。", ""])
    for i, f in enumerate(report.findings, 1):
        out += [f"## {i}. [{SEVERITY_CN[f.severity]}] {_md(f.title)}", "",
                f"- 规则：{titles.get(f.rule, f.rule)}（`{f.rule}`）"]
        if f.similarity is not None:
            out.append(f"- 语义相似度：{_similarity(f)}")
        out += [f"- 说明：{_md(f.explanation)}", "", "| 条款 | 文档 | 章节 | 原文 |",
                "|---|---|---|---|"]
        for c in f.clauses:
            out.append(f"| {_md(c.role)} | {_md(c.title or c.doc_id)} | {_md(c.section)} | "
                       f"{_md(c.quote)} |")
        out.append("")
    return "\n".join(out)


def to_json(report: CheckReport) -> str:
    data = report.model_dump()
    data["summary"] = report.summary()
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_xlsx(report: CheckReport, path: Path) -> Path:
    """One row per clause: the finding's columns repeat, so the sheet filters and sorts well."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    titles = _rule_titles(report)
    wb = Workbook()
    ws = wb.active
    ws.title = "一致性检查"
    headers = ["序号", "级别", "规则", "问题", "说明", "相似度", "条款", "文档", "文件", "章节", "原文"]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, f in enumerate(report.findings, 1):
        for c in f.clauses or [Clause(doc_id="")]:
            ws.append([i, SEVERITY_CN[f.severity], titles.get(f.rule, f.rule), f.title,
                       f.explanation, f.similarity, c.role, c.title or c.doc_id, c.path,
                       c.section, c.quote])
    for col, width in zip("ABCDEFGHIJK", (6, 6, 14, 36, 60, 8, 10, 30, 30, 18, 80)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    summary = wb.create_sheet("汇总")
    summary.append(["范围", report.scope])
    summary.append(["草案", report.draft or ""])
    summary.append(["文档数", report.documents])
    summary.append(["结果", report.summary()])
    path = Path(path)
    wb.save(path)
    return path


def render_report(report: CheckReport, fmt: str) -> str:
    return {"table": to_table, "md": to_markdown, "json": to_json}[fmt](report)
