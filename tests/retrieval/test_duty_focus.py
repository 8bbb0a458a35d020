"""What a member-duty question asks beyond unit and incident, and how a unit is found in a
sentence or by a short name. Wordings are invented for these tests (not from the corpus)."""
from __future__ import annotations

import pytest

from retrieval.answers.duties import (ROUTES, _abbreviates, _after_parent, _from_unit,
                                      _gives_task, _sub_units, _subject_of, _task_cell,
                                      _unit_clause)
from retrieval.answers.duty_focus import (asks_first, asks_many_hurt, focus_score, timed,
                                          written_for_many_hurt)


@pytest.mark.parametrize("question", [
    "大巴翻车好多人受伤，县急救站怎么办？",
    "工地塌方一下子十几名工人被困，镇安监站要干什么？",
    "食堂里好几个学生中毒了，卫生院负责什么？",
    "出现群死群伤的时候指挥部要做什么？",
])
def test_questions_about_several_people_harmed(question):
    assert asks_many_hurt(question)


@pytest.mark.parametrize("question", [
    "县急救站负责什么？",
    "好几个仓库着火了，消防站做什么？",  # many, but nobody hurt
    "多长时间内要报告？",
])
def test_questions_not_about_several_people_harmed(question):
    assert not asks_many_hurt(question)


def test_duties_written_for_several_casualties():
    assert written_for_many_hurt("接到5人以上受伤的报告后，立即启动批量伤员救治流程")
    assert written_for_many_hurt("发生多人中毒的，组织专家会诊")
    assert written_for_many_hurt("一次事件造成三名以上人员死亡的，立即上报")
    assert not written_for_many_hurt("造成3人以下死亡的为一般事故")
    assert not written_for_many_hurt("负责院前急救和伤员转运")


def test_first_and_timed_actions():
    assert asks_first("山洪来了，村委会先干什么？")
    assert asks_first("供电所接到报修多长时间要到？")
    assert asks_first("第一时间要做哪些事？")
    assert not asks_first("供电所负责什么？")
    assert timed("接报后30分钟内赶到现场")
    assert timed("二十四小时以内完成抢修")
    assert timed("立即组织群众撤离")
    assert not timed("负责辖区供电设施的日常巡查")


def test_focus_score_needs_the_question_to_ask_for_it():
    duty = "接到3人以上伤亡的报告，应当在15分钟内报告县卫健局"
    assert focus_score("县急救站负责什么？", duty) == 0
    assert focus_score("好多人受伤了，县急救站做什么？", duty) > 0
    assert focus_score("好多人受伤了，县急救站最先做什么？", duty) > focus_score(
        "好多人受伤了，县急救站做什么？", duty)


@pytest.mark.parametrize("short, full", [
    ("危化科", "危险化学品安全监督管理科"),
    ("应急局", "区应急管理局"),
    ("执法队", "执法监察队"),
    ("防汛办", "区防汛防台指挥部办"),
])
def test_short_names_of_units(short, full):
    assert _abbreviates(short, full)


@pytest.mark.parametrize("short, full", [
    ("危化科", "工贸行业安全监督管理科"),  # other first character
    ("危化科", "危险化学品安全监督管理处"),  # another kind of unit
    ("应急局", "应急局"),  # the same name, not a short form
    ("科", "危险化学品安全监督管理科"),  # too short to tell
    ("化危科", "危险化学品安全监督管理科"),  # characters out of order
])
def test_names_that_are_not_short_forms(short, full):
    assert not _abbreviates(short, full)


def test_unit_as_subject_of_a_later_clause():
    s = "企业应当立即报告县园区管委会；县园区管委会在20分钟内组织周边企业停产撤人。"
    assert _subject_of(s, "县园区管委会")
    assert _unit_clause(s, "县园区管委会") == "县园区管委会在20分钟内组织周边企业停产撤人。"
    assert not _subject_of("企业应当立即报告县园区管委会。", "县园区管委会")
    assert _subject_of("3. 县急救站：负责伤员转运。", "县急救站")
    assert _from_unit(s, "县园区管委会") == "县园区管委会在20分钟内组织周边企业停产撤人。"
    conditional = "化工企业发生泄漏的，县园区管委会组织企业关阀断料；县消防大队5分钟内出动。"
    assert _from_unit(conditional, "县园区管委会") == conditional  # the condition stays
    assert _unit_clause(conditional, "县园区管委会") == "化工企业发生泄漏的，县园区管委会组织企业关阀断料"


def test_a_table_row_gives_the_unit_task_cell():
    row = "| 高铁站 | 县公安局 | 铁路车站、县交通局 | 铁路车站负责站内旅客疏导；县交通局调度公交 |"
    assert _task_cell(row, "铁路车站") == "铁路车站负责站内旅客疏导；县交通局调度公交"
    assert _task_cell("铁路车站负责站内旅客疏导。", "铁路车站") == "铁路车站负责站内旅客疏导。"


def test_sub_units_named_in_questions():
    assert "危化科" in [x for n in _sub_units("化工厂着火了，应急管理局危化科要干啥？", set())
                       for x in _after_parent(n)]
    assert _sub_units("河道漫堤后镇水务站第一时间做什么？", set()) == ["镇水务站"]
    assert _sub_units("山洪时村委会该怎么做？", set()) == ["村委会"]


@pytest.mark.parametrize("question, routed", [
    ("大客流时县客运中心该怎么做？", True),
    ("县急救站应当如何应对批量伤员？", True),
    ("燃气泄漏了怎么办？", False),  # no unit asked about
])
def test_how_should_a_unit_act_is_a_duty_question(question, routed):
    import re
    assert bool(re.search(ROUTES[0][1], question)) is routed


def test_a_unit_named_as_a_place_is_given_no_task():
    s = "本办法适用于城西镇辖区内发生的各类突发事件的先期处置。"
    tail = s[s.index("城西镇") + 3:]
    assert not _gives_task(tail)
    assert _gives_task("接报后15分钟内到达现场，组织疏散。")
