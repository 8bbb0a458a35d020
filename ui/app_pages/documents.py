"""文档管理 (admin): upload documents with progress and a per-file result, delete a document."""
from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from kg import browse
from ui import roles, services
from ui.app_pages import common

STATUS_CN = {"ingested": "已导入", "unchanged": "未变化（跳过）", "failed": "失败"}


def _suffixes() -> list[str]:
    from ingest.readers import supported_suffixes

    return sorted(s.lstrip(".") for s in supported_suffixes())


def _result_rows(files) -> list[dict]:
    return [{"文件": Path(f.path).name, "文档ID": f.doc_id, "类型": f.kind, "标题": f.title,
             "结果": STATUS_CN.get(f.status, f.status), "章节": f.sections,
             "事实": sum(f.facts.values()), "说明": f.error or "；".join(f.warnings[:3])}
            for f in files]


def _upload(settings) -> None:
    st.subheader("上传文档")
    uploads = st.file_uploader("选择文件（文件名即文档ID；同名文件再次上传会替换该文档）",
                               type=_suffixes(), accept_multiple_files=True, key="uploads")
    if not st.button("导入", disabled=not uploads, type="primary"):
        return
    bar = st.progress(0.0, text="正在导入……")
    done: list = []

    def progress(result) -> None:
        done.append(result)
        bar.progress(min(len(done) / len(uploads), 1.0),
                     text=f"已处理 {len(done)}/{len(uploads)}：{Path(result.path).name}")

    with tempfile.TemporaryDirectory(prefix="yingji-upload-") as tmp:
        paths = []
        for up in uploads:
            path = Path(tmp) / Path(up.name).name  # never a path from the browser
            path.write_bytes(up.getvalue())
            paths.append(path)
        try:
            with st.spinner("正在导入并重建检索索引……"):
                report = services.ingest(settings, paths, progress=progress)
        except services.ServiceError as e:
            common.fail(e)
            return
    bar.progress(1.0, text="导入完成")
    failed = len(report.failed)
    (st.warning if failed else st.success)(
        f"共 {len(report.files)} 个文件，成功 {len(report.files) - failed} 个，失败 {failed} 个。")
    st.dataframe(_result_rows(report.files), hide_index=True, width="stretch")


def _delete(settings) -> None:
    st.subheader("删除文档")
    try:
        docs = browse.list_documents(common.store(), kind=None)
    except services.ServiceError as e:
        common.fail(e)
        return
    if not docs:
        st.info("尚未导入任何文档。")
        return
    labels = {d.doc_id: f"{d.title}（{d.doc_id}，{d.facts} 条事实）" for d in docs}
    doc_id = st.selectbox("选择文档", list(labels), format_func=labels.get, key="delete_doc")
    sure = st.checkbox("确认删除该文档及其全部事实", key="delete_sure")
    if st.button("删除", disabled=not sure):
        try:
            removed = services.delete(settings, doc_id)
        except services.ServiceError as e:
            common.fail(e)
            return
        (st.success if removed else st.warning)(
            f"已删除 {doc_id}。" if removed else f"未找到文档 {doc_id}。")


def main() -> None:
    st.title("文档管理")
    if not roles.can_manage_documents(common.role()):
        st.error("仅管理员可以上传或删除文档，请在左侧用管理员密钥登录。")
        return
    settings = common.settings()
    _upload(settings)
    st.divider()
    _delete(settings)


main()
