"""文档管理 (admin): upload documents with progress and a per-file result, delete a document.

Uploads are kept under <data_dir>/uploads/ as the API keeps them (a failed file is removed
again, a deleted document's file too), so the same folder can be re-ingested from the CLI."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from ingest.readers import supported_suffixes
from kg import browse
from ui import roles, services
from ui.app_pages import common

UPLOADS = "uploads"  # under the data dir, shared with the API
STATUS_CN = {"ingested": "已导入", "unchanged": "未变化（跳过）", "failed": "失败"}


def _suffixes() -> list[str]:
    return sorted(s.lstrip(".") for s in supported_suffixes())


def _own_name(name: str) -> str:
    """The file's own name, never a path from the browser; "" when unusable."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "" if not name or name.startswith(".") else name


def _result_rows(files) -> list[dict]:
    return [{"文件": Path(f.path).name, "文档ID": f.doc_id, "类型": f.kind, "标题": f.title,
             "结果": STATUS_CN.get(f.status, f.status), "章节": f.sections,
             "事实": sum(f.facts.values()), "说明": f.error or "；".join(f.warnings[:3])}
            for f in files]


def _upload(settings) -> None:
    st.subheader("上传文档")
    uploads = st.file_uploader("选择文件（文件名即文档ID；同名文件再次上传会替换该文档）",
                               type=_suffixes(), accept_multiple_files=True, key="uploads",
                               help=common.uploader_help(_suffixes(), settings.upload_max_mb))
    st.caption(common.uploader_help(_suffixes(), settings.upload_max_mb))
    if not st.button("导入", disabled=not uploads, type="primary"):
        return
    names = [_own_name(up.name) for up in uploads]
    limit = settings.upload_max_mb * 1024 * 1024
    too_big = [up.name for up in uploads if up.size > limit]
    if too_big:
        st.error(f"文件过大（上限 {settings.upload_max_mb:g} MB）：{'、'.join(too_big)}")
        return
    if not all(names) or len(set(names)) != len(names):
        st.error("文件名无效或重名，请改名后再上传。")
        return
    bar = st.progress(0.0, text="正在导入……")
    done: list = []

    def progress(result) -> None:
        done.append(result)
        bar.progress(min(len(done) / len(uploads), 1.0),
                     text=f"已处理 {len(done)}/{len(uploads)}：{Path(result.path).name}")

    directory = settings.data_dir / UPLOADS
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for up, name in zip(uploads, names):
        path = directory / name
        path.write_bytes(up.getvalue())
        paths.append(path)
    try:
        with st.spinner("正在导入并重建检索索引……"):
            report = services.ingest(settings, paths, progress=progress)
    except services.ServiceError as e:
        common.fail(e)
        return
    common.status_changed()
    for f in report.failed:  # its old facts stay; the file that failed is not kept
        Path(f.path).unlink(missing_ok=True)
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
    doc_id = st.selectbox("选择文档", list(labels), format_func=labels.get, key="delete_doc",
                          placeholder="请选择文档")
    sure = st.checkbox("确认删除该文档及其全部事实", key="delete_sure")
    if st.button("删除", disabled=not sure):
        try:
            removed = services.delete(settings, doc_id)
        except services.ServiceError as e:
            common.fail(e)
            return
        common.status_changed()
        if removed and Path(doc_id).name == doc_id:
            (settings.data_dir / UPLOADS / doc_id).unlink(missing_ok=True)
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
