"""resource answers from a plan's 保障 chapter, written through the real ingest pipeline into
ArcadeDB: the line sharing the question's words answers verbatim (a table with its rows), a
figure is answered only by a line stating one, rules about resources are no resource
question, and without a fitting line the graph gives no answer."""
from __future__ import annotations

import pytest

from ingest.pipeline import ingest_paths
from ingest.taxonomy import Entry, Lexicon, Taxonomy
from retrieval.assistant import Assistant
from retrieval.normalize import normalize_question
from retrieval.router import route

PLAN = (
    "示例区答测爆燃事故专项应急预案\n"
    "二、组织体系\n"
    "答测爆燃事故由区答测应急局牵头处置，区答测消防局配合。\n"
    "八、保障措施\n"
    "（一）队伍保障\n"
    "区答测消防局组建答测泡沫抢险队2支约60人，驻河口路18号；\n"
    "（二）物资保障\n"
    "区答测应急物资储备点设在河口路200号，储备泡沫灭火剂12吨、堵漏器材40套。\n"
    "（三）避难场所\n"
    "需要疏散群众的，由区答测应急局组织。\n"
    "表3 答测避难场所\n"
    "河口体育馆　河口路300号　约3000人\n")


@pytest.fixture(scope="module")
def assistant(graph_store, tmp_path_factory) -> Assistant:
    folder = tmp_path_factory.mktemp("resource-plans")
    (folder / "答测_保障预案.txt").write_text(PLAN, "utf-8")
    orgs = Lexicon()
    for name in ["区答测应急局", "区答测消防局"]:
        orgs.add(Entry(name=name))
    incidents = Lexicon()
    incidents.add(Entry(name="答测爆燃事故", aliases=["答测爆燃"]))
    report = ingest_paths([folder], graph_store, Taxonomy(orgs, incidents))
    assert not report.failed, report.failed
    yield Assistant(graph_store)
    graph_store.delete_document("答测_保障预案.txt")


def test_material_store_line_answers_where_and_how_much(assistant):
    a = assistant.ask("答测爆燃要用泡沫灭火剂，储备点在哪？有多少？")
    assert a.intent == "resource"
    assert "河口路200号" in a.answer and "12吨" in a.answer
    assert a.citations[0].quote == "区答测应急物资储备点设在河口路200号，储备泡沫灭火剂12吨、堵漏器材40套。"
    assert a.citations[0].section == "八/（二）"


def test_team_line_answers_which_team(assistant):
    a = assistant.ask("答测爆燃现场缺人手，抢险队去哪调？")
    assert a.intent == "resource"
    assert "答测泡沫抢险队" in a.answer and "河口路18号" in a.answer


def test_a_figure_is_answered_by_a_line_stating_one_with_its_table(assistant):
    a = assistant.ask("答测爆燃要疏散群众，避难场所能容纳多少人？")
    assert "约3000人" in a.answer and "河口体育馆" in a.answer
    assert a.citations[0].quote.startswith("表3 答测避难场所")


def test_rules_about_resources_are_not_resource_questions():
    assert route(normalize_question("储备点接到调用指令后多长时间要出库？")) != "resource"
    assert route(normalize_question("避难场所启用手续是什么？")) != "resource"


def test_no_fitting_line_leaves_it_to_the_passages(assistant):
    a = assistant.ask("答测爆燃需要无人机等装备，有没有？")
    assert a.intent == "resource"
    assert a.status != "answered" and a.answer.startswith("未")
