"""Structured expert search on a small roster written for this test (not the sample corpus):
field and incident terms in new wordings, availability/region/status filters, why each
matched, masked phones unless allowed, and Chinese notes when nothing matches."""
from __future__ import annotations

import pytest

from kg.model import DocumentMeta, GraphBatch, Node
from retrieval.answers.expert_search import search_experts
from retrieval.assistant import build_gazetteer
from tests.kg.conformance import rel, uid

ROWS = [  # code, name, field, availability, region, status, phone, research
    ("K1", "甲一", "供水排水", "7×24", "滨江县", "在库", "13812340001", "城市排水管网内涝抢险"),
    ("K2", "乙二", "供水排水", "工作日9:00-17:00", "滨江县", "在库", "13812340002", "供水水质"),
    ("K3", "丙三", "供水排水", "7×24", "临海市", "暂停", "13812340003", "泵站运行"),
    ("K4", "丁四", "桥梁结构", "7×24", "临海市", "在库", "13812340004", "桥梁检测"),
]


@pytest.fixture(scope="module")
def roster(graph_store):
    d = uid("roster")
    tag = uid("")[1:]  # names unique to this test run, so other tests' data cannot interfere
    water, bridge, flood = f"供水排水{tag}", f"桥梁结构{tag}", f"城市内涝{tag}"
    nodes = [Node(label="Field", key=water, props={"name": water, "aliases": [f"排水{tag}"]}),
             Node(label="Field", key=bridge, props={"name": bridge, "aliases": []}),
             Node(label="IncidentType", key=flood, props={"name": flood,
                                                          "aliases": [f"积水{tag}"]})]
    rels = [rel("RELEVANT_TO", ("Field", water), ("IncidentType", flood), d, "名册", "x")]
    for code, name, f, avail, region, status, phone, research in ROWS:
        key, field_key = f"{d}-{code}", (water if f == "供水排水" else bridge)
        row = f"{code}　{name}{tag}　{f}　{avail}　{status}　{phone}"
        nodes.append(Node(label="Expert", key=key, props={
            "name": name + tag, "title": "高级工程师", "organisation": f"{region}某单位",
            "fields": [field_key], "research": research, "availability": avail,
            "region": region, "status": status, "phones": [phone]}))
        rels.append(rel("EXPERT_IN", ("Expert", key), ("Field", field_key), d, "名册", row))
    graph_store.write_document(GraphBatch(
        document=DocumentMeta(doc_id=d, title="测试专家名册", kind="expert_roster",
                              source_path="t.csv", version="v1"),
        nodes=nodes, relationships=rels))
    yield {"tag": tag, "water": water, "bridge": bridge, "flood": flood,
           "gaz": build_gazetteer(graph_store)}
    graph_store.delete_document(d)


def _names(result, tag):
    return [e.name.removesuffix(tag) for e in result.experts]


def test_by_field_alias_masks_phones(graph_store, roster) -> None:
    t = roster["tag"]
    r = search_experts(graph_store, roster["gaz"], field=f"排水{t}")
    assert _names(r, t) == ["甲一", "乙二"]  # 7×24 first; the suspended expert left out
    top = r.experts[0]
    assert top.matched_fields == [roster["water"]]
    assert top.phones == ["138****0001"] and "13812340001" not in top.sources[0].quote
    assert top.why[0].startswith("所查领域") and any("内涝抢险" in w for w in top.why)
    assert top.sources[0].section == "名册"


def test_by_incident_alias_with_phones_allowed(graph_store, roster) -> None:
    t = roster["tag"]
    r = search_experts(graph_store, roster["gaz"], incident=f"积水{t}", show_phones=True)
    assert [e.name for e in r.linked] == [roster["flood"]]
    assert _names(r, t) == ["甲一", "乙二"]
    assert r.experts[0].phones == ["13812340001"]
    assert roster["flood"] in r.experts[0].why[0]


def test_filters(graph_store, roster) -> None:
    t, g = roster["tag"], roster["gaz"]
    assert _names(search_experts(graph_store, g, field=f"排水{t}", availability="24小时"), t) == ["甲一"]
    assert _names(search_experts(graph_store, g, field=f"排水{t}", availability="工作日"), t) == ["乙二"]
    everyone = search_experts(graph_store, g, field=f"排水{t}", include_inactive=True)
    assert _names(everyone, t) == ["甲一", "丙三", "乙二"]  # 7×24 before office hours
    assert everyone.experts[1].status == "暂停"
    assert _names(search_experts(graph_store, g, field=roster["bridge"], region="临海"), t) == ["丁四"]
    assert search_experts(graph_store, g, field=roster["bridge"], region="滨江").experts == []
    limited = search_experts(graph_store, g, field=f"排水{t}", limit=1)
    assert len(limited.experts) == 1 and limited.total == 2


def test_field_and_incident_together_keep_the_field(graph_store, roster) -> None:
    t = roster["tag"]
    r = search_experts(graph_store, roster["gaz"], field=roster["bridge"],
                       incident=f"积水{t}")
    assert _names(r, t) == ["丁四"]


def test_unknown_terms_explained(graph_store, roster) -> None:
    g = roster["gaz"]
    r = search_experts(graph_store, g, field=uid("茶艺"))
    assert r.experts == [] and "没有与" in r.note
    r = search_experts(graph_store, g, incident="ZZZ-QQQ")
    assert r.experts == [] and r.note
