"""一致性检查: run the consistency rules over the library, one document or a draft; filter the
findings by rule and severity, read both clauses side by side, download the report as .xlsx."""
from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from ingest.readers import supported_suffixes
from kg import browse
from kg.checks.model import SEVERITY_CN, CheckReport
from ui import check_report, roles, services
from ui.app_pages import common

REPORT_KEY = "check_report"
SCOPES = ("全库", "单个文档", "上传草案（不入库）")


def _run(settings, doc_id: str | None, draft, semantic: bool) -> CheckReport | None:
    try:
        with st.spinner("正在检查……"):
            if draft is None:
                return services.run_checks(settings, doc_id=doc_id, semantic=semantic)
            with tempfile.TemporaryDirectory(prefix="yingji-draft-") as tmp:
                path = Path(tmp) / Path(draft.name).name  # the file name is the draft's doc id
                path.write_bytes(draft.getvalue())
                return services.run_checks(settings, draft=path, semantic=semantic)
    except services.ServiceError as e:
        common.fail(e)
        return None


def _form(settings) -> None:
    scope = st.radio("检查范围", SCOPES, horizontal=True, key="check_scope")
    doc_id, draft = None, None
    if scope == SCOPES[1]:
        docs = browse.list_documents(common.store(), kind=None)
        labels = {d.doc_id: f"{d.title}（{d.doc_id}）" for d in docs}
        doc_id = st.selectbox("文档", list(labels), format_func=labels.get, key="check_doc",
                              placeholder="请选择文档")
    elif scope == SCOPES[2]:
        suffixes = sorted(s.lstrip(".") for s in supported_suffixes())
        note = common.uploader_help(suffixes, settings.upload_max_mb)
        draft = st.file_uploader("预案草案", type=suffixes, key="check_draft", help=note)
        st.caption(note)
    semantic = st.checkbox("语义比对（加载嵌入模型，较慢）", value=True, key="check_semantic")
    ready = scope == SCOPES[0] or doc_id or draft
    if st.button("运行检查", type="primary", disabled=not ready):
        report = _run(settings, doc_id, draft, semantic)
        if report is not None:
            st.session_state[REPORT_KEY] = report


def _as_seen(report: CheckReport) -> CheckReport:
    """The report with its quoted clauses as the signed-in role may see them (roster rows
    hold phone numbers); a copy, so signing in later shows them without re-running."""
    redact = roles.phone_redactor(common.role())
    seen = report.model_copy(deep=True)
    for finding in seen.findings:
        for clause in finding.clauses:
            clause.quote = redact(clause.quote)
    return seen


def _xlsx(report: CheckReport) -> bytes:
    with tempfile.TemporaryDirectory(prefix="yingji-report-") as tmp:
        return check_report.to_xlsx(report, Path(tmp) / "report.xlsx").read_bytes()


def _findings(report: CheckReport) -> None:
    titles = {r.name: r.title for r in report.rules}
    st.subheader(f"检查结果（范围：{report.scope}{'，草案未入库' if report.draft else ''}；"
                 f"文档 {report.documents} 份）")
    c = st.columns(3)
    for col, sev in zip(c, ("error", "warning", "info")):
        col.metric(SEVERITY_CN[sev], report.count(sev))
    f1, f2 = st.columns(2)
    rules = f1.multiselect("规则", [r.name for r in report.rules], placeholder="全部规则",
                           format_func=lambda n: titles.get(n, n),
                           key="check_rules")
    severities = f2.multiselect("级别", list(SEVERITY_CN), format_func=SEVERITY_CN.get,
                                placeholder="全部级别",
                                key="check_severities")
    shown = [f for f in report.findings if (not rules or f.rule in rules)
             and (not severities or f.severity in severities)]
    filtered = report.model_copy(update={"findings": shown})
    st.caption(f"显示 {len(shown)} / {len(report.findings)} 条")
    st.download_button("下载 .xlsx", _xlsx(filtered), file_name="一致性检查.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if not report.findings:
        st.success("未发现问题。")
    for i, f in enumerate(shown, 1):
        label = f"[{i}] {SEVERITY_CN[f.severity]}｜{titles.get(f.rule, f.rule)}｜{f.title}"
        with st.expander(common.md(label)):
            st.markdown(common.md(f.explanation))
            if f.similarity is not None:
                st.caption(f"语义相似度 {f.similarity:.2f}")
            if f.clauses:
                cols = st.columns(min(len(f.clauses), 3))
                for n, clause in enumerate(f.clauses):
                    with cols[n % len(cols)]:
                        title = f"《{clause.title.strip('《》')}》" if clause.title else clause.doc_id
                        role = f"（{clause.role}）" if clause.role else ""
                        st.markdown(f"**{common.md(f'{title} {clause.section}')}**{common.md(role)}")
                        st.caption(common.md(clause.quote))


def main() -> None:
    st.title("一致性检查")
    settings = common.settings()
    _form(settings)
    report = st.session_state.get(REPORT_KEY)
    if report is not None:
        st.divider()
        _findings(_as_seen(report))


main()
