"""预案库: browse plans → sections → facts, search by keyword, and a plan's neighbourhood graph."""
from __future__ import annotations

import streamlit as st

from kg import browse
from ui import roles
from ui.graph_view import RELATION_LABELS, neighbourhood_dot
from ui.app_pages import common


def _matches(term: str, *texts: str | None) -> bool:
    return not term or any(term in (t or "") for t in texts)


@st.cache_data(ttl=120, show_spinner="正在检索预案原文……")
def _hits(data_dir: str, doc_ids: tuple[str, ...], term: str) -> dict[str, int]:
    """Sections and facts of each plan whose text holds the term (cached briefly: Streamlit
    re-runs the page on every click, and a re-ingest shows within two minutes)."""
    out = {}
    for doc_id in doc_ids:
        d = browse.document_detail(common.store(), doc_id)
        if d is not None:
            out[doc_id] = (sum(_matches(term, s.heading, s.text) for s in d.section_list)
                           + sum(_matches(term, f.quote) for f in d.fact_list))
    return out


def _plan_table(plans, hits: dict[str, int]) -> None:
    st.dataframe([{"标题": p.title, "级别": p.level or "", "发布单位": p.issuer or "",
                   "发布日期": p.issued_date or "", "章节": p.sections, "事实": p.facts,
                   **({"命中": hits.get(p.doc_id, 0)} if hits else {}), "文档ID": p.doc_id}
                  for p in plans], hide_index=True, width="stretch")


def _sections(detail, term: str) -> None:
    sections = [s for s in detail.section_list if _matches(term, s.heading, s.text)]
    found = f"包含“{term}”" if term else ""
    st.caption(f"{len(sections)} / {len(detail.section_list)} 个章节{found}")
    for s in sections:
        with st.expander(common.md(f"{s.path}　{s.heading}".strip()), expanded=bool(term)):
            st.text(s.text)


def _facts(detail, term: str) -> None:
    relations = sorted({f.relation for f in detail.fact_list})
    chosen = st.multiselect("关系类型", relations, format_func=lambda r: RELATION_LABELS.get(r, r),
                            placeholder="全部关系",
                            key=f"rel_{detail.doc_id}")
    facts = [f for f in detail.fact_list if (not chosen or f.relation in chosen)
             and _matches(term, f.subject, f.object, f.quote)]
    st.caption(f"{len(facts)} / {len(detail.fact_list)} 条事实")
    st.dataframe([{"主体": f.subject, "关系": RELATION_LABELS.get(f.relation, f.relation),
                   "客体": f.object, "章节": f.section, "原文": f.quote} for f in facts],
                 hide_index=True, width="stretch")


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
             and (_matches(term, p.title, p.issuer) or hits.get(p.doc_id))]
    shown.sort(key=lambda p: -hits.get(p.doc_id, 0))
    st.caption(f"共 {len(plans)} 个预案，符合条件 {len(shown)} 个。")
    _plan_table(shown, hits)
    if not shown:
        return
    labels = {p.doc_id: p.title for p in shown}
    if st.session_state.get("plan_term") != term:  # a new search opens its best hit
        st.session_state["plan_term"] = term
        st.session_state.pop("plan_pick", None)
    doc_id = st.selectbox("查看预案", list(labels), format_func=labels.get, key="plan_pick")
    detail = browse.document_detail(common.store(), doc_id,
                                    redact=roles.phone_redactor(common.role()))
    if detail is None:
        st.warning(f"未找到预案 {doc_id}。")
        return
    st.subheader(detail.title)
    meta = [("级别", detail.level), ("发布单位", detail.issuer), ("发布日期", detail.issued_date),
            ("施行日期", detail.effective_date)]
    st.caption("　".join(f"{k}：{v}" for k, v in meta if v))
    if detail.scope:
        st.markdown(f"**适用范围**：{common.md(detail.scope)}")
    tabs = st.tabs(["章节", "事实", "关系图"])
    with tabs[0]:
        _sections(detail, term)
    with tabs[1]:
        _facts(detail, term)
    with tabs[2]:
        _graph(detail)


main()
