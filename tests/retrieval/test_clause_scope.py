"""Clause choice when a lead rule is scoped to a setting: a subtype that narrows its parent to a
place or project (宿舍翻新 + 工程施工安全事故) is a jurisdiction rule, and when the question
states that setting it outranks the clause for the kind of accident (吊篮坠落) that happened
there; a question naming only the general area gets the general type's clause, not a subtype
whose own word it never says. Real ingest into ArcadeDB, invented plans and names."""
from __future__ import annotations

import pytest

from ingest.pipeline import ingest_paths
from ingest.taxonomy import Entry, Lexicon, Taxonomy
from retrieval.answers import clauses as cl
from retrieval.assistant import Assistant

PLANS = {
    "范围测_总体应急预案.txt": (
        "示例区范围测突发事件总体应急预案\n"
        "三、分类应对\n"
        "（一）范围测工程施工安全事故：区范测建委牵头，区范测应急局、区范测消防局配合。\n"
        "（二）宿舍翻新工程施工安全事故由区范测房办牵头，区范测建委、事发地街道（镇）配合。\n"
        "（三）综合管廊事故：区范测管委牵头，区范测消防局、区范测公安局配合。\n"),
    "范围测_施工专项应急预案.txt": (
        "示例区范围测工程施工安全事故专项应急预案\n"
        "二、组织体系\n"
        "（一）吊篮坠落事故：区范测建委牵头处置，区范测消防局、区范测卫健委配合。\n"),
    "范围测_管廊专项应急预案.txt": (
        "示例区综合管廊事故专项应急预案\n"
        "二、组织体系\n"
        "综合管廊事故由区范测管委牵头，区范测消防局、区范测公安局配合。\n"),
    "a范围测_汛情专项应急预案.txt": (
        "示例区范测汛情专项应急预案\n"
        "二、组织体系\n"
        "（一）综合管廊进水：区范测管委牵头，区范测水务局配合；园区内综合管廊进水的，由区范测园办督促运营单位排水。\n"
        "（二）园区积水：区范测园办牵头，区范测水务局配合。\n"),
}


@pytest.fixture(scope="module")
def assistant(graph_store, tmp_path_factory) -> Assistant:
    folder = tmp_path_factory.mktemp("scope-plans")
    for name, text in PLANS.items():
        (folder / name).write_text(text, "utf-8")
    orgs = Lexicon()
    for name in ["区范测建委", "区范测应急局", "区范测消防局", "区范测房办", "区范测管委",
                 "区范测公安局", "区范测卫健委", "区范测水务局", "区范测园办"]:
        orgs.add(Entry(name=name))
    incidents = Lexicon()
    incidents.add(Entry(name="范围测工程施工安全事故", aliases=["范围测施工事故"]))
    incidents.add(Entry(name="吊篮坠落事故", aliases=["吊篮坠落", "吊篮掉下来"],
                        parent="范围测工程施工安全事故"))
    incidents.add(Entry(name="宿舍翻新工程施工安全事故", aliases=["宿舍翻新事故", "宿舍改造事故"],
                        parent="范围测工程施工安全事故"))
    incidents.add(Entry(name="范测汛情", aliases=["范测内涝", "积水"]))
    incidents.add(Entry(name="园区积水", aliases=["园区进水"], parent="范测汛情"))
    incidents.add(Entry(name="综合管廊事故", aliases=["管廊安全事故"]))
    incidents.add(Entry(name="综合管廊进水", aliases=["管廊倒灌"], parent="范测汛情"))
    report = ingest_paths([folder], graph_store, Taxonomy(orgs, incidents))
    assert not report.failed, report.failed
    yield Assistant(graph_store)
    for name in PLANS:
        graph_store.delete_document(name)


def test_stated_setting_outranks_the_kind_of_accident(assistant):
    a = assistant.ask("园区宿舍翻新时吊篮掉下来砸到人了，谁牵头？")
    assert a.answer.startswith("宿舍翻新工程施工安全事故由区范测房办牵头")
    assert a.citations[0].quote.endswith("宿舍翻新工程施工安全事故由区范测房办牵头，区范测建委、事发地街道（镇）配合。")


def test_without_the_setting_the_kind_of_accident_answers(assistant):
    a = assistant.ask("工地上吊篮掉下来了，哪个部门牵头？")
    assert a.answer.startswith("吊篮坠落事故由区范测建委牵头")
    assert a.citations[0].doc_id == "范围测_施工专项应急预案.txt"


def test_general_area_gets_the_general_clause_not_a_subtype(assistant):
    a = assistant.ask("综合管廊出事了，哪些单位配合处置？")
    assert a.intent == "support_units"
    assert a.answer.startswith("综合管廊事故由区范测管委牵头")
    assert "区范测消防局" in a.answer and "区范测水务局" not in a.answer
    assert a.citations[0].doc_id == "范围测_管廊专项应急预案.txt"


def test_a_clause_that_speaks_of_the_setting_keeps_its_place(assistant):
    # 园区积水 is the setting's own rule, but the 管廊进水 clause itself says what happens in a 园区
    a = assistant.ask("园区里综合管廊进水了，谁牵头？")
    assert a.answer.startswith("综合管廊进水由区范测管委牵头")
    b = assistant.ask("园区里积水了，谁牵头？")
    assert b.answer.startswith("园区积水由区范测园办牵头")


def test_scoped_types_are_qualifier_plus_parent_name():
    surfaces = {
        "露天集市拥挤事件": ["露天集市拥挤事件"],
        "人群拥挤事件": ["人群拥挤事件", "拥挤事件", "人挤人"],
        "摊位倒塌事故": ["摊位倒塌事故"],
        "集市摊位事故": ["集市摊位事故"],
        "船舶事故": ["船舶事故"],
        "客船火灾事故": ["客船火灾事故"],
        "港区船舶事故": ["港区船舶事故"],
    }
    lineage = {
        "露天集市拥挤事件": ["人群拥挤事件"],  # 露天集市 + 拥挤事件: where
        "摊位倒塌事故": ["集市摊位事故"],  # shares only 事故: what
        "客船火灾事故": ["船舶事故"],  # a kind of ship accident, not a setting
        "港区船舶事故": ["船舶事故"],  # 港区 + the parent's whole name: where
        "人群拥挤事件": [], "集市摊位事故": [], "船舶事故": [],
    }
    assert cl.scoped_types(surfaces, lineage) == {"露天集市拥挤事件", "港区船舶事故"}


def test_plan_referral_prefers_a_sentence_that_only_sends_the_case():
    from retrieval.answers import units

    text = "露营炉气罐漏了走哪个预案"
    ctx = cl.Context(text=text, q=cl.grams(text) - cl.STOP, linked=[], guessed=True, lineage={},
                     related=set(), surfaces={}, plans={}, named=[], places=[], orgs=[])
    row = {"relation": "REFERS_TO", "kind": "refers", "doc_id": "甲", "resolved_doc_id": "乙"}
    lead = {**row, "quote": "露营炉气罐发生泄漏的，按照《示例区丙预案》由区丁局牵头，区戊局配合。"}
    sends = {**row, "quote": "（3）露营炉气罐在使用中泄漏的，执行《示例区丙预案》；"}
    for rows in ([lead, sends], [sends, lead]):
        assert units._referral(rows, ctx, set())[2] is sends
