"""grading, response_level and command_structure answers over the whole sample corpus, asked in
words of our own (not the dev QA set's)."""
from __future__ import annotations

import re

import pytest

from retrieval.answers.applicable import constraints, quantities, within
from retrieval.answers.levels import asked_levels, figures
from retrieval.router import route

pytestmark = pytest.mark.usefixtures("corpus_assistant")


def _ok(ans, *words):
    text = re.sub(r"\s+", "", ans.answer)
    assert all(w in text for w in words), ans.answer
    assert ans.citations and all(c.quote and c.doc_id for c in ans.citations)


# ------------------------------------------------------------------ pure helpers (no graph)

def test_figures_in_chinese_and_arabic_numerals() -> None:
    assert figures("燃气爆炸死了十二个人") == {"deaths": 12}
    assert figures("造成3人死亡，重伤20人") == {"deaths": 3, "injuries": 20}
    assert figures("直接经济损失1.2亿元") == {"loss": 12000}
    assert figures("没死人，但损失了800万") == {"loss": 800, "deaths": 0}


def test_ranges_include_above_and_exclude_below() -> None:
    (unit, lo, hi), = constraints("10人以上30人以下")
    assert (unit, lo, hi) == ("人", 10, 30)
    assert within(10, lo, hi) and not within(30, lo, hi)
    assert [q.value for q in quantities("停水超过一天")] == [24]


def test_asked_levels_from_roman_and_chinese() -> None:
    assert asked_levels("III级响应由谁宣布结束") == ["三级"]  # NFKC of Ⅲ
    assert asked_levels("二级响应谁定") == ["二级"]


def test_routes() -> None:
    assert route("燃气事故死了12个人算什么级别?") == "grading"
    assert route("较大火灾的标准是什么") == "grading"
    assert route("谁决定启动二级响应") == "response_level"
    assert route("地下空间事件III级响应由谁宣布终止") == "response_level"
    assert route("抢险抢修组由谁牵头") == "command_structure"
    assert route("燃气指挥部总指挥是谁") == "command_structure"


# ------------------------------------------------------------------ grading

def test_grading_computes_the_level_from_deaths(corpus_assistant) -> None:
    ans = corpus_assistant.ask("城镇燃气爆炸造成12人死亡，按预案是几级事故？")
    assert ans.intent == "grading"
    _ok(ans, "重大", "10人以上30人以下")
    assert "城镇燃气" in ans.citations[0].title


def test_grading_boundary_figure_belongs_to_the_higher_level(corpus_assistant) -> None:
    _ok(corpus_assistant.ask("道路上车祸死亡3人，属于哪一级？"), "较大")
    _ok(corpus_assistant.ask("一场火灾烧死2个人，定为什么等级？"), "一般")


def test_grading_by_loss(corpus_assistant) -> None:
    _ok(corpus_assistant.ask("危化品仓库事故直接经济损失6000万元，算什么级别？"), "重大")


def test_grading_criteria_of_one_level(corpus_assistant) -> None:
    ans = corpus_assistant.ask("较大火灾的认定标准是什么？")
    _ok(ans, "较大火灾", "1000万元以上5000万元以下")
    assert "特别重大" not in ans.answer


# ------------------------------------------------------------------ response levels

def test_who_starts_a_named_level(corpus_assistant) -> None:
    ans = corpus_assistant.ask("地下空间事件的二级响应由谁拍板启动？")
    assert ans.intent == "response_level"
    _ok(ans, "区长")


def test_who_ends_a_level(corpus_assistant) -> None:
    _ok(corpus_assistant.ask("拥挤踩踏事件三级响应谁宣布终止？"), "区踩踏指挥部总指挥")


def test_a_plan_that_names_nobody_says_so(corpus_assistant) -> None:
    ans = corpus_assistant.ask("危险化学品事故I级响应由谁决定启动？")
    _ok(ans, "未写明")


def test_situation_triggers_a_level(corpus_assistant) -> None:
    ans = corpus_assistant.ask("气象局刚发了台风橙色预警，防汛要启动哪级响应？")
    _ok(ans, "二级响应", "区长")


# ------------------------------------------------------------------ command structure

def test_deputy_commanders(corpus_assistant) -> None:
    ans = corpus_assistant.ask("燃气指挥部副总指挥是哪几位？")
    assert ans.intent == "command_structure"
    _ok(ans, "区建管委主任", "区应急管理局局长")
    assert "分管城市建设管理工作的副区长" not in ans.answer  # not the 总指挥


def test_working_group_lead(corpus_assistant) -> None:
    _ok(corpus_assistant.ask("危化品事故的警戒疏散组由谁牵头？"), "区公安分局")


def test_list_of_working_groups(corpus_assistant) -> None:
    _ok(corpus_assistant.ask("城镇燃气事故现场设了哪些组？"), "抢险抢修组", "警戒疏散组", "医疗救护组")


def test_office_seat(corpus_assistant) -> None:
    _ok(corpus_assistant.ask("供排水指挥部的办公室设在哪里？"), "区水务局")


def test_question_the_graph_cannot_answer(corpus_assistant) -> None:
    ans = corpus_assistant.ask("噪音扰民的情况算哪一级？")
    assert ans.intent in ("grading", "passages")
    assert "属于" not in ans.answer  # nothing graded it: no invented level


def test_the_office_asked_about_is_never_answered_with_another_bodys_office() -> None:
    from retrieval.answers.command import _office

    rows = [{"role": "应急委办公室主任", "body": "", "quote": "县应急委办公室设在县应急管理局，办公室主任由局长兼任。"},
            {"role": "防汛指挥部办公室主任", "body": "县防汛指挥部",
             "quote": "县防汛指挥部办公室设在县水利局，承担日常工作。"}]
    assert _office("县防汛指挥部办公室设在哪？", rows, [])[0].startswith("县防汛指挥部办公室设在县水利局")
    assert _office("县应急委办公室设在哪？", rows, [])[0].startswith("县应急委办公室设在县应急管理局")
    assert _office("县减灾委办公室设在哪里？", rows, []) is None  # not in this plan: say nothing


def test_figures_of_real_wordings() -> None:
    assert figures("港口事故造成死亡失踪5人") == {"deaths": 5}
    assert figures("死亡（失踪）12人") == {"deaths": 12}
    assert figures("泄漏导致60人急性中毒，没人死亡") == {"injuries": 60, "deaths": 0}
    assert asked_levels("III级、IV级事故的应急响应由谁启动") == ["三级", "四级"]


def test_a_duration_meets_the_condition_of_the_highest_level_it_reaches() -> None:
    from retrieval.answers.levels import _time_fit

    item = "恢复运行及人员疏散预计在 {} 小时以上"
    assert [_time_fit("预计50个小时才能恢复", item.format(n)) for n in (48, 24)] == [48, 24]
    assert _time_fit("要超过24小时", item.format(48)) == -1
    assert _time_fit("预计8小时恢复", item.format(12)) == -1
    assert _time_fit("停电了", item.format(12)) is None


def test_a_group_without_a_lead_unit_is_answered_with_its_leaders() -> None:
    from retrieval.answers.command import _role_sentence
    group = {"title": "应急指挥组", "kind": "工作组", "holders": []}
    rows = [group,
            {"title": "应急指挥组组长", "kind": "指挥机构", "holders": ["安全监督科负责人"]},
            {"title": "综合协调组组长", "kind": "指挥机构", "holders": ["局办公室负责人"]}]
    assert _role_sentence(group, rows) == "应急指挥组组长由安全监督科负责人担任"
    assert _role_sentence(group, []) == "应急指挥组（预案未写明牵头单位）"
