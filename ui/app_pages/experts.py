"""专家查询: experts by field and/or incident, filtered by availability and region; one card per
expert saying why it matched, with the roster rows it came from. Search is
retrieval.answers.expert_search (the API's GET /experts uses the same function)."""
from __future__ import annotations

import streamlit as st

from retrieval.answers.expert_search import search_experts
from ui import roles
from ui.app_pages import common

AVAILABILITY = {"不限": None, "7×24 / 全天可联系": "7×24"}


def _card(hit) -> None:
    with st.container(border=True):
        head = "　".join(x for x in (hit.title, hit.organisation) if x)
        st.markdown(f"**{common.md(hit.name)}**　{common.md(head)}")
        fields = [f"**{common.md(f)}**" if f in hit.matched_fields else common.md(f)
                  for f in hit.fields]
        facts = [("领域", "、".join(fields)), ("可联系时段", common.md(hit.availability)),
                 ("地区", common.md(hit.region)), ("状态", common.md(hit.status)),
                 ("电话", common.md("、".join(hit.phones)))]
        st.markdown("　".join(f"{k}：{v}" for k, v in facts if v))
        if hit.why:
            st.markdown("匹配原因：" + common.md("；".join(hit.why)))
        if hit.remark:
            st.caption(f"备注：{common.md(hit.remark)}")
        if hit.sources:
            with st.expander(f"来源（{len(hit.sources)} 条）"):
                for c in hit.sources:
                    st.markdown(f"**《{common.md(c.title)}》{common.md(c.section)}**")
                    st.caption(common.md(c.quote))


def main() -> None:
    st.title("专家查询")
    c1, c2 = st.columns(2)
    field = c1.text_input("专业领域", placeholder="如：燃气、危险化学品、地质灾害", key="ex_field")
    incident = c2.text_input("事件或风险", placeholder="如：小区燃气泄漏、山体滑坡", key="ex_incident")
    c3, c4, c5 = st.columns([1, 1, 1])
    availability = AVAILABILITY[c3.selectbox("可联系时段", list(AVAILABILITY), key="ex_avail",
                                                     placeholder="请选择")]
    region = c4.text_input("地区或单位", placeholder="如：本区、某市", key="ex_region")
    limit = c5.number_input("最多显示", min_value=1, max_value=100, value=10, key="ex_limit")
    inactive = st.checkbox("包括暂停、退出的专家", key="ex_inactive")
    show_phones = roles.can_see_phones(common.role())
    if not show_phones:
        st.caption("电话已打码；值班员或管理员登录后可见完整号码。")
    try:
        assistant = common.assistant()
        result = search_experts(common.store(), assistant.gazetteer(), field=field,
                                incident=incident, availability=availability, region=region,
                                include_inactive=inactive, show_phones=show_phones,
                                limit=int(limit))
    except Exception as e:  # noqa: BLE001 - graph unreachable: one line, not a traceback
        common.fail(e)
        return
    if result.linked:
        st.caption("识别为：" + common.md("、".join(e.name for e in result.linked)))
    if result.note:
        st.info(result.note)
    if result.experts:
        st.caption(f"共 {result.total} 位符合条件，显示前 {len(result.experts)} 位。")
    for hit in result.experts:
        _card(hit)


main()
