"""The structure parser on the real law texts in ../shared/data/regulations and on plan shapes."""
import re
from pathlib import Path

import pytest

from ingest.document import Block
from ingest.readers import read_document
from ingest.structure import match_number, parse_sections, sentences

REGULATIONS = Path(__file__).resolve().parents[3] / "shared" / "data" / "regulations"


def _articles(name: str):
    doc = read_document(REGULATIONS / name)
    return doc, [s for s in parse_sections(doc.blocks, doc.title) if re.fullmatch(r"第.+条", s.label)]


@pytest.mark.parametrize("name,count,title", [
    ("law_safety_production_2021.txt", 119, "中华人民共和国安全生产法"),
    ("law_emergency_response_2024.txt", 106, "中华人民共和国突发事件应对法"),
    ("reg_production_accident_emergency_2019.txt", 35, "生产安全事故应急条例"),
])
def test_every_article_of_real_laws_is_found_in_order(name, count, title):
    doc, articles = _articles(name)
    assert doc.title == title
    assert len(articles) == count
    cn = "一二三四五六七八九"
    assert articles[0].label == "第一条"
    assert articles[-1].label.startswith("第") and articles[-1].label.endswith("条")
    # articles sit under their chapter and keep their own text
    assert all(a.path.startswith("第") and "章/" in a.path for a in articles)
    assert all(len(a.text) > len(a.label) for a in articles)
    assert len({a.label for a in articles}) == count


def test_items_of_an_article_nest_under_it():
    _, articles = _articles("law_emergency_response_2024.txt")
    doc = read_document(REGULATIONS / "law_emergency_response_2024.txt")
    sections = parse_sections(doc.blocks, doc.title)
    items = [s for s in sections if s.path.startswith("第四章/第六十六条/")]
    assert [s.label for s in items][:2] == ["（一）", "（二）"]


def test_mixed_width_plan_numbering_nests_by_first_appearance():
    lines = ["一、总则", "（一）编制目的", "为了……，制定本预案。", "(二)适用范围", "1.适用于本区。",
             "二、组织体系", "2.1 指挥机构", "（1）燃气管道泄漏事故：区建管委牵头，区公安分局配合。",
             "(2)危险化学品事故:区应急局牵头。", "2.2 工作组", "①综合协调组：区应急局牵头。"]
    secs = parse_sections([Block(text=t) for t in lines])
    paths = [s.path for s in secs]
    assert "一/（一）" in paths and "一/(二)/1" in paths
    assert "二/2.1/（1）" in paths and "二/2.1/(2)" in paths
    assert "二/2.2/①" in paths
    by = {s.path: s for s in secs}
    assert by["一/（一）"].heading == "编制目的" and "制定本预案" in by["一/（一）"].text
    assert by["二/2.1/（1）"].heading == ""  # an item sentence, not a heading


@pytest.mark.parametrize("line,expected", [
    ("1.2亿元以上的经济损失", None),
    ("2021年6月10日通过", None),
    ("第一百零六条　本法自2024年11月1日起施行。", "第一百零六条"),
    ("依照本法第九十条规定", None),
    ("（十一）其他事项。", "（十一）"),
    ("1、信息报告", "1"),
    ("3.2.1 先期处置", "3.2.1"),
    ("1 总则", "1"),
    ("5　应急响应", "5"),
    ("2 人以上死亡的，启动三级响应。", None),
])
def test_numbering_recognition(line, expected):
    hit = match_number(line)
    assert (hit[1] if hit else None) == expected


def test_sentences_are_verbatim_substrings():
    text = "危险化学品事故由区应急管理局牵头；区公安分局配合。其他单位按职责做好工作！"
    parts = sentences(text)
    assert len(parts) == 3 and all(p in text for p in parts)


def test_an_annex_is_a_part_of_its_own_and_its_levels_are_headings():
    """A department plan's 附件2: the annex title on the next line, one heading per level
    ("Ⅱ级（重大）", "IV 级（一般）") over its list of conditions."""
    lines = ["8 附则", "8.2 预案实施时间", "本预案自印发之日起实施。", "附件：1.预警分级和启动条件",
             "2.响应分级和启动条件", "附件 2", "码头事件响应分级和启动条件", "Ⅱ级（重大）",
             "有下列情形之一的，启动Ⅱ级应急响应：", "码头瘫痪的；", "IV 级（一般）",
             "有下列情形之一的，启动Ⅳ级应急响应：", "其他码头遭受损失的。"]
    by = {s.path: s for s in parse_sections([Block(text=t) for t in lines])}
    assert by["附件2"].heading == "码头事件响应分级和启动条件" and by["附件2"].parent_path is None
    assert by["附件2/Ⅱ级"].heading == "Ⅱ级（重大）" and "码头瘫痪的；" in by["附件2/Ⅱ级"].text
    assert by["附件2/IV级"].heading == "IV 级（一般）"
    assert match_number("附件1 成员单位联系方式")[1] == "附件1"
    assert match_number("Ⅱ级响应由领导小组启动。") is None  # a sentence, not a level's heading
    # under a part titled 附件 the annexes are its children
    nested = {s.path for s in parse_sections([Block(text=t) for t in
                                              ["十一、附件", "附件1 联系方式", "附件2 预案目录"]])}
    assert {"十一/附件1", "十一/附件2"} <= nested
