"""Wording rules of the article and duty answers, on made-up names (no corpus document)."""
from __future__ import annotations

from retrieval.answers.articles import _abbreviated, _abbreviates, _topic_bigrams
from retrieval.answers.duties import _gives_task, _sub_units

TITLES = {"中华人民共和国防震减灾法", "中华人民共和国消防法", "危险化学品安全管理条例",
          "示例市河道管理办法"}


def test_law_abbreviations_resolve_to_their_title():
    assert _abbreviates("减灾法", "防震减灾法")
    assert _abbreviates("危化条例", "危险化学品安全管理条例")
    assert not _abbreviates("消法", "防震减灾法")  # a two-character form keeps the first one
    assert not _abbreviates("减灾条例", "防震减灾法")  # a law is no 条例
    assert _abbreviated("防震法第十条说了什么？", TITLES) == {"中华人民共和国防震减灾法"}
    assert _abbreviated("危化条例里仓库要求在哪条？", TITLES) == {"危险化学品安全管理条例"}
    assert _abbreviated("依法处置的依据是什么？", TITLES) == set()


def test_a_question_about_an_article_by_number_has_no_topic():
    named = {"中华人民共和国防震减灾法"}
    assert not _topic_bigrams("防震减灾法第十条讲的是什么内容？", {"第十条"}, named, [])
    assert not _topic_bigrams("防震法第十条说了啥？", {"第十条"}, named, ["防震法"])
    assert _topic_bigrams("防震减灾法第十条关于避难场所的规定是什么？", {"第十条"}, named, [])


def test_sub_units_named_in_a_question():
    assert _sub_units("暴雨时水务局的排水科具体负责什么？", set()) == ["排水科"]
    assert _sub_units("西城街道的居委会要干什么？", {"西城街道"}) == ["居委会"]
    assert _sub_units("区疾控中心接到报告后要做什么？", set()) == ["区疾控中心"]
    assert _sub_units("区住建委负责什么？", {"区住建委"}) == []


def test_a_task_belongs_to_the_unit_it_follows():
    assert _gives_task("配合，负责伤员转运和救治。")
    assert _gives_task("负责：组织楼组长巡查；通知到户。")
    assert not _gives_task("、区公安分局配合，区交通委负责绕行。")  # the task is the next unit's
    assert not _gives_task("的负责人。")


def test_a_unit_named_by_its_short_word():
    from retrieval.answers.duties import _by_short_word

    units = ["区人防办", "区城管执法局", "区城市运行中心", "区卫生健康委"]
    assert _by_short_word("地下室进水时人防要做什么？", units) == [(0.8, "区人防办")]
    assert _by_short_word("城里停水了谁管？", units) == []  # 城管 / 城市: ambiguous
    assert _by_short_word("卫生检查归谁？", units) == [(0.8, "区卫生健康委")]
