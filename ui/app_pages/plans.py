"""预案库: the plan list (search, level filter, click a row), the chosen plan read as one document
with its headings and the search term highlighted, its facts by readable names, its graph, and
the original file for download."""
from __future__ import annotations

import hashlib

import streamlit as st

from kg import browse
from ui import plan_text, roles, services
from ui.graph_view import neighbourhood_dot, relation_label
from ui.app_pages import common

PICK = "plan_pick"  # the shown plan: the selectbox's value, set by a search or a row click
TERM = "plan_term"  # the search the pick was made for


@st.cache_data(ttl=120, show_spinner="正在检索预案原文……")
def _hits(data_dir: str, doc_ids: tuple[str, ...], term: str) -> dict[str, int]:
    """Sections and facts of each plan whose text holds the term (cached briefly: Streamlit
    re-runs the page on every click, and a re-ingest shows within two minutes)."""
    out = {}
    for doc_id in doc_ids:
        d = browse.document_detail(common.store(), doc_id)
        if d is not None:
            out[doc_id] = (sum(plan_text.matches(term, s.heading, s.text) for s in d.section_list)
                           + sum(plan_text.matches(term, f.quote) for f in d.fact_list))
    return out


def _plan_table(plans, hits: dict[str, int], key: str) -> int | None:
    """The list; returns the row the user clicked (None: none)."""
    event = st.dataframe(
        [{"标题": p.title, "级别": p.level or "", "发布单位": p.issuer or "",
          "发布日期": p.issued_date or "", "章节": p.sections, "事实": p.facts,
          **({"命中": hits.get(p.doc_id, 0)} if hits else {})} for p in plans],
        hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
        key=key, height=min(38 + 35 * len(plans), 300))
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    return rows[0] if rows else None


def _choose(shown, term: str, clicked: int | None) -> None:
    """One source for the shown plan: a new search picks its best hit, a row click picks that
    row, and a pick no longer listed falls back to the first row."""
    ids = [p.doc_id for p in shown]
    pick = st.session_state.get(PICK)
    if st.session_state.get(TERM) != term:
        st.session_state[TERM] = term
        pick = ids[0]
    if clicked is not None and clicked < len(ids) and st.session_state.get("plan_clicked") != (
            term, clicked):
        st.session_state["plan_clicked"] = (term, clicked)
        pick = ids[clicked]
    if pick not in ids:
        pick = ids[0]
    st.session_state[PICK] = pick


def _reader(detail, term: str) -> None:
    """The whole plan as one document, headings at their depth, the term marked."""
    hits = sum(plan_text.matches(term, s.heading, s.text) for s in detail.section_list)
    if term:
        st.caption(f"{hits} / {len(detail.section_list)} 个章节包含“{term}”（已高亮）")
    st.html(plan_text.document_html(detail.section_list, term))


def _facts(detail, term: str) -> None:
    relations = sorted({f.relation for f in detail.fact_list})
    chosen = st.multiselect("关系类型", relations, format_func=relation_label,
                            placeholder="全部关系", key=f"rel_{detail.doc_id}")
    facts = [f for f in detail.fact_list if (not chosen or f.relation in chosen)
             and plan_text.matches(term, f.subject_name, f.object_name, f.quote)]
    st.caption(f"{len(facts)} / {len(detail.fact_list)} 条事实")
    st.dataframe([{"主体": f.subject_name or f.subject,
                   "关系": relation_label(f.relation),
                   "客体": f.object_name or f.object, "章节": f.section, "原文": f.quote}
                  for f in facts], hide_index=True, width="stretch")


def _graph(detail) -> None:
    limit = st.slider("最多显示的关系数", 10, browse.MAX_EDGES, 20, step=10, key="nb_limit")
    nb = browse.neighbourhood(common.store(), detail.doc_id, limit=limit,
                              redact=roles.phone_redactor(common.role()))
    if not nb.edges:
        st.info("该预案在图谱中没有关联。")
        return
    if nb.truncated:
        st.caption(f"共 {nb.total_edges} 条关系，显示 {len(nb.edges)} 条。")
    st.graphviz_chart(neighbourhood_dot(nb))


def _download(doc_id: str) -> None:
    path = services.source_file(common.store(), doc_id)
    if path is None:
        st.caption("原始文件不在本机（导入后已移动或删除）。")
        return
    st.download_button(f"下载原始文件（{path.name}）", path.read_bytes(), file_name=path.name,
                       key="plan_download")


def main() -> None:
    st.title("预案库")
    try:
        plans = browse.list_documents(common.store(), kind="plan")
    except Exception as e:  # noqa: BLE001 - graph unreachable: one line, not a traceback
        common.fail(e)
        return
    if not plans:
        st.info("尚未导入任何预案。")
        return
    c1, c2 = st.columns([2, 1])
    term = c1.text_input("搜索（标题、发布单位、章节原文、事实）", key="plan_search").strip()
    levels = sorted({p.level for p in plans if p.level})
    chosen_levels = c2.multiselect("预案级别", levels, key="plan_levels", placeholder="全部级别")
    ids = tuple(p.doc_id for p in plans)
    hits = _hits(str(common.settings().data_dir), ids, term) if term else {}
    shown = [p for p in plans if (not chosen_levels or p.level in chosen_levels)
             and (plan_text.matches(term, p.title, p.issuer) or hits.get(p.doc_id))]
    shown.sort(key=lambda p: -hits.get(p.doc_id, 0))
    st.caption(f"共 {len(plans)} 个预案，符合条件 {len(shown)} 个；点击一行即可阅读该预案。")
    # a new search or filter is a new table: its row selection starts empty
    digest = hashlib.sha1(f"{term}|{sorted(chosen_levels)}".encode()).hexdigest()[:10]
    clicked = _plan_table(shown, hits, key=f"plan_table_{digest}")
    if not shown:
        return
    _choose(shown, term, clicked)
    labels = {p.doc_id: p.title for p in shown}
    doc_id = st.selectbox("查看预案", list(labels), format_func=labels.get, key=PICK,
                          placeholder="请选择预案")
    detail = browse.document_detail(common.store(), doc_id,
                                    redact=roles.phone_redactor(common.role()))
    if detail is None:
        st.warning("未找到该预案（可能刚被删除）。")
        return
    st.subheader(detail.title)
    meta = [("级别", detail.level), ("发布单位", detail.issuer), ("发布日期", detail.issued_date),
            ("施行日期", detail.effective_date)]
    st.caption("　".join(f"{k}：{v}" for k, v in meta if v))
    _download(detail.doc_id)
    if detail.scope:
        st.markdown(f"**适用范围**：{common.md(detail.scope)}")
    tabs = st.tabs(["全文", "事实", "关系图"])
    with tabs[0]:
        _reader(detail, term)
    with tabs[1]:
        _facts(detail, term)
    with tabs[2]:
        _graph(detail)


main()
