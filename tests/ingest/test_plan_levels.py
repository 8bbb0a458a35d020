"""Severity and response levels from the shapes real plans write them in (not our corpus's words)."""
import pytest

from ingest.document import Block
from ingest.extract import ParsedDocument
from ingest.extract.plan_levels import (PlanLevelsExtractor, parse_enders, parse_response_chunk,
                                        parse_response_inline, parse_thresholds, response_level,
                                        severity_level)
from ingest.structure import parse_sections
from ingest.taxonomy import Entry, Lexicon, Taxonomy
from kg.model import DocumentMeta


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    incidents = Lexicon()
    for name, parent in [("自然灾害", None), ("森林火灾", "自然灾害"), ("事故灾难", None),
                         ("危险化学品事故", "事故灾难")]:
        incidents.add(Entry(name=name, parent=parent))
    return Taxonomy(organizations=Lexicon(), incident_types=incidents)


def extract(title: str, blocks: list[Block], taxonomy: Taxonomy):
    meta = DocumentMeta(doc_id="t.txt", title=title, kind="plan", source_path="t.txt",
                        version="v")
    doc = ParsedDocument(meta=meta, raw=None, sections=parse_sections(blocks, title))  # type: ignore[arg-type]
    out = PlanLevelsExtractor().extract(doc, taxonomy)
    text = "\n".join(b.text for b in blocks)
    for r in out.relationships:
        assert r.provenance.quote in text  # verbatim, never rewritten
        assert r.provenance.doc_id == "t.txt"
    return out


def paras(*lines: str) -> list[Block]:
    return [Block(text=t) for t in lines]


def table(*rows: str) -> list[Block]:
    return [Block(text="　".join(r.split("|")), kind="table_row", cells=r.split("|"))
            for r in rows]


@pytest.mark.parametrize("label,level", [
    ("Ⅰ级响应", "一级"), ("I级", "一级"), ("II级应急响应", "二级"), ("Ⅲ级", "三级"),
    ("IV级", "四级"), ("一级响应", "一级"), ("４级", "四级"), ("全员响应", None)])
def test_response_labels_normalise(label, level):
    assert response_level(label) == level


@pytest.mark.parametrize("label,level", [("特别重大", "特别重大"), ("Ⅱ级", "重大"),
                                         ("较大（Ⅲ级）", "较大"), ("IV级", "一般")])
def test_severity_labels_normalise(label, level):
    assert severity_level(label) == level


@pytest.mark.parametrize("chunk,levels,starter,condition", [
    ("（一）I级响应：发生特别重大森林火灾，报请区委、区政府同意后由总指挥宣布启动。",
     ["一级"], "总指挥", "发生特别重大森林火灾"),
    ("2、II级应急响应：出现较大险情的，由区长决定启动。", ["二级"], "区长", "出现较大险情的"),
    ("Ⅲ级响应。预计过程雨量超过100毫米时，经区应急局会商后报常务副区长决定启动。",
     ["三级"], "常务副区长", "预计过程雨量超过100毫米时"),
    ("二级、一级响应：发生重大以上事件，在市指挥部统一领导下处置。", ["二级", "一级"], None,
     "发生重大以上事件"),
    ("4.四级响应：由区应急管理局局长决定启动，发生一般事件时适用。", ["四级"],
     "区应急管理局局长", None),
])
def test_response_definitions(chunk, levels, starter, condition):
    st = parse_response_chunk(chunk)
    assert st is not None
    assert (st.levels, st.starter, st.condition) == (levels, starter, condition)


def test_response_measures_are_not_definitions():
    assert parse_response_chunk("（2）三级响应：在四级响应基础上，指挥长坐镇指挥。") is None
    assert parse_response_chunk("启动Ⅲ级以上响应的，由总指挥担任现场指挥长。") is None


def test_inline_start_without_a_label_first():
    st = parse_response_inline("发生较大以上森林火灾时，由区长决定启动二级应急响应。")
    assert (st.levels, st.starter, st.condition) == (["二级"], "区长", "发生较大以上森林火灾时")
    assert st.severities == ["特别重大", "重大", "较大"]


def test_enders_per_level_and_general():
    per, general = parse_enders("一级、二级响应由区长宣布终止；三级响应由区应急委副主任宣布终止。")
    assert per == {"一级": "区长", "二级": "区长", "三级": "区应急委副主任"} and general is None
    per, general = parse_enders("险情消除后，由原决定启动响应的机构宣布结束应急响应。")
    assert per == {} and general == "原决定启动响应的机构"


@pytest.mark.parametrize("text,values,other", [
    ("一次造成死亡（含失踪）３０人以上，或者重伤（中毒）１００人以上",
     {"deaths_min": 30, "injuries_min": 100}, []),
    ("死亡1至2人，或者直接经济损失100万元以上500万元以下的",
     {"deaths_min": 1, "deaths_max": 2, "loss_min": 100, "loss_max": 500}, []),
    ("需转移群众五千人以上；或者林地过火面积100公顷以上",
     {"evacuated_min": 5000}, ["林地过火面积100公顷以上"]),
    ("受灾人数较多并且社会影响特别严重", {}, ["受灾人数较多并且社会影响特别严重"]),
])
def test_thresholds(text, values, other):
    th = parse_thresholds(text)
    assert th.values == values and th.other == other


def test_grading_table_with_roman_levels(taxonomy):
    blocks = [Block(text="三、事件分级", kind="heading", heading_level=1),
              *table("事件等级|死亡人数|重伤人数|直接经济损失",
                     "Ⅰ级（特别重大）|30人及以上|100人及以上|1亿元及以上",
                     "Ⅱ级（重大）|10-29人|50-99人|5000万元至1亿元",
                     "Ⅳ级（一般）|1-2人|10人以下|—")]
    out = extract("某区森林火灾专项应急预案", blocks, taxonomy)
    sev = {n.props["level"]: n.props for n in out.nodes if n.label == "SeverityLevel"}
    assert set(sev) == {"特别重大", "重大", "一般"}
    assert (sev["特别重大"]["deaths_min"], sev["特别重大"]["loss_min"]) == (30, 10000)
    assert (sev["重大"]["deaths_min"], sev["重大"]["deaths_max"], sev["重大"]["loss_max"]) == (
        10, 29, 10000)
    assert sev["一般"]["injuries_max"] == 10 and "loss_max" not in sev["一般"]
    assert sev["一般"]["incident_types"] == ["森林火灾"]
    about = {(r.start.key, r.end.key) for r in out.relationships if r.type == "ABOUT"}
    assert ("t.txt#一般", "森林火灾") in about


def test_crawled_page_with_lost_headings_and_broken_lines(taxonomy):
    """A government web page: headings flattened into paragraphs, the response items run
    together in one paragraph, a sentence broken across two lines."""
    blocks = paras(
        "事件分级",
        "特别重大：因灾死亡30人以上，或者紧急转移安置群众10万人以上，或者直接经济损失",
        "1亿元以上。",
        "较大：因灾死亡3人以上10人以下。",
        "应急响应",
        "Ⅳ级响应：发生一般灾害，由区应急管理局局长决定启动。Ⅲ级响应：发生较大灾害，"
        "由总指挥决定启动。I级响应：发生特别重大灾害，报请区委、区政府同意后由总指挥宣布启动。",
        "响应结束后，由启动响应的机构宣布终止。",
    )
    out = extract("某区自然灾害救助应急预案", blocks, taxonomy)
    sev = {n.props["level"]: n.props for n in out.nodes if n.label == "SeverityLevel"}
    assert sev["特别重大"]["loss_min"] == 10000 and sev["特别重大"]["evacuated_min"] == 100000
    assert sev["较大"]["deaths_max"] == 10
    resp = {n.props["level"]: n.props for n in out.nodes if n.label == "ResponseLevel"}
    assert {k: v["starter"] for k, v in resp.items()} == {
        "四级": "区应急管理局局长", "三级": "总指挥", "一级": "总指挥"}
    assert resp["一级"]["ender"] == "启动响应的机构"
    defines = [r for r in out.relationships if r.type == "DEFINES"]
    assert {r.end.key for r in defines} == {
        "t.txt#特别重大", "t.txt#较大", "t.txt#四级", "t.txt#三级", "t.txt#一级"}


def test_response_table_and_inline_grading(taxonomy):
    blocks = [
        Block(text="4 事故分级", kind="paragraph"),
        Block(text="造成1人以上3人以下死亡的，为一般事故；造成3人以上死亡的，为较大以上事故。"),
        Block(text="5 应急响应", kind="paragraph"),
        *table("响应等级|启动条件|启动程序",
               "Ⅱ级|发生较大事故|区应急委提出建议，区长决定",
               "Ⅲ级|发生一般事故|区危化指挥部总指挥批准",
               "Ⅳ级|险情|值班室通知相关单位"),
    ]
    out = extract("某区危险化学品事故应急预案", blocks, taxonomy)
    resp = {n.props["level"]: n.props for n in out.nodes if n.label == "ResponseLevel"}
    assert {k: v["starter"] for k, v in resp.items()} == {
        "二级": "区长", "三级": "区危化指挥部总指挥", "四级": None}
    assert resp["二级"]["condition"] == "发生较大事故"
    sev = {n.props["level"]: n.props for n in out.nodes if n.label == "SeverityLevel"}
    assert (sev["一般"]["deaths_min"], sev["一般"]["deaths_max"]) == (1, 3)


def test_real_layouts_of_levels_and_starters():
    """Wordings of real plans: "X级（Y）……是指造成……", "由X启动" without 决定, and the rule for
    adjusting or ending a level, which does not define it."""
    from ingest.extract.plan_levels import _lead_statement, parse_response_chunk

    st = _lead_statement("Ⅱ级(重大)水上交通事故是指造成10人以上30人以下死亡，"
                         "或者5000万元以上1亿元以下直接经济损失的事故；")
    assert st.level == "重大" and st.thresholds.values["deaths_min"] == 10
    one = parse_response_chunk("（1）Ⅰ级应急响应由省人民政府或交通运输部启动；")
    assert one.levels == ["一级"] and one.starter == "省人民政府或交通运输部"
    both = parse_response_chunk("（3）Ⅲ级、Ⅳ级应急响应分别由市、县级港航应急指挥机构负责启动。")
    assert both.levels == ["三级", "四级"] and both.starter == "市、县级港航应急指挥机构"
    assert parse_response_chunk("（2）Ⅱ级应急响应由领导小组负责调整或终止，程序如下：当事态升级，"
                                "达到Ⅰ级应急响应条件的，由领导小组提请省人民政府启动Ⅰ级应急响应；") is None


def test_an_annex_lists_each_level_s_conditions_under_its_heading(taxonomy):
    """"Ⅱ级（重大）" / "有下列情形之一的，启动Ⅱ级应急响应：" / one condition a line: the lines start
    that response level and, the heading naming the severity, are its grading criteria too;
    a range written "10 人以上、30 人以下" is one range."""
    blocks = paras("4 应急响应", "（1）Ⅰ级应急响应由省人民政府启动；",
                   "附件 2", "码头事件响应分级和启动条件",
                   "I 级（特别重大）", "有下列情形之一的，启动 I 级应急响应：",
                   "客运码头运行中断，恢复运行预计在 48 小时以上；",
                   "码头事故造成死亡失踪 30 人以上，或 1 亿元以上直接经济损失的。",
                   "Ⅱ级（重大）", "有下列情形之一的，启动Ⅱ级应急响应：",
                   "客运码头运行中断，恢复运行预计在 24 小时以上；",
                   "码头事故造成死亡（失踪）10 人以上、30 人以下，或 5000 万元以上 1 亿元以下直接经济损失的。")
    out = extract("某省码头突发事件应急预案", blocks, taxonomy)
    resp = {n.props["level"]: n.props for n in out.nodes if n.label == "ResponseLevel"}
    assert resp["一级"]["starter"] == "省人民政府"  # from 4, the conditions from the annex
    assert "48 小时以上" in resp["一级"]["condition"] and resp["二级"]["severities"] == ["重大"]
    sev = {n.props["level"]: n.props for n in out.nodes if n.label == "SeverityLevel"}
    assert (sev["重大"]["deaths_min"], sev["重大"]["deaths_max"]) == (10, 30)
    assert (sev["特别重大"]["deaths_min"], sev["特别重大"]["loss_min"]) == (30, 10000)


def test_enders_in_department_plan_wordings():
    from ingest.extract.plan_levels import parse_enders
    assert parse_enders("（2）Ⅱ级应急响应由领导小组负责调整或终止，程序如下：") == ({"二级": "领导小组"}, None)
    assert parse_enders("（1）Ⅰ级应急响应由省人民政府负责调整及终止；") == ({"一级": "省人民政府"}, None)
    # a duty item under the body's heading: the body decides
    assert parse_enders("（5）决定终止突发事件Ⅱ级应急响应；", "领导小组") == ({"二级": "领导小组"}, None)
    assert parse_enders("（5）决定终止突发事件Ⅱ级应急响应；") == ({}, None)
    # who ends a warning ends no response
    assert parse_enders("（1）Ⅲ级、Ⅳ级预警由市、县级应急指挥机构负责调整和终止；") == ({}, None)
