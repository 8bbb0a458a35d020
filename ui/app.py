"""The Streamlit duty-desk app (`yingji ui`): navigation, sign-in and pages (presentation only)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import roles
from ui.app_pages import common

# Not "pages/": a directory of that name turns on Streamlit's legacy page auto-discovery.
PAGES = Path(__file__).with_name("app_pages")
ICON = Path(__file__).with_name("static") / "icon.png"


def main() -> None:
    # A local image: an emoji or :material: page icon makes the browser fetch the tab icon
    # from an outside host, which an offline duty desk cannot reach.
    st.set_page_config(page_title="应急知识图谱助手", page_icon=str(ICON), layout="wide")
    common.chinese_widgets()
    common.keep_session()
    pages = [
        st.Page(PAGES / "chat.py", title="值班问答", icon=":material/forum:", default=True),
        st.Page(PAGES / "experts.py", title="专家查询", icon=":material/person_search:"),
        st.Page(PAGES / "plans.py", title="预案库", icon=":material/menu_book:"),
        st.Page(PAGES / "checks.py", title="一致性检查", icon=":material/fact_check:"),
    ]
    role = common.sidebar_login()
    if roles.can_manage_documents(role):
        pages.append(st.Page(PAGES / "documents.py", title="文档管理",
                             icon=":material/folder_managed:"))
    common.sidebar_status()
    st.navigation(pages).run()


main()
