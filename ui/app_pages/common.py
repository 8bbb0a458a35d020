"""What every page shares: settings, the cached assistant, the signed-in role.

Streamlit re-runs page scripts on every interaction, so long-lived objects (the graph
connection, the loaded model) are cached per data dir with st.cache_resource.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from kg.settings import Settings, load_settings
from ui import roles, services

KEY_KEY = "yingji_api_key"  # the signed-in key, kept server-side in the session
DEFAULT_ROLE = "viewer"


def settings() -> Settings:
    return load_settings()


@st.cache_resource(show_spinner="正在连接知识图谱……")
def _assistant(data_dir: str):
    cm = services.assistant(load_settings(data_dir))
    return cm, cm.__enter__()


def assistant():
    """The Assistant for the configured data dir (opened once per process)."""
    return _assistant(str(settings().data_dir))[1]


@st.cache_resource(show_spinner="正在连接知识图谱……")
def _store(data_dir: str):
    return services.open_store(load_settings(data_dir))


def store():
    """A graph store for browsing (kg.browse), opened once per data dir and process."""
    return _store(str(settings().data_dir))


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>$~:")


def md(text: str) -> str:
    """Document text shown verbatim inside Markdown: a masked phone "133****5230" must not turn
    bold, nor "$" into maths or ":x:" into an emoji."""
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in str(text))


@st.cache_resource
def _key_file(path: str) -> roles.KeyFile:
    return roles.KeyFile(Path(path))  # re-reads the file when it changes


def _lookup(key: str | None):
    return _key_file(str(settings().api_keys_file)).lookup(key)


def role() -> str:
    """The role of the signed-in key, looked up on every run: a key revoked in the key file
    stops working at the next click, as it does for the API."""
    key = st.session_state.get(KEY_KEY)
    if not key:
        return DEFAULT_ROLE
    try:
        entry = _lookup(key)
    except roles.RoleConfigError:
        return DEFAULT_ROLE
    return entry.role if entry else DEFAULT_ROLE


def sidebar_login() -> str:
    """Sign in with an API key of the key file (ui/roles.py); without one the role is viewer."""
    with st.sidebar:
        current = role()
        st.markdown(f"**当前身份：{roles.ROLE_NAMES_CN.get(current, current)}**")
        if current != DEFAULT_ROLE:
            if st.button("退出登录", key="logout"):
                st.session_state.pop(KEY_KEY, None)
                st.session_state.pop("history", None)  # answers may hold unmasked phones
                st.rerun()
            return current
        with st.form("login", clear_on_submit=True):
            key = st.text_input("API 密钥", type="password",
                                help="值班员可见专家电话，管理员可管理文档；未登录为查看者。")
            if st.form_submit_button("登录"):
                try:
                    entry = _lookup(key)
                except roles.RoleConfigError as e:
                    st.error(str(e))
                    return current
                if entry is None:
                    st.error("密钥无效。")
                    return current
                st.session_state[KEY_KEY] = key
                st.rerun()
    return current


def fail(e: Exception) -> None:
    """A service failure shown as one line (ServiceError text is already Chinese)."""
    st.error(str(e) if isinstance(e, services.ServiceError) else f"操作失败：{e}")


# Chinese column headers for the record dicts answers and searches return; other keys as-is.
COLUMN_LABELS: dict[str, str] = {
    "name": "姓名/名称", "title": "职称", "organisation": "单位", "organization": "单位",
    "fields": "领域", "availability": "可联系时段", "region": "地区", "status": "状态",
    "phone": "电话", "why": "匹配原因", "research": "研究方向", "kind": "类别", "type": "类别",
    "location": "位置", "quantity": "数量", "unit": "单位", "manager": "管理单位", "for": "用于",
    "doc_id": "文档", "section": "章节", "quote": "原文",
}


def _cell(value) -> str:
    if isinstance(value, (list, tuple, set)):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def records_table(rows: list[dict], columns: list[str] | None = None) -> None:
    """Show dict records as a table with Chinese headers; columns picks and orders keys."""
    if not rows:
        return
    keys = columns or list(dict.fromkeys(k for r in rows for k in r))
    keys = [k for k in keys if any(k in r for r in rows)]
    data = [{COLUMN_LABELS.get(k, k): _cell(r.get(k)) for k in keys} for r in rows]
    st.dataframe(data, hide_index=True, width="stretch")
