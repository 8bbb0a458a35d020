"""member_duty and regulation_article answers over the whole sample corpus (new wordings)."""
from __future__ import annotations

import unicodedata

from tests.fixtures_e2e import *  # noqa: F401,F403  (session fixtures)


def _n(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _cited(answer) -> None:
    assert answer.citations, answer.answer
    for c in answer.citations:
        assert c.doc_id and c.quote


def test_member_duty_of_a_unit_in_an_incident(corpus_assistant):
    a = corpus_assistant.ask("自来水被污染的时候，区卫生健康委要承担哪些工作？")
    assert a.intent == "member_duty"
    assert "区卫生健康委" in a.answer and "流行病学调查" in a.answer
    _cited(a)
    assert any("流行病学调查" in c.quote for c in a.citations)


def test_member_duty_of_a_sub_unit(corpus_assistant):
    a = corpus_assistant.ask("食物中毒的样品，区市场监管局检验检测中心具体负责什么？")
    assert a.intent == "member_duty"
    assert "4小时" in _n(a.answer)
    _cited(a)


def test_member_duty_without_duties_for_that_incident(corpus_assistant):
    a = corpus_assistant.ask("地震时区总工会负责什么？")
    assert a.intent == "member_duty"
    assert "未写明" in a.answer and "区总工会" in a.answer
    _cited(a)


def test_regulation_article_from_a_citing_plan(corpus_assistant):
    a = corpus_assistant.ask("火场由谁统一组织扑救，依据是哪一条？")
    assert a.intent == "regulation_article"
    assert "第四十五条" in a.answer and "消防法" in a.answer
    _cited(a)


def test_regulation_article_from_an_ingested_regulation(corpus_assistant):
    a = corpus_assistant.ask("演练结束以后多少个工作日要完成评估？是哪条规定的？")
    assert a.intent == "regulation_article"
    assert "15个工作日" in _n(a.answer) and "第二十三条" in a.answer
    assert any("15个工作日" in c.quote for c in a.citations)


def test_regulation_named_in_the_question_restricts_the_answer(corpus_assistant):
    a = corpus_assistant.ask("《生产安全事故应急条例》哪一条说可以暂时撤离救援人员？")
    assert "生产安全事故应急条例" in a.answer and "第二十二条" in a.answer


def test_unit_without_duties_falls_back(corpus_assistant):
    a = corpus_assistant.ask("区烟草专卖局在台风里负责什么？")  # no such unit in the graph
    assert a.intent == "member_duty"
    assert a.status != "answered" and a.answer.startswith("未")


def test_duties_of_a_known_unit(corpus_assistant):
    a = corpus_assistant.ask("刮台风的时候区气象局负责啥？")
    assert a.answer.startswith("区气象局在防汛防台中的职责") and "预警信号" in a.answer


def test_member_duty_of_a_sub_unit_by_its_short_name(corpus_assistant):
    a = corpus_assistant.ask("化工厂着火了，应急管理局危化科要干啥？")
    assert a.intent == "member_duty"
    assert a.answer.startswith("危险化学品安全监督管理科") and "重大危险源备案" in a.answer
    _cited(a)


def test_member_duty_written_for_several_casualties_comes_first(corpus_assistant):
    a = corpus_assistant.ask("车祸一下子好多人受伤，区急救中心该怎么做？")
    assert a.intent == "member_duty"
    assert "10分钟内报告委应急办" in _n(a.answer)
    assert "3人以上伤亡" in a.citations[0].quote


def test_member_duty_first_timed_action_comes_first(corpus_assistant):
    a = corpus_assistant.ask("园区企业发生泄漏后园区应急分指挥部第一时间做什么？")
    assert a.intent == "member_duty"
    assert "10分钟内通知相邻企业" in _n(a.answer)
    assert "10分钟内通知相邻企业" in a.citations[0].quote


def test_member_duty_quote_keeps_the_item_number(corpus_assistant):
    a = corpus_assistant.ask("供水被污染以后，区卫生健康委负责哪些事情？")
    quotes = [_n(c.quote) for c in a.citations]
    assert any(q.startswith(_n("2.区卫生健康委：")) for q in quotes), quotes


def test_member_duty_of_a_unit_belonging_to_another_named_one(corpus_assistant):
    a = corpus_assistant.ask("东湖街道下面的居委会遇到台风要做什么？")
    assert a.answer.startswith("居委会") and "一对一" in a.answer
    assert a.citations[0].doc_id == "donghu_street_plan.html"
