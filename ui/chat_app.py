"""值班问答: the Streamlit chat page. Only presentation; answers come from retrieval.Assistant."""
from __future__ import annotations

import streamlit as st

from kg.settings import load_settings
from ui import services


@st.cache_resource(show_spinner="正在连接知识图谱……")
def _assistant_cm():
    cm = services.assistant(load_settings())
    return cm, cm.__enter__()


def _show(answer: dict) -> None:
    st.markdown(answer["answer"].replace("\n", "  \n"))
    if answer.get("citations"):
        with st.expander(f"引用依据（{len(answer['citations'])} 条）", expanded=True):
            for i, c in enumerate(answer["citations"], 1):
                st.markdown(f"**[{i}]《{c['title']}》{c['section']}**")
                st.caption(c["quote"])
    if answer.get("latency_ms") is not None:
        st.caption(f"意图：{answer['intent']} · 用时 {answer['latency_ms']:.0f} ms")


def main() -> None:
    st.set_page_config(page_title="应急知识图谱助手", page_icon="🚨", layout="wide")
    st.title("应急知识图谱助手 · 值班问答")
    st.caption("示例：危险化学品事故由哪个单位牵头？　小区燃气泄漏谁牵头处置？")
    history = st.session_state.setdefault("history", [])
    for q, a in history:
        with st.chat_message("user"):
            st.markdown(q)
        with st.chat_message("assistant"):
            _show(a)
    question = st.chat_input("请输入问题，例如：燃气管道泄漏谁牵头？")
    if question:
        with st.chat_message("user"):
            st.markdown(question)
        with st.chat_message("assistant"):
            try:
                _, assistant = _assistant_cm()
                with st.spinner("正在检索……"):
                    answer = assistant.ask(question).model_dump()
            except services.ServiceError as e:
                st.error(str(e))
                return
            _show(answer)
        history.append((question, answer))


main()
