"""值班问答: chat with history; each answer with its duty card, quotes and a graph of its facts."""
from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from ui import card_export, card_view, roles, services
from ui.graph_view import facts_dot
from ui.app_pages import common

EXPERT_COLUMNS = ["name", "organisation", "fields", "availability", "phone", "why"]
# The question types of the answer contract as the officer reads them (never the intent names).
INTENT_LABELS = {
    "lead_unit": "牵头单位", "support_units": "配合单位", "plan_for_incident": "适用预案",
    "member_duty": "成员单位职责", "grading": "分级标准", "response_level": "响应级别",
    "expert": "专家", "expert_rule": "专家组规定", "resource": "物资队伍",
    "regulation_article": "法规条文", "command_structure": "指挥体系", "consistency": "一致性",
    "duty_card": "值班卡片", "passages": "综合检索", "out_of_scope": "超出范围",
}


MAX_RESOURCES = 6  # rows of the card's resource table; the citations hold the rest


def _card(answer: dict, n: int) -> None:
    """The duty card: the event, one line per part (牵头/配合, 适用预案, 响应级别, 专家, 物资队伍)
    with its status and numbered citations, then the experts and resources, then copy, print
    and .docx export. Sized to fit one 1280×900 screen above the citation list."""
    head, lines = card_view.split_card(answer["answer"])
    with st.container(border=True, key=f"duty_card_{n}"):
        st.markdown(f"##### :material/emergency: 值班卡片　{common.md(head)}")
        for line in lines:
            badge = ":green-badge[有出处]" if line.sure else ":orange-badge[待核实]"
            label = f"**{common.md(line.label)}**：" if line.label else ""
            st.markdown(f"{badge} {label}{common.md(line.text)}")
        if answer.get("experts"):
            st.html(card_view.experts_html(answer["experts"],
                                           roles.can_see_phones(common.role())))
        if answer.get("resources"):
            st.html(card_view.resources_html(answer["resources"][:MAX_RESOURCES]))
        _card_actions(answer, n)


def _card_actions(answer: dict, n: int) -> None:
    """Copy (a text block with a copy button), print (the browser's print dialog, which also
    saves a PDF) and a Word export."""
    c1, c2, c3 = st.columns([1, 1, 1])
    with c1.popover("复制文本", icon=":material/content_copy:"):
        st.code(card_export.card_text(answer), language=None, wrap_lines=True)
    c2.download_button("导出 Word（.docx）", card_export.card_docx(answer),
                       file_name="值班卡片.docx", key=f"card_docx_{n}",
                       icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    with c3:
        components.html(_PRINT_BUTTON, height=42)


# The page's own print dialog (the sidebar and the chat box are left out by the print CSS of
# common.chinese_widgets); the button lives in a same-origin frame, so it calls its parent.
_PRINT_BUTTON = ("<button onclick='window.parent.print()' style='font:inherit;font-size:14px;"
                 "padding:6px 14px;border:1px solid #d0d0d0;border-radius:8px;background:#fff;"
                 "cursor:pointer;font-family:sans-serif'>打印 / 另存为 PDF</button>")


# How far an answer can be trusted (the answer contract's status), as the officer reads it.
STATUS_LABELS = {"answered": ":green[**直接答案**]",
                 "evidence": ":orange[**相关条文（未能确定答案）**]",
                 "not_found": ":gray[**未找到相关内容**]",
                 "out_of_scope": ":gray[**超出知识库范围**]"}


def show_answer(answer: dict, latest: bool, n: int = 0) -> None:
    status = answer.get("status", "answered")
    if answer.get("intent") == "duty_card" and answer.get("facts"):  # not a passages fallback
        _card(answer, n)
    else:
        if answer.get("intent") == "out_of_scope":
            status = "out_of_scope"
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
        kind = INTENT_LABELS.get(answer.get("intent", ""), "综合检索")
        st.caption(f"问题类型：{kind} · 用时 {answer['latency_ms']:.0f} 毫秒")


def main() -> None:
    st.title("应急知识图谱助手 · 值班问答")
    st.caption("可以这样问：危险化学品事故由哪个单位牵头？　小区燃气泄漏谁牵头处置？　某工地发生塌方")
    card = st.toggle("值班卡片模式", key="card_mode",
                     help="把输入当作事件报告：一次给出牵头/配合、适用预案、响应级别、专家和物资队伍。")
    st.html(card_view.PAGE_STYLE)
    history = st.session_state.setdefault(common.HISTORY_KEY, [])
    question = st.chat_input("请输入问题或事件描述，例如：燃气管道泄漏谁牵头？")
    for n, (q, a) in enumerate(history):
        with st.chat_message("user"):
            st.markdown(common.md(q))
        with st.chat_message("assistant"):
            show_answer(a, latest=not question and n == len(history) - 1, n=n)
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
            show_answer(answer, latest=True, n=len(history))
        history.append((question, answer))


main()
