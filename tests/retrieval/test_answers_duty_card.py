"""Question understanding and the duty card, on the whole sample corpus.

Normalisation and linking are checked on their own (pure functions, no graph); the card, the
routing boundary and the linking accuracy run against `corpus_assistant`.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.answers.duty_card import asked_parts
from retrieval.linker import Gazetteer
from retrieval.normalize import colloquial, learn_shorthand, normalize_question
from retrieval.router import route

DEV_QA = Path(__file__).resolve().parents[2] / "corpus" / "eval" / "dev_qa.jsonl"


# ------------------------------------------------------------------ normalisation, no graph

def test_width_whitespace_and_shorthand():
    assert normalize_question("危化品 仓库　泄漏？") == "危险化学品仓库泄漏?"


def test_colloquial_descriptions_become_document_wording():
    assert "燃气泄漏" in colloquial(normalize_question("楼下饭店一股煤气味，很冲"))
    assert "着火" in colloquial("对面楼顶在冒浓烟")
    assert "拥挤踩踏" in colloquial("地铁口人挤人")
    assert "塔机倒塌" in colloquial("工地的塔机突然倒下")


def test_shorthand_is_learned_from_alias_pairs():
    pairs = [("危化品储罐", "危险化学品储罐"), ("危化品运输车", "危险化学品运输车"),
             ("区应急局", "区应急管理局")]
    assert learn_shorthand(pairs) == {"危化": "危险化学"}  # 危化品 → 危险化学品 follows


def test_colloquial_rewrite_only_when_no_incident_type_is_named():
    g = Gazetteer()
    g.add("IncidentType", "城镇燃气事故", ["燃气泄漏"])
    g.add("IncidentType", "火灾事故", ["着火", "起火"])
    assert [e.name for e in g.link("小区里燃气味特别重")] == ["城镇燃气事故"]
    assert [e.name for e in g.link("厨房起火了")] == ["火灾事故"]
    g.add("Hazard", "燃气管道", ["燃气管网"])
    g.hazard_incidents["燃气管道"] = ["城镇燃气事故"]
    found = g.link("燃气管网附近起火")
    assert [e.type for e in found] == ["IncidentType", "Hazard"]  # hazards never hide a type
    assert g.implied_incident("燃气管网异常").name == "城镇燃气事故"


# ------------------------------------------------------------------ routing boundary

@pytest.mark.parametrize("q", [
    "某小区燃气泄漏", "工地塔吊倒了", "化工厂储罐区发生爆炸！",
    "液化气钢瓶爆炸了，哪个部门牵头，要请哪方面的专家？",
    "地下车库进水，由谁负责，用什么预案，启动几级响应？",
])
def test_multi_part_questions_and_bare_reports_get_a_card(q):
    assert route(normalize_question(q)) == "duty_card"


@pytest.mark.parametrize("q", [
    "液化气钢瓶爆炸了，哪个部门牵头？", "地下车库进水适用什么预案？",
    "燃气预案和总体预案对牵头单位的规定一致吗？", "按道路交通预案谁牵头？",
])
def test_single_intent_questions_are_not_stolen(q):
    assert route(normalize_question(q)) != "duty_card"


def test_parts_asked():
    assert asked_parts("谁牵头？找哪位专家？") == ["units", "expert"]
    assert asked_parts("某小区燃气泄漏") == ["units", "plan", "level", "expert", "resource"]


# ------------------------------------------------------------------ on the corpus

def test_card_for_a_multi_part_question(corpus_assistant):
    a = corpus_assistant.ask("煤气罐在饭店后厨爆了，谁来牵头？该用哪个预案？请哪位专家？")
    assert a.intent == "duty_card"
    lines = a.answer.splitlines()
    assert lines[0].startswith("【") and "燃气" in lines[0]
    assert any(ln.startswith("牵头/配合：") and "牵头" in ln for ln in lines)
    assert any(ln.startswith("适用预案：") and "《" in ln for ln in lines)
    assert any(ln.startswith("专家：") for ln in lines)
    assert len(a.citations) >= 3 and all(c.quote for c in a.citations)
    assert len({c.quote for c in a.citations}) == len(a.citations)  # merged without duplicates


def test_card_for_a_colloquial_bare_report(corpus_assistant):
    a = corpus_assistant.ask("居民楼里冒黑烟了")
    assert a.intent == "duty_card"
    assert a.answer.startswith("【火灾事故】")
    assert "区消防救援局" in a.answer and "响应级别：" in a.answer


def test_card_when_the_graph_knows_nothing(corpus_assistant):
    a = corpus_assistant.ask("今天食堂的菜有点咸")
    assert a.intent in ("duty_card", "out_of_scope")  # routed as a report, then found off-topic
    assert not a.answer.startswith("【")  # no card: the passages answer (or says nothing found)


def _truth_incident(gaz: Gazetteer, text: str) -> str | None:
    """The one incident type an expected answer names (None when none or several)."""
    names = {e.name for e in gaz.link(text) if e.type == "IncidentType"}
    return names.pop() if len(names) == 1 else None


def test_linking_accuracy_on_dev_questions(corpus_assistant):
    """Prints how often the incident type linked from the question equals the one its expected
    answer names (lead/support/plan items where that is derivable)."""
    corpus_assistant._refresh()
    gaz = corpus_assistant._gazetteer
    total = exact = right = 0
    for line in DEV_QA.read_text("utf-8").splitlines():
        item = json.loads(line)
        if item["type"] not in ("lead_unit", "support_units", "plan_for_incident"):
            continue
        truth = _truth_incident(gaz, normalize_question(item["answer"]))
        if truth is None:
            continue
        q = normalize_question(item["question"])
        linked = next((e for e in gaz.link(q) if e.type == "IncidentType"), None)
        exact += linked is not None
        got = linked or gaz.closest(q, "IncidentType")
        total += 1
        ok = got is not None and (got.name == truth or truth in gaz.categories.get(got.name, [])
                                  or got.name in gaz.categories.get(truth, []))
        right += ok
    print(f"\nincident linking on dev questions: {right}/{total} = {right / total:.1%} "
          f"(exact surface {exact}/{total}); semantic margin "
          f"{gaz.semantic.margin if gaz.semantic else None}")
    assert total >= 50 and right / total >= 0.8


# ------------------------------------------------------------------ a type no plan covers, no graph

def test_a_taxonomy_type_the_plans_never_name_is_found_by_its_longest_surface():
    from kg.checks.model import Reference, TableRow
    from retrieval.answers.consistency import named_unlinked_type, taxonomy_surfaces

    ref = Reference(
        incident_types=[TableRow(table="t", line=2, raw="", name="事故灾难"),
                        TableRow(table="t", line=3, raw="", name="火灾事故", parent="事故灾难",
                                 aliases=["起火"]),
                        TableRow(table="t", line=4, raw="", name="氢能站事故", parent="事故灾难",
                                 aliases=["加氢站起火"])],
        hazards=[TableRow(table="h", line=2, raw="", name="加氢机", aliases=["加氢设备"],
                          incident_types=["氢能站事故"])])
    surfaces = taxonomy_surfaces(ref)
    assert ("事故灾难", "事故灾难") not in surfaces  # a root category is no incident to report
    known = {"火灾事故"}
    assert named_unlinked_type("城东加氢站起火了，谁来管？", surfaces, known) == "氢能站事故"
    assert named_unlinked_type("加氢设备冒烟", surfaces, known) == "氢能站事故"
    assert named_unlinked_type("仓库起火", surfaces, known) is None
    assert named_unlinked_type("加氢站起火", surfaces, known | {"氢能站事故"}) is None


def test_the_card_leads_with_the_residual_rule_then_the_immediate_response():
    from kg.checks.model import Clause, Finding
    from retrieval.answers import Query
    from retrieval.answers.duty_card import with_residual_rule
    from retrieval.contract import Answer, Citation

    rule = Clause(doc_id="g", title="某县总体应急预案", section="4.2", role="兜底条款",
                  quote="其他未列明的事件，由主管部门牵头；难以确定的，报县应急委决定。")
    row = Clause(doc_id="t.csv", title="事件分类表", section="第4行", quote="氢能站事故,事故灾难", role="分类表")
    f = Finding(rule="orphan_incident_type", severity="warning", subject="氢能站事故",
                title="事件类型“氢能站事故”没有预案覆盖", explanation="", clauses=[row, rule])
    q = Query(question="加氢站起火了谁牵头？用什么预案？", text="加氢站起火了谁牵头?用什么预案?", intent="duty_card")
    fire = Answer(question=q.question, intent="duty_card", answer="【火灾事故】\n牵头/配合：县消防救援大队牵头。",
                  citations=[Citation(doc_id="f", title="某县火灾预案", section="2", quote="火灾由县消防救援大队牵头。")])
    a = with_residual_rule(q, f, fire)
    assert a.answer.startswith("【氢能站事故】没有预案规定") and "报县应急委决定" in a.answer
    assert "先期处置按火灾事故：\n牵头/配合" in a.answer
    assert [c.doc_id for c in a.citations] == ["g", "f", "t.csv"]
    alone = with_residual_rule(q, f, None)
    assert [c.doc_id for c in alone.citations] == ["g", "t.csv"]


def test_card_for_a_type_no_plan_covers(corpus_assistant):
    a = corpus_assistant.ask("储能电站起火了，该谁牵头，按什么预案？")
    assert "谁主管、谁负责" in a.answer and "火灾事故" in a.answer
    assert "未列明" in a.citations[0].quote and a.citations[0].doc_id == "general_plan.docx"


def test_card_lines_cite_by_number_and_state_levels_as_conditions(corpus_assistant):
    import re

    def lines(q: str):
        a = corpus_assistant.ask(q)
        assert a.intent == "duty_card", a.answer
        body = a.answer.splitlines()[1:]
        for ln in body:  # every line ends with numbers the citation list resolves
            refs = re.search(r"((?:\[\d+\])+)$", ln)
            assert refs, ln
            assert all(1 <= int(n) <= len(a.citations) for n in re.findall(r"\d+", refs.group(1)))
        return a, {ln.split("：", 1)[0]: ln for ln in body}

    a, card = lines("危险化学品仓库起火了")
    assert "涉及：危险化学品" in a.answer.splitlines()[0]  # the hazard that changes the lead
    units = card["牵头/配合"]
    assert "涉及危险化学品时" in units and "区应急管理局牵头" in units and "区消防救援局牵头" in units
    _, card = lines("某地铁站大客流踩踏")
    level = next(v for k, v in card.items() if k.startswith("响应级别"))
    assert "暂不判定级别" in level and "应启动" not in level  # no figures: no level asserted
    assert any(k.endswith("（待核实）") for k in card)  # plans disagree on the lead: said so
    _, card = lines("化工厂爆炸，死亡3人")
    assert "较大" in card["响应级别"] and "暂不判定" not in card["响应级别"]
