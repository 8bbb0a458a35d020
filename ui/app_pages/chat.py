"""值班问答: chat with history; each answer with its duty card, quotes and a graph of its facts."""
from __future__ import annotations

import streamlit as st

from ui import roles, services
from ui.graph_view import facts_dot
from ui.app_pages import common

EXPERT_COLUMNS = ["name", "organisation", "fields", "availability", "phone", "why"]


def _card_line(line: str) -> str:
    """A card line as Markdown: its short label ("牵头/配合：", "【事件】") in bold."""
    label, sep, rest = line.partition("：")
    if sep and 0 < len(label) <= 8:
        return f"**{common.md(label)}**：{common.md(rest)}"
    if line.startswith("【") and line.endswith("】"):
        return f"**{common.md(line)}**"
    return common.md(line)


def _card(answer: dict) -> None:
    """The duty card: one line per part (牵头/配合, 适用预案, 响应级别…), then experts, resources."""
    with st.container(border=True):
        st.markdown("#### :material/emergency: 值班卡片")
        for line in answer["answer"].split("\n"):
            if line.strip():
                st.markdown(_card_line(line.strip()))
        if answer.get("experts"):
            st.markdown("**建议联系的专家**")
            common.records_table(answer["experts"], EXPERT_COLUMNS)
        if answer.get("resources"):
            st.markdown("**可调用的物资与队伍**")
            common.records_table(answer["resources"])


# How far an answer can be trusted (the answer contract's status), as the officer reads it.
STATUS_LABELS = {"answered": ":green[**直接答案**]",
                 "evidence": ":orange[**相关条文（未能确定答案）**]",
                 "not_found": ":gray[**未找到相关内容**]"}


def show_answer(answer: dict, latest: bool) -> None:
    status = answer.get("status", "answered")
    if answer.get("intent") == "duty_card" and answer.get("facts"):  # not a passages fallback
        _card(answer)
    else:
        st.markdown(STATUS_LABELS.get(status, STATUS_LABELS["evidence"]))
        st.markdown(common.md(answer["answer"]).replace("\n", "  \n"))
        if answer.get("experts"):
            common.records_table(answer["experts"], EXPERT_COLUMNS)
        if answer.get("resources"):
            common.records_table(answer["resources"])
    citations = answer.get("citations") or []
    if citations:
        with st.expander(f"引用依据（{len(citations)} 条）", expanded=latest):
            for i, c in enumerate(citations, 1):
                st.markdown(f"**\\[{i}\\]《{common.md(c['title'])}》{common.md(c['section'])}**")
                st.caption(common.md(c["quote"]))
    facts = answer.get("facts") or []
    if facts:
        # open by default only while small: a duty card's graph is for a second look
        with st.expander(f"事实图（{len(facts)} 条事实）", expanded=latest and len(facts) <= 15):
            st.graphviz_chart(facts_dot(facts))
    if answer.get("latency_ms") is not None:
        st.caption(f"意图：{answer['intent']} · 用时 {answer['latency_ms']:.0f} ms")


def main() -> None:
    st.title("应急知识图谱助手 · 值班问答")
    st.caption("可以这样问：危险化学品事故由哪个单位牵头？　小区燃气泄漏谁牵头处置？　某工地发生塌方")
    card = st.toggle("值班卡片模式", key="card_mode",
                     help="把输入当作事件报告：一次给出牵头/配合、适用预案、响应级别、专家和物资队伍。")
    history = st.session_state.setdefault("history", [])
    question = st.chat_input("请输入问题或事件描述，例如：燃气管道泄漏谁牵头？")
    for n, (q, a) in enumerate(history):
        with st.chat_message("user"):
            st.markdown(common.md(q))
        with st.chat_message("assistant"):
            show_answer(a, latest=not question and n == len(history) - 1)
    if question:
        with st.chat_message("user"):
            st.markdown(common.md(question))
        with st.chat_message("assistant"):
            try:
                with st.spinner("正在检索……"):
                    show = roles.can_see_phones(common.role())
                    answer = common.assistant().ask(question, show_phones=show,
                                                    intent="duty_card" if card else None)
                    answer = answer.model_dump()
            except services.ServiceError as e:
                common.fail(e)
                return
            except FileNotFoundError:  # nothing ingested yet: no text index to fall back on
                st.error("尚未建立检索索引：请先导入文档（命令 yingji ingest，或管理员在“文档管理”页上传）。")
                return
            show_answer(answer, latest=True)
        history.append((question, answer))


main()
