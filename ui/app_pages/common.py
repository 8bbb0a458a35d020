"""What every page shares: settings, the cached assistant, the signed-in role.

Streamlit re-runs page scripts on every interaction, so long-lived objects (the graph
connection, the loaded model) are cached per data dir with st.cache_resource.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from kg.settings import Settings, load_settings
from ui import roles, services
from ui.session_cache import SessionCache

KEY_KEY = "yingji_api_key"  # the signed-in key, kept server-side in the session
TOKEN_KEY = "yingji_session"  # the token of the session record that survives a reload
HISTORY_KEY = "history"  # the conversation: (question, answer) pairs
NOTICE_KEY = "login_notice"
URL_PARAM = "s"
DEFAULT_ROLE = "viewer"
ROLE_CAN = {"viewer": "专家电话打码显示；不能管理文档。",
            "duty_officer": "可见专家完整电话。",
            "admin": "可见专家完整电话，可上传、删除文档。"}


def settings() -> Settings:
    return load_settings()


@st.cache_resource(show_spinner="正在连接知识图谱……")
def _assistant(data_dir: str):
    cm = services.assistant(load_settings(data_dir), warm=True)
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


@st.cache_resource
def _sessions() -> SessionCache:
    return SessionCache()


def keep_session() -> None:
    """Tie this browser session to a server-side record named in the address (?s=token): a
    reload finds the login and the conversation again. Called first on every run."""
    cache = _sessions()
    token = st.session_state.get(TOKEN_KEY)
    record = cache.get(token)
    if record is None:  # a new tab, a reload, or a record that ended
        token = st.query_params.get(URL_PARAM)
        record = cache.get(token) if TOKEN_KEY not in st.session_state else None
        if record is not None:  # a reload: the record's login and conversation come back
            if record.key and KEY_KEY not in st.session_state:
                st.session_state[KEY_KEY] = record.key
            st.session_state[HISTORY_KEY] = record.history
        else:
            token = cache.new(history=st.session_state.setdefault(HISTORY_KEY, []))
            record = cache.get(token)
        st.session_state[TOKEN_KEY] = token
    record.key = st.session_state.get(KEY_KEY)
    record.history = st.session_state.setdefault(HISTORY_KEY, record.history)
    if st.query_params.get(URL_PARAM) != token:  # page switches drop the address's parameters
        st.query_params[URL_PARAM] = token


def _sign_out() -> None:
    _sessions().end(st.session_state.pop(TOKEN_KEY, None))
    st.session_state.pop(KEY_KEY, None)
    st.session_state.pop(HISTORY_KEY, None)  # answers may hold unmasked phones
    st.session_state[NOTICE_KEY] = "已退出登录，当前为查看者。"
    st.query_params.pop(URL_PARAM, None)


def sidebar_login() -> str:
    """Sign in with an API key of the key file (ui/roles.py); without one the role is viewer."""
    with st.sidebar:
        current = role()
        st.markdown(f"**当前身份：{roles.ROLE_NAMES_CN.get(current, current)}**")
        st.caption(ROLE_CAN.get(current, ""))
        notice = st.session_state.pop(NOTICE_KEY, None)
        if notice:
            st.success(notice)
        if current != DEFAULT_ROLE:
            if st.button("退出登录", key="logout"):
                _sign_out()
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
                    st.error("密钥无效，仍为查看者。")
                    return current
                st.session_state[KEY_KEY] = key
                name = roles.ROLE_NAMES_CN.get(entry.role, entry.role)
                st.session_state[NOTICE_KEY] = f"登录成功：{name}（{entry.key_id}）。"
                st.rerun()
    return current


@st.cache_data(ttl=30, show_spinner=False)
def _status(data_dir: str) -> services.DataStatus:
    return services.data_status(load_settings(data_dir), store())


def status_changed() -> None:
    """After an upload or a delete: the data status panel is read again."""
    _status.clear()


def sidebar_status() -> None:
    """Documents, facts, last update and whether the search index is up to date."""
    with st.sidebar.expander("数据状态"):
        try:
            s = _status(str(settings().data_dir))
        except Exception as e:  # noqa: BLE001 - graph unreachable: one line
            st.caption(f"无法读取数据状态：{e}")
            return
        st.markdown(f"文档 **{s.documents}** 份（预案 {s.plans} 份）  \n事实 **{s.facts}** 条")
        st.markdown(f"最近导入：{s.last_update or '尚未导入'}")
        if s.fresh:
            st.markdown(f":green[检索索引：最新]（{s.indexed} 段）")
        else:
            st.markdown(f":orange[检索索引：需重建]（已索引 {s.indexed} 段，文档共 {s.sections} 段；"
                        "命令 yingji index）")


def fail(e: Exception) -> None:
    """A service failure shown as one line (ServiceError text is already Chinese)."""
    st.error(str(e) if isinstance(e, services.ServiceError) else f"操作失败：{e}")


# Chinese column headers for the record dicts answers and searches return; a key without a
# header here is internal (phones, avoid, …) and not shown.
COLUMN_LABELS: dict[str, str] = {
    "name": "姓名/名称", "title": "职称", "organisation": "单位", "organization": "单位",
    "fields": "领域", "availability": "可联系时段", "region": "地区", "status": "状态",
    "phone": "电话", "why": "匹配原因", "research": "研究方向", "kind": "类别", "type": "类别",
    "location": "位置", "quantity": "数量", "capacity": "规模/容量", "speciality": "专长",
    "unit": "单位", "manager": "管理单位", "managed_by": "管理单位", "for": "用于",
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
    keys = columns or list(dict.fromkeys(k for r in rows for k in r if k in COLUMN_LABELS))
    keys = [k for k in keys if any(r.get(k) not in (None, "", [], ()) for r in rows)]
    data = [{COLUMN_LABELS.get(k, k): _cell(r.get(k)) for k in keys} for r in rows]
    st.dataframe(data, hide_index=True, width="stretch")


# Streamlit's own widgets speak English ("Drag and drop files here", "Browse files", "Limit 200MB
# per file", "Press Enter to apply"): hidden, and the uploader's words given in Chinese.
_CHINESE_WIDGETS = """<style>
[data-testid="InputInstructions"] { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] > div > span,
[data-testid="stFileUploaderDropzoneInstructions"] > div > small { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {
  content: "或将文件拖放到此处"; font-size: 0.9rem; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {
  display: none; }
[data-testid="stFileUploaderDropzone"] button::after { content: "选择文件"; }
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stBottom"],
  [data-testid="stChatInput"], [data-testid="stPopover"], [data-testid="stDownloadButton"],
  iframe, .no-print { display: none !important; }
}
</style>"""


def chinese_widgets() -> None:
    """Once per run, before any widget: Streamlit's English widget texts hidden or replaced."""
    st.html(_CHINESE_WIDGETS)


def uploader_help(suffixes: list[str], max_mb: float) -> str:
    """The uploader's limits, stated in Chinese (Streamlit's own line is hidden)."""
    return f"支持的格式：{'、'.join(suffixes)}；单个文件不超过 {max_mb:g} MB。"
