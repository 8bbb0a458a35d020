"""Lead, support and plan answers from real graph facts, written through the real ingest
pipeline into ArcadeDB: the clause that fits the question answers (a subtype's own clause, a
named plan's, a named street's), the other plans' agreeing clauses are cited after it, plans
that disagree are named, and plan questions get the most specific plan with its scope line."""
from __future__ import annotations

import pytest

from ingest.pipeline import ingest_paths
from ingest.taxonomy import Entry, Lexicon, Taxonomy
from retrieval.assistant import Assistant

PLANS = {
    "答测_总体应急预案.txt": (
        "示例区答测突发事件总体应急预案\n"
        "三、分类应对\n"
        "（一）答测爆燃事故：区答测应急局牵头，区答测公安局配合。\n"
        "（二）答测渗漏事件：区答测水务局牵头，区答测城建委配合。\n"),
    "答测_专项应急预案.txt": (
        "示例区答测爆燃事故专项应急预案\n"
        "一、总则\n"
        "（三）适用范围\n"
        "本预案适用于本区仓储、装卸过程中发生的答测爆燃事故的应对工作。\n"
        "罐车在道路上发生的答测爆燃，执行《示例区答测交通事故专项应急预案》。\n"
        "二、组织体系\n"
        "答测爆燃事故由区答测应急局牵头处置，区答测消防局、区答测卫健委等单位配合。\n"
        "答测罐车爆燃事故，由区答测交警局牵头，区答测应急局、区答测消防局配合。\n"),
    "答测_交通应急预案.txt": (
        "示例区答测交通事故专项应急预案\n"
        "一、总则\n"
        "（三）适用范围\n"
        "本预案适用于本区道路上发生的答测交通事故和罐车事故的应对工作。\n"
        "二、组织体系\n"
        "答测罐车爆燃事故，由区答测交警局牵头处置，区答测应急局配合。\n"
        "路面答测渗漏事件由区答测城建委牵头，区答测水务局配合。\n"),
    "答测_街道应急预案.txt": (
        "示例区河口街道突发事件应急预案\n"
        "三、处置\n"
        "辖区答测爆燃事故由河口街道办事处牵头，区答测应急局配合。\n"),
}


@pytest.fixture(scope="module")
def assistant(graph_store, tmp_path_factory) -> Assistant:
    folder = tmp_path_factory.mktemp("answer-plans")
    for name, text in PLANS.items():
        (folder / name).write_text(text, "utf-8")
    orgs = Lexicon()
    for name in ["区答测应急局", "区答测公安局", "区答测消防局", "区答测卫健委", "区答测交警局",
                 "区答测水务局", "区答测城建委"]:
        orgs.add(Entry(name=name))
    orgs.add(Entry(name="河口街道", aliases=["河口街道办事处"]))
    incidents = Lexicon()
    incidents.add(Entry(name="答测爆燃事故", aliases=["答测爆燃"]))
    incidents.add(Entry(name="答测罐车爆燃事故", aliases=["罐车爆燃", "答测罐车着火"],
                        parent="答测爆燃事故"))
    incidents.add(Entry(name="答测交通事故", aliases=["答测车祸"]))
    incidents.add(Entry(name="答测渗漏事件", aliases=["答测渗漏"]))
    report = ingest_paths([folder], graph_store, Taxonomy(orgs, incidents))
    assert not report.failed, report.failed
    yield Assistant(graph_store)
    for name in PLANS:
        graph_store.delete_document(name)


def test_own_special_plan_answers_first_and_the_general_plan_agrees(assistant):
    a = assistant.ask("答测爆燃事故谁牵头？")
    assert a.intent == "lead_unit"
    assert a.answer.startswith("答测爆燃事故由区答测应急局牵头处置，")
    assert "《示例区答测爆燃事故专项应急预案》" in a.answer
    assert a.citations[0].doc_id == "答测_专项应急预案.txt"
    assert a.citations[0].quote == "答测爆燃事故由区答测应急局牵头处置，区答测消防局、区答测卫健委等单位配合。"
    # the general plan's agreeing clause, as the whole numbered line of its section
    assert any(c.doc_id == "答测_总体应急预案.txt"
               and c.quote == "（一）答测爆燃事故：区答测应急局牵头，区答测公安局配合。" for c in a.citations)
    # a street's plan speaks for its own area: not the answer, not a disagreement
    assert "河口街道办事处" not in a.answer


def test_named_street_plan_answers_for_its_area(assistant):
    a = assistant.ask("河口街道辖区里答测爆燃了，谁来牵头？")
    assert a.answer.startswith("答测爆燃事故由河口街道牵头处置")
    assert a.citations[0].doc_id == "答测_街道应急预案.txt"


def test_subtype_named_in_other_words_gets_its_own_clause(assistant):
    # the linker may only find the parent ("答测爆燃"); the question's words name the subtype
    a = assistant.ask("一辆罐车在路上答测爆燃了，哪个部门牵头？")
    assert a.answer.startswith("答测罐车爆燃事故由区答测交警局牵头")
    assert a.citations[0].quote.startswith("答测罐车爆燃事故，由区答测交警局牵头")
    # both plans stating this lead are cited
    assert {c.doc_id for c in a.citations} >= {"答测_专项应急预案.txt", "答测_交通应急预案.txt"}


def test_named_plan_restricts_the_answer(assistant):
    a = assistant.ask("罐车爆燃的话，按答测交通预案谁牵头？")
    assert a.intent == "lead_unit"  # a unit question that names a plan is no plan question
    assert a.citations[0].doc_id == "答测_交通应急预案.txt"
    assert "区答测交警局" in a.answer


def test_support_units_question(assistant):
    a = assistant.ask("答测爆燃哪些单位配合？")
    assert a.intent == "support_units"
    assert "区答测消防局" in a.answer and "区答测卫健委" in a.answer


def test_disagreeing_plan_is_named(assistant):
    a = assistant.ask("答测渗漏事件由谁牵头？")
    assert a.answer.startswith("答测渗漏事件由区答测水务局牵头处置")  # the general plan's clause
    assert "注意" in a.answer and "《示例区答测交通事故专项应急预案》写的是区答测城建委牵头" in a.answer
    assert {c.doc_id for c in a.citations} == {"答测_总体应急预案.txt", "答测_交通应急预案.txt"}


def test_plan_question_cites_the_scope_line(assistant):
    a = assistant.ask("仓库里答测爆燃了，适用哪个预案？")
    assert a.intent == "plan_for_incident"
    assert a.answer.startswith("答测爆燃事故适用《示例区答测爆燃事故专项应急预案》")
    assert "上级预案为《示例区答测突发事件总体应急预案》" in a.answer
    assert any(c.quote.startswith("本预案适用于本区仓储、装卸过程中发生的答测爆燃事故")
               for c in a.citations)


def test_plan_question_follows_a_referral(assistant):
    # the special plan itself sends this situation to another plan
    a = assistant.ask("罐车在道路上答测爆燃，执行哪个预案？")
    assert a.answer.startswith("答测罐车爆燃事故适用《示例区答测交通事故专项应急预案》")
    assert any("执行《示例区答测交通事故专项应急预案》" in c.quote for c in a.citations)
